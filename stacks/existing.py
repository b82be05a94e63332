"""Brownfield in Terraform: referenced parts as data sources, adopted parts as `import` blocks.

The resolver decided what exists and built each part's ARM id after the subscription
(planner/brownfield.py); here the subscription comes from `azurerm_client_config`, so the
import ids are known at plan time and the first apply is a reviewed plan ("N to import").
Terraform accepts an expression as an import id since 1.6.
"""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.data_azurerm_client_config import DataAzurermClientConfig
from cdktf_cdktf_provider_azurerm.data_azurerm_subnet import DataAzurermSubnet
from cdktf_cdktf_provider_azurerm.data_azurerm_virtual_network_gateway import DataAzurermVirtualNetworkGateway
from cdktf_cdktf_provider_azurerm.data_azurerm_virtual_network_peering import DataAzurermVirtualNetworkPeering
from constructs import Construct

from .ids import tf_id

CLIENT_CONFIG_ID = "current"


def _client_config(scope: Construct) -> DataAzurermClientConfig:
    """One `data.azurerm_client_config.current` per stack."""
    from cdktf import TerraformStack

    stack = TerraformStack.of(scope)
    found = stack.node.try_find_child(CLIENT_CONFIG_ID)
    if found is None:
        found = DataAzurermClientConfig(stack, CLIENT_CONFIG_ID)
        found.override_logical_id(CLIENT_CONFIG_ID)
    return found


def import_if_adopted(resource, plan, terraform_type: str, name: str, resource_group: str) -> None:
    """Give `resource` an import block when the resolved plan adopts it."""
    part = plan.adopted(terraform_type, name, resource_group)
    if part is None:
        return
    config = _client_config(resource)
    resource.import_from(f"/subscriptions/{config.subscription_id}/{part.arm_path}")


def referenced_gateway(scope: Construct, network: str, vnet_name: str, gateway) -> str:
    """The id of an existing VPN gateway; its GatewaySubnet is read too, so a plan fails
    early (at `terraform plan`) when either is not where the plan says."""
    logical = tf_id(gateway.name)
    found = DataAzurermVirtualNetworkGateway(scope, logical, name=gateway.name, resource_group_name=gateway.resource_group)
    found.override_logical_id(logical)
    subnet_logical = tf_id(network, "GatewaySubnet")
    subnet = DataAzurermSubnet(scope, subnet_logical, name="GatewaySubnet", virtual_network_name=vnet_name,
                               resource_group_name=gateway.resource_group)
    subnet.override_logical_id(subnet_logical)
    return found.id


def referenced_peering(scope: Construct, leg, vnet_id: str) -> None:
    """An existing peering: read (it must exist), never created, changed or destroyed."""
    logical = tf_id(leg.name)
    found = DataAzurermVirtualNetworkPeering(scope, logical, name=leg.name, virtual_network_id=vnet_id)
    found.override_logical_id(logical)
