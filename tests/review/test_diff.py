"""drnet diff: the JSON contract and its Markdown, on every template in both phases."""

from __future__ import annotations

import json

from review.diff import FORMAT, diff_markdown, diff_plans
from review.states import analyze_states
from tests.conftest import ROOT
from tests.review.conftest import review_states

WOODGROVE = ROOT / "templates/woodgrove.yaml"
KEYS = {"format", "from", "to", "changed", "summary", "failed_over", "prefixes", "networks", "connections", "gateways",
        "local_network_gateway", "routes", "nics"}


def test_diff_between_phases(template_phase, md_snapshot):
    plan, phase = template_phase
    now, after = review_states(plan, phase)
    d = diff_plans(now.resolved, after.resolved, label_a="now", label_b="after")
    assert set(d) == KEYS and d["format"] == FORMAT
    json.dumps(d)  # plain JSON
    a, b = now.resolved, after.resolved
    assert d["failed_over"]["added"] == [k for k in b.failed_over if k not in a.failed_over]
    created = {c["name"] for c in d["connections"]["created"]}
    assert created == {c.name for c in b.connections if c.active} - {c.name for c in a.connections if c.active}
    moved = {(n.vm, n.nic) for n in b.nics if n.failed_over} - {(n.vm, n.nic) for n in a.nics if n.failed_over}
    assert {(c["vm"], c["nic"]) for c in d["nics"]["changed"]} == moved
    for c in d["nics"]["changed"]:
        assert c["after"]["site"] == "azure" and c["before"]["site"] == "onprem"
    assert d["changed"] == bool(moved or created)
    # the reverse diff undoes it
    back = diff_plans(b, a)
    assert back["local_network_gateway"]["added"] == d["local_network_gateway"]["removed"]
    assert [c["name"] for c in back["connections"]["removed"]] == [c["name"] for c in d["connections"]["created"]]
    assert diff_markdown(d) == md_snapshot


def test_woodgrove_failover_of_apps():
    now, after = analyze_states(WOODGROVE, [None, ["Woodgrove-Apps/Apps"]])
    d = diff_plans(now.resolved, after.resolved)
    assert [c["name"] for c in d["connections"]["created"]] == ["v2v-prod-recovery"]
    assert d["connections"]["created"][0]["networks"] == ["vnet-woodgrove-prod", "vnet-woodgrove-recovery"]
    assert d["local_network_gateway"]["removed"] == ["192.168.0.0/16"]
    assert "192.168.1.0/24" not in d["local_network_gateway"]["after"]
    assert d["local_network_gateway"]["added"][:2] == ["192.168.0.0/24", "192.168.2.0/23"]
    assert {r["prefix"] for r in d["routes"]["added"]} == set(d["local_network_gateway"]["after"])
    assert all(r["route_table"] == "rt-woodgrove-vnet-woodgrove-recovery" for r in d["routes"]["added"])
    # BATCH01 fails over whole: its Data NIC (change-IP subnet) moves too, with a new IP
    assert [c["vm"] for c in d["nics"]["changed"]] == ["APP01", "APP02", "APP03", "APP04", "BATCH01", "BATCH01"]
    assert d["summary"]["vm_ips_changed"] == 1  # retain keeps IPs; only BATCH01's Data NIC changes
    md = diff_markdown(d)
    assert "| **created** | `v2v-prod-recovery` | vnet-to-vnet |" in md
    assert "| **removed** | `192.168.0.0/16` |" in md


def test_change_ip_subnet_reports_ip_changes():
    now, after = analyze_states(WOODGROVE, [None, ["Woodgrove-Apps/Data"]])
    d = diff_plans(now.resolved, after.resolved)
    sql01 = next(c for c in d["nics"]["changed"] if c["vm"] == "SQL01")
    assert sql01["before"]["ip"] == "192.168.2.20" and sql01["after"]["ip"] == "172.20.2.40"
    assert "ip" in sql01["changes"]
    assert d["summary"]["vm_ips_changed"] == 4


def test_no_change():
    (now,) = analyze_states(WOODGROVE, [None])
    d = diff_plans(now.resolved, now.resolved)
    assert d["changed"] is False and not any(d["summary"].values())
    assert "No change to the network." in diff_markdown(d)
