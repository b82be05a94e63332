"""The azurerm 4.55.0 stand-in's behaviour: ARM ids, CRUD against the fake world, data sources.

What a real provider does that matters to drnet's tests, nothing more:
- every created resource gets the ARM id azurerm gives it, and an existing one blocks a create
  ("already exists - needs to be imported", azurerm's `tf.ImportAsExistsError`);
- a read of a resource gone from the world marks it gone (Terraform plans a create);
- data sources find what an apply created or a fixture says exists, else 404;
- `azurerm_site_recovery_hyperv_network_mapping` finds its VMM fabric and VM network by
  friendly name in the vault (as the provider does: exact match), else fails.
Two ARM-side rules drnet's output has met, modelled where the world sees them (most API rules
are not here: see the README):
- an `*AZ` VPN gateway refuses public IPs without zones
  (`VmssVpnGatewayPublicIpsMustHaveZonesConfigured`);
- a peering with `use_remote_gateways` fails while the remote network has no gateway
  (`RemoteVnetHasNoGateways`); a gateway takes a while to build (GATEWAY_BUILD_SECONDS), so a
  peering that does not wait for it meets that error as it would in Azure.
"""

from __future__ import annotations

import time

from . import world as w
from .world import World, arm_id, not_found, rg_id

# Terraform type -> ARM id from the resource's arguments (azurerm's id formats).
IDS = {
    "azurerm_resource_group": lambda s: rg_id(s["name"]),
    "azurerm_virtual_network": lambda s: arm_id(s["resource_group_name"], "virtualNetworks", s["name"]),
    "azurerm_subnet": lambda s: arm_id(s["resource_group_name"], "virtualNetworks", s["virtual_network_name"], "subnets", s["name"]),
    "azurerm_public_ip": lambda s: arm_id(s["resource_group_name"], "publicIPAddresses", s["name"]),
    "azurerm_virtual_network_gateway": lambda s: arm_id(s["resource_group_name"], "virtualNetworkGateways", s["name"]),
    "azurerm_local_network_gateway": lambda s: arm_id(s["resource_group_name"], "localNetworkGateways", s["name"]),
    "azurerm_virtual_network_gateway_connection": lambda s: arm_id(s["resource_group_name"], "connections", s["name"]),
    "azurerm_virtual_network_peering": lambda s: arm_id(
        s["resource_group_name"], "virtualNetworks", s["virtual_network_name"], "virtualNetworkPeerings", s["name"]),
    "azurerm_route_table": lambda s: arm_id(s["resource_group_name"], "routeTables", s["name"]),
    "azurerm_route": lambda s: arm_id(s["resource_group_name"], "routeTables", s["route_table_name"], "routes", s["name"]),
    "azurerm_network_security_group": lambda s: arm_id(s["resource_group_name"], "networkSecurityGroups", s["name"]),
    "azurerm_network_security_rule": lambda s: arm_id(
        s["resource_group_name"], "networkSecurityGroups", s["network_security_group_name"], "securityRules", s["name"]),
    "azurerm_recovery_services_vault": lambda s: w.vault_id(s["resource_group_name"], s["name"]),
    "azurerm_virtual_network_gateway_connection_data": lambda s: arm_id(s["resource_group_name"], "connections", s["name"]),
}
# Associations are sub-resources without an ARM id of their own: azurerm uses the subnet's id.
ASSOCIATIONS = {
    "azurerm_subnet_route_table_association": "routeTable",
    "azurerm_subnet_network_security_group_association": "networkSecurityGroup",
}
GATEWAY_BUILD_SECONDS = 1.5
FABRIC = "azurerm_site_recovery_fabric"  # fixture record types (vault children)
REPLICATION_NETWORK = "azurerm_site_recovery_replication_network"
MAPPING = "azurerm_site_recovery_hyperv_network_mapping"


def world_key(type_name: str, state: dict) -> str:
    if type_name in ASSOCIATIONS:
        return f"{state['subnet_id']}|{ASSOCIATIONS[type_name]}"
    return state["id"]


