"""Per-VM recovery NIC settings (ASR "Compute and Network") through the ASR REST API (azapi).

azurerm 4.55 has no resource for a VMM-managed Hyper-V protected item, so the stack declares
the azapi provider and sends ASR's "Replication Protected Items - Update" operation, a PATCH:
https://learn.microsoft.com/rest/api/site-recovery/replication-protected-items/update
Never `azapi_resource` / `azapi_update_resource` on that path: they PUT, and a PUT there
is "Create", which enables protection.

The plan carries no GUIDs: one `azapi_resource_list` reads the vault's protected items
("Replication Protected Items - List", vault scope, every page); a local groups the
HyperVReplicaAzure ones of the plan's VMM server (`primaryFabricFriendlyName`) by VM name,
case-insensitively (a name is unique only per VMM server and cloud, so a group may hold two).
Each plan NIC is matched to the NIC ASR reports in the same VMM VM network
(`vmNics[].vMNetworkName`), then by order within that network.

Bootstrap: the settings apply to the VMs ASR protects; the others are reported by a `check`
block (a warning, never an error), so nothing here blocks the network mappings, which ASR
needs before replication can be enabled. A true duplicate, or NICs that do not match one to
one, stop the apply with a clear message (preconditions).

Synth cost is flat in the number of VMs: the settings are one literal local and one
`for_each` resource (a handful of jsii calls), never a construct per VM or field.
"""

from __future__ import annotations

import json

from cdktf import TerraformDataSource, TerraformLocal, TerraformResource, TerraformStack
from constructs import Construct

from .ids import literal

# Documents "Replication Protected Items - Update" with HyperVReplicaAzure in
# azure-rest-api-specs, specification/recoveryservicessiterecovery/.../stable/2025-08-01
# (examples/ReplicationProtectedItems_Update.json).
ASR_API_VERSION = "2025-08-01"
PROTECTED_ITEM_TYPE = "Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems"
VAULT_ITEMS_TYPE = "Microsoft.RecoveryServices/vaults/replicationProtectedItems"

LIST_ID = "asr_protected_items"
ITEMS_LOCAL = "asr_protected_items"
SETTINGS_LOCAL = "recovery_nic_settings"
TARGETS_LOCAL = "recovery_nic_targets"
MISSING_LOCAL = "recovery_vms_not_protected"
KEYS_LOCAL = "recovery_nic_keys"
# The instance's target, read by key. Never `each.value` of a `for_each` over the targets:
# Terraform re-evaluates and walks a resource's whole `for_each` value for every instance
# (deep mark checks), which made plan and apply quadratic in the number of VMs (400 VMs:
# 18 s of plan with whole targets as `for_each` values, 3.6 s with their keys).
EACH = f"local.{TARGETS_LOCAL}[each.key]"
ACTION_ID = "recovery_nic_settings"
CHECK_ID = "recovery_vms_protected"

# What the PATCH carries over from the listed item, so that an update never resets it:
# Update input field <- HyperVReplicaAzureReplicationDetails field (2025-08-01; note the
# details spell the VM name `recoveryAzureVmName`, the input `recoveryAzureVMName`; azurerm's
# own Hyper-V update sends the same fields).
CARRIED = (
    ("recoveryAzureVMName", "recoveryAzureVmName"),
    ("recoveryAzureVMSize", "recoveryAzureVMSize"),
    ("licenseType", "licenseType"),
    ("selectedSourceNicId", "selectedSourceNicId"),
)


