"""Synthesize every (template, phase) once per session; tests read the JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import TEMPLATES, failover_states

PHASES = ("steady", "failover")
CASES = [(t.stem, p) for t in TEMPLATES for p in PHASES]


def read_stacks(outdir: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(outdir.glob("stacks/*/cdk.tf.json"))}


def read_files(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def analyses():
    return {t.stem: failover_states(t) for t in TEMPLATES}


@pytest.fixture(scope="session")
def built_analyses(tmp_path_factory):
    """{name: Analysis} of the plans tests/stacks/plans.py builds (steady state)."""
    from tests.planner.planbuilder import analyze_dict

    from .plans import BUILT

    return {name: analyze_dict(tmp_path_factory.mktemp(name), make()) for name, make in BUILT.items()}


@pytest.fixture(scope="session")
def synthesized(analyses, built_analyses, tmp_path_factory):
    """{(template, phase): {"dir": Path, "analysis": Analysis, "stacks": {name: json}}};
    the built plans as (name, "steady"). One process: the CDK loads once."""
    from drnet.cli_synth import synth_into

    cases = [(t, p, states[p]) for t, states in analyses.items() for p in PHASES]
    cases += [(name, "steady", analysis) for name, analysis in built_analyses.items()]
    out = {}
    for template, phase, analysis in cases:
        assert analysis.ok, [d.message for d in analysis.diagnostics]
        outdir = tmp_path_factory.mktemp(f"{template}-{phase}")
        synth_into(analysis.resolved, outdir)
        out[(template, phase)] = {"dir": outdir, "analysis": analysis, "stacks": read_stacks(outdir)}
    return out


def resources(stack: dict, kind: str = "resource") -> dict[tuple[str, str], dict]:
    return {(t, n): body for t, items in stack.get(kind, {}).items() for n, body in items.items()}
