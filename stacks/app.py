"""The CDKTF app: one resolved plan -> two stacks.

- `<plan>-network`: networks, gateways, the local network gateway, connections, routes.
  This is the stack a failover changes.
- `<plan>-recovery`: the vault's network mappings and the per-VM recovery NIC settings.
  It reads the networks by name (data sources), so it depends on the network stack, and a
  VM missing from the vault blocks only this stack, never the network changes of a failover.

Importing this module imports cdktf and the azurerm bindings (seconds): only `drnet synth`
and the cdktf app entry (`main.py`) do.
"""

from __future__ import annotations

from cdktf import App, LocalBackend, TerraformProvider, TerraformProviderGeneratorMetadata, TerraformStack
from cdktf_cdktf_provider_azurerm.data_azurerm_recovery_services_vault import DataAzurermRecoveryServicesVault
from cdktf_cdktf_provider_azurerm.data_azurerm_virtual_network import DataAzurermVirtualNetwork
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures
from constructs import Construct

from .connection import Connections
from .gateway import Gateways
from .ids import tf_id
from .local_gateway import LocalGateway
from .mapping import NetworkMappings
from .network import Networks
from .nsg import Nsgs
from .recovery_settings import RecoverySettings
from .routing import Routing

# Pinned providers. The prebuilt cdktf bindings (cdktf-cdktf-provider-azurerm 14.23.1) are
# for azurerm 4.55.0; they write `version = "4.55.0"` themselves.
AZAPI_SOURCE = "azure/azapi"
AZAPI_VERSION = "2.7.0"


def stack_names(plan_name: str) -> tuple[str, str]:
    return f"{plan_name}-network", f"{plan_name}-recovery"


def _stack(app: App, name: str) -> TerraformStack:
    stack = TerraformStack(app, name)
    # Explicit, relative state path: the default backend writes the absolute working
    # directory into cdk.tf.json, which would make the output depend on where it ran.
    LocalBackend(stack, path=f"terraform.{name}.tfstate")
    AzurermProvider(stack, "azurerm", features=[AzurermProviderFeatures()])
    return stack


class NetworkStack(Construct):
    def __init__(self, app: App, name: str, *, plan):
        stack = _stack(app, name)
        super().__init__(stack, "plan")
        self.stack = stack
        networks = Networks(self, "networks", plan=plan)
        gateways = Gateways(self, "gateways", plan=plan, networks=networks)
        local_gateway = LocalGateway(self, "local-gateway", plan=plan)
        Connections(self, "connections", plan=plan, networks=networks, gateways=gateways, local_gateway=local_gateway)
        Routing(self, "routing", plan=plan, networks=networks)
        Nsgs(self, "nsgs", plan=plan, networks=networks)


class RecoveryStack(Construct):
    def __init__(self, app: App, name: str, *, plan):
        stack = _stack(app, name)
        super().__init__(stack, "plan")
        self.stack = stack
        azapi = TerraformProvider(
            stack,
            "azapi",
            terraform_resource_type="azapi",
            terraform_provider_source=AZAPI_SOURCE,
            terraform_generator_metadata=TerraformProviderGeneratorMetadata(
                provider_name="azapi", provider_version_constraint=AZAPI_VERSION
            ),
        )
        vault = DataAzurermRecoveryServicesVault(
            self, "vault", name=plan.vault_name, resource_group_name=plan.vault_resource_group
        )
        vault.override_logical_id("vault")
        wanted = {m.recovery_network for m in plan.mappings}
        wanted |= {n.test.network for n in plan.nics if n.test is not None}
        wanted |= {n.recovery.network for n in plan.nics if n.recovery is not None}
        network_ids: dict[str, str] = {}
        refs: dict[str, str] = {}
        for name_ in sorted(wanted):
            net = plan.network(name_)
            logical = tf_id(name_)
            found = DataAzurermVirtualNetwork(
                self, logical, name=name_, resource_group_name=net.resource_group if net else plan.resource_group
            )
            found.override_logical_id(logical)
            network_ids[name_] = found.id
            refs[name_] = f"${{data.azurerm_virtual_network.{logical}.id}}"
        NetworkMappings(self, "mappings", plan=plan, vault_id=vault.id, network_ids=network_ids)
        RecoverySettings(self, "settings", plan=plan, provider=azapi, vault_id=vault.id, network_ref=refs.__getitem__)


def build_app(plan, outdir: str) -> App:
    """An App with the plan's two stacks; call `.synth()` to write `outdir`."""
    app = App(outdir=str(outdir), skip_validation=True)
    network_name, recovery_name = stack_names(plan.name)
    network = NetworkStack(app, network_name, plan=plan)
    recovery = RecoveryStack(app, recovery_name, plan=plan)
    recovery.stack.add_dependency(network.stack)
    return app
