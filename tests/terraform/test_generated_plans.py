"""Every generated plan `drnet validate` accepts synthesizes into Terraform that validates and
plans (both stacks, on a world where nothing drnet manages exists yet).

Seeded (derandomized) hypothesis, so a run is reproducible; all plans synthesize in this one
process (the CDK loads once) and each stack kind reuses one initialized working directory
(the generated plans share their name, so their backend and providers are the same).
`DRNET_TF_EXAMPLES` sets the number of examples (CI default below; bench/bench_terraform.py
runs a few hundred).
"""

from __future__ import annotations

import os

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings

from .conftest import stack_dirs
from .plangen import plans

EXAMPLES = int(os.environ.get("DRNET_TF_EXAMPLES", "16"))


@pytest.fixture(scope="module")
def workdirs(harness):
    """One initialized scratch directory per stack kind, reused by every example."""
    return {}


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          phases=[Phase.explicit, Phase.generate],  # no shrinking: each example runs Terraform
          suppress_health_check=list(HealthCheck))
@given(plan=plans())
def test_every_accepted_generated_plan_validates_and_plans(harness, workdirs, tmp_path_factory, plan):
    from drnet.cli_synth import synth_into
    from planner.api import analyze

    work = tmp_path_factory.mktemp("gen")
    path = work / "plan.yaml"
    path.write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    analysis = analyze(path)
    if not analysis.ok:
        return  # not a plan drnet accepts: nothing to prove about its Terraform
    synth_into(analysis.resolved, work / "out")
    world = harness.world(analysis.resolved)
    for kind, stack_dir in stack_dirs(work / "out").items():
        tf = workdirs.get(kind)
        if tf is None:
            tf = workdirs[kind] = harness.terraform(world, stack_dir)
            tf.init()
        tf.env["DRNET_FAKE_ARM"] = str(world)
        tf.use(stack_dir)
        for state in tf.workdir.glob("*.tfstate*"):
            state.unlink()
        try:
            tf.validate()
            tf.plan()
        except AssertionError as exc:
            raise AssertionError(f"{kind} stack of this generated plan:\n{path.read_text()}\n{exc}") from None