def vm_settings(plan, network_ref) -> dict:
    """The literal per-VM settings: everything of the PATCH body except what only the vault
    knows (NIC ids, IP configuration names, the VM's recovery name, size and license).
    Keyed and sorted by VM name, NICs by position; each NIC names its VMM VM network and its
    order within it (how it is matched to ASR's NIC)."""
    by_vm: dict[str, list] = {}
    for nic in plan.nics:
        by_vm.setdefault(nic.vm, []).append(nic)
    settings = {}
    for vm in sorted(by_vm):
        nics = sorted(by_vm[vm], key=lambda n: n.nic)
        entries = []
        for nic in nics:
            ip_config = {"isPrimary": True, "isSeletedForFailover": True}  # sic: the API's spelling
            if nic.recovery is not None:
                ip_config["recoverySubnetName"] = literal(nic.recovery.subnet)
                if nic.recovery.ip:
                    ip_config["recoveryStaticIPAddress"] = nic.recovery.ip
            if nic.test is not None:
                ip_config["tfoSubnetName"] = literal(nic.test.subnet)
                if nic.test.ip:
                    ip_config["tfoStaticIPAddress"] = nic.test.ip
            entries.append(
                {"position": nic.nic, "vm_network": literal(nic.vm_network), "ordinal": nic.ordinal, "ip_config": ip_config}
            )
        # An Azure VM sits in one network: name it when all of the VM's NICs land in the same one.
        selected = {}
        recovery = {n.recovery.network for n in nics if n.recovery is not None}
        test = {n.test.network for n in nics if n.test is not None}
        if len(recovery) == 1 and all(n.recovery is not None for n in nics):
            selected["selectedRecoveryAzureNetworkId"] = network_ref(recovery.pop())
        if len(test) == 1 and all(n.test is not None for n in nics):
            selected["selectedTfoAzureNetworkId"] = network_ref(test.pop())
        settings[literal(vm)] = {"networks": selected, "nics": entries}
    return settings


def _hcl_string(text: str) -> str:
    """A string literal inside an expression (quotes escaped, no template)."""
    return literal(json.dumps(text, ensure_ascii=False))


def _index(vmm_server: str) -> str:
    """Protected items of this plan's VMM server, grouped by lower-case VM name (`...`
    groups: a duplicate name is reported by a precondition, never a Duplicate object key)."""
    return (
        f"${{{{ for item in data.azapi_resource_list.{LIST_ID}.output.value : lower(item.properties.friendlyName) => item..."
        ' if try(item.properties.providerSpecificDetails.instanceType, "") == "HyperVReplicaAzure"'
        f' && lower(try(item.properties.primaryFabricFriendlyName, "")) == {_hcl_string(vmm_server.lower())} }}}}'
    )


# Is the VM listed? An index, never `contains(keys(...), ...)`: a function converts its whole
# argument on every call, which made the per-VM loops quadratic (2,000 VMs: +33 s of plan).
_PROTECTED = f"try(local.{ITEMS_LOCAL}[lower(vm)], null)"


def _targets() -> str:
    """The plan's VMs that ASR protects, each plan NIC with the ASR NIC it matches (`asr`,
    null when none): same VM network (case-insensitive), then the same order within it."""
    items = f"local.{ITEMS_LOCAL}[lower(vm)]"
    asr_nics = f"try({items}[0].properties.providerSpecificDetails.vmNics, [])"
    match = (
        f"try([for n in {asr_nics} : n"
        ' if lower(try(n.vMNetworkName, "")) == lower(nic.vm_network)][nic.ordinal], null)'
    )
    return (
        f"${{{{ for vm, s in local.{SETTINGS_LOCAL} : vm => {{ "
        f"items = {items}, "
        f"details = try({items}[0].properties.providerSpecificDetails, {{}}), "
        "networks = s.networks, "
        f"nics = [for nic in s.nics : merge(nic, {{ asr = {match} }})] "
        f"}} if {_PROTECTED} != null }}}}"
    )


def _missing() -> str:
    return f"${{[for vm in keys(local.{SETTINGS_LOCAL}) : vm if {_PROTECTED} == null]}}"


def _each(expr: str) -> str:
    return expr.replace("each.value", EACH)


def _body() -> str:
    # written as `terraform fmt` writes it (spaces inside braces), so `--hcl` is fmt-clean
    carried = ", ".join(f"{to} = try(each.value.details.{src}, null)" for to, src in CARRIED)
    nic = (
        "{ "
        "nicId = try(nic.asr.nicId, null), "  # null only where a precondition stops the apply
        'selectionType = "SelectedByUser", '
        'ipConfigs = [merge({ ipConfigName = try(nic.asr.ipConfigs[0].name, "ipconfig1") }, nic.ip_config)]'
        " }"
    )
    return (
        "${ { properties = merge("
        f"{{ for k, v in {{ {carried} }} : k => v if v != null }}, "
        "each.value.networks, { "
        f"vmNics = [for nic in each.value.nics : {nic}], "
        'providerSpecificDetails = { instanceType = "HyperVReplicaAzure" }'
        " }) } }"
    )


