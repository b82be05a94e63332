"""The readiness matrix: each subnet and VM network failed over (or back) alone from the current
state, on plans the tests build, and its place in `validate` (text, JSON) and SARIF."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from drnet.cli import app
from planner.api import PlanStates
from planner.readiness import readiness
from review.sarif import to_sarif

from .planbuilder import base, network, write


def _matrix(tmp_path, plan, failed_over=None):
    states = PlanStates(write(tmp_path, plan))
    now = states.analysis(failed_over)
    return now, readiness(states, now)


def _rows(matrix):
    return {(r.kind, r.name): r for r in matrix.rows}


def shared_recovery_network() -> dict:
    """Apps and Data both retain their IPs and land in one recovery network: failing over one
    alone brings up the VNet-to-VNet, and the other's prefix, still on-prem, becomes reachable."""
    plan = base()
    plan["onprem"]["vm_networks"][0]["subnets"][1].update(failover="retain", dns_zone=None)
    for name in ("recovery", "drill"):
        net = network(plan, name)
        net["address_space"] = ["192.168.1.0/24", "192.168.2.0/24"] + (["10.250.0.0/27"] if name == "recovery" else [])
        net["subnets"][1]["prefix"] = "192.168.2.0/24"
    return plan


def test_every_subnet_alone_and_the_vm_network_as_a_whole(tmp_path):
    now, matrix = _matrix(tmp_path, shared_recovery_network())
    assert now.diagnostics == []
    rows = _rows(matrix)
    assert set(rows) == {("failover", "Corp/Apps"), ("failover", "Corp/Data"), ("failover", "Corp")}
    assert rows[("failover", "Corp/Apps")].errors == ("E501",) and rows[("failover", "Corp/Data")].errors == ("E501",)
    assert rows[("failover", "Corp")].ok and rows[("failover", "Corp")].subnets == ("Corp/Apps", "Corp/Data")
    assert rows[("failover", "Corp/Apps")].brings_up == ("v2v",) and rows[("failover", "Corp/Apps")].takes_down == ()
    # the diagnostic is located and says which subnet is stretched
    [diag] = rows[("failover", "Corp/Apps")].diagnostics
    assert diag.line and "Corp/Data" in diag.message
    assert matrix.summary() == ("readiness: 1 of 3 failovers ready; not ready: failover of Corp/Apps (E501); "
                                "failover of Corp/Data (E501)")


def test_a_plan_whose_subnets_fail_over_alone_is_ready(tmp_path):
    """Near miss: with Apps already in Azure, Data (change IP, its own prefix in Azure) can fail
    over alone, and Apps can come back alone."""
    _, matrix = _matrix(tmp_path, base(), failed_over=["Apps"])
    assert [(r.kind, r.ok) for r in matrix.rows] == [("failover", True), ("failback", True)]
    assert matrix.summary() == "readiness: 1 of 1 failovers ready, 1 of 1 failbacks ready"


def test_failbacks_from_the_current_state(tmp_path):
    now, matrix = _matrix(tmp_path, shared_recovery_network(), failed_over=["Apps", "Data"])
    assert now.diagnostics == []
    rows = _rows(matrix)
    assert set(rows) == {("failback", "Corp/Apps"), ("failback", "Corp/Data"), ("failback", "Corp")}
    assert rows[("failback", "Corp/Apps")].errors == ("E501",)  # Data stays in Azure: the v2v stays up
    assert rows[("failback", "Corp")].ok and rows[("failback", "Corp")].takes_down == ("v2v",)
    assert rows[("failback", "Corp")].state == ()


def test_failover_and_failback_rows_together(tmp_path):
    _, matrix = _matrix(tmp_path, base(), failed_over=["Apps"])
    assert {(r.kind, r.name) for r in matrix.rows} == {("failover", "Corp/Data"), ("failback", "Corp/Apps")}
    assert [r.state for r in matrix.rows] == [("Corp/Apps", "Corp/Data"), ()]


def test_validate_prints_the_summary_line_and_json(tmp_path):
    path = write(tmp_path, shared_recovery_network())
    text = CliRunner().invoke(app, ["validate", str(path)])
    assert text.exit_code == 0, text.output  # the current state is clean: readiness does not fail validate
    assert "readiness: 1 of 3 failovers ready; not ready: failover of Corp/Apps (E501)" in text.output
    out = CliRunner().invoke(app, ["validate", str(path), "--format", "json"])
    data = json.loads(out.output)
    assert data["diagnostics"] == []
    assert data["readiness"]["summary"] == {"failover": {"ready": 1, "total": 3}, "failback": {"ready": 0, "total": 0}}
    row = data["readiness"]["rows"][0]
    assert row["name"] == "Corp/Apps" and row["ok"] is False and row["errors"] == ["E501"]
    assert row["diagnostics"][0]["path"] == "onprem.vm_networks[0].subnets[1].prefix"
    assert row["brings_up"] == ["v2v"] and row["state"] == ["Corp/Apps"]


def test_sarif_reports_a_problem_in_the_states_where_it_fires(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    now, matrix = _matrix(tmp_path, shared_recovery_network())
    results = to_sarif(now.diagnostics, "1", readiness=matrix)["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["E501", "E501"]
    first = results[0]
    assert first["message"]["text"].startswith("after the failover of Corp/Apps alone: ")
    assert first["properties"]["drnetStates"] == [{"kind": "failover", "unit": "subnet", "name": "Corp/Apps",
                                                   "failedOver": ["Corp/Apps"]}]
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert results[0]["partialFingerprints"] != results[1]["partialFingerprints"]
    # near miss: a ready plan adds no result
    now, matrix = _matrix(tmp_path, base(), failed_over=["Apps"])
    assert to_sarif(now.diagnostics, "1", readiness=matrix)["runs"][0]["results"] == []
