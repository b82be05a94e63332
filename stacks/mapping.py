"""Site Recovery network mappings (VMM VM network -> recovery network) in the existing vault."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.site_recovery_hyperv_network_mapping import SiteRecoveryHypervNetworkMapping
from constructs import Construct

from .ids import tf_id


class NetworkMappings(Construct):
    """Every argument of `azurerm_site_recovery_hyperv_network_mapping` forces re-creation,
    so logical ID and name come from the VM network's name only (stable across reorders).
    The test network is no mapping: ASR takes it per replicated item and per drill."""

    def __init__(self, scope: Construct, construct_id: str, *, plan, vault_id: str, network_ids: dict[str, str]):
        super().__init__(scope, construct_id)
        for mapping in sorted(plan.mappings, key=lambda m: m.name):
            logical = tf_id(mapping.name)
            made = SiteRecoveryHypervNetworkMapping(
                self,
                logical,
                name=mapping.name,
                recovery_vault_id=vault_id,
                source_system_center_virtual_machine_manager_name=plan.vmm_server,
                source_network_name=mapping.vm_network,
                target_network_id=network_ids[mapping.recovery_network],
            )
            made.override_logical_id(logical)