def _preconditions(vault: str, vmm: str) -> list[dict]:
    where = f"the Hyper-V VMs of VMM server {vmm} protected in the vault {vault}"
    return [
        {
            "condition": "${length(each.value.items) == 1}",
            "error_message": f"VM ${{each.key}} is listed ${{length(each.value.items)}} times among {where} "
            '(${join(", ", [for i in each.value.items : i.id])}): drnet cannot tell which one the plan means. '
            "Give the VMs distinct names in VMM, or disable the protection of the one that is not in the plan.",
        },
        {
            "condition": "${length(try(each.value.details.vmNics, [])) == length(each.value.nics)"
            " && alltrue([for nic in each.value.nics : nic.asr != null])}",
            "error_message": "The NICs of VM ${each.key} do not match ASR's one to one: the plan has them in the VM networks "
            "${jsonencode([for n in each.value.nics : n.vm_network])}, ASR reports "
            "${jsonencode([for n in try(each.value.details.vmNics, []) : try(n.vMNetworkName, null)])}. "
            "drnet matches NICs by VMM VM network, then by their order within it: correct the VM's nics in the plan.",
        },
    ]


class RecoverySettings(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, plan, provider, vault_id: str, network_ref):
        super().__init__(scope, construct_id)
        settings = vm_settings(plan, network_ref)
        if not settings:
            return
        items = TerraformDataSource(self, "items-list", terraform_resource_type="azapi_resource_list", provider=provider)
        items.override_logical_id(LIST_ID)
        items.add_override("type", f"{VAULT_ITEMS_TYPE}@{ASR_API_VERSION}")
        items.add_override("parent_id", vault_id)
        items.add_override("response_export_values", ["value"])

        TerraformLocal(self, "items-index", _index(plan.vmm_server)).override_logical_id(ITEMS_LOCAL)
        TerraformLocal(self, "settings-literal", settings).override_logical_id(SETTINGS_LOCAL)
        TerraformLocal(self, "settings-targets", _targets()).override_logical_id(TARGETS_LOCAL)
        TerraformLocal(self, "settings-missing", _missing()).override_logical_id(MISSING_LOCAL)

        vault, vmm = literal(plan.vault_name), literal(plan.vmm_server)
        action = TerraformResource(self, "settings-action", terraform_resource_type="azapi_resource_action", provider=provider)
        action.override_logical_id(ACTION_ID)
        TerraformLocal(self, "settings-keys", f"${{{{ for vm, t in local.{TARGETS_LOCAL} : vm => vm }}}}").override_logical_id(KEYS_LOCAL)
        action.add_override("for_each", f"${{local.{KEYS_LOCAL}}}")
        action.add_override("type", f"{PROTECTED_ITEM_TYPE}@{ASR_API_VERSION}")
        action.add_override("resource_id", _each("${each.value.items[0].id}"))
        action.add_override("method", "PATCH")
        action.add_override("body", _each(_body()))
        action.add_override("lifecycle", {"precondition": [{k: _each(v) for k, v in p.items()} for p in _preconditions(vault, vmm)]})

        # A check warns and never fails: VMs not protected yet must not block the mappings.
        TerraformStack.of(self).add_override(
            f"check.{CHECK_ID}",
            {
                "assert": [
                    {
                        "condition": f"${{length(local.{MISSING_LOCAL}) == 0}}",
                        "error_message": f"${{length(local.{MISSING_LOCAL})}} VM(s) of the plan are not (yet) among the Hyper-V "
                        f"VMs of VMM server {vmm} protected in the vault {vault}: "
                        f'${{join(", ", local.{MISSING_LOCAL})}}. Their recovery NIC settings are applied by the first '
                        "apply after their replication is enabled.",
                    }
                ]
            },
        )
