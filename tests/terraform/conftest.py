"""Fixtures of the Terraform harness: the stand-ins' mirror (once per session), scratch
Terraform working directories with their own fake ARM world, and every template synthesized
(steady and one subnet failed over, JSON and HCL) in this one process (the CDK loads once).

Without a `terraform` binary the tests skip, saying why; with DRNET_REQUIRE_TERRAFORM=1 (set
by `.ci/run` before `python3 dev.py test`) they fail instead: CI machines have Terraform.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import TEMPLATES

from .arm_fixtures import seed_world
from .harness import REQUIRE_ENV, Terraform, build_mirror, terraform_binary

PHASES = ("steady", "failover")
FORMATS = ("json", "hcl")


def require_terraform() -> None:
    if terraform_binary() is not None:
        return
    message = "no `terraform` binary on PATH: the Terraform harness tests need Terraform 1.11+"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{message} ({REQUIRE_ENV}=1: this run must prove the output with Terraform)", pytrace=False)
    pytest.skip(message)


class Harness:
    """Makes scratch Terraform working directories, each with a fake ARM world."""

    def __init__(self, base: Path, cli_config: Path):
        self.base = base
        self.cli_config = cli_config
        self._n = itertools.count()

    def world(self, resolved, **knobs) -> Path:
        return seed_world(resolved, self.base / f"world-{next(self._n)}.json", **knobs)

    def copy_world(self, world: Path) -> Path:
        target = self.base / f"world-{next(self._n)}.json"
        shutil.copy2(world, target)
        return target

    def terraform(self, world: Path, stack_dir: Path | None = None) -> Terraform:
        tf = Terraform(self.base / f"work-{next(self._n)}", self.cli_config, world)
        return tf.use(stack_dir) if stack_dir is not None else tf


@pytest.fixture(scope="session")
def harness(tmp_path_factory) -> Harness:
    require_terraform()
    base = tmp_path_factory.mktemp("tf-harness")
    return Harness(base, build_mirror(base))


def one_failover(plan_path: Path):
    """The first on-prem subnet that can fail over (the planner accepts the state)."""
    from planner.api import analyze

    steady = analyze(plan_path)
    assert steady.ok, [d.message for d in steady.diagnostics]
    for subnet in steady.resolved.onprem_subnets:
        if subnet.recovery_network is None:
            continue
        state = analyze(plan_path, failed_over=[subnet.key])
        if state.ok:
            return steady, state
    pytest.fail(f"{plan_path.name}: no subnet can fail over")


def stack_dirs(outdir: Path) -> dict[str, Path]:
    """{'network': dir, 'recovery': dir}"""
    found = {}
    for d in sorted((outdir / "stacks").iterdir()):
        found["network" if d.name.endswith("-network") else "recovery"] = d
    return found


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory):
    """{(template, phase, format): {"resolved": ResolvedPlan, "stacks": {"network": dir, "recovery": dir}}}"""
    from drnet.cli_synth import synth_into

    out = {}
    for template in TEMPLATES:
        states = dict(zip(PHASES, one_failover(template)))
        for phase, fmt in itertools.product(PHASES, FORMATS):
            outdir = tmp_path_factory.mktemp(f"{template.stem}-{phase}-{fmt}")
            synth_into(states[phase].resolved, outdir, hcl=fmt == "hcl")
            out[(template.stem, phase, fmt)] = {"resolved": states[phase].resolved, "stacks": stack_dirs(outdir)}
    return out


def plan_body(plan_json: dict, address_prefix: str = "azapi_resource_action.") -> dict[str, dict]:
    """{vm: planned body} of the per-VM recovery settings in a `terraform show -json` plan."""
    bodies = {}
    for rc in plan_json.get("resource_changes", []):
        if rc["address"].startswith(address_prefix) and rc["change"]["after"] is not None:
            bodies[rc["index"]] = rc["change"]["after"]["body"]
    return bodies


def world_calls(world: Path) -> list:
    return json.loads(world.read_text(encoding="utf-8"))["calls"]


def pytest_terminal_summary(terminalreporter):
    """The harness's cost, every run: Terraform commands run and their total time."""
    if not Terraform.timings:
        return
    by_cmd: dict[str, list[float]] = {}
    for cmd, secs in Terraform.timings:
        by_cmd.setdefault(cmd, []).append(secs)
    parts = ", ".join(f"{c} {len(v)}x {sum(v):.0f}s" for c, v in sorted(by_cmd.items()))
    total = sum(s for _, s in Terraform.timings)
    terminalreporter.write_line(f"terraform harness: {parts}; {total:.0f}s in terraform")
