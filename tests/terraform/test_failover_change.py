"""A failover is an ordinary, in-place change: with the steady state applied (through the
stand-ins, into local state), the failed-over plan destroys and replaces nothing but exactly
what `drnet diff` reports (connections, gateways, local network gateway prefixes, routes),
never touches the recovery stack (per-VM settings, mappings), and failback plans the reverse.
"""

from __future__ import annotations

import pytest

from review.diff import diff_plans
from stacks.ids import tf_id
from tests.conftest import TEMPLATES

from .harness import actions

CONNECTION_TYPES = {"peering": "azurerm_virtual_network_peering"}
VPN_CONNECTION = "azurerm_virtual_network_gateway_connection"


def expected_actions(before, after) -> dict[str, tuple[str, ...]]:
    """The Terraform actions `drnet diff` implies, by resource address."""
    d = diff_plans(before, after)
    assert not d["connections"]["changed"], "a connection changing in place is not a failover"
    out: dict[str, tuple[str, ...]] = {}
    for kind, action in (("created", "create"), ("removed", "delete")):
        for conn in d["connections"][kind]:
            type_ = CONNECTION_TYPES.get(conn["type"], VPN_CONNECTION)
            for leg in conn["legs"]:
                out[f"{type_}.{tf_id(leg)}"] = (action,)
        for gw in d["gateways"][kind]:
            net = (after if kind == "created" else before).network(gw["network"])
            out[f"azurerm_virtual_network_gateway.{tf_id(gw['name'])}"] = (action,)
            out[f"azurerm_public_ip.{tf_id(net.gateway.public_ip_name)}"] = (action,)
    lng = d["local_network_gateway"]
    if lng["added"] or lng["removed"]:
        out[f"azurerm_local_network_gateway.{tf_id(after.local_network_gateway.name)}"] = ("update",)
    for kind, action in (("added", "create"), ("removed", "delete"), ("changed", "update")):
        for route in d["routes"][kind]:
            name = route["name"]
            table = route.get("route_table") or route["before"]["route_table"]
            out[f"azurerm_route.{tf_id(table, name)}"] = (action,)
    return out


@pytest.mark.parametrize("template", [t.stem for t in TEMPLATES])
def test_failover_and_failback_change_exactly_what_drnet_diff_reports(synthesized, harness, template):
    steady = synthesized[(template, "steady", "json")]
    failover = synthesized[(template, "failover", "json")]
    world = harness.world(steady["resolved"])
    network = harness.terraform(world, steady["stacks"]["network"])
    network.init()
    network.apply()
    recovery = harness.terraform(world, steady["stacks"]["recovery"])
    recovery.init()
    recovery.apply()

    forward = expected_actions(steady["resolved"], failover["resolved"])  # empty for a plan without VPN or routes
    network.use(failover["stacks"]["network"]).plan()
    assert actions(network.show_plan()) == forward
    recovery.use(failover["stacks"]["recovery"]).plan()
    assert actions(recovery.show_plan()) == {}, "a failover must not touch the per-VM settings or mappings"

    network.apply()
    recovery.apply()
    network.use(steady["stacks"]["network"]).plan()
    assert actions(network.show_plan()) == expected_actions(failover["resolved"], steady["resolved"])
