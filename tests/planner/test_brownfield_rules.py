"""Brownfield and NSG rules: one firing case and one near miss each (FIRES and QUIET run in
tests/planner/test_rules.py with every other rule's), and the adoption cases in full.

The base plan (planbuilder) is a brownfield already: `prod` exists with its gateway.
These cases adopt or reference more of it, or break one thing.
"""

from __future__ import annotations

from .planbuilder import analyze_dict, base, codes, network


def _conn(plan, name):
    return next(c for c in plan["connections"] if c["name"] == name)


def _adopt_s2s(plan):
    """The site-to-site and its local network gateway exist (the near-miss baseline)."""
    _conn(plan, "s2s")["existing"] = {"name": "cn-prod-onprem"}
    plan["onprem"]["vpn_device"]["local_network_gateway"] = {"name": "lgw-prod", "prefixes": ["192.168.0.0/16"]}


def _created_gateway_in_prod(plan):
    network(plan, "prod")["gateway"].pop("existing")


# code, what it protects, mutation, plan path the diagnostic points at
FIRES = [
    ("E801", "existing gateway in a network drnet creates",
     lambda p: network(p, "recovery")["gateway"].update(existing={"name": "vgw-recovery"}), "azure.networks[1].gateway.existing"),
    ("E802", "existing connection to a network drnet creates",
     lambda p: _conn(p, "v2v").update(existing=[{"name": "a"}, {"name": "b"}], when="always"), "connections[1].existing"),
    ("E803", "an adopted connection on a gateway drnet would create (a second gateway)",
     lambda p: (_adopt_s2s(p), _created_gateway_in_prod(p)), "azure.networks[0].gateway"),
    ("W804", "drnet creates a gateway in an existing network", _created_gateway_in_prod, "azure.networks[0].gateway"),
    ("E805", "GatewaySubnet as a subnet and through gateway",
     lambda p: network(p, "prod")["subnets"].append({"name": "GatewaySubnet", "prefix": "172.16.255.0/27"}),
     "azure.networks[0].subnets[1].name"),
    ("E806", "an existing connection only after failover",
     lambda p: (_adopt_s2s(p), _conn(p, "s2s").update(when="after-failover")), "connections[0].when"),
    ("E806", "an existing gateway only after failover",
     lambda p: network(p, "prod")["gateway"].update(when="after-failover"), "azure.networks[0].gateway.when"),
    ("E807", "adopted site-to-site whose local network gateway drnet would create",
     lambda p: _conn(p, "s2s").update(existing={"name": "cn-prod-onprem"}), "connections[0].existing"),
    ("E808", "adopted local network gateway still sending a failed-over subnet to on-prem",
     lambda p: (_adopt_s2s(p), p.update(failed_over=["Apps"])), "onprem.vpn_device.local_network_gateway.prefixes"),
    ("W809", "adopted local network gateway without a site-to-site",
     lambda p: (_adopt_s2s(p), p.update(connections=[_conn(p, "v2v")])), "onprem.vpn_device.local_network_gateway"),
    ("E810", "NSG named on a subnet of an existing network",
     lambda p: network(p, "prod")["subnets"][0].update(nsg={"name": "nsg-front"}), "azure.networks[0].subnets[0].nsg"),
    ("E810", "NSG named for an existing network", lambda p: network(p, "prod").update(nsg={"name": "nsg-prod"}),
     "azure.networks[0].nsg"),
    ("W811", "test network with an existing NSG", lambda p: network(p, "drill").update(nsg={"name": "nsg-drill"}),
     "azure.networks[2].nsg"),
]

QUIET = [
    ("E801", lambda p: network(p, "prod")["gateway"].update(existing={"name": "vgw-prod", "resource_group": "rg-net"})),
    ("E802", lambda p: _adopt_s2s(p)),
    ("E803", lambda p: _adopt_s2s(p)),  # the gateway is named existing
    ("W804", lambda p: network(p, "recovery")["gateway"].update(when="always")),  # created in a network drnet creates
    ("E805", lambda p: network(p, "drill")["subnets"].append({"name": "Gateway", "prefix": "172.20.2.0/27"})),
    ("E806", lambda p: _adopt_s2s(p)),
    ("E807", lambda p: _adopt_s2s(p)),
    ("E808", lambda p: (_adopt_s2s(p), p.update(failed_over=["Data"]))),  # Data changes IPs: nothing moves
    ("W809", lambda p: _adopt_s2s(p)),
    ("E810", lambda p: network(p, "recovery").update(nsg={"name": "nsg-recovery"})),
    ("W811", lambda p: network(p, "recovery").update(nsg={"name": "nsg-recovery"})),
]


def test_adopted_lng_still_sending_a_failed_over_subnet_is_refused(tmp_path):
    """E808 (stateful): Apps (192.168.1.0/24, retain) failed over while the adopted local
    network gateway, as the plan states it now, still sends 192.168.0.0/16 to on-prem."""
    plan = base()
    _adopt_s2s(plan)
    analysis = analyze_dict(tmp_path, plan, failed_over=["Apps"])
    hits = [d for d in analysis.diagnostics if d.code == "E808"]
    assert hits and hits[0].to_json()["path"] == "onprem.vpn_device.local_network_gateway.prefixes"
    assert "192.168.1.0/24" in hits[0].message


def test_a_fully_adopted_brownfield_is_clean_in_both_states(tmp_path):
    """Gateway referenced, site-to-site and local network gateway adopted: no diagnostic in
    the steady state, nor failed over once the stated prefixes no longer hold Apps."""
    plan = base()
    _adopt_s2s(plan)
    assert analyze_dict(tmp_path, plan).diagnostics == []
    plan["onprem"]["vpn_device"]["local_network_gateway"]["prefixes"] = ["192.168.0.0/24", "192.168.2.0/23"]
    assert analyze_dict(tmp_path, plan, failed_over=["Apps"]).diagnostics == []
