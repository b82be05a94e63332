"""drnet report: structure and content on every template, in both phases."""

from __future__ import annotations

import re

from planner.api import PlanStates
from planner.readiness import readiness
from review import diagram
from review.report import build_report
from tests.review.conftest import rel, review_states


def _report(plan, phase, **kw):
    now, after = review_states(plan, phase)
    states = PlanStates(plan)
    matrix = readiness(states, states.analysis(list(now.resolved.failed_over)))
    return now, after, build_report(now, after, source=rel(plan), version="test", readiness=matrix, **kw)


def test_report_structure_and_content(template_phase, md_snapshot):
    plan, phase = template_phase
    now, after, text = _report(plan, phase)
    r = now.resolved
    for heading in ("## Summary", "### Networks", "### Network mappings", "### Failover readiness", "### Connections",
                    "### Local network gateway prefixes", "## Topology", "## Where each NIC lands", "## Warnings and errors"):
        assert f"\n{heading}\n" in text, heading
    # every NIC row: VM, source IP, recovery IP, test IP
    for nic in r.nics:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{nic.vm}` | {nic.nic} |"))
        assert f"`{nic.ip}`" in row
        if nic.recovery:
            assert f"{nic.recovery.network} / {nic.recovery.subnet}" in row and f"`{nic.recovery.ip}`" in row
        if nic.test:
            assert f"`{nic.test.ip}`" in row
    for m in r.mappings:
        assert f"`{m.vm_network}` | `{m.recovery_network}`" in text
    if r.local_network_gateway:
        for prefix in r.local_network_gateway.prefixes + after.resolved.local_network_gateway.prefixes:
            assert f"`{prefix}`" in text
    # diagrams: the current state, plus the failed-over one when another state exists
    blocks = re.findall(r"```mermaid\n(.*?)```", text, flags=re.S)
    assert blocks[0] == diagram.topology(r)
    assert len(blocks) == (1 if set(after.resolved.failed_over) == set(r.failed_over) else 2)
    assert "classDef moved" in blocks[-1]
    assert (":::moved" in blocks[-1]) == bool(after.resolved.failed_over)
    if phase == "failover":
        assert "State | failed over: " in text
    assert text == md_snapshot


def test_woodgrove_report_lng_withdraws_apps_and_moves_subnet(tmp_path):
    from tests.conftest import ROOT

    _, _, text = _report(ROOT / "templates/woodgrove.yaml", "steady")
    assert "| `192.168.0.0/16` | yes | no | **withdrawn after failover** |" in text
    assert "| `v2v-prod-recovery` | vnet-to-vnet | vnet-woodgrove-prod ⇄ vnet-woodgrove-recovery | after-failover | absent | active |" in text
    after_diagram = re.findall(r"```mermaid\n(.*?)```", text, flags=re.S)[1]
    assert 'op0["Woodgrove-Apps/Apps<br/>192.168.1.0/24 · retain<br/>moved to Azure"]:::moved' in after_diagram
    assert 'op0 -.->|"failed over"| net1s0' in after_diagram
    assert 'net0gw <==>|"v2v-prod-recovery · BGP"| net1gw' in after_diagram
    steady_diagram = re.findall(r"```mermaid\n(.*?)```", text, flags=re.S)[0]
    assert 'net0gw <-.->|"v2v-prod-recovery · BGP · after failover"| net1gw' in steady_diagram


def test_large_tables_fold_and_truncate(tmp_path, monkeypatch):
    from bench.gen_plan import write_plan
    from review.states import analyze_states, failover_candidates

    plan = write_plan(tmp_path / "big.yaml", 120)
    (now,) = analyze_states(plan, [None])
    now, after = analyze_states(plan, [None, [s.key for s in failover_candidates(now.resolved)]])
    full = build_report(now, after, source="big.yaml", version="test")
    assert "<details>\n<summary>120 NICs in VMN00/S00</summary>" in full  # 120 rows > the fold limit
    assert full.count("| `VM00119` | 0 |") == 1
    short = build_report(now, after, source="big.yaml", version="test", max_nic_rows=5)
    assert "… and 115 more NICs" in short and "`VM00119`" not in short
    # many subnets: one node per network instead of one per subnet
    monkeypatch.setattr(diagram, "DETAIL_LIMIT", 5)
    summarised = diagram.topology(after.resolved)
    assert 'opall["10 subnets, 120 NICs<br/>10 failed over"]' in summarised
    assert 'net1s["10 subnets<br/>⇐ 120 failed-over NICs"]:::landed' in summarised


def test_report_readiness_table_lists_each_subnet_alone():
    """Woodgrove: Apps alone is ready; Data alone brings up the VNet-to-VNet and strands Apps'
    prefix (E501) and BATCH01's Apps NIC (E410); the state column names the failover."""
    from tests.conftest import ROOT

    _, _, text = _report(ROOT / "templates/woodgrove.yaml", "steady")
    assert "| failover | `Woodgrove-Apps/Apps` | ok | up: `v2v-prod-recovery` |" in text
    assert "| failover | `Woodgrove-Apps/Data` | **E410, E501** | up: `v2v-prod-recovery` |" in text
    assert "| failover | `Woodgrove-Apps` (VM network: Apps, Data) | ok |" in text
    assert "2 of 4 failovers ready" in text
    assert "| failover of Woodgrove-Apps/Data alone |" in text
