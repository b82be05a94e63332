"""Targeted assertions: a snapshot is never the only guard."""

from __future__ import annotations

import json
import re

from .conftest import resources

WG = "woodgrove-greenfield"  # drnet creates everything (templates/woodgrove.yaml adopts: test_brownfield.py)


def _stack(synthesized, phase, template, kind):
    case = synthesized[(template, phase)]
    return case["stacks"][f"{case['analysis'].resolved.name}-{kind}"]


def net(synthesized, phase, template=WG):
    return _stack(synthesized, phase, template, "network")


def rec(synthesized, phase, template=WG):
    return _stack(synthesized, phase, template, "recovery")


def test_lng_prefixes_follow_the_state(synthesized):
    for phase in ("steady", "failover"):
        plan = synthesized[(WG, phase)]["analysis"].resolved
        lng = resources(net(synthesized, phase))[("azurerm_local_network_gateway", "lgw-woodgrove-onprem")]
        assert sorted(lng["address_space"]) == sorted(plan.local_network_gateway.prefixes)
        assert lng["gateway_address"] == "203.0.113.10"
        assert lng["bgp_settings"] == {"asn": 65010, "bgp_peering_address": "192.168.0.254"}
    steady = resources(net(synthesized, "steady"))[("azurerm_local_network_gateway", "lgw-woodgrove-onprem")]
    failed = resources(net(synthesized, "failover"))[("azurerm_local_network_gateway", "lgw-woodgrove-onprem")]
    assert steady["address_space"] == ["192.168.0.0/16"]
    assert "192.168.1.0/24" not in failed["address_space"] and "192.168.0.0/24" in failed["address_space"]


def test_connections_per_phase(synthesized):
    def conns(phase):
        return {n: b for (t, n), b in resources(net(synthesized, phase)).items() if t == "azurerm_virtual_network_gateway_connection"}

    steady, failed = conns("steady"), conns("failover")
    assert set(steady) == {"vcn-woodgrove-s2s-onprem"}
    v2v = {"vcn-woodgrove-v2v-prod-recovery-from-vnet-woodgrove-prod", "vcn-woodgrove-v2v-prod-recovery-from-vnet-woodgrove-recovery"}
    assert set(failed) == {"vcn-woodgrove-s2s-onprem"} | v2v
    s2s = failed["vcn-woodgrove-s2s-onprem"]
    assert s2s["type"] == "IPsec" and s2s["enable_bgp"] is True
    assert s2s["local_network_gateway_id"] == "${azurerm_local_network_gateway.lgw-woodgrove-onprem.id}"
    a = failed["vcn-woodgrove-v2v-prod-recovery-from-vnet-woodgrove-prod"]
    b = failed["vcn-woodgrove-v2v-prod-recovery-from-vnet-woodgrove-recovery"]
    assert a["type"] == b["type"] == "Vnet2Vnet"
    assert a["virtual_network_gateway_id"] == b["peer_virtual_network_gateway_id"]
    assert b["virtual_network_gateway_id"] == a["peer_virtual_network_gateway_id"]
    assert a["shared_key"] == b["shared_key"] == "${var.shared_key_v2v_prod_recovery}"


def test_gateways_and_public_ips(synthesized):
    res = resources(net(synthesized, "steady"))
    gw = res[("azurerm_virtual_network_gateway", "vgw-woodgrove-vnet-woodgrove-recovery")]
    assert (gw["type"], gw["vpn_type"], gw["sku"], gw["enable_bgp"]) == ("Vpn", "RouteBased", "VpnGw1AZ", True)
    assert gw["bgp_settings"] == {"asn": 65516}
    for (kind, _), body in res.items():
        if kind == "azurerm_public_ip":
            assert (body["sku"], body["allocation_method"]) == ("Standard", "Static")
    subnet = res[("azurerm_subnet", "vnet-woodgrove-prod--GatewaySubnet")]
    assert subnet["name"] == "GatewaySubnet" and subnet["address_prefixes"] == ["172.16.255.0/27"]


def test_existing_network_is_only_referenced(synthesized):
    for phase in ("steady", "failover"):
        doc = net(synthesized, phase, "woodgrove")
        assert ("azurerm_virtual_network", "vnet-woodgrove-prod") in resources(doc, "data")
        assert ("azurerm_virtual_network", "vnet-woodgrove-prod") not in resources(doc)
        managed = {n for (t, n) in resources(doc) if t == "azurerm_subnet"}
        assert not any(n.startswith("vnet-woodgrove-prod--") and not n.endswith("GatewaySubnet") for n in managed)


