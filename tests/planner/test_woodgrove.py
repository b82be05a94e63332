"""Woodgrove, the reference scenario: targeted assertions on what matters."""

from __future__ import annotations

import pytest

from planner.api import analyze
from tests.conftest import ROOT

PLAN = ROOT / "templates" / "woodgrove.yaml"


@pytest.fixture(scope="module")
def steady():
    return analyze(PLAN)


@pytest.fixture(scope="module")
def apps_failed_over():
    return analyze(PLAN, failed_over=["Apps"])


def _nic(analysis, vm, k=0):
    return next(n for n in analysis.resolved.nics if n.vm == vm and n.nic == k)


def test_at_least_twelve_vms_over_two_vm_networks(steady):
    vms = {n.vm for n in steady.resolved.nics}
    assert len(vms) >= 12
    assert {n.vm_network for n in steady.resolved.nics} == {"Woodgrove-Apps", "Woodgrove-Web"}


def test_steady_state_is_clean_and_the_recovery_network_is_isolated(steady):
    assert steady.diagnostics == []
    conns = {c.name: c for c in steady.resolved.connections}
    assert conns["s2s-onprem"].active and not conns["v2v-prod-recovery"].active
    assert conns["s2s-onprem"].local_network_gateway_prefixes == ("192.168.0.0/16",)
    recovery = steady.resolved.network("vnet-woodgrove-recovery")
    assert not recovery.reachable_from_onprem


def test_retained_ips_and_changed_ips(steady):
    app = _nic(steady, "APP01")
    assert (app.recovery.network, app.recovery.subnet, app.recovery.ip) == ("vnet-woodgrove-recovery", "Apps", "192.168.1.10")
    assert app.ip_rule == "retained" and app.subnet_rule == "same-name"
    sql = _nic(steady, "SQL01")
    assert (sql.recovery.ip, sql.ip_rule) == ("172.20.2.40", "recovery_ip")
    file01 = _nic(steady, "FILE01")
    assert (file01.recovery.ip, file01.ip_rule) == ("172.20.2.50", "same-offset")
    batch_data = _nic(steady, "BATCH01", 1)
    assert batch_data.recovery.subnet == "Data" and batch_data.recovery.ip == "172.20.2.30"
    web = _nic(steady, "WEB01")
    assert (web.test.network, web.test.ip) == ("vnet-woodgrove-drill", "172.20.10.11")


def test_failover_of_apps_moves_the_subnet(apps_failed_over):
    r = apps_failed_over.resolved
    assert apps_failed_over.diagnostics == []
    conns = {c.name: c for c in r.connections}
    assert conns["v2v-prod-recovery"].active and conns["v2v-prod-recovery"].bgp
    lng = conns["s2s-onprem"].local_network_gateway_prefixes
    assert "192.168.1.0/24" not in lng and "192.168.0.0/24" in lng and "192.168.2.0/23" in lng
    assert len(lng) == 8  # 192.168.0.0/16 minus one /24, as a minimal CIDR list
    table = next(t for t in r.route_tables if t.network == "vnet-woodgrove-recovery")
    assert [rt.prefix for rt in table.routes] == list(lng)
    assert all(rt.next_hop_type == "VirtualNetworkGateway" for rt in table.routes)


def test_what_failover_does_not_change(steady, apps_failed_over):
    for before, after in zip(steady.resolved.nics, apps_failed_over.resolved.nics):
        assert (before.recovery, before.test) == (after.recovery, after.test)
    assert steady.resolved.mappings == apps_failed_over.resolved.mappings


def test_failing_over_apps_before_its_network_is_connected_is_safe_but_data_would_stretch(tmp_path):
    """Change the recovery network so Data shares it with a retained prefix: failing over
    Apps alone makes the v2v connection advertise Data's prefix while Data is still on-prem."""
    text = PLAN.read_text()
    text = text.replace("failover: change\n          dns_zone: corp.woodgrove.com\n    - name: Woodgrove-Web",
                        "failover: retain\n    - name: Woodgrove-Web", 1)
    text = text.replace("[192.168.1.0/24, 172.20.2.0/24, 172.20.10.0/24, 10.250.0.0/27]",
                        "[192.168.1.0/24, 192.168.2.0/24, 172.20.10.0/24, 10.250.0.0/27]")
    text = text.replace("[192.168.1.0/24, 172.20.2.0/24, 172.20.10.0/24]\n", "[192.168.1.0/24, 192.168.2.0/24, 172.20.10.0/24]\n")
    text = text.replace("{name: Data, prefix: 172.20.2.0/24}", "{name: Data, prefix: 192.168.2.0/24}")
    text = text.replace(", recovery_ip: 172.20.2.40}", "}").replace(", recovery_ip: 172.20.2.41}", "}")
    plan = tmp_path / "woodgrove.yaml"
    plan.write_text(text)
    (tmp_path / "woodgrove-vms.csv").write_text((ROOT / "templates" / "woodgrove-vms.csv").read_text())
    assert analyze(plan).ok
    partial = analyze(plan, failed_over=["Apps"])
    stretched = [d for d in partial.diagnostics if d.code == "E501"]
    assert len(stretched) == 1 and "192.168.2.0/24" in stretched[0].message
    assert "Woodgrove-Apps/Data" in stretched[0].message
    assert analyze(plan, failed_over=["Apps", "Data"]).ok
