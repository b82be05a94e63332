"""Per-VM recovery NIC settings (ASR "Compute and Network") through the ASR REST API (azapi).

azurerm has no resource for a Hyper-V protected item (`azurerm_site_recovery_replicated_vm`
is Azure-to-Azure only), so the stack declares the azapi provider and sends ASR's
"Replication Protected Items - Update" operation, a PATCH:
https://learn.microsoft.com/rest/api/site-recovery/replication-protected-items/update
Never `azapi_resource` / `azapi_update_resource` on that path: they PUT, and a PUT there
is "Create", which enables protection.

The plan carries no GUIDs: one `azapi_resource_list` reads the vault's protected items
("Replication Protected Items - List", vault scope, every page), a local indexes them by
friendly name, and each VM's NIC ids come from its item's
`properties.providerSpecificDetails.vmNics[].nicId`, matched by the NIC's position.

Synth cost is flat in the number of VMs: the settings are one literal local and one
`for_each` resource (a handful of jsii calls), never a construct per VM or field.
"""

from __future__ import annotations

from cdktf import TerraformDataSource, TerraformLocal, TerraformResource
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
ACTION_ID = "recovery_nic_settings"

_ITEM = f"local.{ITEMS_LOCAL}[each.key]"
_NIC = f"{_ITEM}.properties.providerSpecificDetails.vmNics[nic.position]"


def vm_settings(plan, network_ref) -> dict:
    """The literal per-VM settings: everything of the PATCH body except what only the vault
    knows (NIC ids, IP configuration names). Keyed and sorted by VM name, NICs by position."""
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
            entries.append({"position": nic.nic, "ip_config": ip_config})
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


def _body() -> str:
    ip_config_name = f'try({_NIC}.ipConfigs[0].name, "ipconfig1")'
    # written as `terraform fmt` writes it (spaces inside braces), so `--hcl` is fmt-clean
    nic = (
        "{ "
        f"nicId = {_NIC}.nicId, "
        'selectionType = "SelectedByUser", '
        f"ipConfigs = [merge({{ ipConfigName = {ip_config_name} }}, nic.ip_config)]"
        " }"
    )
    return (
        "${ { properties = merge(each.value.networks, { "
        f"vmNics = [for nic in each.value.nics : {nic}], "
        'providerSpecificDetails = { instanceType = "HyperVReplicaAzure" }'
        " }) } }"
    )


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

        index = TerraformLocal(
            self,
            "items-index",
            f"${{{{ for item in data.azapi_resource_list.{LIST_ID}.output.value : item.properties.friendlyName => item"
            ' if try(item.properties.providerSpecificDetails.instanceType, "") == "HyperVReplicaAzure" }}',
        )
        index.override_logical_id(ITEMS_LOCAL)
        local = TerraformLocal(self, "settings-literal", settings)
        local.override_logical_id(SETTINGS_LOCAL)

        action = TerraformResource(self, "settings-action", terraform_resource_type="azapi_resource_action", provider=provider)
        action.override_logical_id(ACTION_ID)
        action.add_override("for_each", f"${{local.{SETTINGS_LOCAL}}}")
        action.add_override("type", f"{PROTECTED_ITEM_TYPE}@{ASR_API_VERSION}")
        action.add_override("resource_id", f"${{try({_ITEM}.id, null)}}")
        action.add_override("method", "PATCH")
        action.add_override("body", _body())
        vault = literal(plan.vault_name)
        action.add_override(
            "lifecycle",
            {
                "precondition": [
                    {
                        "condition": f"${{contains(keys(local.{ITEMS_LOCAL}), each.key)}}",
                        "error_message": f"VM ${{each.key}} is no Hyper-V VM protected in the vault {vault}: "
                        "enable its replication first (drnet never enables protection).",
                    },
                    {
                        "condition": f"${{length(try({_ITEM}.properties.providerSpecificDetails.vmNics, [])) == length(each.value.nics)}}",
                        "error_message": "The plan lists ${length(each.value.nics)} NIC(s) of ${each.key} and ASR "
                        "another number: drnet matches NICs by their position in the VM.",
                    },
                ]
            },
        )
