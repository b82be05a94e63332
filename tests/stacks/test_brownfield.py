"""Woodgrove is a brownfield: the stacks reference what drnet only uses, import what it must
change, never create a second gateway, and put an NSG on every subnet drnet creates."""

from __future__ import annotations

import pytest

from planner.nsg import NO_NSG_SUBNETS

from .conftest import PHASES, resources

WG = "woodgrove"
SUB = "${data.azurerm_client_config.current.subscription_id}"
PROD_RG = f"/subscriptions/{SUB}/resourceGroups/rg-woodgrove-prod/providers/Microsoft.Network"


def network_stack(synthesized, template, phase):
    case = synthesized[(template, phase)]
    return case["stacks"][f"{case['analysis'].resolved.name}-network"]


@pytest.mark.parametrize("phase", PHASES)
def test_woodgrove_imports_exactly_the_parts_a_failover_changes(synthesized, phase):
    doc = network_stack(synthesized, WG, phase)
    assert doc["import"] == [
        {"id": f"{PROD_RG}/localNetworkGateways/lgw-woodgrove-dc1", "to": "azurerm_local_network_gateway.lgw-woodgrove-dc1"},
        {"id": f"{PROD_RG}/connections/cn-woodgrove-prod-dc1",
         "to": "azurerm_virtual_network_gateway_connection.cn-woodgrove-prod-dc1"},
    ]
    res = resources(doc)
    lng = res[("azurerm_local_network_gateway", "lgw-woodgrove-dc1")]
    assert lng["resource_group_name"] == "rg-woodgrove-prod"  # where it is: never moved (that would replace it)
    s2s = res[("azurerm_virtual_network_gateway_connection", "cn-woodgrove-prod-dc1")]
    assert s2s["resource_group_name"] == "rg-woodgrove-prod"
    assert s2s["virtual_network_gateway_id"] == "${data.azurerm_virtual_network_gateway.vgw-woodgrove-prod.id}"
    assert s2s["local_network_gateway_id"] == "${azurerm_local_network_gateway.lgw-woodgrove-dc1.id}"


@pytest.mark.parametrize("phase", PHASES)
def test_woodgrove_references_the_production_network_and_gateway_and_creates_no_second_one(synthesized, phase):
    doc = network_stack(synthesized, WG, phase)
    res, data = resources(doc), resources(doc, "data")
    assert data[("azurerm_virtual_network_gateway", "vgw-woodgrove-prod")] | {"//": None} == {
        "//": None, "name": "vgw-woodgrove-prod", "resource_group_name": "rg-woodgrove-prod"}
    assert ("azurerm_subnet", "vnet-woodgrove-prod--GatewaySubnet") in data
    assert ("azurerm_virtual_network", "vnet-woodgrove-prod") in data
    gateways = {n for (t, n) in res if t == "azurerm_virtual_network_gateway"}
    assert gateways == {"vgw-woodgrove-vnet-woodgrove-recovery"}  # the recovery network's only
    assert not any(t == "azurerm_subnet" and n.startswith("vnet-woodgrove-prod") for (t, n) in res)
    assert not any(t == "azurerm_public_ip" and "prod" in n for (t, n) in res)
    assert ("azurerm_client_config", "current") in data


@pytest.mark.parametrize("phase", PHASES)
def test_greenfield_creates_everything_and_imports_nothing(synthesized, phase):
    doc = network_stack(synthesized, "woodgrove-greenfield", phase)
    assert "import" not in doc
    res, data = resources(doc), resources(doc, "data")
    assert ("azurerm_virtual_network_gateway", "vgw-woodgrove-vnet-woodgrove-prod") in res
    assert ("azurerm_virtual_network", "vnet-woodgrove-prod") in res
    assert ("azurerm_local_network_gateway", "lgw-woodgrove-onprem") in res
    assert not any(t in ("azurerm_virtual_network_gateway", "azurerm_virtual_network") for (t, _n) in data)


@pytest.mark.parametrize("case", [(t, p) for t in ("minimal", WG, "woodgrove-greenfield") for p in PHASES])
def test_every_subnet_drnet_creates_has_an_nsg_and_no_special_subnet_has_one(synthesized, case):
    res = resources(network_stack(synthesized, *case))
    subnets = {f"${{azurerm_subnet.{n}.id}}": b["name"] for (t, n), b in res.items() if t == "azurerm_subnet"}
    associated = {b["subnet_id"] for (t, _n), b in res.items() if t == "azurerm_subnet_network_security_group_association"}
    wanted = {ref for ref, name in subnets.items() if name.lower() not in NO_NSG_SUBNETS}
    assert associated == wanted and wanted
    assert any(name == "GatewaySubnet" for name in subnets.values()) or case[0] == "minimal"


def test_the_drill_network_is_walled_off_from_onprem_and_production(synthesized):
    res = resources(network_stack(synthesized, WG, "steady"))
    drill = res[("azurerm_network_security_group", "vnet-woodgrove-drill--nsg-woodgrove-vnet-woodgrove-drill")]
    rules = {r["direction"]: r for r in drill["security_rule"]}
    assert set(rules) == {"Inbound", "Outbound"}
    for r in rules.values():
        assert (r["access"], r["priority"], r["protocol"]) == ("Deny", 100, "*")
    far = rules["Outbound"]["destination_address_prefixes"]
    assert "172.16.0.0/16" in far  # production
    assert "192.168.0.0/24" in far and "192.168.1.0/24" not in far  # on-prem, minus the drill's own copy of Apps
    assert rules["Inbound"]["source_address_prefixes"] == far
    recovery = res[("azurerm_network_security_group", "vnet-woodgrove-recovery--nsg-woodgrove-vnet-woodgrove-recovery")]
    assert recovery["security_rule"] == []  # Azure's defaults: a failover finds it as open as a plain network


def test_a_spoke_drnet_creates_peers_with_an_existing_hub_gateway(tmp_path):
    """Brownfield hub-spoke: the hub and its gateway exist (referenced), drnet creates the
    spoke and its gateway-transit peering: the spoke leg uses the existing gateway and has
    nothing to wait for."""
    import json

    from drnet.cli_synth import synth_into
    from tests.planner.planbuilder import analyze_dict, base

    plan = base()
    plan["azure"]["networks"].append(
        {"name": "spoke", "address_space": ["10.60.0.0/16"], "subnets": [{"name": "web", "prefix": "10.60.1.0/24"}]})
    plan["connections"].append({"name": "hub-spoke", "type": "peering", "networks": ["prod", "spoke"], "gateway_transit": True})
    analysis = analyze_dict(tmp_path, plan)
    assert analysis.ok, [d.message for d in analysis.diagnostics]
    synth_into(analysis.resolved, tmp_path / "out")
    doc = json.loads((tmp_path / "out" / "stacks" / "test-network" / "cdk.tf.json").read_text())
    res = resources(doc)
    spoke = res[("azurerm_virtual_network_peering", "peer-test-hub-spoke-from-spoke")]
    assert spoke["use_remote_gateways"] is True and "depends_on" not in spoke
    assert not any(t == "azurerm_virtual_network_gateway" and "prod" in n for (t, n) in res)
    assert ("azurerm_virtual_network_gateway", "vgw-prod") in resources(doc, "data")
