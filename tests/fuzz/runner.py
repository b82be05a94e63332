"""Run one mutant through every command in-process and check what a user would see.

Each of validate, plan, report, runbook and diff must end with exit 0, 1 or 2; JSON
where JSON was asked; exit 1 with an error diagnostic (a code such as E005), exit 2
with drnet's message; no traceback, no internal error, nothing of the canary file
outside the plan's folder; and the whole case within a time bound (SIGALRM, so a
hang in Python code ends as a "hang" outcome, not a stuck run).
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import typer.testing
from typer.testing import CliRunner

from .mutants import CANARY, Case

_CODE = re.compile(r"\bE\d{3}\b")
COMMANDS = ("validate", "plan", "report", "runbook", "diff")


class CaseTimeout(BaseException):
    """Raised by SIGALRM: a BaseException, so neither drnet nor CliRunner swallows it."""


@dataclass
class Outcome:
    command: str
    exit_code: int | None
    seconds: float
    problem: str | None  # None when every check holds


def write_case(case: Case, folder: Path) -> Path:
    """plans/plan.yaml with its files, and a canary file outside plans/."""
    plans = folder / "plans"
    plans.mkdir(parents=True)
    (folder / "secret.csv").write_text(f"{CANARY},x\n")
    (plans / "plan.yaml").write_bytes(case.plan)
    for name, data in case.files.items():
        (plans / name).write_bytes(data)
    if "sub" in case.special:
        (plans / "sub").mkdir(exist_ok=True)
    if "fifo.csv" in case.special and hasattr(os, "mkfifo"):
        os.mkfifo(plans / "fifo.csv")
    if "link-out.csv" in case.special:
        (plans / "link-out.csv").symlink_to(folder / "secret.csv")
    if "link-in.csv" in case.special and (plans / "vms.csv").exists():
        (plans / "link-in.csv").symlink_to(plans / "vms.csv")
    return plans / "plan.yaml"


def _args(command: str, plan: Path, case: Case, rng) -> tuple[list[str], bool]:
    """The command line, and whether JSON was asked."""
    subnet = rng.choice(case.subnets)
    if command == "validate":
        return ["validate", str(plan), "--format", rng.choice(["json", "json", "sarif"])], True
    if command == "plan":
        return ["plan", str(plan), "--format", "json"], True
    if command == "report":
        return ["report", str(plan)], False
    if command == "runbook":
        if rng.random() < 0.3:
            return ["runbook", str(plan), "--drill", "--format", "json"], True
        return ["runbook", str(plan), "--failover", subnet, "--format", "json"], True
    base = plan.parent.parent / "base.yaml"
    if rng.random() < 0.3 and base.exists():
        return ["diff", str(base), str(plan), "--format", "json"], True
    return ["diff", str(plan), "--failover", subnet, "--format", "json"], True


def check(result, json_asked: bool, command: str) -> str | None:
    """What is wrong with one command's result, or None."""
    out, err = result.stdout, result.stderr
    text = out + err
    if result.exit_code not in (0, 1, 2):
        first = (err or out).strip().splitlines()[:1]
        return f"exit {result.exit_code}: {first[0][:300] if first else repr(result.exception)[:300]}"
    if "Traceback" in text or "internal error" in text:
        return "traceback or internal error in the output"
    if CANARY in text:
        return "printed the content of a file outside the plan's folder"
    if json_asked and (out.strip() or command in ("validate", "plan") and result.exit_code in (0, 1)):
        try:
            json.loads(out)
        except ValueError:
            return f"not JSON on stdout: {out[:120]!r}"
    if result.exit_code == 1 and not _CODE.search(text) and "error" not in text:
        return "exit 1 without an error diagnostic"
    if result.exit_code == 2 and not (err.strip() or out.strip()):
        return "exit 2 without a message"
    return None


def run_case(case: Case, folder: Path, rng, *, timeout: float = 20.0, runner: CliRunner | None = None) -> list[Outcome]:
    """Every command once on the case; a hang ends the case with a 'hang' outcome."""
    from drnet.cli import app

    runner = runner or CliRunner()
    plan = write_case(case, folder)
    outcomes: list[Outcome] = []
    # typer rebuilds the click command at every invoke (2/3 of a small case's time): build it once
    build = typer.testing._get_command
    command_of_app = _click_command(app)
    typer.testing._get_command = lambda given: command_of_app if given is app else build(given)
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        for command in COMMANDS:
            args, json_asked = _args(command, plan, case, rng)
            start = time.perf_counter()
            result = runner.invoke(app, args, catch_exceptions=True)
            seconds = time.perf_counter() - start
            outcomes.append(Outcome(command, result.exit_code, seconds, check(result, json_asked, command)))
    except CaseTimeout:
        done = {o.command for o in outcomes}
        command = next(c for c in COMMANDS if c not in done)
        outcomes.append(Outcome(command, None, timeout, f"hang: no result within {timeout:.0f} s"))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        typer.testing._get_command = build
    return outcomes


_COMMANDS: dict = {}


def _click_command(app):
    if id(app) not in _COMMANDS:
        _COMMANDS[id(app)] = typer.testing._get_command(app)
    return _COMMANDS[id(app)]


def _raise_timeout(signum, frame):
    raise CaseTimeout()
