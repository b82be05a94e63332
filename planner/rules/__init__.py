"""The rule registry: explicit, ordered, one entry per rule.

A rule is a small function `(ctx) -> iterable of Diagnostic` with stable codes.
It reads the plan, the index and the resolved plan; it never raises or prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..diagnostics import Diagnostic
from ..index import Index
from ..model import Plan
from ..resolved import ResolvedPlan


@dataclass(frozen=True)
class Context:
    plan: Plan
    index: Index
    resolved: ResolvedPlan


@dataclass(frozen=True)
class Rule:
    codes: tuple[str, ...]
    name: str
    summary: str
    check: Callable[[Context], Iterable[Diagnostic]]
    # reads the failover state (failed_over, active connections, reachability); the others
    # give the same diagnostics in every state, so a plan resolved in several states runs them once
    stateful: bool = False


def registry() -> list[Rule]:
    from . import addressing, appliance, gateways, ips, mapping, names, reachability

    rules: list[Rule] = []
    for module in (names, addressing, mapping, ips, reachability, gateways, appliance):
        rules.extend(module.RULES)
    return rules


def run_rules(ctx: Context, *, stateful: bool | None = None) -> list[Diagnostic]:
    """Every rule's diagnostics; `stateful` True/False runs only that half."""
    out: list[Diagnostic] = []
    for rule in registry():
        if stateful is None or rule.stateful == stateful:
            out.extend(rule.check(ctx))
    return out


def rule(codes: str | tuple[str, ...], summary: str, *, stateful: bool = False):
    """Decorator: turn a function into a `Rule` (its name is the rule's name)."""
    if isinstance(codes, str):
        codes = (codes,)

    def wrap(func) -> Rule:
        return Rule(tuple(codes), func.__name__.replace("_", "-"), summary, func, stateful)

    return wrap
