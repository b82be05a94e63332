"""Every template -> resolved plan, in both phases, against a golden JSON file.

The first golden layer: fast, no Node. Regenerate after reading the diff:
    DRNET_UPDATE_GOLDEN=1 python3 dev.py test tests/planner/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import ROOT, TEMPLATES, failover_states

GOLDEN = Path(__file__).parent / "golden"


def _document(analysis) -> dict:
    diagnostics = []
    for d in analysis.diagnostics:
        item = d.to_json()
        if item["file"]:
            item["file"] = os.path.relpath(item["file"], ROOT)
        diagnostics.append(item)
    return {"resolved": analysis.resolved.to_json() if analysis.resolved else None, "diagnostics": diagnostics}


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.stem for t in TEMPLATES])
@pytest.mark.parametrize("phase", ["steady", "failover"])
def test_resolved_plan_matches_golden(template, phase):
    analysis = failover_states(template)[phase]
    text = json.dumps(_document(analysis), indent=2, sort_keys=True) + "\n"
    golden = GOLDEN / f"{template.stem}.{phase}.json"
    if os.environ.get("DRNET_UPDATE_GOLDEN") or not golden.exists():
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text)
    assert text == golden.read_text(), f"{golden.name} differs: read the diff, then regenerate"


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.stem for t in TEMPLATES])
def test_templates_are_valid_in_both_phases(template):
    for phase, analysis in failover_states(template).items():
        assert analysis.ok, f"{template.name} ({phase}): {[d.message for d in analysis.errors]}"


def test_every_template_has_golden_files():
    names = {p.name for p in GOLDEN.glob("*.json")}
    for template in TEMPLATES:
        assert {f"{template.stem}.steady.json", f"{template.stem}.failover.json"} <= names
