"""drnet runbook: the failover runbook and the drill, on every template in both phases."""

from __future__ import annotations

import json

from review.runbook import FORMAT, drill_runbook, failover_runbook, runbook_markdown
from review.states import analyze_states, failover_candidates
from tests.conftest import ROOT, failover_states
from tests.review.conftest import rel

WOODGROVE = ROOT / "templates/woodgrove.yaml"
STEPS = ["pre-checks", "site-recovery-failover", "plan-change", "onprem-routing", "dns", "post-checks", "failback"]


def _failover(keys, plan=WOODGROVE):
    before, after = analyze_states(plan, [None, keys])
    return failover_runbook(before, after, keys, source=rel(plan))


def test_failover_runbook_of_every_template(template_phase, md_snapshot):
    plan, phase = template_phase
    if phase == "failover":
        # everything has failed over: the runbook that remains is the drill
        state = failover_states(plan)[phase]
        rb = drill_runbook(state, source=rel(plan))
        assert rb["failed_over"] == list(state.resolved.failed_over)
    else:
        (now,) = analyze_states(plan, [None])
        keys = [s.key for s in failover_candidates(now.resolved)]
        rb = _failover(keys, plan)
        assert [s["id"] for s in rb["steps"]] == STEPS
        vms = {v["vm"] for v in rb["steps"][1]["vms"]}
        assert vms == {n.vm for n in now.resolved.nics}
        dns = rb["steps"][4]["records"]
        assert {(r["vm"], r["old"]) for r in dns} == {(n.vm, n.ip) for n in now.resolved.nics if n.failover == "change"}
    assert rb["format"] == FORMAT and not rb["blockers"]
    json.dumps(rb)
    assert runbook_markdown(rb) == md_snapshot


def test_woodgrove_apps_failover_runbook():
    rb = _failover(["Woodgrove-Apps/Apps"])
    steps = {s["id"]: s for s in rb["steps"]}
    assert list(steps) == STEPS
    routing = steps["onprem-routing"]["devices"]
    withdraw = [(d["device"], c["prefix"]) for d in routing for c in d["changes"] if c["action"] == "withdraw"]
    assert withdraw == [("on-prem router(s) that gateway VM network Woodgrove-Apps", "192.168.1.0/24")]
    vpn = next(d for d in routing if d["public_ip"] == "203.0.113.10")
    assert vpn["bgp"] is True
    assert [c["prefix"] for c in vpn["changes"]] == ["192.168.1.0/24", "172.20.2.0/24", "172.20.10.0/24", "10.250.0.0/27"]
    assert [v["vm"] for v in steps["site-recovery-failover"]["vms"]] == ["APP01", "APP02", "APP03", "APP04", "BATCH01"]
    # BATCH01's second NIC (Data, change IP) moves with its VM: warned, and its DNS record changes
    assert any("BATCH01 also has NIC 1 in Woodgrove-Apps/Data" in w for w in rb["warnings"])
    assert steps["dns"]["records"] == [{"vm": "BATCH01", "nic": 1, "zone": "corp.woodgrove.com", "record": "BATCH01.corp.woodgrove.com",
                                        "type": "A", "old": "192.168.2.30", "new": "172.20.2.30"}]
    changes = steps["plan-change"]["changes"]
    assert [c["name"] for c in changes["connections"]["created"]] == ["v2v-prod-recovery"]
    assert changes["local_network_gateway"]["removed"] == ["192.168.0.0/16"]
    md = runbook_markdown(rb)
    assert "withdraw 192.168.1.0/24" in md
    assert "set `failed_over: [Woodgrove-Apps/Apps]` (was `[]`)" in md
    assert md.index("## 1. Pre-checks") < md.index("## 2. Site Recovery") < md.index("## 3. Plan change") \
        < md.index("## 4. On-prem router") < md.index("## 5. DNS") < md.index("## 6. Checks after") < md.index("## 7. Failback")
    assert "undo withdraw 192.168.1.0/24" in md


def test_woodgrove_data_failover_dns():
    rb = _failover(["Woodgrove-Apps/Data"])
    records = {r["record"]: (r["old"], r["new"]) for r in rb["steps"][4]["records"]}
    assert records["SQL01.corp.woodgrove.com"] == ("192.168.2.20", "172.20.2.40")
    assert records["FILE01.corp.woodgrove.com"] == ("192.168.2.50", "172.20.2.50")
    # change IP: nothing to withdraw on-prem
    assert all(c["action"] != "withdraw" for d in rb["steps"][3]["devices"] for c in d["changes"])
    assert "SQL01.corp.woodgrove.com A 172.20.2.40 → 192.168.2.20" in rb["steps"][6]["tasks"]


def test_woodgrove_drill_lists_each_vm_drill_ip():
    (now,) = analyze_states(WOODGROVE, [None])
    rb = drill_runbook(now, source="templates/woodgrove.yaml")
    steps = {s["id"]: s for s in rb["steps"]}
    assert steps["start"]["groups"][0]["test_network"] == "vnet-woodgrove-drill"
    ips = {(n["vm"], n["nic"]): n["drill"]["ip"] for n in steps["drill-addresses"]["nics"]}
    assert len(ips) == len(now.resolved.nics)
    assert ips[("APP01", 0)] == "192.168.1.10" and ips[("SQL01", 0)] == "172.20.2.40" and ips[("WEB01", 0)] == "172.20.10.11"
    assert steps["isolation-checks"]["networks"] == [
        {"network": "vnet-woodgrove-drill", "resource_group": "rg-woodgrove-dr", "isolated": True, "problems": []}]
    md = runbook_markdown(rb)
    # the az command runs as written: `az network vnet peering list` requires the resource group
    assert "`az network vnet peering list -g rg-woodgrove-dr --vnet-name vnet-woodgrove-drill`" in md
    for nic in now.resolved.nics:
        assert f"| `{nic.vm}` | {nic.nic} | `{nic.ip}` | {nic.test.network} / {nic.test.subnet} | `{nic.test.ip}` |" in md
    assert "Azure virtual network **vnet-woodgrove-drill**" in md
    assert "nothing in on-prem 192.168.0.0/16 answers" in md and "production address space 172.16.0.0/16" in md
    assert "*Cleanup test failover*" in md


def test_drill_flags_a_test_network_that_is_not_isolated(tmp_path):
    text = WOODGROVE.read_text().replace(
        "failed_over: []",
        "  - name: peer-drill\n    type: peering\n    networks: [vnet-woodgrove-prod, vnet-woodgrove-drill]\nfailed_over: []")
    plan = tmp_path / "woodgrove.yaml"
    plan.write_text(text)
    (tmp_path / "woodgrove-vms.csv").write_text((ROOT / "templates/woodgrove-vms.csv").read_text())
    (now,) = analyze_states(plan, [None])
    rb = drill_runbook(now, source="woodgrove.yaml")
    check = rb["steps"][2]["networks"][0]
    assert check["isolated"] is False and "joined by peer-drill" in check["problems"]
    assert "NOT isolated: joined by peer-drill" in runbook_markdown(rb)
