"""Where drnet's route tables go, and where they must not: Azure's special-purpose subnets,
the appliance's own subnet, networks that cannot reach the appliance."""

from __future__ import annotations

import pytest

from .planbuilder import analyze_dict, base, network


def _table(analysis, name):
    return next(t for t in analysis.resolved.route_tables if t.network == name)


@pytest.mark.parametrize("special", ["AzureBastionSubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet",
                                     "RouteServerSubnet", "azurebastionsubnet"])
def test_special_purpose_subnets_get_no_route_table(tmp_path, special):
    plan = base()
    network(plan, "recovery")["address_space"].append("10.250.1.0/26")
    network(plan, "recovery")["subnets"].append({"name": special, "prefix": "10.250.1.0/26"})
    analysis = analyze_dict(tmp_path, plan, failed_over=["Apps"])
    table = _table(analysis, "recovery")
    assert table.routes, "the network still routes (near miss: only the special subnet is left out)"
    assert table.subnets == ("Apps", "Data")


def test_appliance_routes_only_where_it_is_reachable(tmp_path):
    plan = base()
    plan["routing"] = {"next_hop_ip": "172.16.1.4"}  # in prod (existing); recovery joins prod over VPN only
    vpn_only = analyze_dict(tmp_path, plan, failed_over=["Apps"])
    assert _table(vpn_only, "recovery").routes == ()
    assert "W614" in [d.code for d in vpn_only.diagnostics]
    plan["connections"].append({"name": "peer", "type": "peering", "networks": ["prod", "recovery"]})
    peered = analyze_dict(tmp_path, plan, failed_over=["Apps"])
    routes = _table(peered, "recovery").routes
    assert routes and {(r.next_hop_type, r.next_hop_ip) for r in routes} == {("VirtualAppliance", "172.16.1.4")}


def test_the_appliance_subnet_gets_no_route_table(tmp_path):
    plan = base()
    network(plan, "recovery")["address_space"].append("10.250.1.0/28")
    network(plan, "recovery")["subnets"].append({"name": "nva", "prefix": "10.250.1.0/28"})
    plan["routing"] = {"next_hop_ip": "10.250.1.4"}
    analysis = analyze_dict(tmp_path, plan, failed_over=["Apps"])
    assert _table(analysis, "recovery").subnets == ("Apps", "Data")
    assert analysis.diagnostics == [], [d.message for d in analysis.diagnostics]


def test_no_route_table_for_a_network_with_only_special_or_appliance_subnets(tmp_path):
    """A route table associated with nothing would be an orphan resource: none is planned."""
    plan = base()
    prod = network(plan, "prod")
    prod["existing"] = False
    prod["subnets"] = [{"name": "AzureFirewallSubnet", "prefix": "172.16.1.0/26"}]
    analysis = analyze_dict(tmp_path, plan, failed_over=["Apps"])
    assert "prod" not in {t.network for t in analysis.resolved.route_tables}
    assert "recovery" in {t.network for t in analysis.resolved.route_tables}