class Azurerm:
    def __init__(self, world: World):
        self.world = world

    # ---- resources ----
    def plan(self, diags, name, prior, planned, config, replace):
        return planned

    def _new_id(self, diags, name, planned) -> str | None:
        if name in ASSOCIATIONS:
            return planned["subnet_id"]
        if name == MAPPING:
            return self._mapping_id(diags, planned)
        return IDS[name](planned)

    def apply(self, diags, name, prior, planned):
        new = dict(planned)
        if prior is None:
            new_id = self._new_id(diags, name, planned)
            if new_id is None:
                return None
            new["id"] = new_id
            if self.world.get(world_key(name, new)) is not None:
                diags.add_error(
                    f"A resource with the ID \"{new_id}\" already exists - to be managed via Terraform this resource "
                    f"needs to be imported into the State. Please see the resource documentation for \"{name}\" "
                    "for more information.")
                return None
            self._check_parents(diags, name, new)
            self._arm_rules(diags, name, new)
            if diags.has_errors():
                return None
        if name == "azurerm_virtual_network" and new.get("guid") is None:
            new["guid"] = _fake_guid(new["id"])
        self.world.put(world_key(name, new), name, new, "PUT" if prior is None else "PATCH")
        return new

    def _check_parents(self, diags, name, state):
        """ARM refuses a child whose parent does not exist (404 on the parent)."""
        parent = None
        if name in ("azurerm_subnet", "azurerm_virtual_network_peering"):
            parent = arm_id(state["resource_group_name"], "virtualNetworks", state["virtual_network_name"])
        elif name == "azurerm_route":
            parent = arm_id(state["resource_group_name"], "routeTables", state["route_table_name"])
        if parent and self.world.get(parent) is None:
            not_found(diags, "the parent resource", parent)

    def _arm_rules(self, diags, name, state):
        if name == "azurerm_virtual_network_gateway":
            if str(state.get("sku", "")).endswith("AZ"):
                for ipc in state.get("ip_configuration") or []:
                    pip = self.world.get(ipc.get("public_ip_address_id") or "")
                    if pip is not None and not pip["attributes"].get("zones"):
                        diags.add_error("creating Virtual Network Gateway", "unexpected status 400 (400 Bad Request) with "
                                        "error: VmssVpnGatewayPublicIpsMustHaveZonesConfigured: public IP "
                                        f"{pip['id']} of an {state['sku']} gateway has no zones (fake ARM world)")
            time.sleep(GATEWAY_BUILD_SECONDS)
        if name == "azurerm_virtual_network_peering" and state.get("use_remote_gateways"):
            remote = (state.get("remote_virtual_network_id") or "").lower() + "/subnets/"
            gateways = [g for g in self.world.snapshot()["resources"].values() if g["type"] == "azurerm_virtual_network_gateway"
                        and any((c.get("subnet_id") or "").lower().startswith(remote)
                                for c in g["attributes"].get("ip_configuration") or [])]
            if not gateways:
                diags.add_error("creating Virtual Network Peering", "unexpected status 400 (400 Bad Request) with error: "
                                f"RemoteVnetHasNoGateways: {state['remote_virtual_network_id']} has no gateway (fake ARM world)")

    def read(self, diags, name, current):
        if current is None:
            return None
        found = self.world.get(world_key(name, current))
        return None if found is None else found["attributes"]

    def delete(self, diags, name, prior):
        self.world.delete(world_key(name, prior), name)

    def import_(self, diags, name, resource_id):
        key = f"{resource_id}|{ASSOCIATIONS[name]}" if name in ASSOCIATIONS else resource_id
        found = self.world.get(key)
        if found is None or found["type"] != name:
            diags.add_error("Cannot import non-existent remote object",
                            f"While attempting to import an existing object to \"{name}\", the provider detected that "
                            f"no object exists with the given id {resource_id!r} (fake ARM world).")
            return None
        return found["attributes"]

    def _mapping_id(self, diags, state) -> str | None:
        vault = state["recovery_vault_id"]
        fabrics = [f for f in self.world.children(vault, FABRIC)
                   if f["attributes"]["friendly_name"] == state["source_system_center_virtual_machine_manager_name"]]
        if not fabrics:
            diags.add_error("fetching fabric id", f"no fabric (VMM server) with friendly name "
                            f"{state['source_system_center_virtual_machine_manager_name']!r} in vault {vault}")
            return None
        networks = [n for n in self.world.children(fabrics[0]["id"], REPLICATION_NETWORK)
                    if n["attributes"]["friendly_name"] == state["source_network_name"]]
        if not networks:
            diags.add_error("fetching network id", f"no VM network with friendly name {state['source_network_name']!r} "
                            f"on {state['source_system_center_virtual_machine_manager_name']} in vault {vault}")
            return None
        return f"{networks[0]['id']}/replicationNetworkMappings/{state['name']}"

    # ---- data sources ----
    def read_data(self, diags, name, config):
        if name == "azurerm_client_config":
            return {"id": "clientConfigs/fake", "client_id": w.CLIENT, "object_id": w.OBJECT,
                    "subscription_id": w.SUBSCRIPTION, "tenant_id": w.TENANT}
        if name == "azurerm_subscription":
            return {"id": f"/subscriptions/{w.SUBSCRIPTION}", "subscription_id": w.SUBSCRIPTION, "tenant_id": w.TENANT,
                    "display_name": "drnet fake subscription", "state": "Enabled"}
        ids = dict(IDS, azurerm_virtual_network_gateway_connection=IDS["azurerm_virtual_network_gateway_connection_data"])
        if name not in ids:
            diags.add_error(f"{name} is not served by the stand-in", "add its id format to tests/terraform/standins/azurerm.py")
            return None
        wanted = ids[name](config)
        found = self.world.get(wanted)
        if found is None:
            not_found(diags, name.replace("azurerm_", "").replace("_", " ").capitalize(), wanted)
            return None
        attrs = {k: v for k, v in found["attributes"].items() if v is not None}
        if name == "azurerm_virtual_network":
            attrs["subnets"] = [s["attributes"]["name"] for s in self.world.children(found["id"], "azurerm_subnet")]
            attrs["address_space"] = list(attrs.get("address_space") or [])
            attrs.setdefault("dns_servers", [])
        attrs.pop("timeouts", None)
        return attrs


def _fake_guid(text: str) -> str:
    import hashlib
    import uuid

    return str(uuid.UUID(hashlib.sha256(text.lower().encode()).hexdigest()[:32]))
