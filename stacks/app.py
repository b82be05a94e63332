"""The CDKTF app: one resolved plan -> two stacks.

- `<plan>-network`: networks, gateways, the local network gateway, connections, routes.
  This is the stack a failover changes.
- `<plan>-recovery`: the vault's network mappings and the per-VM recovery NIC settings.
  It names the networks by id (built from names: it plans before the network stack is
  applied) and is applied after the network stack; a VM missing from the vault never
  blocks the network changes of a failover.

Importing this module imports cdktf and the azurerm bindings (seconds): only `drnet synth`
and the cdktf app entry (`main.py`) do.
"""

from __future__ import annotations

from cdktf import App, AzurermBackend, LocalBackend, TerraformLocal, TerraformProvider, TerraformProviderGeneratorMetadata, TerraformStack
from cdktf_cdktf_provider_azurerm.data_azurerm_client_config import DataAzurermClientConfig
from cdktf_cdktf_provider_azurerm.data_azurerm_recovery_services_vault import DataAzurermRecoveryServicesVault
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures
from constructs import Construct

from .connection import Connections
from .gateway import Gateways
from .ids import literal, vnet_id
from .local_gateway import LocalGateway
from .mapping import NetworkMappings
from .network import Networks
from .recovery_settings import RecoverySettings
from .routing import Routing

# Pinned providers. The prebuilt cdktf bindings (cdktf-cdktf-provider-azurerm 14.23.1) are
# for azurerm 4.55.0; they write `version = "4.55.0"` themselves.
AZAPI_SOURCE = "azure/azapi"
AZAPI_VERSION = "2.7.0"
REQUIRED_TERRAFORM = ">= 1.5"
CLIENT_CONFIG = "current"
NETWORK_IDS = "network_ids"


def stack_names(plan_name: str) -> tuple[str, str]:
    return f"{plan_name}-network", f"{plan_name}-recovery"


def _stack(app: App, name: str, backend: str) -> TerraformStack:
    stack = TerraformStack(app, name)
    # import blocks (brownfield adoption) and check blocks need Terraform 1.5
    stack.add_override("terraform.required_version", REQUIRED_TERRAFORM)
    if backend == "azurerm":
        # A partial configuration, completed at `terraform init -backend-config=...` (resource
        # group, storage account, container, as Azure users do): only the key is drnet's, one
        # per stack. cdktf's AzurermBackend requires the account and container, so they are
        # set and removed again (an override to None deletes the key).
        state = AzurermBackend(stack, key=f"{name}.tfstate", storage_account_name="-", container_name="-")
        state.add_override("storage_account_name", None)
        state.add_override("container_name", None)
    else:
        # Explicit, relative state path: the default backend writes the absolute working
        # directory into cdk.tf.json, which would make the output depend on where it ran.
        LocalBackend(stack, path=f"terraform.{name}.tfstate")
    AzurermProvider(stack, "azurerm", features=[AzurermProviderFeatures()])
    return stack


class NetworkStack(Construct):
    def __init__(self, app: App, name: str, *, plan):
        stack = _stack(app, name, plan.state_backend)
        super().__init__(stack, "plan")
        self.stack = stack
        networks = Networks(self, "networks", plan=plan)
        gateways = Gateways(self, "gateways", plan=plan, networks=networks)
        local_gateway = LocalGateway(self, "local-gateway", plan=plan)
        Connections(self, "connections", plan=plan, networks=networks, gateways=gateways, local_gateway=local_gateway)
        Routing(self, "routing", plan=plan, networks=networks)


class RecoveryStack(Construct):
    def __init__(self, app: App, name: str, *, plan):
        stack = _stack(app, name, plan.state_backend)
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
        # The networks' ids are built from their names, never read: a data source would fail
        # (404) on a network the network stack has not created yet, so this stack could not
        # plan before that one is applied (a first pull request, a newly mapped network).
        wanted = {m.recovery_network for m in plan.mappings}
        wanted |= {n.test.network for n in plan.nics if n.test is not None}
        wanted |= {n.recovery.network for n in plan.nics if n.recovery is not None}
        refs: dict[str, str] = {}
        if wanted:
            client = DataAzurermClientConfig(self, CLIENT_CONFIG)
            client.override_logical_id(CLIENT_CONFIG)
            subscription = f"${{data.azurerm_client_config.{CLIENT_CONFIG}.subscription_id}}"
            ids = {}
            for name_ in sorted(wanted):
                net = plan.network(name_)
                ids[literal(name_)] = vnet_id(subscription, net.resource_group if net else plan.resource_group, name_)
                refs[name_] = f'${{local.{NETWORK_IDS}["{literal(name_)}"]}}'
            TerraformLocal(self, "network-ids", ids).override_logical_id(NETWORK_IDS)
        NetworkMappings(self, "mappings", plan=plan, vault_id=vault.id, network_ids=refs)
        RecoverySettings(self, "settings", plan=plan, provider=azapi, vault_id=vault.id, network_ref=refs.__getitem__)


def build_app(plan, outdir: str) -> App:
    """An App with the plan's two stacks; call `.synth()` to write `outdir`."""
    app = App(outdir=str(outdir), skip_validation=True)
    network_name, recovery_name = stack_names(plan.name)
    network = NetworkStack(app, network_name, plan=plan)
    recovery = RecoveryStack(app, recovery_name, plan=plan)
    recovery.stack.add_dependency(network.stack)
    return app
