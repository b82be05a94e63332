"""The review commands never import the CDK: they must stay fast."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("cdktf", "jsii", "constructs", "stacks", "cdktf_cdktf_provider_azurerm", "drnet.cli_synth")

PROBE = """
import sys
from drnet.cli import app
from typer.testing import CliRunner
result = CliRunner().invoke(app, sys.argv[1:])
assert result.exit_code == 0, result.output
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})
print("HEAVY:" + ",".join(heavy))
"""


@pytest.mark.parametrize("args", [
    ["report", "templates/woodgrove.yaml"],
    ["report", "templates/woodgrove.yaml", "-o", "{tmp}/r.html"],
    ["diff", "templates/woodgrove.yaml", "--failover", "Apps", "-f", "json"],
    ["runbook", "templates/woodgrove.yaml", "--failover", "Apps"],
    ["runbook", "templates/woodgrove.yaml", "--drill"],
], ids=["report", "report-html", "diff", "runbook", "drill"])
def test_review_commands_do_not_import_the_cdk(args, tmp_path):
    """drnet.cli may register `synth` (whose module imports the CDK lazily or not): whatever it does,
    running a review command leaves cdktf, jsii and stacks out of sys.modules."""
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code = PROBE.replace("{heavy!r}", repr(set(HEAVY) - {"drnet.cli_synth"}))
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY:\n" in proc.stdout or proc.stdout.rstrip().endswith("HEAVY:"), proc.stdout[-500:]


def test_review_package_imports_nothing_heavy():
    code = ("import sys, review.report, review.diff, review.runbook, review.sarif, review.html, review.diagram, drnet.cli_review;"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {set(HEAVY)!r}))")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert not {m for m in imported if m.split(".")[0] in HEAVY}, sorted(imported)
