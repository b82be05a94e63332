"""The planner decides the zones of a gateway's public IP (Azure refuses an AZ gateway
whose public IP has none: VmssVpnGatewayPublicIpsMustHaveZonesConfigured)."""

from __future__ import annotations

from .planbuilder import analyze_dict, base, network


def _zones(tmp_path, sku):
    plan = base()
    network(plan, "recovery")["gateway"]["sku"] = sku
    resolved = analyze_dict(tmp_path, plan).resolved
    return next(n for n in resolved.networks if n.name == "recovery").gateway.public_ip_zones


def test_az_sku_gets_a_zone_redundant_public_ip(tmp_path):
    assert _zones(tmp_path, "VpnGw2AZ") == ("1", "2", "3")


def test_non_az_sku_gets_a_public_ip_without_zones(tmp_path):
    assert _zones(tmp_path, "VpnGw2") == ()
    assert _zones(tmp_path, "Basic") == ()
