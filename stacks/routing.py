"""Route tables of managed networks for the current state, and their subnet associations."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.route import Route
from cdktf_cdktf_provider_azurerm.route_table import RouteTable
from cdktf_cdktf_provider_azurerm.subnet_route_table_association import SubnetRouteTableAssociation
from constructs import Construct

from .ids import tf_id


class Routing(Construct):
    """One `azurerm_route` per route of the resolved plan (what is on-prem, what moved to
    Azure; next hop the gateway or `routing.next_hop_ip`), so a failover adds and removes
    exactly the routes it moves; tables and associations stay."""

    def __init__(self, scope: Construct, construct_id: str, *, plan, networks):
        super().__init__(scope, construct_id)
        for table in sorted(plan.route_tables, key=lambda t: t.name):
            rt_id = tf_id(table.name)
            rg = networks.resource_group[table.network]
            rt = RouteTable(
                self,
                rt_id,
                name=table.name,
                location=networks.location[table.network],
                resource_group_name=rg,
            )
            rt.override_logical_id(rt_id)
            for route in sorted(table.routes, key=lambda r: r.name):
                route_id = tf_id(table.name, route.name)
                made = Route(
                    self,
                    route_id,
                    name=route.name,
                    resource_group_name=rg,
                    route_table_name=rt.name,
                    address_prefix=route.prefix,
                    next_hop_type=route.next_hop_type,
                    next_hop_in_ip_address=route.next_hop_ip,
                )
                made.override_logical_id(route_id)
            for subnet in sorted(table.subnets):
                assoc_id = tf_id(table.name, subnet)
                assoc = SubnetRouteTableAssociation(
                    self,
                    assoc_id,
                    subnet_id=networks.subnet_id[(table.network, subnet)],
                    route_table_id=rt.id,
                )
                assoc.override_logical_id(assoc_id)
