"""Gateway transit on peering legs: the planner says which leg uses which network's gateway,
and only while that gateway exists (a spoke leg using a missing gateway is refused by Azure:
RemoteVnetHasNoGateways)."""

from __future__ import annotations

from .planbuilder import analyze_dict, base, network


def _peering_plan(when: str) -> dict:
    plan = base()
    network(plan, "recovery")["gateway"]["when"] = when
    plan["azure"]["networks"].append(
        {"name": "spoke", "address_space": ["10.60.0.0/16"], "subnets": [{"name": "web", "prefix": "10.60.1.0/24"}]}
    )
    plan["connections"].append({"name": "hub-spoke", "type": "peering", "networks": ["recovery", "spoke"], "gateway_transit": True})
    return plan


def _legs(tmp_path, plan, **kw):
    analysis = analyze_dict(tmp_path, plan, **kw)
    assert analysis.ok, [d.message for d in analysis.errors]
    conn = next(c for c in analysis.resolved.connections if c.name == "hub-spoke")
    return {leg.from_network: leg for leg in conn.legs}


def test_spoke_leg_uses_the_hub_gateway(tmp_path):
    legs = _legs(tmp_path, _peering_plan("always"))
    assert (legs["recovery"].offers_gateway, legs["recovery"].remote_gateway) == (True, None)
    assert (legs["spoke"].offers_gateway, legs["spoke"].remote_gateway) == (False, "recovery")


def test_no_transit_while_the_hub_gateway_does_not_exist(tmp_path):
    plan = _peering_plan("after-failover")
    steady = _legs(tmp_path, plan)
    assert not steady["recovery"].offers_gateway and steady["spoke"].remote_gateway is None
    failed = _legs(tmp_path, plan, failed_over=["Corp/Apps"])
    assert failed["recovery"].offers_gateway and failed["spoke"].remote_gateway == "recovery"
