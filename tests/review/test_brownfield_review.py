"""The reviewer sees the brownfield: report, diff and `drnet plan` mark referenced and
adopted parts, and the report lists exactly what the first apply imports."""

from __future__ import annotations

from review.diff import diff_markdown, diff_plans
from review.existing import existing_section
from tests.conftest import ROOT, failover_states

WOODGROVE = ROOT / "templates" / "woodgrove.yaml"
GREENFIELD = ROOT / "templates" / "woodgrove-greenfield.yaml"


def test_report_lists_the_imports_of_the_first_apply_with_their_arm_ids():
    steady = failover_states(WOODGROVE)["steady"].resolved
    text = existing_section(steady)
    assert "The first apply imports 2 resources" in text
    assert ("`/subscriptions/{subscription_id}/resourceGroups/rg-woodgrove-prod/providers/Microsoft.Network/"
            "localNetworkGateways/lgw-woodgrove-dc1`") in text
    assert "/connections/cn-woodgrove-prod-dc1`" in text
    # referenced parts are listed, never imported
    assert "| VPN gateway | `vgw-woodgrove-prod` | `rg-woodgrove-prod` | referenced" in text
    assert "virtualNetworkGateways" not in text.split("The first apply imports")[1]


def test_greenfield_report_says_drnet_creates_everything():
    steady = failover_states(GREENFIELD)["steady"].resolved
    assert steady.existing == () and steady.imports == ()
    assert existing_section(steady).startswith("Nothing exists yet")


def test_diff_marks_the_adopted_local_network_gateway_and_counts_existing_parts():
    states = failover_states(WOODGROVE)
    d = diff_plans(states["steady"].resolved, states["failover"].resolved)
    assert d["local_network_gateway"]["mode"] == "adopted"
    assert d["existing"]["adopted"] == [
        "resourceGroups/rg-woodgrove-prod/providers/Microsoft.Network/connections/cn-woodgrove-prod-dc1",
        "resourceGroups/rg-woodgrove-prod/providers/Microsoft.Network/localNetworkGateways/lgw-woodgrove-dc1",
    ]
    text = diff_markdown(d)
    assert "### Local network gateway prefixes (adopted)" in text
    assert "3 parts referenced (never changed), 2 adopted" in text


def test_plan_output_marks_adopted_and_referenced_parts():
    from rich.console import Console

    from drnet.plan_tables import print_plan

    console = Console(record=True, width=200, highlight=False)
    print_plan(failover_states(WOODGROVE)["steady"].resolved, console, max_nic_rows=1)
    text = console.export_text()
    assert "lgw-woodgrove-dc1 (adopted: imported on the first apply)" in text
    assert "Exists in Azure already" in text and "reads it, never changes it" in text
    assert "Network security groups" in text
