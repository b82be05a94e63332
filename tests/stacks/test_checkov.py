"""checkov (static analysis of Terraform) on the synthesized JSON of every template, both states:
no failed check. A control copy without the NSG associations must fail CKV2_AZURE_31, so a
run that scans nothing can never pass.

checkov lives in `.venv-tools` (dev.py setup, requirements-checkov.lock): it pins many
libraries that must not touch drnet's venv. Missing, the test skips here and fails in CI.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections import defaultdict

import pytest

from tests.conftest import ROOT

CHECKOV = ROOT / ".venv-tools" / ("Scripts" if os.name == "nt" else "bin") / "checkov"
CONTROL = "control-without-nsg-associations"


def _require_checkov():
    if CHECKOV.exists():
        return
    message = f"checkov is not installed at {CHECKOV.relative_to(ROOT)} (run `python3 dev.py setup`)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _for_checkov(doc: dict) -> dict:
    """The stack as checkov 3.3.30 can read it: its terraform_json parser fails on the
    top-level `import` list (adopted resources) and on a plain value inside the `terraform`
    block (`required_version`); neither carries configuration that a check reads."""
    out = {k: v for k, v in doc.items() if k != "import"}
    if "terraform" in out:
        out["terraform"] = {k: v for k, v in out["terraform"].items() if isinstance(v, dict)}
    return out


def _without_nsg_associations(doc: dict) -> dict:
    out = json.loads(json.dumps(doc))
    out["resource"].pop("azurerm_subnet_network_security_group_association")
    return out


def test_checkov_passes_every_synthesized_stack(synthesized, tmp_path):
    _require_checkov()
    for (template, phase), result in synthesized.items():
        for stack, doc in result["stacks"].items():
            folder = tmp_path / f"{template}-{phase}-{stack}"
            folder.mkdir()
            (folder / "cdk.tf.json").write_text(json.dumps(_for_checkov(doc), indent=2))
    control = synthesized[("woodgrove", "steady")]["stacks"]["woodgrove-network"]
    (tmp_path / CONTROL).mkdir()
    (tmp_path / CONTROL / "cdk.tf.json").write_text(json.dumps(_without_nsg_associations(_for_checkov(control)), indent=2))

    proc = subprocess.run(
        [str(CHECKOV), "-d", str(tmp_path), "--framework", "terraform_json", "--skip-download", "-o", "json"],
        capture_output=True, text=True, timeout=900, env={**os.environ, "LOG_LEVEL": "WARNING"},
    )
    report = json.loads(proc.stdout)
    results = report["results"]
    assert results["parsing_errors"] == []
    failed, passed = defaultdict(set), defaultdict(set)
    for check in results["failed_checks"]:
        failed[check["file_path"].split("/")[1]].add((check["check_id"], check["resource"]))
    for check in results["passed_checks"]:
        passed[check["file_path"].split("/")[1]].add(check["check_id"])
    control_failures = failed.pop(CONTROL)
    assert {c for c, _ in control_failures} == {"CKV2_AZURE_31"}  # the control proves the scan ran
    assert dict(failed) == {}
    for (template, phase), result in synthesized.items():
        name = result["analysis"].resolved.name
        assert "CKV2_AZURE_31" in passed[f"{template}-{phase}-{name}-network"], (template, phase)
