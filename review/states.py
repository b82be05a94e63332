"""One plan in several failover states: read and validated once, resolved per state.

The review outputs compare states (now, after a failover, two plan files). Loading
a large plan is the slow part of `planner.api.analyze`, so this reads the file once
and runs only the state-dependent steps (index, resolve, rules) per state. It is the
same pipeline as `analyze` (tests/review/test_states.py proves the results equal).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from planner.api import Analysis, PlanFileError
from planner.diagnostics import locate, sort_key
from planner.index import build_index
from planner.load import load_plan
from planner.resolve import resolve
from planner.resolved import OnpremSubnetPlan, ResolvedPlan
from planner.rules import Context, run_rules
from planner.validate_schema import validate_plan_data

__all__ = ["PlanFileError", "PlanStates", "ReviewError", "analyze_states", "failover_candidates", "resolve_subnets"]


class ReviewError(Exception):
    """A request the review outputs cannot answer (unknown subnet, plan not resolvable...)."""


class PlanStates:
    """A plan read and validated once; `analysis(failed_over)` resolves it in one state."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        with _no_gc():
            self.loaded = load_plan(path)
            self.base = list(self.loaded.diagnostics)
            self.plan = None
            if not any(d.is_error for d in self.base):
                self.plan, schema_diags = validate_plan_data(self.loaded.data)
                self.base.extend(schema_diags)

    def analysis(self, failed_over: list[str] | None = None) -> Analysis:
        """The plan's own state (None), or the state with exactly these subnets failed over."""
        with _no_gc():
            diags = list(self.base)
            resolved = state_plan = None
            if self.plan is not None:
                state_plan = self.plan if failed_over is None else self.plan.model_copy(update={"failed_over": list(failed_over)})
                index = build_index(state_plan)
                resolved = resolve(index)
                diags.extend(run_rules(Context(state_plan, index, resolved)))
            located = locate(diags, self.loaded.positions)
            located.sort(key=sort_key)
            return Analysis(self.path, state_plan, resolved, located)


def analyze_states(path: str | Path, states: list[list[str] | None]) -> list[Analysis]:
    """One Analysis per state; a state is a `failed_over` list, or None for the plan's own.

    Raises PlanFileError only when the file cannot be read at all.
    """
    plan = PlanStates(path)
    return [plan.analysis(failed_over) for failed_over in states]


@contextmanager
def _no_gc():
    """Many small containers, no cycles: as in planner.api, the cyclic GC only costs time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def failover_candidates(resolved: ResolvedPlan) -> list[OnpremSubnetPlan]:
    """On-prem subnets that can fail over: their VM network is mapped to a recovery network."""
    return [s for s in resolved.onprem_subnets if s.recovery_network is not None and resolved.network(s.recovery_network)]


def resolve_subnets(resolved: ResolvedPlan, names: list[str]) -> list[str]:
    """User names of subnets ("Apps" or "Woodgrove-Apps/Apps") -> "VmNetwork/Subnet" keys.

    Raises ReviewError naming the choices when a name is unknown or ambiguous.
    """
    keys = []
    known = [s.key for s in resolved.onprem_subnets]
    for name in names:
        if name in known:
            match = [name]
        else:
            match = [s.key for s in resolved.onprem_subnets if s.name == name]
        if not match:
            raise ReviewError(f"no on-prem subnet '{name}'; the plan has: {', '.join(known) or 'none'}")
        if len(match) > 1:
            raise ReviewError(f"'{name}' is ambiguous: write one of {', '.join(match)}")
        if match[0] not in keys:
            keys.append(match[0])
    return keys
