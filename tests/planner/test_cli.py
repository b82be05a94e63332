"""The CLI of the planner commands: exit codes, JSON contracts, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from drnet.cli import app
from tests.conftest import ROOT

from .planbuilder import base, write

runner = CliRunner()
WOODGROVE = str(ROOT / "templates" / "woodgrove.yaml")


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_validate_clean_plan_exits_0():
    result = invoke("validate", WOODGROVE)
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output


def test_validate_reports_every_problem_with_file_line_column(tmp_path):
    plan = base()
    plan["vms"][0]["nics"][0]["ip"] = "192.168.1.3"
    plan["azure"]["networks"][2]["subnets"][1]["prefix"] = "172.20.2.5/24"
    path = write(tmp_path, plan)
    result = invoke("validate", path)
    assert result.exit_code == 1, result.output
    assert f"{path}:" in result.output and "E402" in result.output and "E102" in result.output
    assert "hint: did you mean 172.20.2.0/24?" in result.output


def test_validate_json_contract(tmp_path):
    plan = base()
    plan["vms"][1]["nics"][0]["ip"] = "192.168.2.300"
    result = invoke("validate", write(tmp_path, plan), "--format", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    (diag,) = data["diagnostics"]
    assert set(diag) >= {"code", "severity", "message", "path", "line", "column", "hint"}
    assert (diag["code"], diag["path"], diag["severity"]) == ("E103", "vms[1].nics[0].ip", "error")
    assert diag["line"] > 1 and diag["column"] > 1


def test_unreadable_plan_exits_2(tmp_path):
    result = invoke("validate", tmp_path / "missing.yaml")
    assert result.exit_code == 2, result.output
    assert "cannot read the plan" in result.output
    assert invoke("plan", tmp_path).exit_code == 2


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\xff\xfe", b"caf\xe9: 1\n", b"- 1\n- 2\n", b"42\n", b"a:\n\tb: 1\n", b"a: 1\na: 2\n",
     b"version: 1\nname: no\nfailed_over: 2024-01-01\n"],
    ids=["empty", "binary", "latin1", "list", "scalar", "tabs", "dup-keys", "dates-and-no"],
)
def test_hostile_files_end_in_exit_1_without_traceback(tmp_path, content):
    path = tmp_path / "plan.yaml"
    path.write_bytes(content)
    for command in ("validate", "plan"):
        result = invoke(command, path)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert f"{path}:" in result.output


def test_plan_json_contract():
    result = invoke("plan", WOODGROVE, "--format", "json", "--failed-over", "Apps")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"nics", "connections", "diagnostics"}
    nic = data["nics"][0]
    assert set(nic) >= {"vm", "nic", "source", "recovery", "test", "subnet_rule"}
    assert set(nic["source"]) >= {"vm_network", "subnet", "ip"}
    assert set(nic["recovery"]) >= {"network", "subnet", "ip"}
    assert nic["subnet_rule"] in ("same-name", "first-subnet")
    conns = {c["name"]: c for c in data["connections"]}
    assert set(conns["s2s-onprem"]) >= {"name", "type", "active", "local_network_gateway_prefixes"}
    assert conns["v2v-prod-recovery"]["active"] is True
    assert "192.168.1.0/24" not in conns["s2s-onprem"]["local_network_gateway_prefixes"]
    assert conns["v2v-prod-recovery"]["local_network_gateway_prefixes"] is None


def test_plan_with_errors_prints_diagnostics_and_exits_1(tmp_path):
    plan = base()
    plan["network_mappings"] = []
    path = write(tmp_path, plan)
    result = invoke("plan", path)
    assert result.exit_code == 1 and "E301" in result.output, result.output
    data = json.loads(invoke("plan", path, "--format", "json").output)
    assert data["diagnostics"][0]["code"] == "E301"


def test_plan_tables_show_the_move():
    result = invoke("plan", WOODGROVE, "--failed-over", "Apps")
    assert result.exit_code == 0, result.output
    assert "v2v-prod-recovery" in result.output and "exists" in result.output
    assert "Apps 192.168.1.10 *" in result.output and "Data 172.20.2.40" in result.output
    assert "192.168.0.0/24" in result.output


def test_plan_tables_fold_long_nic_lists():
    result = invoke("plan", WOODGROVE, "--max-nic-rows", "2")
    assert result.exit_code == 0, result.output
    assert "APP02" in result.output and "APP03" not in result.output
    assert "7 more NICs not shown" in result.output and "3 more NICs not shown" in result.output
    everything = invoke("plan", WOODGROVE, "--max-nic-rows", "0")
    assert "PROXY01" in everything.output and "not shown" not in everything.output


def test_unknown_failed_over_subnet_on_the_command_line_is_a_usage_error():
    result = invoke("plan", WOODGROVE, "--failed-over", "Appz")
    assert result.exit_code == 2, result.output
    assert "--failed-over Appz" in result.output and "did you mean 'Apps'?" in result.output


def test_output_into_a_closed_pipe_is_no_bug():
    done = subprocess.run(
        f"{sys.executable} -m drnet plan {WOODGROVE} | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True, executable="/bin/bash", cwd=ROOT, capture_output=True, text=True,
    )
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert done.returncode in (0, 141, -13), done.returncode


def test_schema_is_json_schema_of_the_plan():
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"version", "name", "onprem", "azure"} <= set(schema["required"])


def test_init_writes_a_valid_plan_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "drplan.yaml"
    assert invoke("init", target).exit_code == 0
    assert invoke("validate", target).exit_code == 0
    again = invoke("init", target)
    assert again.exit_code == 1 and "--force" in again.output


def test_init_creates_missing_folders_and_reports_unwritable_paths(tmp_path):
    assert invoke("init", tmp_path / "new" / "dir" / "plan.yaml").exit_code == 0
    (tmp_path / "file").write_text("x")
    result = invoke("init", tmp_path / "file" / "plan.yaml")
    assert result.exit_code == 2 and "cannot write" in result.output and "Traceback" not in result.output


def test_internal_error_is_reported_as_a_bug(monkeypatch, tmp_path):
    import planner.api

    def broken(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(planner.api.PlanStates, "analysis", broken)
    result = invoke("validate", WOODGROVE)
    assert result.exit_code == 3
    assert "bug in drnet" in result.output and "Traceback" not in result.output and "--debug" in result.output
    debug = invoke("--debug", "validate", WOODGROVE)
    assert debug.exit_code == 3 and "Traceback" in debug.output


def test_planner_and_planner_commands_never_import_the_cdk():
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from drnet.cli import app\n"
        f"r = CliRunner().invoke(app, ['validate', {WOODGROVE!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        f"r = CliRunner().invoke(app, ['plan', {WOODGROVE!r}, '--format', 'json'])\n"
        "assert r.exit_code == 0, r.output\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('cdktf', 'jsii', 'constructs', 'stacks', 'cdktf_cdktf_provider_azurerm'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_planner_package_does_not_import_cli_or_outputs():
    for path in (ROOT / "planner").rglob("*.py"):
        text = path.read_text()
        for forbidden in ("import stacks", "from stacks", "import cdktf", "from cdktf", "from drnet", "import typer", "from review"):
            assert forbidden not in text, f"{path.relative_to(ROOT)} has '{forbidden}'"
