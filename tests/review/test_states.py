"""review.states runs the planner's pipeline: same results as planner.api.analyze."""

from __future__ import annotations

import pytest

from planner.api import analyze
from review.states import ReviewError, analyze_states, failover_candidates, resolve_subnets
from tests.conftest import ROOT, TEMPLATES, failover_states


@pytest.mark.parametrize("plan", TEMPLATES, ids=lambda p: p.stem)
def test_states_equal_analyze_in_both_phases(plan):
    phases = failover_states(plan)
    everything = list(phases["failover"].resolved.failed_over)
    ours = analyze_states(plan, [None, everything])
    for mine, theirs in zip(ours, [phases["steady"], analyze(plan, failed_over=everything)]):
        assert mine.resolved.to_json() == theirs.resolved.to_json()
        assert [d.to_json() for d in mine.diagnostics] == [d.to_json() for d in theirs.diagnostics]
        assert mine.ok == theirs.ok


def test_resolve_subnets_short_and_full_names():
    (now,) = analyze_states(ROOT / "templates/woodgrove.yaml", [None])
    assert resolve_subnets(now.resolved, ["Apps", "Woodgrove-Web/Web"]) == ["Woodgrove-Apps/Apps", "Woodgrove-Web/Web"]
    with pytest.raises(ReviewError, match="no on-prem subnet 'Nope'.*Woodgrove-Apps/Apps"):
        resolve_subnets(now.resolved, ["Nope"])
    assert [s.key for s in failover_candidates(now.resolved)] == ["Woodgrove-Apps/Apps", "Woodgrove-Apps/Data", "Woodgrove-Web/Web"]
