"""The azapi 2.7.0 stand-in's behaviour: list ASR protected items, PATCH one, read by id.

- `data "azapi_resource_list"` at a vault with `Microsoft.RecoveryServices/vaults/
  replicationProtectedItems@<api>` returns `{"value": [items...]}` (the REST list body; one page,
  azapi follows nextLink itself), narrowed by `response_export_values`;
- `resource "azapi_resource_action"` with PATCH applies the body's per-NIC settings to the
  item in the world (404 when the item or a NIC id does not exist), and records the call;
- `data "azapi_resource"` reads any record by `resource_id`.
Output follows azapi's ModifyPlan: unknown when the body (or the export list) changes.
"""

from __future__ import annotations

import copy

from . import cty
from .world import World, not_found

PROTECTED_ITEM = "asr_protected_item"  # fixture record type
VAULT_ITEMS = "Microsoft.RecoveryServices/vaults/replicationProtectedItems"


def _export(body: dict, exports):
    """azapi's response_export_values: a list of paths (`a.b`), or a map name -> path; null:
    the whole body."""
    if exports is None:
        return body
    exports = cty.plain(exports)

    def at(path: str):
        value = body
        for part in path.split("."):
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
        return value

    if isinstance(exports, dict):
        return {k: at(v) for k, v in exports.items()}
    out: dict = {}
    for path in exports:
        if path == "*":
            return body
        parts = path.split(".")
        cursor = out
        for p in parts[:-1]:
            cursor = cursor.setdefault(p, {})
        cursor[parts[-1]] = at(path)
    return out


class Azapi:
    def __init__(self, world: World):
        self.world = world

    # ---- data sources ----
    def read_data(self, diags, name, config):
        if name == "azapi_resource_list":
            return self._list(diags, config)
        if name == "azapi_resource":
            rid = config.get("resource_id")
            found = self.world.get(rid) if rid else None
            if found is None:
                if config.get("ignore_not_found"):
                    return {"id": rid, "exists": False, "output": cty.dyn({})}
                not_found(diags, "Resource", rid)
                return None
            body = found["attributes"]
            return {"id": rid, "exists": True, "name": body.get("name"),
                    "output": cty.dyn(_export(body, config.get("response_export_values")))}
        diags.add_error(f"{name} is not served by the stand-in")
        return None

    def _list(self, diags, config):
        resource_type, _, _version = config["type"].partition("@")
        parent = config["parent_id"]
        if self.world.get(parent) is None:
            not_found(diags, "Parent resource", parent)
            return None
        if resource_type != VAULT_ITEMS:
            diags.add_error("unsupported list type", f"the stand-in lists only {VAULT_ITEMS}, not {resource_type}")
            return None
        items = [copy.deepcopy(r["attributes"]) for r in self.world.children(parent, PROTECTED_ITEM)]
        body = {"value": items}
        return {"id": f"{parent}/replicationProtectedItems", "output": cty.dyn(_export(body, config.get("response_export_values")))}

    # ---- azapi_resource_action ----
    def plan(self, diags, name, prior, planned, config, replace):
        if prior is not None and not replace:
            changed = cty.plain(prior.get("body")) != cty.plain(planned.get("body"))
            exports_changed = cty.plain(prior.get("response_export_values")) != cty.plain(planned.get("response_export_values"))
            if changed or exports_changed:
                planned["output"] = cty.Unknown
            if changed:
                planned["sensitive_output"] = cty.Unknown
        return planned

    def apply(self, diags, name, prior, planned):
        new = dict(planned)
        rid = planned["resource_id"]
        new["id"] = rid
        if planned.get("when") == "apply":
            response = self._call(diags, planned)
            if diags.has_errors():
                return None
            new["output"] = cty.dyn(_export(response, planned.get("response_export_values")) or {})
        if new.get("output") in (None, cty.Unknown):
            new["output"] = cty.dyn({})
        if new.get("sensitive_output") in (None, cty.Unknown):
            new["sensitive_output"] = cty.dyn({})
        return new

    def _call(self, diags, planned) -> dict:
        rid, method = planned["resource_id"], planned["method"]
        with self.world.edit() as data:
            record = data["resources"].get(rid.lower())
            if record is None:
                not_found(diags, "Resource", rid)
                return {}
            body = cty.plain(planned.get("body")) or {}
            data["calls"].append([method, planned["type"], rid, body])
            if method == "PATCH" and record["type"] == PROTECTED_ITEM:
                _patch_item(diags, record["attributes"], body)
            return copy.deepcopy(record["attributes"])

    def read(self, diags, name, current):
        return current

    def delete(self, diags, name, prior):
        """azapi_resource_action's delete does nothing unless `when = destroy`."""

    def import_(self, diags, name, resource_id):
        diags.add_error(f"{name} cannot be imported")
        return None


def _patch_item(diags, item: dict, body: dict) -> None:
    """Replication Protected Items - Update for HyperVReplicaAzure, as the world sees it: the
    VM-level settings replace the item's, each NIC (by nicId, 404 if unknown) takes its
    IP configuration settings."""
    props = body.get("properties", {})
    details = item["properties"]["providerSpecificDetails"]
    for key, target in (("recoveryAzureVMName", "recoveryAzureVmName"), ("recoveryAzureVMSize", "recoveryAzureVMSize"),
                        ("licenseType", "licenseType"), ("selectedRecoveryAzureNetworkId", "selectedRecoveryAzureNetworkId")):
        if key in props:
            details[target] = props[key]
    nics = {n["nicId"]: n for n in details.get("vmNics", [])}
    for nic_input in props.get("vmNics", []):
        nic = nics.get(nic_input.get("nicId"))
        if nic is None:
            not_found(diags, "NIC of the protected item", str(nic_input.get("nicId")))
            return
        nic["selectionType"] = nic_input.get("selectionType", nic.get("selectionType"))
        configs = {c.get("name"): c for c in nic.get("ipConfigs", [])}
        for ip_input in nic_input.get("ipConfigs", []):
            target = configs.get(ip_input.get("ipConfigName"))
            if target is None:
                not_found(diags, "IP configuration of the NIC", str(ip_input.get("ipConfigName")))
                return
            for key in ("recoverySubnetName", "recoveryStaticIPAddress", "tfoSubnetName", "tfoStaticIPAddress",
                        "isSeletedForFailover"):
                if key in ip_input:
                    target[key] = ip_input[key]
