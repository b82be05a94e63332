"""What `drnet schema` adds to the models' JSON Schema for editors: a description for every key,
enums for SKUs, patterns for prefixes and addresses, an `$id` and a title.

Only the published schema changes: the loader keeps accepting any string there, so a malformed
prefix or an unknown SKU stays one located diagnostic (E101, E607...) among all the others.
A field's own `Field(description=...)` wins over the table below.
"""

from __future__ import annotations

SCHEMA_ID = "urn:drnet:plan-format:1"
TITLE = "drnet plan, format version 1"

_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IPV4_PATTERN = rf"^{_OCTET}(\.{_OCTET}){{3}}$"
PREFIX_PATTERN = rf"^{_OCTET}(\.{_OCTET}){{3}}/(3[0-2]|[12]?[0-9])$"

PREFIXES = {("OnpremSubnet", "prefix"), ("AzureSubnet", "prefix"), ("Gateway", "subnet_prefix"),
            ("Onprem", "address_space"), ("AzureNetwork", "address_space")}
ADDRESSES = {("VpnDevice", "public_ip"), ("Bgp", "peering_address"), ("Nic", "ip"), ("Nic", "recovery_ip"),
             ("Routing", "next_hop_ip")}

DESCRIPTIONS = {
    ("Plan", "version"): "format version of the plan: 1",
    ("Plan", "name"): "1-24 of a-z 0-9 -; prefixes Azure resource names and stack names",
    ("Plan", "onprem"): "the on-prem side: VMM server, address space, VPN device, VM networks",
    ("Plan", "azure"): "the Azure side: location, resource group, Recovery Services vault, networks",
    ("Plan", "network_mappings"): "VMM VM network -> Azure recovery (and test) network, as in Site Recovery",
    ("Plan", "connections"): "site-to-site, vnet-to-vnet and peering connections",
    ("Plan", "routing"): "optional routing through a network virtual appliance",
    ("Plan", "failed_over"): "on-prem subnets now running in Azure: 'Apps', or 'VmNetwork/Subnet' when ambiguous",
    ("Plan", "vms"): "the protected VMs and their NICs (or use vms_csv)",
    ("Onprem", "vmm_server"): "the VMM server as registered in the Recovery Services vault",
    ("Onprem", "address_space"): "every on-prem prefix reachable over the VPN",
    ("Onprem", "vpn_device"): "the on-prem VPN device; required with a site-to-site connection",
    ("Onprem", "vm_networks"): "VMM VM networks, names exactly as in VMM",
    ("VpnDevice", "bgp"): "BGP of the on-prem device (optional)",
    ("OnpremSubnet", "name"): "subnet name as in VMM",
    ("OnpremSubnet", "prefix"): "the on-prem subnet's prefix (CIDR)",
    ("VmNetwork", "logical_network"): "the VMM logical network (documentary)",
    ("VmNetwork", "subnets"): "the VM network's subnets",
    ("Azure", "location"): "Azure region of what drnet creates, e.g. westeurope",
    ("Azure", "resource_group"): "resource group where drnet creates what it manages",
    ("Azure", "recovery_vault"): "the existing Recovery Services vault",
    ("Azure", "networks"): "Azure virtual networks: recovery, test and production",
    ("Vault", "name"): "name of the Recovery Services vault",
    ("Vault", "resource_group"): "resource group of the vault",
    ("AzureNetwork", "name"): "virtual network name",
    ("AzureNetwork", "existing"): "referenced (data source), never created or destroyed by drnet",
    ("AzureNetwork", "resource_group"): "resource group of the network (default: azure.resource_group)",
    ("AzureNetwork", "address_space"): "the network's address space (CIDR prefixes)",
    ("AzureNetwork", "subnets"): "the network's subnets (not the GatewaySubnet: see gateway)",
    ("AzureNetwork", "gateway"): "the GatewaySubnet and a route-based VPN gateway",
    ("AzureSubnet", "name"): "subnet name; a failed-over subnet lands in the one with its on-prem name",
    ("AzureSubnet", "prefix"): "the subnet's prefix (CIDR)",
    ("NetworkMapping", "vm_network"): "the VMM VM network",
    ("NetworkMapping", "recovery_network"): "the Azure network its VMs fail over to",
    ("NetworkMapping", "test_network"): "the Azure network of test failovers (isolated)",
    ("SiteToSite", "name"): "connection name",
    ("SiteToSite", "type"): "site-to-site: the on-prem VPN device <-> a network's gateway",
    ("SiteToSite", "network"): "the Azure network whose gateway terminates the VPN",
    ("SiteToSite", "when"): "always (default), or after-failover: only once a subnet behind it failed over",
    ("VnetToVnet", "name"): "connection name",
    ("VnetToVnet", "type"): "vnet-to-vnet: gateway to gateway, both directions",
    ("VnetToVnet", "networks"): "the two networks",
    ("VnetToVnet", "when"): "always (default), or after-failover: only once a subnet behind it failed over",
    ("Peering", "name"): "connection name",
    ("Peering", "type"): "peering: two virtual networks peered",
    ("Peering", "gateway_transit"): "the spoke uses the hub's gateway (on-prem routes reach the spoke)",
    ("Peering", "when"): "always (default), or after-failover: only once a subnet behind it failed over",
    ("Nic", "vm_network"): "the VMM VM network of the NIC",
    ("Nic", "subnet"): "the on-prem subnet of the NIC",
    ("Nic", "ip"): "the NIC's on-prem IP address",
    ("Nic", "recovery_ip"): "the IP after failover (change subnets only; default: same host offset)",
    ("Vm", "name"): "VM name as protected in the vault",
    ("Vm", "nics"): "the VM's NICs, in the VM's NIC order",
}


def _string_branch(prop: dict) -> dict:
    """The schema node that holds the string: the property, its `items`, or its non-null anyOf."""
    if prop.get("type") == "array":
        return prop["items"]
    for option in prop.get("anyOf", ()):
        if option.get("type") == "string":
            return option
    return prop


def enrich(schema: dict, skus: list[str]) -> dict:
    defs = schema.get("$defs", {})
    objects = [("Plan", schema)] + list(defs.items())
    for name, node in objects:
        for key, prop in node.get("properties", {}).items():
            if "description" not in prop and (name, key) in DESCRIPTIONS:
                prop["description"] = DESCRIPTIONS[(name, key)]
            if (name, key) in PREFIXES:
                _string_branch(prop)["pattern"] = PREFIX_PATTERN
            if (name, key) in ADDRESSES:
                _string_branch(prop)["pattern"] = IPV4_PATTERN
    defs["Gateway"]["properties"]["sku"]["enum"] = list(skus)
    schema["$id"] = SCHEMA_ID
    schema["title"] = TITLE
    schema["description"] = "A disaster-recovery network plan for Azure Site Recovery (Hyper-V VMs managed by VMM): drnet's input."
    return schema
