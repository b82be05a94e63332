"""Random damage to a valid plan never crashes the planner (seeded, so repeatable)."""

from __future__ import annotations

import copy
import random

import pytest

from .planbuilder import BASE, analyze_dict

VALUES = [None, 0, -1, 65515, 4294967296, "", "x", "10.0.0.0/8", "1.2.3.4", "192.168.1.0/24", "192.168.1.7/24",
          [], {}, [1], {"a": 1}, True, 1.5, "Apps", "Data", "Corp", "prod", "recovery", "drill", "after-failover",
          "always", "peering", "site-to-site", ["prod", "prod"], ["recovery", "drill"], ["Apps"], "Corp/Apps"]


def _paths(node, prefix=()):
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


def _damage(rng: random.Random) -> dict:
    plan = copy.deepcopy(BASE)
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(list(_paths(plan)))
        node = plan
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = copy.deepcopy(rng.choice(VALUES))
    if rng.random() < 0.3:
        plan["failed_over"] = rng.choice([["Apps"], ["Data"], ["Corp/Apps", "Data"], ["nope"]])
    return plan


@pytest.mark.parametrize("seed", range(3))
def test_resolving_several_states_equals_fresh_analyses(tmp_path, seed):
    """PlanStates runs the state-independent rules once: that must change nothing."""
    from planner.api import PlanStates, analyze

    from .planbuilder import write

    rng = random.Random(100 + seed)
    states = [None, ["Apps"], ["Data"], ["Corp/Apps", "Data"], ["nope"]]
    for _ in range(25):
        path = write(tmp_path, _damage(rng))
        reused = PlanStates(path)
        for state in rng.sample(states, 3):
            mine = [d.to_json() for d in reused.analysis(state).diagnostics]
            fresh = [d.to_json() for d in analyze(path, failed_over=state).diagnostics]
            assert mine == fresh, state


@pytest.mark.parametrize("seed", range(6))
def test_damaged_plans_give_located_diagnostics_not_exceptions(tmp_path, seed):
    rng = random.Random(seed)
    for _ in range(60):
        analysis = analyze_dict(tmp_path, _damage(rng))
        assert all(d.line and d.column and d.file for d in analysis.diagnostics)
        assert analysis.ok or analysis.errors