def test_routes_follow_the_state(synthesized):
    """Brownfield Woodgrove: drnet's only route table is the recovery network's."""
    def routes(phase):
        return {b["address_prefix"] for (t, _), b in resources(net(synthesized, phase, "woodgrove")).items() if t == "azurerm_route"}

    assert routes("steady") == set()
    plan = synthesized[("woodgrove", "failover")]["analysis"].resolved
    assert routes("failover") == {r.prefix for t in plan.route_tables for r in t.routes}
    assoc = {n for (t, n) in resources(net(synthesized, "steady", "woodgrove")) if t == "azurerm_subnet_route_table_association"}
    assert assoc == {f"rt-woodgrove-vnet-woodgrove-recovery--{s}" for s in ("Apps", "Data", "Web")}


def test_network_mappings(synthesized):
    res = resources(rec(synthesized, "steady"))
    maps = {n: b for (t, n), b in res.items() if t == "azurerm_site_recovery_hyperv_network_mapping"}
    assert set(maps) == {"map-woodgrove-woodgrove-apps", "map-woodgrove-woodgrove-web"}
    apps = maps["map-woodgrove-woodgrove-apps"]
    assert apps["name"] == "map-woodgrove-woodgrove-apps"
    assert apps["source_system_center_virtual_machine_manager_name"] == "vmm01.corp.woodgrove.com"
    assert apps["source_network_name"] == "Woodgrove-Apps"
    assert apps["target_network_id"] == '${local.network_ids["vnet-woodgrove-recovery"]}'
    assert apps["recovery_vault_id"] == "${data.azurerm_recovery_services_vault.vault.id}"


def test_static_ips_in_the_recovery_settings(synthesized):
    doc = rec(synthesized, "steady")
    settings = doc["locals"]["recovery_nic_settings"]
    plan = synthesized[(WG, "steady")]["analysis"].resolved
    assert set(settings) == {n.vm for n in plan.nics}
    for nic in plan.nics:
        entry = next(e for e in settings[nic.vm]["nics"] if e["position"] == nic.nic)
        ip = entry["ip_config"]
        assert ip["recoverySubnetName"] == nic.recovery.subnet and ip["recoveryStaticIPAddress"] == nic.recovery.ip
        assert ip["tfoSubnetName"] == nic.test.subnet and ip["tfoStaticIPAddress"] == nic.test.ip
        assert ip["isSeletedForFailover"] is True
    sql = settings["SQL01"]["nics"][0]["ip_config"]
    assert (sql["recoverySubnetName"], sql["recoveryStaticIPAddress"]) == ("Data", "172.20.2.40")
    assert settings["APP01"]["nics"][0]["ip_config"]["recoveryStaticIPAddress"] == "192.168.1.10"
    assert [e["position"] for e in settings["BATCH01"]["nics"]] == [0, 1]


def test_recovery_settings_are_a_patch_never_a_put(synthesized):
    doc = rec(synthesized, "steady")
    action = resources(doc)[("azapi_resource_action", "recovery_nic_settings")]
    assert action["method"] == "PATCH"
    assert action["type"].endswith("/replicationProtectedItems@2025-08-01")
    # the for_each value is the VM names only: Terraform walks the whole for_each value for every
    # instance, so per-VM targets are read by key (plan of 2,000 VMs: over 12 CPU-minutes -> 40 s)
    assert action["for_each"] == "${local.recovery_nic_keys}"
    assert "each.value" not in json.dumps(action)
    body = action["body"]
    for needle in ("nicId = try(nic.asr.nicId, null)", "selectionType", "ipConfigName", "vmNics", '"HyperVReplicaAzure"'):
        assert needle in body
    assert "azapi_update_resource" not in json.dumps(doc) and "azapi_resource\"" not in json.dumps(doc)
    listing = resources(doc, "data")[("azapi_resource_list", "asr_protected_items")]
    assert listing["parent_id"] == "${data.azurerm_recovery_services_vault.vault.id}"
    assert doc["terraform"]["required_providers"]["azapi"] == {"source": "azure/azapi", "version": "2.7.0"}
    assert doc["terraform"]["required_providers"]["azurerm"]["version"] == "4.55.0"


def test_settings_tables_beside_the_terraform(synthesized):
    d = synthesized[(WG, "steady")]["dir"] / "stacks" / "woodgrove-recovery"
    csv_text = (d / "recovery-nic-settings.csv").read_text()
    assert csv_text.splitlines()[0].startswith("vm,nic,vm_network,subnet,ip,recovery_network")
    assert "SQL01,0,Woodgrove-Apps,Data,192.168.2.20,vnet-woodgrove-recovery,Data,172.20.2.40" in csv_text
    assert "| SQL01 | 0 |" in (d / "recovery-nic-settings.md").read_text()
    failed = synthesized[(WG, "failover")]["dir"] / "stacks" / "woodgrove-recovery"
    assert (failed / "recovery-nic-settings.csv").read_text() == csv_text


