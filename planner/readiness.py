"""Failover readiness: every subnet (and every VM network) that can fail over on its own from the
plan's current state, and every failback, each checked in the state it leads to.

In a disaster one subnet or one VM network fails over, not all at once. Each row is one such
state, resolved with `PlanStates.state_only`: the plan is read once, the state-independent rules
ran once (they give the same answer in every state), and only the failover-dependent steps run per
row. A row is ready when that state has no error of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .api import Analysis, PlanStates
from .diagnostics import Diagnostic
from .resolved import ResolvedPlan

FAILOVER, FAILBACK = "failover", "failback"


@dataclass(frozen=True)
class ReadinessRow:
    kind: str  # failover | failback
    unit: str  # subnet | vm-network
    name: str  # "VmNetwork/Subnet" or "VmNetwork"
    subnets: tuple[str, ...]  # the subnets that move in this row
    state: tuple[str, ...]  # `failed_over` of the state this row leads to
    errors: tuple[str, ...]  # codes of the errors in that state (failover-dependent rules only)
    warnings: tuple[str, ...]
    brings_up: tuple[str, ...]  # connections and gateways that exist there and not now
    takes_down: tuple[str, ...]  # ... that exist now and not there
    diagnostics: tuple[Diagnostic, ...] = field(default=(), repr=False)  # that state's, located

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def label(self) -> str:
        return f"{self.kind} of {self.name}" + (" alone" if self.unit == "subnet" else f" ({len(self.subnets)} subnets)")

    def to_json(self, max_diagnostics: int = 20) -> dict:
        return {
            "kind": self.kind, "unit": self.unit, "name": self.name, "subnets": list(self.subnets),
            "state": list(self.state), "ok": self.ok, "errors": list(self.errors), "warnings": list(self.warnings),
            "brings_up": list(self.brings_up), "takes_down": list(self.takes_down),
            "diagnostics": [d.to_json() for d in self.diagnostics[:max_diagnostics]],
            "diagnostics_left_out": max(0, len(self.diagnostics) - max_diagnostics),
        }


@dataclass(frozen=True)
class Readiness:
    state: tuple[str, ...]  # the current state's `failed_over`
    rows: tuple[ReadinessRow, ...]

    def count(self, kind: str) -> tuple[int, int]:
        rows = [r for r in self.rows if r.kind == kind]
        return sum(1 for r in rows if r.ok), len(rows)

    def counts(self) -> str:
        """'2 of 4 failovers ready, 1 of 1 failbacks ready' (kinds with no row left out)."""
        parts = []
        for kind in (FAILOVER, FAILBACK):
            ok, total = self.count(kind)
            if total:
                parts.append(f"{ok} of {total} {kind}s ready")
        return ", ".join(parts) or "nothing can fail over or back from this state"

    def summary(self, limit: int = 5) -> str:
        """One line: how many failovers and failbacks are ready, and which are not (with their
        codes; the first `limit`, then how many more)."""
        bad = [f"{r.kind} of {r.name} ({', '.join(r.errors)})" for r in self.rows if not r.ok]
        listed = "; ".join(bad[:limit]) + (f"; and {len(bad) - limit} more (--format json lists all)" if len(bad) > limit else "")
        return "readiness: " + self.counts() + (f"; not ready: {listed}" if bad else "")

    def to_json(self) -> dict:
        summary = {}
        for kind in (FAILOVER, FAILBACK):
            ok, total = self.count(kind)
            summary[kind] = {"ready": ok, "total": total}
        return {"state": list(self.state), "summary": summary, "rows": [r.to_json() for r in self.rows]}


def _units(keys: list[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Each subnet alone, then each VM network with more than one of them (all of its at once)."""
    units = [("subnet", key, (key,)) for key in keys]
    by_network: dict[str, list[str]] = {}
    for key in keys:
        by_network.setdefault(key.split("/", 1)[0], []).append(key)
    units += [("vm-network", vmn, tuple(subs)) for vmn, subs in by_network.items() if len(subs) > 1]
    return units


def _up(resolved: ResolvedPlan) -> set[str]:
    up = {c.name for c in resolved.connections if c.active}
    up |= {f"gateway of {n.name}" for n in resolved.networks if n.gateway is not None and n.gateway.active}
    return up


def _ordered(names: set[str]) -> tuple[str, ...]:
    return tuple(sorted(names, key=lambda n: (n.startswith("gateway of "), n)))


def readiness(states: PlanStates, now: Analysis) -> Readiness | None:
    """The readiness matrix from `now`'s state (an Analysis of `states`); None when it cannot be resolved."""
    if now.resolved is None:
        return None
    current = list(now.resolved.failed_over)
    networks = {n.name for n in now.resolved.networks}
    can_move = [s.key for s in now.resolved.onprem_subnets if s.recovery_network in networks]
    up_now = _up(now.resolved)
    rows = []
    for kind, keys in ((FAILOVER, [k for k in can_move if k not in current]), (FAILBACK, current)):
        for unit, name, subnets in _units(keys):
            state = current + list(subnets) if kind == FAILOVER else [k for k in current if k not in subnets]
            there = states.state_only(state)
            diags = tuple(there.diagnostics)
            up_there = _up(there.resolved)
            rows.append(ReadinessRow(
                kind=kind, unit=unit, name=name, subnets=subnets, state=tuple(there.resolved.failed_over),
                errors=tuple(sorted({d.code for d in diags if d.is_error})),
                warnings=tuple(sorted({d.code for d in diags if d.severity.value == "warning"})),
                brings_up=_ordered(up_there - up_now), takes_down=_ordered(up_now - up_there), diagnostics=diags,
            ))
    return Readiness(tuple(current), tuple(rows))
