"""Fixtures of the review outputs: templates in both phases, Markdown snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from tests.conftest import ROOT, TEMPLATES, failover_states

from review.states import analyze_states, failover_candidates

PHASES = ("steady", "failover")


class MarkdownSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "md"


@pytest.fixture
def md_snapshot(snapshot):
    return snapshot.use_extension(MarkdownSnapshot)


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def review_states(plan: Path, phase: str):
    """(now, after-every-failover) analyses of a template in one of the two phases of tests/conftest.py."""
    base = failover_states(plan)[phase]
    now_list = list(base.resolved.failed_over)
    everything = [s.key for s in failover_candidates(base.resolved)]
    return analyze_states(plan, [now_list, everything])


@pytest.fixture(params=[(t, p) for t in TEMPLATES for p in PHASES], ids=lambda tp: f"{tp[0].stem}-{tp[1]}")
def template_phase(request):
    return request.param
