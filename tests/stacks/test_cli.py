"""`drnet synth` and `cdktf synth`: same output; a plan with errors writes nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from drnet.cli import app
from tests.conftest import ROOT

from .conftest import read_files


def test_synth_command_writes_the_stacks(synthesized, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["synth", str(ROOT / "templates" / "woodgrove.yaml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert read_files(out) == read_files(synthesized[("woodgrove", "steady")]["dir"])
    again = CliRunner().invoke(app, ["synth", str(ROOT / "templates" / "woodgrove.yaml"), "--out", str(out), "--failed-over", "Apps"])
    assert again.exit_code == 0, again.output
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary directories left behind"


def test_plan_with_errors_synthesizes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "templates" / "minimal.yaml").read_text().replace("10.100.1.0/24", "10.100.1.0/33"))
    out = tmp_path / "out"
    (out / "stacks").mkdir(parents=True)
    (out / "stacks" / "keep.txt").write_text("before")
    result = CliRunner().invoke(app, ["synth", str(bad), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "E101" in result.output
    assert [str(p.relative_to(out)) for p in out.rglob("*")] == ["stacks", "stacks/keep.txt"]
    assert (out / "stacks" / "keep.txt").read_text() == "before"


CDKTF = ROOT / "node_modules" / ".bin" / "cdktf"


@pytest.mark.skipif(not CDKTF.exists(), reason="cdktf-cli not installed: run `python3 dev.py setup`")
def test_cdktf_synth_matches_drnet_synth(synthesized, tmp_path):
    """The design card's path: `cdktf synth` with the repo's cdktf.json (context plan = Woodgrove)."""
    env = dict(os.environ, CHECKPOINT_DISABLE="1", DISABLE_VERSION_CHECK="1", CI="1")
    node = shutil.which("node", path=env.get("PATH"))
    out = tmp_path / "cdktf.out"
    proc = subprocess.run([str(CDKTF), "synth", "--output", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr + f"\nnode: {node}"
    assert "end-of-life" not in (proc.stdout + proc.stderr).lower()
    ours = read_files(synthesized[("woodgrove", "steady")]["dir"])
    theirs = {k: v for k, v in read_files(out).items() if not k.endswith("metadata.json")}
    assert theirs.keys() - {"manifest.json"} == ours.keys() - {"manifest.json"}
    for key in ours.keys() - {"manifest.json"}:
        assert theirs[key] == ours[key], key


WOODGROVE = ROOT / "templates" / "woodgrove.yaml"


def _backends(out):
    return {d.name: json.loads((d / "cdk.tf.json").read_text())["terraform"]["backend"] for d in sorted((out / "stacks").iterdir())}


def test_backend_is_local_by_default_and_azurerm_on_request(tmp_path):
    """Issue 7, defect 9: the plan or the command chooses the state backend."""
    local = tmp_path / "local"
    assert CliRunner().invoke(app, ["synth", str(WOODGROVE), "--out", str(local)]).exit_code == 0
    assert _backends(local) == {
        "woodgrove-network": {"local": {"path": "terraform.woodgrove-network.tfstate"}},
        "woodgrove-recovery": {"local": {"path": "terraform.woodgrove-recovery.tfstate"}},
    }
    remote = tmp_path / "remote"
    result = CliRunner().invoke(app, ["synth", str(WOODGROVE), "--out", str(remote), "--backend", "azurerm"])
    assert result.exit_code == 0, result.output
    # partial configuration: terraform init -backend-config=... adds account, container, group
    assert _backends(remote) == {
        "woodgrove-network": {"azurerm": {"key": "woodgrove-network.tfstate"}},
        "woodgrove-recovery": {"azurerm": {"key": "woodgrove-recovery.tfstate"}},
    }


def test_plan_chooses_the_backend_and_the_command_overrides_it(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(WOODGROVE.read_text().replace("vms_csv: woodgrove-vms.csv", "terraform: {backend: azurerm}"))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["synth", str(plan), "--out", str(out), "--hcl"])
    assert result.exit_code == 0, result.output
    text = (out / "stacks" / "woodgrove-network" / "cdk.tf").read_text()
    assert 'backend "azurerm" {\n    key = "woodgrove-network.tfstate"\n  }' in text
    assert 'required_version = ">= 1.5"' in text
    result = CliRunner().invoke(app, ["synth", str(plan), "--out", str(out), "--backend", "local"])
    assert result.exit_code == 0, result.output
    assert list(_backends(out)["woodgrove-network"]) == ["local"]


def test_synth_keeps_lock_override_state_and_terraform_dir(tmp_path):
    """Issue 7, defect 9: replacing the output (atomically) never deletes what Terraform or
    the user keeps in a stack directory."""
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["synth", str(WOODGROVE), "--out", str(out)]).exit_code == 0
    stack = out / "stacks" / "woodgrove-network"
    kept = {
        ".terraform.lock.hcl": "# lock\n",
        "backend_override.tf": "terraform {}\n",
        "x_override.tf.json": "{}\n",
        "terraform.woodgrove-network.tfstate": '{"version": 4}\n',
        "terraform.woodgrove-network.tfstate.backup": '{"version": 4}\n',
        "keys.auto.tfvars": 'shared_key_s2s_onprem = "x"\n',
        ".terraform/providers/registry.terraform.io/hashicorp/azurerm/4.55.0/linux_amd64/terraform-provider-azurerm": "binary",
    }
    for name, text in kept.items():
        (stack / name).parent.mkdir(parents=True, exist_ok=True)
        (stack / name).write_text(text)
    (stack / "notes.txt").write_text("not Terraform's: replaced with the rest")
    (stack / "cdk.tf.json").write_text("stale")
    result = CliRunner().invoke(app, ["synth", str(WOODGROVE), "--out", str(out), "--failed-over", "Apps"])
    assert result.exit_code == 0, result.output
    for name, text in kept.items():
        assert (stack / name).read_text() == text, name
    assert not (stack / "notes.txt").exists()
    assert json.loads((stack / "cdk.tf.json").read_text())["terraform"]["required_version"] == ">= 1.5"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary directories left behind"


def test_synth_says_what_it_wrote_as_json(tmp_path, monkeypatch):
    """`--format json`: the stacks, their config files and every file written, for pipelines."""
    import json

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["synth", str(ROOT / "templates" / "minimal.yaml"), "--out", "out", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "drnet-synth/1" and data["written"] and data["out"] == "out"
    assert [s["name"] for s in data["stacks"]] == ["minimal-network", "minimal-recovery"]
    assert data["files"] == sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert all((tmp_path / s["config"]).is_file() for s in data["stacks"])
