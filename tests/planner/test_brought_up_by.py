"""`brought_up_by`: a connection names the subnets whose failover brings it up.

The chain on-prem - hub - r1 - r2: by default, failing over a subnet of r1 brings up r1 - r2
too (it joins the network the subnet landed in), so a subnet of r2 that stayed on-prem looks
stretched (a false E501). Naming the subnets that need r1 - r2 keeps it down.
"""

from __future__ import annotations

from review.diff import diff_plans

from .planbuilder import analyze_dict, base, codes, network


def chain(brought_up_by=None) -> dict:
    plan = base()
    plan["onprem"]["vm_networks"].append(
        {"name": "Dmz", "subnets": [{"name": "Web", "prefix": "192.168.10.0/24", "failover": "retain"}]})
    plan["azure"]["networks"].append({
        "name": "r2", "address_space": ["192.168.10.0/24", "10.252.0.0/27"],
        "subnets": [{"name": "Web", "prefix": "192.168.10.0/24"}],
        "gateway": {"subnet_prefix": "10.252.0.0/27", "sku": "VpnGw1AZ", "bgp_asn": 65530},
    })
    plan["network_mappings"].append({"vm_network": "Dmz", "recovery_network": "r2"})
    link = {"name": "r1-r2", "type": "vnet-to-vnet", "networks": ["recovery", "r2"], "when": "after-failover"}
    if brought_up_by is not None:
        link["brought_up_by"] = brought_up_by
    plan["connections"].append(link)
    plan["vms"].append({"name": "WEB01", "nics": [{"vm_network": "Dmz", "subnet": "Web", "ip": "192.168.10.10"}]})
    return plan


def _active(analysis) -> set[str]:
    return {c.name for c in analysis.resolved.connections if c.active}


def test_default_meaning_brings_up_the_next_link_and_reports_a_false_e501(tmp_path):
    """Protects the default (today's meaning) and documents why the key exists."""
    analysis = analyze_dict(tmp_path, chain(), failed_over=["Apps"])
    assert "r1-r2" in _active(analysis)
    assert "E501" in codes(analysis)


def test_brought_up_by_keeps_the_link_down_until_its_subnet_fails_over(tmp_path):
    alone = analyze_dict(tmp_path, chain(["Web"]), failed_over=["Apps"])
    assert "r1-r2" not in _active(alone)
    assert "v2v" in _active(alone)
    assert alone.diagnostics == [], [d.message for d in alone.diagnostics]
    both = analyze_dict(tmp_path, chain(["Dmz/Web"]), failed_over=["Apps", "Web"])
    assert {"v2v", "r1-r2"} <= _active(both)
    assert both.diagnostics == [], [d.message for d in both.diagnostics]


def test_brought_up_by_brings_the_link_up_with_its_path(tmp_path):
    """Web alone: r1 - r2 comes up (named), and so does the path from on-prem to r2."""
    analysis = analyze_dict(tmp_path, chain(["Web"]), failed_over=["Web"])
    assert {"s2s", "v2v", "r1-r2"} <= _active(analysis)


def test_the_runbook_and_diff_follow_it(tmp_path):
    """The runbook's expected changes come from diff_plans of the two resolved states."""
    now = analyze_dict(tmp_path, chain(["Web"]))
    after = analyze_dict(tmp_path, chain(["Web"]), failed_over=["Apps"])
    created = [c["name"] for c in diff_plans(now.resolved, after.resolved)["connections"]["created"]]
    assert created == ["v2v"]


def test_brought_up_by_is_in_the_schema_with_a_description():
    from planner.model import json_schema

    schema = json_schema()
    prop = schema["$defs"]["VnetToVnet"]["properties"]["brought_up_by"]
    assert "failover brings this connection up" in prop["description"]


def test_unknown_brought_up_by_entry_is_located_with_did_you_mean(tmp_path):
    analysis = analyze_dict(tmp_path, chain(["Wbe"]))
    [diag] = [d for d in analysis.diagnostics if d.code == "E203"]
    assert diag.to_json()["path"] == "connections[2].brought_up_by[0]"
    assert diag.line and diag.hint == "did you mean 'Web'?"
