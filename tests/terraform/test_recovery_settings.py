"""The per-VM recovery settings plan to the exact PATCH the issue asks for, against protected
items shaped like ASR's list (fixtures): NIC ids from ASR matched by VM network (never by
position alone), the recovery VM's name, size and license carried; a VM not (yet) protected
or a name repeated under another VMM server never blocks the mappings or the other VMs.

The recovery stack is planned in a world where the network stack was applied, so these
tests judge the settings alone (defect 8, planning before the network exists, is in
test_templates.py).
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from tests.conftest import ROOT, TEMPLATES

from .arm_fixtures import expected_patch_body, normalized_body, replace_items
from .conftest import plan_body, stack_dirs


@pytest.fixture(scope="module")
def network_applied(synthesized, harness):
    """template -> a world where its steady network stack is applied (made once, on demand)."""
    made = {}

    def get(template: str):
        if template not in made:
            case = synthesized[(template, "steady", "json")]
            world = harness.world(case["resolved"])
            network = harness.terraform(world, case["stacks"]["network"])
            network.init()
            network.apply()
            made[template] = world
        return made[template]
    return get


def _plan_recovery(harness, world, stack_dir, *, check=True):
    tf = harness.terraform(world, stack_dir)
    tf.init()
    proc = tf.plan(check=check)
    return tf, proc


@pytest.mark.parametrize("template", [t.stem for t in TEMPLATES])
def test_planned_body_is_the_exact_patch_for_every_vm(synthesized, harness, network_applied, template):
    case = synthesized[(template, "steady", "json")]
    world = harness.copy_world(network_applied(template))
    tf, _ = _plan_recovery(harness, world, case["stacks"]["recovery"])
    bodies = plan_body(tf.show_plan())
    vms = sorted({n.vm for n in case["resolved"].nics})
    assert sorted(bodies) == vms
    for vm in vms:
        assert normalized_body(bodies[vm]) == normalized_body(expected_patch_body(case["resolved"], vm)), vm


@pytest.fixture(scope="module")
def multi_network_vm(tmp_path_factory, harness):
    """Woodgrove plus MULTI01, whose NICs sit in two VM networks (Web first, then Apps):
    synthesized, with the network stack applied."""
    from drnet.cli_synth import synth_into
    from planner.api import analyze

    src = ROOT / "templates" / "woodgrove.yaml"
    work = tmp_path_factory.mktemp("multi-nic")
    plan = yaml.safe_load(src.read_text(encoding="utf-8"))
    plan["vms"].append({"name": "MULTI01", "nics": [
        {"vm_network": "Woodgrove-Web", "subnet": "Web", "ip": "192.168.10.77"},
        {"vm_network": "Woodgrove-Apps", "subnet": "Apps", "ip": "192.168.1.77"},
    ]})
    shutil.copy2(src.with_name(plan["vms_csv"]), work / plan["vms_csv"])
    path = work / "woodgrove.yaml"
    path.write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    analysis = analyze(path)
    assert analysis.ok, [d.message for d in analysis.errors]
    synth_into(analysis.resolved, work / "out")
    stacks = stack_dirs(work / "out")
    world = harness.world(analysis.resolved)
    network = harness.terraform(world, stacks["network"])
    network.init()
    network.apply()
    return analysis.resolved, stacks, world


def test_nics_match_by_vm_network_whatever_order_asr_lists_them(harness, multi_network_vm):
    """Defect 5: ASR lists MULTI01's NICs Apps first; the plan says Web first. Each NIC's
    settings still go to ASR's NIC of the same VM network."""
    resolved, stacks, world = multi_network_vm
    world = harness.copy_world(world)
    replace_items(world, resolved, nic_order="by-network-reversed")
    tf, _ = _plan_recovery(harness, world, stacks["recovery"])
    body = plan_body(tf.show_plan())["MULTI01"]
    assert normalized_body(body) == normalized_body(expected_patch_body(resolved, "MULTI01"))


def test_a_vm_missing_from_the_vault_blocks_nothing(harness, multi_network_vm):
    """Defect 3: one VM not protected yet: the plan succeeds, the mappings and the other VMs'
    settings are planned, and the missing VM is reported (a warning, not an error)."""
    resolved, stacks, world = multi_network_vm
    world = harness.copy_world(world)
    replace_items(world, resolved, missing_vms={"APP02"})
    tf, proc = _plan_recovery(harness, world, stacks["recovery"])
    plan = tf.show_plan()
    bodies = plan_body(plan)
    assert "APP02" not in bodies
    assert sorted(bodies) == sorted({n.vm for n in resolved.nics} - {"APP02"})
    mappings = [rc for rc in plan["resource_changes"] if rc["type"] == "azurerm_site_recovery_hyperv_network_mapping"]
    assert mappings and all(rc["change"]["actions"] == ["create"] for rc in mappings)
    assert "APP02" in proc.stdout + proc.stderr, "the missing VM is not reported"


def test_a_name_repeated_under_another_vmm_server_takes_the_plans_one(harness, multi_network_vm):
    """Defect 4: APP01 also exists under another VMM server in the vault: no 'Duplicate object
    key', and the settings go to the item of the plan's VMM server."""
    resolved, stacks, world = multi_network_vm
    world = harness.copy_world(world)
    replace_items(world, resolved, duplicate_under_other_vmm={"APP01"})
    tf, _ = _plan_recovery(harness, world, stacks["recovery"])
    body = plan_body(tf.show_plan())["APP01"]
    assert normalized_body(body) == normalized_body(expected_patch_body(resolved, "APP01"))
