"""Terraform accepts every template's output: init, validate and plan succeed, in the steady
state and with one subnet failed over, JSON and `--hcl`; HCL is `terraform fmt`-clean.

Both stacks are planned against a world where nothing drnet manages exists yet (the first
pull request of a new plan): the recovery stack must plan before the network stack is
applied (issue 7, defect 8).
"""

from __future__ import annotations

import itertools

import pytest

from tests.conftest import TEMPLATES

from .conftest import FORMATS, PHASES

CASES = [(t.stem, p, f) for t, p, f in itertools.product(TEMPLATES, PHASES, FORMATS)]
STACKS = ("network", "recovery")


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize(("template", "phase", "fmt"), CASES)
def test_stack_inits_validates_and_plans(synthesized, harness, template, phase, fmt, stack):
    case = synthesized[(template, phase, fmt)]
    tf = harness.terraform(harness.world(case["resolved"]), case["stacks"][stack])
    tf.init()
    tf.validate()
    tf.plan()
    plan = tf.show_plan()
    assert plan["errored"] is False
    if fmt == "hcl":
        tf.fmt_check()


@pytest.mark.parametrize("template", [t.stem for t in TEMPLATES])
def test_json_and_hcl_plan_the_same_changes(synthesized, harness, template):
    """`--hcl` is the same Terraform as the JSON: identical planned resources and values."""
    planned = {}
    for fmt in FORMATS:
        case = synthesized[(template, "steady", fmt)]
        tf = harness.terraform(harness.world(case["resolved"]), case["stacks"]["network"])
        tf.init()
        tf.plan()
        planned[fmt] = {rc["address"]: (rc["change"]["actions"], rc["change"]["after"])
                        for rc in tf.show_plan()["resource_changes"]}
    assert planned["hcl"] == planned["json"]
