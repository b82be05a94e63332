"""Brownfield with Terraform itself: the fake ARM world holds what Woodgrove says exists (the
production network, its VPN gateway and GatewaySubnet, the local network gateway, the
site-to-site connection). The network stack's first plan, in both states, imports exactly the
adopted parts and destroys or replaces nothing ("N to import, 0 to destroy"); after that apply,
the next plan imports nothing and changes nothing."""

from __future__ import annotations

import json

import pytest

from stacks.ids import tf_id
from tests.terraform.existing_fixtures import existing_records
from tests.terraform.harness import actions

PHASES = ("steady", "failover")


def brownfield_world(harness, resolved):
    """The harness's world for the plan: it holds what the plan says exists in Azure
    (arm_fixtures.seed_world adds existing_fixtures.existing_records)."""
    world = harness.world(resolved)
    data = json.loads(world.read_text(encoding="utf-8"))
    assert all(rid in data["resources"] for rid in existing_records(resolved))
    return world


def importing(plan_json: dict) -> set[str]:
    return {rc["address"] for rc in plan_json.get("resource_changes", []) if rc["change"].get("importing")}


@pytest.mark.parametrize("phase", PHASES)
def test_woodgrove_first_apply_imports_the_adopted_parts_and_destroys_nothing(synthesized, harness, phase):
    case = synthesized[("woodgrove", phase, "json")]
    resolved = case["resolved"]
    network = harness.terraform(brownfield_world(harness, resolved), case["stacks"]["network"])
    network.init()
    network.plan()
    first = network.show_plan()
    wanted = {f"{p.terraform_type}.{tf_id(p.name)}" for p in resolved.imports}
    assert wanted == {"azurerm_local_network_gateway.lgw-woodgrove-dc1",
                      "azurerm_virtual_network_gateway_connection.cn-woodgrove-prod-dc1"}
    assert importing(first) == wanted
    acts = actions(first)
    assert not [a for a, act in acts.items() if "delete" in act], acts  # nothing destroyed or replaced
    assert not [a for a in acts if a.startswith("azurerm_virtual_network_gateway.") and "prod" in a]  # no second gateway
    network.apply()
    network.plan()
    again = network.show_plan()
    assert importing(again) == set() and actions(again) == {}


def test_greenfield_imports_nothing(synthesized, harness):
    case = synthesized[("woodgrove-greenfield", "steady", "json")]
    network = harness.terraform(harness.world(case["resolved"]), case["stacks"]["network"])
    network.init()
    network.plan()
    assert importing(network.show_plan()) == set()