def test_shared_keys_are_sensitive_variables_and_never_values(synthesized, monkeypatch):
    for (template, phase), result in synthesized.items():
        plan = result["analysis"].resolved
        doc = result["stacks"][f"{plan.name}-network"]
        wanted = {c.shared_key_variable for c in plan.connections if c.shared_key_variable}
        assert set(doc.get("variable", {})) == wanted
        for var in doc.get("variable", {}).values():
            assert var["sensitive"] is True and "default" not in var
        for (t, _), body in resources(doc).items():
            if t == "azurerm_virtual_network_gateway_connection":
                assert re.fullmatch(r"\$\{var\.shared_key_[a-z0-9_]+\}", body["shared_key"])


def test_no_secret_reaches_the_output(analyses, tmp_path, monkeypatch):
    """Keys set the usual ways (TF_VAR_*, ARM_*) never appear: stacks read no environment."""
    secret = "N0t-In-The-0utput-7f3a"
    monkeypatch.setenv("TF_VAR_shared_key_s2s_onprem", secret)
    monkeypatch.setenv("TF_VAR_shared_key_v2v_prod_recovery", secret)
    monkeypatch.setenv("ARM_CLIENT_SECRET", secret)
    from drnet.cli_synth import synth_into

    synth_into(analyses[WG]["failover"].resolved, tmp_path)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(encoding="utf-8"), path


def test_no_absolute_paths_in_the_output(synthesized):
    for result in synthesized.values():
        for path in result["dir"].rglob("*"):
            if path.is_file():
                assert str(result["dir"]) not in path.read_text(encoding="utf-8")


def test_public_ips_are_zone_redundant_for_az_skus_only(synthesized):
    """An AZ gateway needs a zonal or zone-redundant public IP (issue 7, defect 1)."""
    for template in (WG, "hubspoke"):
        res = resources(net(synthesized, "steady", template))
        gateways = {b["ip_configuration"][0]["public_ip_address_id"]: b["sku"] for (t, _), b in res.items() if t == "azurerm_virtual_network_gateway"}
        for (kind, logical), body in res.items():
            if kind == "azurerm_public_ip":
                sku = gateways[f"${{azurerm_public_ip.{logical}.id}}"]
                if sku.endswith("AZ"):
                    assert body["zones"] == ["1", "2", "3"], logical
                else:
                    assert "zones" not in body, logical
    hub = resources(net(synthesized, "steady", "hubspoke"))
    assert {b["sku"] for (t, _), b in hub.items() if t == "azurerm_virtual_network_gateway"} == {"VpnGw1AZ", "VpnGw2"}


def test_spoke_leg_of_gateway_transit_waits_for_the_hub_gateway(synthesized):
    """A fresh apply must not create the spoke leg while the hub's gateway is still being
    built (RemoteVnetHasNoGateways) (issue 7, defect 7)."""
    res = resources(net(synthesized, "steady", "hubspoke"))
    hub = res[("azurerm_virtual_network_peering", "peer-hubspoke-hub-spoke-from-prod")]
    spoke = res[("azurerm_virtual_network_peering", "peer-hubspoke-hub-spoke-from-spoke")]
    assert (hub["allow_gateway_transit"], hub["use_remote_gateways"]) == (True, False)
    assert (spoke["allow_gateway_transit"], spoke["use_remote_gateways"]) == (False, True)
    assert spoke["depends_on"] == ["azurerm_virtual_network_gateway.vgw-hubspoke-prod"]
    assert "depends_on" not in hub


def test_recovery_stack_plans_before_the_network_stack_is_applied(synthesized):
    """No data source reads a network (it would 404 until the network stack is applied):
    ids are built from names and the subscription of the provider (issue 7, defect 8)."""
    for (template, phase), result in synthesized.items():
        doc = rec(synthesized, phase, template)
        plan = result["analysis"].resolved
        assert not any(t == "azurerm_virtual_network" for (t, _) in resources(doc, "data"))
        assert ("azurerm_client_config", "current") in resources(doc, "data")
        wanted = {m.recovery_network for m in plan.mappings} | {n.test.network for n in plan.nics if n.test}
        ids = doc["locals"]["network_ids"]
        assert set(ids) == wanted
        for name in wanted:
            rg = plan.network(name).resource_group
            assert ids[name] == (
                "/subscriptions/${data.azurerm_client_config.current.subscription_id}"
                f"/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{name}"
            )
    settings = rec(synthesized, "steady")["locals"]["recovery_nic_settings"]
    assert settings["APP01"]["networks"] == {
        "selectedRecoveryAzureNetworkId": '${local.network_ids["vnet-woodgrove-recovery"]}',
        "selectedTfoAzureNetworkId": '${local.network_ids["vnet-woodgrove-drill"]}',
    }


def test_every_stack_requires_terraform_1_5(synthesized):
    """Check blocks (and the import blocks of brownfield adoption) need Terraform 1.5."""
    for result in synthesized.values():
        for doc in result["stacks"].values():
            assert doc["terraform"]["required_version"] == ">= 1.6"
