"""drnet behaves like its neighbours on the command line: one meaning per option name, one exit
code per problem on every command, stdin, NO_COLOR, completion, --debug anywhere, JSON where a
pipeline wants it, uncut names in CI logs, `--max-nic-rows 0`, several plans to validate, a
pre-commit hook, and an editor-friendly JSON Schema."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from drnet.cli import app, hoist_global_flags
from drnet.options import FAILED_OVER_HELP
from tests.conftest import ROOT
from tests.planner.planbuilder import base, write

WOODGROVE = str(ROOT / "templates" / "woodgrove.yaml")
MINIMAL = str(ROOT / "templates" / "minimal.yaml")
DRNET = str(Path(sys.executable).parent / "drnet")
PLAN_COMMANDS = ("validate", "plan", "report", "synth", "diff", "runbook")


def invoke(*args, **kw):
    return CliRunner().invoke(app, [str(a) for a in args], **kw)


def params(command: str) -> dict:
    group = typer.main.get_command(app)
    return {opt: p for p in group.commands[command].params for opt in getattr(p, "opts", [])}


def needs(command: str, plan: str, tmp_path: Path) -> list[str]:
    """What each command needs beyond the plan to run at all."""
    return {"synth": [plan, "--out", str(tmp_path / "out")], "diff": [plan, "--failover", "Apps"],
            "runbook": [plan, "--drill"]}.get(command, [plan])


# --- one name, one meaning --------------------------------------------------------------------

def test_failed_over_is_the_state_to_evaluate_on_every_command_and_failover_the_change():
    for command in PLAN_COMMANDS:
        opt = params(command).get("--failed-over")
        assert opt is not None and opt.help == FAILED_OVER_HELP, command
    assert {c for c in PLAN_COMMANDS if "--failover" in params(c)} == {"diff", "runbook"}
    assert {c for c in PLAN_COMMANDS if "--failback" in params(c)} == {"diff", "runbook"}


def test_diff_previews_a_failover_from_the_failed_over_state():
    result = invoke("diff", WOODGROVE, "--failed-over", "Apps", "--failover", "Data", "--format", "json")
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert d["from"]["failed_over"] == ["Woodgrove-Apps/Apps"]
    assert d["to"]["failed_over"] == ["Woodgrove-Apps/Apps", "Woodgrove-Apps/Data"]


# --- one exit code per problem ----------------------------------------------------------------

@pytest.mark.parametrize("command", PLAN_COMMANDS)
def test_unknown_failed_over_subnet_is_2_on_every_command(command, tmp_path):
    result = invoke(command, *needs(command, WOODGROVE, tmp_path), "--failed-over", "Nope")
    assert result.exit_code == 2, result.output
    assert "--failed-over Nope" in result.output


@pytest.mark.parametrize("command", ["diff", "runbook"])
@pytest.mark.parametrize("change", ["--failover", "--failback"])
def test_unknown_failover_or_failback_subnet_is_2(command, change):
    result = invoke(command, WOODGROVE, change, "Nope")
    assert result.exit_code == 2, result.output
    assert "no on-prem subnet 'Nope'" in result.output


@pytest.mark.parametrize("command", PLAN_COMMANDS)
def test_unreadable_plan_is_2_on_every_command(command, tmp_path):
    result = invoke(command, *needs(command, str(tmp_path / "missing.yaml"), tmp_path))
    assert result.exit_code == 2, result.output
    assert "missing.yaml" in result.output


@pytest.mark.parametrize("command", PLAN_COMMANDS)
def test_plan_with_errors_is_1_on_every_command(command, tmp_path):
    plan = base()
    plan["vms"][0]["nics"][0]["ip"] = "192.168.1.3"  # E402: a reserved address kept in Azure
    result = invoke(command, *needs(command, str(write(tmp_path, plan)), tmp_path))
    assert result.exit_code == 1, result.output


# --- stdin, colour, completion, --debug ------------------------------------------------------------

@pytest.mark.parametrize("command", ["validate", "plan", "report"])
def test_dash_reads_the_plan_from_stdin(command):
    result = invoke(command, "-", input=Path(MINIMAL).read_text())
    assert result.exit_code == 0, result.output
    broken = invoke(command, "-", input="version: 1\nname: BAD\n")
    assert broken.exit_code == 1 and "-:" in broken.output, broken.output


def test_no_color_turns_colour_off(tmp_path, monkeypatch):
    plan = base()
    plan["vms"][0]["nics"][0]["ip"] = "192.168.1.3"
    path = write(tmp_path, plan)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[" in invoke("validate", path, color=True).output  # colour when asked for...
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in invoke("validate", path, color=True).output  # ...never with NO_COLOR


def test_shell_completion_is_on():
    assert "--show-completion" in {o for p in typer.main.get_command(app).params for o in p.opts}
    script = subprocess.run([DRNET, "--show-completion", "bash"], capture_output=True, text=True)
    assert script.returncode == 0 and "_DRNET_COMPLETE" in script.stdout, script.stderr


def test_debug_is_accepted_after_the_command():
    assert hoist_global_flags(["validate", "p.yaml", "--debug"]) == ["--debug", "validate", "p.yaml"]
    assert hoist_global_flags(["validate", "--", "--debug"]) == ["validate", "--", "--debug"]
    result = subprocess.run([DRNET, "validate", MINIMAL, "--debug"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- JSON for pipelines ----------------------------------------------------------------------

def test_report_summary_as_json(tmp_path):
    result = invoke("report", WOODGROVE, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "drnet-report-summary/1" and data["valid"] and data["counts"]["vms"] == 13
    assert data["failover_candidates"] == ["Woodgrove-Apps/Apps", "Woodgrove-Apps/Data", "Woodgrove-Web/Web"]
    assert "192.168.0.0/16" in data["local_network_gateway"]["now"]
    out = tmp_path / "summary.json"
    assert invoke("report", WOODGROVE, "-o", out).exit_code == 0 and json.loads(out.read_text())["name"] == "woodgrove"


# --- output that is not a terminal ---------------------------------------------------------------

def test_plan_tables_never_cut_names_outside_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    plan = base()
    long_vm = "APPLICATION-SERVER-WITH-A-VERY-LONG-NAME-01"
    plan["vms"][0]["name"] = long_vm
    result = invoke("plan", write(tmp_path, plan))
    assert result.exit_code == 0, result.output
    assert long_vm in result.output and "…" not in result.output


# --- --max-nic-rows 0 ------------------------------------------------------------------------------

def test_max_nic_rows_0_means_all_on_plan_and_report(tmp_path):
    from bench.gen_plan import write_plan

    plan = write_plan(tmp_path / "p.yaml", 60)
    for command in ("plan", "report"):
        some = invoke(command, plan, "--max-nic-rows", "5")
        every = invoke(command, plan, "--max-nic-rows", "0")
        assert some.exit_code == every.exit_code == 0, some.output + every.output
        assert "VM00059" not in some.output and "VM00059" in every.output, command


# --- several plans, pre-commit -----------------------------------------------------------------

def test_validate_takes_several_plans(tmp_path):
    bad = base()
    bad["vms"][0]["nics"][0]["ip"] = "192.168.1.3"
    bad_path = write(tmp_path, bad, "bad.yaml")
    ok = invoke("validate", WOODGROVE, MINIMAL)
    assert ok.exit_code == 0 and "woodgrove.yaml: no problems found" in ok.output, ok.output
    mixed = invoke("validate", WOODGROVE, bad_path)
    assert mixed.exit_code == 1 and "E402" in mixed.output
    assert invoke("validate", bad_path, tmp_path / "missing.yaml").exit_code == 2  # the worst problem wins
    sarif = json.loads(invoke("validate", WOODGROVE, bad_path, "--format", "sarif").output)
    current = [r for r in sarif["runs"][0]["results"] if "properties" not in r]  # not the readiness findings
    assert "E402" in {r["ruleId"] for r in current} and all("bad.yaml" in json.dumps(r["locations"]) for r in current)


def test_pre_commit_hook_runs_validate_on_the_files_it_matches(tmp_path):
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "drnet-validate" and hook["entry"] == "drnet validate" and hook["language"] == "system"
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in ("drplan.yaml", "plans/woodgrove.yaml", "infra/plans/dr.yml"))
    assert not any(files.search(p) for p in ("templates/woodgrove.yaml", "plans/README.md", "plans/x/y.yaml"))
    result = invoke(*hook["entry"].split()[1:], WOODGROVE, MINIMAL)  # pre-commit passes the file names
    assert result.exit_code == 0, result.output


# --- editor support ------------------------------------------------------------------------------

def _properties(node, where=""):
    if isinstance(node, dict):
        for key, prop in (node.get("properties") or {}).items():
            yield f"{where}.{key}", prop
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value, where)


def test_json_schema_describes_every_key_with_enums_and_patterns(tmp_path):
    from planner.rules.gateways import SKUS

    schema = json.loads(invoke("schema").output)
    assert schema["$id"] and schema["title"] and schema["$schema"].endswith("2020-12/schema")
    undescribed = [where for where, prop in _properties(schema) if not prop.get("description")]
    assert not undescribed, undescribed
    gateway = schema["$defs"]["Gateway"]["properties"]
    assert gateway["sku"]["enum"] == SKUS and gateway["when"]["enum"] == ["always", "after-failover"]
    assert schema["$defs"]["OnpremSubnet"]["properties"]["failover"]["enum"] == ["retain", "change"]
    prefix = re.compile(gateway["subnet_prefix"]["pattern"])
    assert prefix.match("10.250.0.0/27") and not prefix.match("10.250.0.0/33") and not prefix.match("10.250.0.0")
    address = re.compile(schema["$defs"]["Nic"]["properties"]["ip"]["pattern"])
    assert address.match("192.168.1.10") and not address.match("192.168.1.300")
    recovery_ip = schema["$defs"]["Nic"]["properties"]["recovery_ip"]["anyOf"][0]
    assert recovery_ip["pattern"] == address.pattern
    space = schema["$defs"]["AzureNetwork"]["properties"]["address_space"]["items"]["pattern"]
    assert space == prefix.pattern
    out = tmp_path / "s" / "plan.schema.json"
    assert invoke("schema", "-o", out).exit_code == 0 and json.loads(out.read_text()) == schema


def test_every_template_prefix_and_address_matches_the_schema_patterns():
    from planner.schema_extras import IPV4_PATTERN, PREFIX_PATTERN

    text = Path(WOODGROVE).read_text()
    prefixes = re.findall(r"\b\d+\.\d+\.\d+\.\d+/\d+\b", text)
    addresses = re.findall(r"\b(?:ip|public_ip|peering_address|recovery_ip|next_hop_ip): (\S+?)[,}\s]", text)
    assert prefixes and addresses
    assert all(re.match(PREFIX_PATTERN, p) for p in prefixes)
    assert all(re.match(IPV4_PATTERN, a) for a in addresses), addresses


def test_init_writes_a_starter_that_names_its_schema(tmp_path):
    from planner.model import SCHEMA_FILE

    plan = tmp_path / "dr" / "drplan.yaml"
    result = invoke("init", plan)
    assert result.exit_code == 0, result.output
    assert plan.read_text().splitlines()[0] == f"# yaml-language-server: $schema={SCHEMA_FILE}"
    assert json.loads((plan.parent / SCHEMA_FILE).read_text()) == json.loads(invoke("schema").output)
    assert invoke("validate", plan).exit_code == 0
