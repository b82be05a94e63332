"""Network security groups of the subnets drnet creates, and their associations.

The resolver chose each subnet's NSG and the rules of the ones drnet creates
(planner/nsg.py); this only renders them.
"""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.data_azurerm_network_security_group import DataAzurermNetworkSecurityGroup
from cdktf_cdktf_provider_azurerm.network_security_group import NetworkSecurityGroup, NetworkSecurityGroupSecurityRule
from cdktf_cdktf_provider_azurerm.subnet_network_security_group_association import SubnetNetworkSecurityGroupAssociation
from constructs import Construct

from .ids import prefixes, tf_id


def _rule(rule) -> NetworkSecurityGroupSecurityRule:
    far = prefixes(rule.prefixes)
    inbound = rule.direction == "Inbound"
    return NetworkSecurityGroupSecurityRule(
        name=rule.name,
        description=rule.reason,
        priority=rule.priority,
        direction=rule.direction,
        access=rule.access,
        protocol="*",
        source_port_range="*",
        destination_port_range="*",
        source_address_prefixes=far if inbound else None,
        source_address_prefix=None if inbound else "*",
        destination_address_prefixes=None if inbound else far,
        destination_address_prefix="*" if inbound else None,
    )


class Nsgs(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, plan, networks):
        super().__init__(scope, construct_id)
        for nsg in sorted(plan.nsgs, key=lambda g: (g.network, g.name)):
            logical = tf_id(nsg.network, nsg.name)
            if nsg.mode == "referenced":
                group = DataAzurermNetworkSecurityGroup(self, logical, name=nsg.name, resource_group_name=nsg.resource_group)
            else:
                group = NetworkSecurityGroup(
                    self,
                    logical,
                    name=nsg.name,
                    location=networks.location[nsg.network],
                    resource_group_name=nsg.resource_group,
                    security_rule=[_rule(r) for r in nsg.rules],
                )
            group.override_logical_id(logical)
            for subnet in nsg.subnets:
                assoc_id = tf_id(nsg.network, subnet, "nsg")
                assoc = SubnetNetworkSecurityGroupAssociation(
                    self, assoc_id, subnet_id=networks.subnet_id[(nsg.network, subnet)], network_security_group_id=group.id
                )
                assoc.override_logical_id(assoc_id)
