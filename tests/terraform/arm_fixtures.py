"""What exists in Azure before drnet applies anything, built from a resolved plan.

`seed_world(resolved, path, ...)` writes the fake ARM world the stand-ins read: the resource
groups, the Recovery Services vault, `existing` networks and their subnets, the vault's VMM
fabric and VM networks (what a network mapping looks up by friendly name), and one ASR
replication protected item per VM, shaped like the REST spec's
`ReplicationProtectedItems_List` example (api 2025-08-01) with the HyperVReplicaAzure details
(`vmNics[]`: `nicId`, `vMNetworkName`, `ipConfigs[]`; recovery VM name, size, license).

Knobs for the cases the recovery stack must survive:
- `missing_vms`: VMs not protected (yet) in the vault;
- `duplicate_under_other_vmm`: VMs whose name also exists under another VMM server;
- `nic_order="by-network-reversed"`: ASR lists a VM's NICs grouped by VM network, the groups
  in reverse (the order within one VM network kept: it is all that tells NICs there apart).
Ids and GUIDs derive from names (uuid5): the same plan always gives the same world.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from .standins import world as w

NAMESPACE = uuid.UUID("6f1c3a52-6b9e-4c0e-9b7a-2d1f00000007")
OTHER_VMM = "vmm-other.contoso.local"
VM_SIZE = "Standard_D2s_v3"
LICENSE = "NoLicenseType"


def guid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def vault_id(resolved) -> str:
    return w.vault_id(resolved.vault_resource_group, resolved.vault_name)


def network_id(resolved, name: str) -> str:
    net = resolved.network(name)
    return w.arm_id(net.resource_group if net else resolved.resource_group, "virtualNetworks", name)


def fabric_id(resolved, vmm: str) -> str:
    return f"{vault_id(resolved)}/replicationFabrics/{guid('fabric', vmm)}"


def ip_config_name(vm: str, nic: int) -> str:
    """Not `ipconfig1`: the stack must take the name ASR reports, not assume one."""
    return f"ipconfig-{guid('ipconfig', vm, str(nic))[:8]}"


def nic_id(vm: str, nic: int, vmm: str) -> str:
    return guid("nic", vmm, vm, str(nic))


def protected_item(resolved, vm: str, nics: list, *, vmm: str, nic_order: str = "plan") -> dict:
    """One `replicationProtectedItems` list entry for a Hyper-V VM replicating to Azure."""
    fabric = guid("fabric", vmm)
    container = f"cloud_{guid('cloud', vmm)}"
    item = guid("item", vmm, vm)
    vault = vault_id(resolved)
    ordered = sorted(nics, key=lambda n: n.nic)
    if nic_order == "by-network-reversed":
        networks = sorted({n.vm_network for n in nics}, reverse=True)
        ordered = sorted(ordered, key=lambda n: networks.index(n.vm_network))
    vm_nics = [{
        "nicId": nic_id(vm, n.nic, vmm),
        "vMNetworkName": n.vm_network,
        "selectionType": "NotSelected",
        "ipConfigs": [{"name": ip_config_name(vm, n.nic), "isPrimary": True, "subnetName": n.subnet,
                       "staticIPAddress": n.ip, "ipAddressType": "Static"}],
    } for n in ordered]
    return {
        "id": f"{vault}/replicationFabrics/{fabric}/replicationProtectionContainers/{container}/replicationProtectedItems/{item}",
        "name": item,
        "type": "Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems",
        "properties": {
            "friendlyName": vm,
            "protectedItemType": "HyperVVirtualMachine",
            "primaryFabricFriendlyName": vmm,
            "recoveryFabricFriendlyName": "Microsoft Azure",
            "primaryProtectionContainerFriendlyName": container,
            "protectionState": "Protected",
            "activeLocation": "Primary",
            "replicationHealth": "Normal",
            "providerSpecificDetails": {
                "instanceType": "HyperVReplicaAzure",
                "recoveryAzureVmName": vm,
                "recoveryAzureVMSize": VM_SIZE,
                "licenseType": LICENSE,
                "vmId": guid("vm", vmm, vm),
                "vmProtectionState": "Protected",
                "vmNics": vm_nics,
            },
        },
    }


def nics_by_vm(resolved) -> dict[str, list]:
    by_vm: dict[str, list] = {}
    for nic in resolved.nics:
        by_vm.setdefault(nic.vm, []).append(nic)
    return by_vm


def seed_world(resolved, path: Path, *, missing_vms=(), duplicate_under_other_vmm=(), nic_order: str = "plan") -> Path:
    records: dict[str, dict] = {}

    def put(rid: str, type_name: str, attributes: dict) -> None:
        records[rid.lower()] = {"id": rid, "type": type_name, "attributes": attributes}

    groups = {resolved.resource_group, resolved.vault_resource_group} | {n.resource_group for n in resolved.networks}
    for rg in sorted(groups):
        put(w.rg_id(rg), "azurerm_resource_group", {"id": w.rg_id(rg), "name": rg, "location": resolved.location, "tags": {}})
    vault = vault_id(resolved)
    put(vault, "azurerm_recovery_services_vault", {"id": vault, "name": resolved.vault_name,
        "resource_group_name": resolved.vault_resource_group, "location": resolved.location, "sku": "Standard",
        "tags": {}, "identity": []})
    for net in resolved.networks:
        if not net.existing:
            continue
        vnet = network_id(resolved, net.name)
        put(vnet, "azurerm_virtual_network", {"id": vnet, "name": net.name, "resource_group_name": net.resource_group,
            "location": resolved.location, "address_space": list(net.address_space), "dns_servers": [],
            "guid": guid("vnet", net.name), "tags": {}, "private_endpoint_vnet_policies": "Disabled"})
        for sub in net.subnets:
            sid = f"{vnet}/subnets/{sub.name}"
            put(sid, "azurerm_subnet", {"id": sid, "name": sub.name, "resource_group_name": net.resource_group,
                "virtual_network_name": net.name, "address_prefixes": [sub.prefix]})
    vm_networks = sorted({s.vm_network for s in resolved.onprem_subnets} | {n.vm_network for n in resolved.nics})
    for vmm in (resolved.vmm_server, OTHER_VMM):
        fab = fabric_id(resolved, vmm)
        put(fab, "azurerm_site_recovery_fabric", {"friendly_name": vmm})
        for vm_network in vm_networks:
            rn = f"{fab}/replicationNetworks/{guid('vmnetwork', vmm, vm_network)}"
            put(rn, "azurerm_site_recovery_replication_network", {"friendly_name": vm_network})
    for vm, nics in sorted(nics_by_vm(resolved).items()):
        if vm not in missing_vms:
            item = protected_item(resolved, vm, nics, vmm=resolved.vmm_server, nic_order=nic_order)
            put(item["id"], "asr_protected_item", item)
        if vm in duplicate_under_other_vmm:
            item = protected_item(resolved, vm, nics, vmm=OTHER_VMM, nic_order=nic_order)
            put(item["id"], "asr_protected_item", item)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    from tests.terraform.existing_fixtures import existing_records  # here: it imports the harness, which imports this module

    records.update(existing_records(resolved))  # what a brownfield plan says Azure holds already
    path.write_text(json.dumps({"resources": records, "calls": []}, indent=1, sort_keys=True), encoding="utf-8")
    return path


def replace_items(world: Path, resolved, **knobs) -> None:
    """Swap the protected items of a world (e.g. one where a stack is applied) for knobbed ones."""
    data = json.loads(Path(world).read_text(encoding="utf-8"))
    fresh = json.loads(seed_world(resolved, Path(world).with_suffix(".items.json"), **knobs).read_text(encoding="utf-8"))
    data["resources"] = {k: v for k, v in data["resources"].items() if v["type"] != "asr_protected_item"}
    data["resources"].update({k: v for k, v in fresh["resources"].items() if v["type"] == "asr_protected_item"})
    Path(world).write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")


def expected_patch_body(resolved, vm: str) -> dict:
    """The PATCH body the issue asks for, for the fixture item of `vm` (in any NIC order):
    every plan NIC matched to ASR's NIC of the same VM network (then by order within it),
    the item's recovery VM name, size and license carried so an update never resets them."""
    nics = sorted(nics_by_vm(resolved)[vm], key=lambda n: n.nic)
    body_nics = []
    for n in nics:
        ip_config = {"ipConfigName": ip_config_name(vm, n.nic), "isPrimary": True, "isSeletedForFailover": True}
        if n.recovery is not None:
            ip_config["recoverySubnetName"] = n.recovery.subnet
            if n.recovery.ip:
                ip_config["recoveryStaticIPAddress"] = n.recovery.ip
        if n.test is not None:
            ip_config["tfoSubnetName"] = n.test.subnet
            if n.test.ip:
                ip_config["tfoStaticIPAddress"] = n.test.ip
        body_nics.append({"nicId": nic_id(vm, n.nic, resolved.vmm_server), "selectionType": "SelectedByUser",
                          "ipConfigs": [ip_config]})
    props = {"recoveryAzureVMName": vm, "recoveryAzureVMSize": VM_SIZE, "licenseType": LICENSE}
    recovery = {n.recovery.network for n in nics if n.recovery is not None}
    test = {n.test.network for n in nics if n.test is not None}
    if len(recovery) == 1 and all(n.recovery is not None for n in nics):
        props["selectedRecoveryAzureNetworkId"] = network_id(resolved, recovery.pop())
    if len(test) == 1 and all(n.test is not None for n in nics):
        props["selectedTfoAzureNetworkId"] = network_id(resolved, test.pop())
    props["vmNics"] = body_nics
    props["providerSpecificDetails"] = {"instanceType": "HyperVReplicaAzure"}
    return {"properties": props}


def normalized_body(body: dict) -> dict:
    """NIC order in the body carries no meaning (each entry names its nicId): compare sorted."""
    props = dict(body.get("properties", {}))
    props["vmNics"] = sorted(props.get("vmNics", []), key=lambda n: str(n.get("nicId")))
    return {**body, "properties": props}
