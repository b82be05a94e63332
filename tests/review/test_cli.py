"""The review commands through the CLI: exit codes (output as the message), files, formats."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from drnet.cli import app
from tests.conftest import ROOT

WOODGROVE = str(ROOT / "templates/woodgrove.yaml")
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_report_to_stdout_and_file(tmp_path):
    result = run("report", WOODGROVE)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# DR network report: woodgrove")
    assert result.output.count("```mermaid") == 2
    out = tmp_path / "r" / "report.md"
    result = run("report", WOODGROVE, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# DR network report: woodgrove")
    assert "wrote report" in result.output


def test_report_of_a_failed_over_state():
    result = run("report", WOODGROVE, "--failed-over", "Apps")
    assert result.exit_code == 0, result.output
    assert "| State | failed over: Woodgrove-Apps/Apps |" in result.output
    assert "### After failover of Woodgrove-Apps/Data, Woodgrove-Web/Web" in result.output


def test_report_html_from_suffix(tmp_path):
    out = tmp_path / "report.html"
    result = run("report", WOODGROVE, "-o", out)
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and page.count('<pre class="mermaid">') == 2


def test_report_html_without_mermaid(tmp_path, monkeypatch):
    monkeypatch.setenv("DRNET_MERMAID_JS", str(tmp_path / "missing.js"))
    result = run("report", WOODGROVE, "--format", "html", "-o", tmp_path / "r.html")
    assert result.exit_code == 1, result.output
    assert "is not a file" in result.output


def test_diff_failover_md_and_json():
    result = run("diff", WOODGROVE, "--failover", "Apps")
    assert result.exit_code == 0, result.output
    assert "| **created** | `v2v-prod-recovery` |" in result.output
    result = run("diff", WOODGROVE, "--failover", "Apps", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "drnet-diff/1" and data["local_network_gateway"]["removed"] == ["192.168.0.0/16"]


def test_diff_two_plans(tmp_path):
    changed = tmp_path / "woodgrove.yaml"
    changed.write_text((ROOT / "templates/woodgrove.yaml").read_text().replace("failed_over: []", "failed_over: [Apps]")
                       .replace("ip: 192.168.2.20, recovery_ip: 172.20.2.40", "ip: 192.168.2.20, recovery_ip: 172.20.2.44"))
    (tmp_path / "woodgrove-vms.csv").write_text((ROOT / "templates/woodgrove-vms.csv").read_text())
    result = run("diff", WOODGROVE, changed, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["failed_over"]["added"] == ["Woodgrove-Apps/Apps"]
    sql01 = next(c for c in data["nics"]["changed"] if c["vm"] == "SQL01")
    assert sql01["changes"] == ["recovery_ip", "test_ip"] and sql01["after"]["recovery_ip"] == "172.20.2.44"


@pytest.mark.parametrize("args, message", [
    (["diff", WOODGROVE], "give one of: a second plan"),
    (["diff", WOODGROVE, WOODGROVE, "--failover", "Apps"], "give one of: a second plan"),
    (["diff", WOODGROVE, "--failover", "Apps", "--failback", "Apps"], "give one of: a second plan"),
    (["diff", WOODGROVE, "--failover", "Nope"], "no on-prem subnet 'Nope'"),
    (["runbook", WOODGROVE], "give one of --failover SUBNET, --failback SUBNET"),
    (["runbook", WOODGROVE, "--drill", "--failover", "Apps"], "give one of --failover SUBNET, --failback SUBNET"),
    (["runbook", WOODGROVE, "--drill", "--failback", "Apps"], "give one of --failover SUBNET, --failback SUBNET"),
    (["runbook", WOODGROVE, "--failover", "Nope"], "no on-prem subnet 'Nope'"),
])
def test_usage_errors_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_runbook_failover_and_drill():
    result = run("runbook", WOODGROVE, "--failover", "Apps")
    assert result.exit_code == 0, result.output
    assert "withdraw 192.168.1.0/24" in result.output
    result = run("runbook", WOODGROVE, "--failover", "Woodgrove-Apps/Apps", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["failover"] == ["Woodgrove-Apps/Apps"]
    result = run("runbook", WOODGROVE, "--drill")
    assert result.exit_code == 0, result.output
    assert "| `SQL01` | 0 | `192.168.2.20` | vnet-woodgrove-drill / Data | `172.20.2.40` |" in result.output


def test_runbook_refuses_a_subnet_already_failed_over(tmp_path):
    plan = tmp_path / "w.yaml"
    plan.write_text((ROOT / "templates/woodgrove.yaml").read_text().replace("failed_over: []", "failed_over: [Apps]"))
    (tmp_path / "woodgrove-vms.csv").write_text((ROOT / "templates/woodgrove-vms.csv").read_text())
    result = run("runbook", plan, "--failover", "Apps")
    assert result.exit_code == 2, result.output
    assert "already failed over in the plan: Woodgrove-Apps/Apps" in result.output
    result = run("runbook", plan, "--failover", "Data")
    assert result.exit_code == 0, result.output
    assert "was `[Woodgrove-Apps/Apps]`" in result.output


def test_plan_with_errors(tmp_path):
    from tests.review.test_sarif import BAD

    plan = tmp_path / "bad.yaml"
    plan.write_text(BAD)
    result = run("report", plan)
    assert result.exit_code == 1, result.output
    assert "E305" in result.output and "the plan has 1 error(s)" in result.output
    unreadable = run("report", tmp_path / "missing.yaml")
    assert unreadable.exit_code == 2, unreadable.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nname: [\n")
    result = run("report", broken)
    assert result.exit_code == 1, result.output
    assert "cannot be resolved" in result.output
    result = run("runbook", broken, "--drill")
    assert result.exit_code == 1, result.output


def test_report_and_diff_take_a_size_budget_and_name_the_full_version(tmp_path):
    """--budget N: the Markdown fits N characters; --full-url is where the note sends the reader;
    --budget 0 and HTML are never shortened."""
    from bench.gen_plan import write_plan

    plan = write_plan(tmp_path / "big.yaml", 600, subnets=6)
    short = run("report", plan, "--budget", "20000", "--full-url", "https://ci.example/run/7")
    assert short.exit_code == 0, short.output
    assert len(short.output) <= 20000 + 1 and "[https://ci.example/run/7](https://ci.example/run/7)" in short.output
    full = run("report", plan, "--budget", "0")
    assert len(full.output) > 40000 and "Shortened" not in full.output
    html = tmp_path / "r.html"
    assert run("report", plan, "-o", html, "--budget", "1000").exit_code == 0
    assert "Shortened" not in html.read_text() and "VM00599" in html.read_text()
    diff = run("diff", plan, *[f"--failover=VMN00/S0{i}" for i in range(6)], "--budget", "6000")
    assert diff.exit_code == 0, diff.output
    assert len(diff.output) <= 6000 + 1 and "the same command with `--budget 0`" in diff.output
