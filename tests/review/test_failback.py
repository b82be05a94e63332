"""drnet runbook/diff --failback: bringing failed-over subnets back on-prem from the plan's state."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from drnet.cli import app
from review.runbook import failback_runbook, failover_runbook, runbook_markdown
from review.states import analyze_states
from tests.conftest import ROOT

WOODGROVE = ROOT / "templates/woodgrove.yaml"
STEPS = ["pre-checks", "site-recovery-failback", "plan-change", "onprem-routing", "dns", "post-checks", "reprotect"]


def _failed_over(tmp_path, entries: str):
    plan = tmp_path / "woodgrove.yaml"
    plan.write_text(WOODGROVE.read_text().replace("failed_over: []", f"failed_over: [{entries}]"))
    (tmp_path / "woodgrove-vms.csv").write_text((ROOT / "templates/woodgrove-vms.csv").read_text())
    return plan


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_failback_of_every_subnet_reverses_the_failover():
    """Back from the state where everything failed over to the steady state: the same changes
    as the failover runbook's, each reversed."""
    everything = ["Woodgrove-Apps/Apps", "Woodgrove-Apps/Data", "Woodgrove-Web/Web"]
    steady, failed = analyze_states(WOODGROVE, [None, everything])
    over = failover_runbook(steady, failed, everything, source="woodgrove.yaml")
    back = failback_runbook(failed, steady, everything, source="woodgrove.yaml")
    assert back["kind"] == "failback" and [s["id"] for s in back["steps"]] == STEPS
    assert back["failed_over_before"] == everything and back["failed_over_after"] == []
    steps = {s["id"]: s for s in back["steps"]}
    forward = {s["id"]: s for s in over["steps"]}
    # connections and LNG prefixes: created <-> removed
    assert steps["plan-change"]["changes"]["connections"]["removed"] == forward["plan-change"]["changes"]["connections"]["created"]
    lng_back, lng_over = steps["plan-change"]["changes"]["local_network_gateway"], forward["plan-change"]["changes"]["local_network_gateway"]
    assert (lng_back["added"], lng_back["removed"]) == (lng_over["removed"], lng_over["added"])
    # routers: announce what the failover withdrew; the VPN device stops routing what it started
    routers = {(c["action"], c["prefix"]) for d in steps["onprem-routing"]["devices"] for c in d["changes"]}
    forward_routers = {(c["action"], c["prefix"]) for d in forward["onprem-routing"]["devices"] for c in d["changes"]}
    swap = {"withdraw": "announce", "route-to-vpn": "stop-routing-to-vpn"}
    assert routers == {(swap[a], p) for a, p in forward_routers}
    # DNS: every record back, new -> old
    assert [(r["record"], r["old"], r["new"]) for r in steps["dns"]["records"]] == [
        (r["record"], r["new"], r["old"]) for r in forward["dns"]["records"]]
    assert {v["vm"] for v in steps["site-recovery-failback"]["vms"]} == {n.vm for n in steady.resolved.nics}
    md = runbook_markdown(back)
    assert md.startswith("# Failback runbook: woodgrove, ")
    assert "*Re-protect* the 13 VMs" in md and "Planned failover from Azure to on-premises" in md
    assert "re-protect (reverse replicate) the 13 VMs from on-prem to Azure" in md
    assert "`terraform plan` of the plan with `failed_over: []` reviewed" in md


def test_a_vm_with_a_nic_in_a_subnet_that_stays_in_azure_stays_there(tmp_path):
    """BATCH01 has NICs in Apps and Data: failing back Apps alone leaves it in Azure (a VM moves whole)."""
    plan = _failed_over(tmp_path, "Apps, Data")
    before, after = analyze_states(plan, [None, ["Woodgrove-Apps/Data"]])
    rb = failback_runbook(before, after, ["Woodgrove-Apps/Apps"], source="woodgrove.yaml")
    assert [v["vm"] for v in rb["steps"][1]["vms"]] == ["APP01", "APP02", "APP03", "APP04"]
    assert any(w.startswith("BATCH01 has a NIC in Woodgrove-Apps/Data, which stays failed over") for w in rb["warnings"])
    # and the plan says why that state is wrong
    assert {b["code"] for b in rb["blockers"]} == {"E410", "E501"}


def test_cli_runbook_and_diff_failback(tmp_path):
    plan = _failed_over(tmp_path, "Apps")
    md = run("runbook", plan, "--failback", "Apps")
    assert md.exit_code == 0, md.output
    assert "# Failback runbook: woodgrove, Woodgrove-Apps/Apps" in md.output
    assert "announce 192.168.1.0/24" in md.output
    data = json.loads(run("runbook", plan, "--failback", "Woodgrove-Apps/Apps", "--format", "json").output)
    assert data["kind"] == "failback" and data["failback"] == ["Woodgrove-Apps/Apps"] and data["failed_over_after"] == []
    diff = run("diff", plan, "--failback", "Apps", "--format", "json")
    assert diff.exit_code == 0, diff.output
    result = json.loads(diff.output)
    assert [c["name"] for c in result["connections"]["removed"]] == ["v2v-prod-recovery"]
    assert result["local_network_gateway"]["added"] == ["192.168.0.0/16"]
    assert "after failback of Woodgrove-Apps/Apps" in run("diff", plan, "--failback", "Apps").output


def test_cli_failback_usage_errors_exit_2(tmp_path):
    plan = _failed_over(tmp_path, "Apps")
    home = run("runbook", plan, "--failback", "Web")
    assert home.exit_code == 2 and "not failed over in the plan: Woodgrove-Web/Web" in home.output
    assert run("diff", plan, "--failback", "Web").exit_code == 2
    both = run("runbook", plan, "--failback", "Apps", "--failover", "Web")
    assert both.exit_code == 2 and "give one of --failover SUBNET, --failback SUBNET" in both.output
    already = run("runbook", plan, "--failover", "Apps")
    assert already.exit_code == 2 and "to bring it back: --failback Woodgrove-Apps/Apps" in already.output
