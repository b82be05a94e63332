"""Shared fixtures: a pinned terminal, the templates, plan builders."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").glob("*.yaml"))


@pytest.fixture(autouse=True)
def _pinned_terminal(monkeypatch):
    """Same output whatever terminal runs the tests."""
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")


def failover_states(plan_path: Path):
    """The two phases every template is tested in: steady, and every subnet failed over."""
    from planner.api import analyze

    steady = analyze(plan_path)
    everything = [s.key for s in steady.resolved.onprem_subnets] if steady.resolved else []
    return {"steady": steady, "failover": analyze(plan_path, failed_over=everything)}
