"""The mutation fuzzer in CI: seeded mutants through validate, plan, report, runbook, diff.

Each mutant must end every command with exit 0, 1 or 2, JSON where JSON was asked,
an error diagnostic with exit 1, no traceback, nothing of a file outside the plan's
folder, within a time bound and a memory cap. bench/bench_fuzz.py runs 10,000.
A failure names its seed: `bench/bench_fuzz.py --mutants 1 --first-seed SEED`.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

from .mutants import CANARY, HUGE_DIGITS, Case, make_case, seeds
from .runner import check, run_case, write_case

CI_MUTANTS = 200  # in chunks, so a failure shows its chunk early
CHUNK = 40
CASE_SECONDS = 60.0  # per case (five commands) on a busy CI machine; a hang ends there
MEMORY_HEADROOM = 1536 * 1024 * 1024


@contextmanager
def capped_memory():
    """Cap this process's address space at what it uses now plus MEMORY_HEADROOM:
    a mutant that blows memory up ends as MemoryError (an internal error), not as a dead runner."""
    with open("/proc/self/statm") as statm:
        size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + MEMORY_HEADROOM
    if hard != resource.RLIM_INFINITY and limit > hard:
        limit = hard
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.mark.parametrize("first", range(0, CI_MUTANTS, CHUNK))
def test_mutants_end_well_in_every_command(tmp_path, first):
    problems = []
    with capped_memory():
        for seed in range(first, first + CHUNK):
            rng = random.Random(seed)
            case = make_case(rng, scale=(50, 150))  # the bench scales to 1,000 VMs
            for outcome in run_case(case, tmp_path / f"case-{seed}", rng, timeout=CASE_SECONDS):
                if outcome.problem:
                    problems.append(f"seed {seed} ({case.seed_name}: {'; '.join(case.steps)}) {outcome.command}: {outcome.problem}")
    assert not problems, "\n".join(problems)


def test_mutants_are_repeatable_and_varied():
    """A seed names a case (so a failure can be replayed), and the seeds cover every kind of damage."""
    first = make_case(random.Random(7))
    again = make_case(random.Random(7))
    assert (first.plan, first.files, first.steps) == (again.plan, again.files, again.steps)
    steps = " ".join(s for seed in range(300) for s in make_case(random.Random(seed)).steps)
    for kind in ("delete", "duplicate", "retype", "cidr", "ipv6", "rename", "unknown-key", "failed-over", "vms-csv",
                 "scale", "csv", "bytes truncate", "bytes flip", "bytes tabs", "bytes bom", "bytes crlf",
                 "bytes anchor-alias", "benign"):
        assert kind in steps, kind
    assert {name for name, _, _ in seeds()} == {"minimal", "woodgrove", "base", "base-csv", "base-peering"}


def _result(exit_code, stdout="", stderr=""):
    return SimpleNamespace(exit_code=exit_code, stdout=stdout, stderr=stderr, exception=None)


@pytest.mark.parametrize(
    "result, json_asked, problem",
    [
        (_result(3, stderr="drnet: internal error (KeyError: 'x')."), False, "exit 3"),
        (_result(1, stderr="Traceback (most recent call last):"), False, "traceback"),
        (_result(1, stdout=f"unknown column '{CANARY}' E008"), False, "outside"),
        (_result(1, stdout="not json"), True, "not JSON"),
        (_result(1, stdout="{}"), True, "without an error diagnostic"),
        (_result(2), False, "without a message"),
    ],
    ids=["internal-error", "traceback", "canary", "not-json", "exit-1-silent", "exit-2-silent"],
)
def test_the_checks_catch_what_they_look_for(result, json_asked, problem):
    assert problem in (check(result, json_asked, "validate") or "")


def test_the_checks_pass_a_good_result():
    good = _result(1, stdout='{"diagnostics": [{"code": "E005", "severity": "error"}]}')
    assert check(good, True, "validate") is None


# --- a few cases through the real `drnet` process: the entry point, stdin, signals -----------

DRNET = Path(sys.executable).parent / "drnet"


def _smoke_cases():
    base_text = dict((name, text) for name, text, _ in seeds())["base"]
    return {
        "vms-csv-stdin": base_text + "vms_csv: /dev/stdin\n",
        "vms-csv-zero": base_text + "vms_csv: /dev/zero\n",
        "vms-csv-outside": base_text + "vms_csv: ../secret.csv\n",
        "huge-int": base_text.replace("version: 1", "version: " + HUGE_DIGITS),
        "alias-bomb": base_text + "".join(
            [f"b{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i else "x"] * 10) + "]\n" for i in range(9)]),
    }


@pytest.mark.parametrize("name", list(_smoke_cases()))
def test_subprocess_smoke(tmp_path, name):
    """stdin stays open and silent: a command that read it would hang until the timeout."""
    case = Case(name, _smoke_cases()[name].encode(), subnets=["Apps"])
    plan = write_case(case, tmp_path)
    # one command per case (a process costs a second or more on a busy runner), each command once
    commands = [["validate", str(plan), "--format", "json"], ["report", str(plan)], ["runbook", str(plan), "--failover", "Apps"],
                ["diff", str(plan), "--failover", "Apps", "--format", "json"], ["plan", str(plan), "--format", "json"]]
    for args in (commands[sorted(_smoke_cases()).index(name)],):
        proc = subprocess.Popen([str(DRNET), *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**os.environ, "NO_COLOR": "1"})
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"{args[0]} on {name} did not end in 60 s")
        result = SimpleNamespace(exit_code=proc.returncode, stdout=out.decode(), stderr=err.decode(), exception=None)
        assert proc.returncode == 1, (args, result.stderr[-500:])
        assert check(result, "--format" in args, args[0]) is None, (args, result.stdout[:300], result.stderr[:300])
