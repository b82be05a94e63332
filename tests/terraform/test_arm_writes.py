"""What a change costs in ARM writes (planned resource actions), on a small plan:
a failover touches no per-VM setting, adding a VM costs exactly one action.
bench/bench_terraform.py measures the same on Woodgrove and a 2,000-VM plan.
"""

from __future__ import annotations

import copy

import yaml

from tests.planner.planbuilder import BASE

from .conftest import stack_dirs
from .harness import action_counts, actions


def _synth(tmp_path_factory, plan: dict, failed_over=None):
    from drnet.cli_synth import synth_into
    from planner.api import analyze

    work = tmp_path_factory.mktemp("writes")
    path = work / "plan.yaml"
    path.write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    analysis = analyze(path, failed_over=failed_over)
    assert analysis.ok, [d.message for d in analysis.errors]
    synth_into(analysis.resolved, work / "out")
    return analysis.resolved, stack_dirs(work / "out")


def test_failover_touches_no_vm_setting_and_a_new_vm_costs_one_action(harness, tmp_path_factory):
    plan = copy.deepcopy(BASE)
    resolved, steady = _synth(tmp_path_factory, plan)
    _, failover = _synth(tmp_path_factory, plan, failed_over=["Apps"])
    grown = copy.deepcopy(plan)
    grown["vms"].append({"name": "APP02", "nics": [{"vm_network": "Corp", "subnet": "Apps", "ip": "192.168.1.11"}]})
    grown_resolved, bigger = _synth(tmp_path_factory, grown)

    world = harness.world(grown_resolved)  # APP02 is protected in the vault already
    network = harness.terraform(world, steady["network"])
    network.init()
    network.apply()
    recovery = harness.terraform(world, steady["recovery"])
    recovery.init()
    recovery.apply()

    recovery.use(failover["recovery"]).plan()
    assert actions(recovery.show_plan()) == {}
    network.use(failover["network"]).plan()
    assert action_counts(network.show_plan())["replace"] == 0

    recovery.use(bigger["recovery"]).plan()
    assert actions(recovery.show_plan()) == {'azapi_resource_action.recovery_nic_settings["APP02"]': ("create",)}
