"""One plan in several failover states (planner.api.PlanStates), and naming subnets."""

from __future__ import annotations

from pathlib import Path

from planner.api import Analysis, PlanFileError, PlanStates
from planner.resolved import OnpremSubnetPlan, ResolvedPlan

__all__ = ["PlanFileError", "PlanStates", "ReviewError", "analyze_states", "failover_candidates", "resolve_subnets"]


class ReviewError(Exception):
    """A request the review outputs cannot answer (unknown subnet, plan not resolvable...)."""


def analyze_states(path: str | Path, states: list[list[str] | None]) -> list[Analysis]:
    """One Analysis per state; a state is a `failed_over` list, or None for the plan's own.

    Raises PlanFileError only when the file cannot be read at all.
    """
    plan = PlanStates(path)
    return [plan.analysis(failed_over) for failed_over in states]


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
