"""Byte-identical output for the same plan; reordering the plan's lists changes nothing."""

from __future__ import annotations

import shutil

import yaml

from tests.conftest import ROOT

from .conftest import read_files


def reverse_lists(node):
    if isinstance(node, dict):
        return {k: reverse_lists(v) for k, v in node.items()}
    if isinstance(node, list):
        items = [reverse_lists(v) for v in node]
        # a VM's NICs keep their order: it is the VM's own (ASR matches NICs by position);
        # a connection's `networks` is [hub, spoke] / a pair: its order means something
        if items and all(isinstance(v, dict) and "vm_network" in v and "ip" in v for v in items):
            return items
        if items and all(isinstance(v, str) for v in items) and len(items) == 2:
            return items
        return items[::-1]
    return node


def test_same_plan_same_bytes(synthesized, tmp_path):
    from drnet.cli_synth import synth_into

    first = synthesized[("woodgrove", "failover")]
    synth_into(first["analysis"].resolved, tmp_path)
    assert read_files(tmp_path) == read_files(first["dir"])


def test_reordered_plan_same_output(synthesized, tmp_path):
    from planner.api import analyze

    from drnet.cli_synth import synth_into

    data = yaml.safe_load((ROOT / "templates" / "woodgrove.yaml").read_text())
    plan = tmp_path / "plan" / "woodgrove.yaml"
    plan.parent.mkdir()
    plan.write_text(yaml.safe_dump(reverse_lists(data), sort_keys=False))
    csv_lines = (ROOT / "templates" / "woodgrove-vms.csv").read_text().splitlines()
    (plan.parent / "woodgrove-vms.csv").write_text("\n".join([csv_lines[0], *reversed(csv_lines[1:])]) + "\n")
    for phase in ("steady", "failover"):
        keys = None if phase == "steady" else [s.key for s in synthesized[("woodgrove", "steady")]["analysis"].resolved.onprem_subnets][::-1]
        analysis = analyze(plan, failed_over=keys)
        assert analysis.ok, [d.message for d in analysis.diagnostics]
        out = tmp_path / phase
        synth_into(analysis.resolved, out)
        assert read_files(out) == read_files(synthesized[("woodgrove", phase)]["dir"])
    shutil.rmtree(tmp_path / "plan")
