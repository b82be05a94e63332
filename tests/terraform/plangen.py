"""Generated DR plans (hypothesis strategies) in the shapes real plans take: hub and spokes,
chains of VNet-to-VNet connections, several VM networks, retain and change subnets,
multi-NIC VMs, shared or per-network recovery networks, with or without a drill network,
in the steady state or with some subnets failed over.

Every generated plan is meant to be valid; the tests keep those `drnet validate` accepts and
check the generator's yield stays high (a generator that only makes invalid plans proves
nothing).
"""

from __future__ import annotations

from hypothesis import strategies as st

SKUS = ["VpnGw1", "VpnGw1AZ", "VpnGw2AZ"]


@st.composite
def plans(draw) -> dict:
    n_vmnets = draw(st.integers(1, 3))
    shared_recovery = draw(st.booleans())
    with_drill = draw(st.booleans())
    topology = draw(st.sampled_from(["v2v", "hub-spoke", "chain", "s2s-only"]))
    sku = draw(st.sampled_from(SKUS))
    hub_existing = draw(st.booleans())

    vm_networks, subnets_of = [], {}
    for i in range(n_vmnets):
        subs = []
        for j in range(draw(st.integers(1, 3))):
            retain = draw(st.booleans())
            sub = {"name": f"S{i}{j}", "prefix": f"10.{i}.{j + 1}.0/24", "failover": "retain" if retain else "change"}
            if not retain:
                sub["dns_zone"] = "corp.example.com"
            subs.append(sub)
        vm_networks.append({"name": f"VMN{i}", "subnets": subs})
        subnets_of[f"VMN{i}"] = subs

    def target(i, j, sub):
        return sub["prefix"] if sub["failover"] == "retain" else f"172.{20 + i}.{j + 1}.0/24"

    networks = [{"name": "vnet-hub", "address_space": ["172.16.0.0/16"],
                 "subnets": [{"name": "front", "prefix": "172.16.1.0/24"}],
                 "gateway": {"subnet_prefix": "172.16.255.0/27", "sku": sku, "bgp_asn": 65515}}]
    if hub_existing:
        networks[0]["existing"] = True
    groups = [list(range(n_vmnets))] if shared_recovery else [[i] for i in range(n_vmnets)]
    mappings, connections = [], [{"name": "s2s", "type": "site-to-site", "network": "vnet-hub"}]
    needs_gateway = topology in ("v2v", "chain")
    previous = "vnet-hub"
    for g, members in enumerate(groups):
        rec_subs = [{"name": s["name"], "prefix": target(i, j, s)} for i in members for j, s in enumerate(subnets_of[f"VMN{i}"])]
        space = [s["prefix"] for s in rec_subs]
        rec = {"name": f"vnet-rec{g}", "address_space": list(space), "subnets": rec_subs}
        if needs_gateway:
            # outside the on-prem 10.0.0.0/8: the VPN must not route the GatewaySubnet on-prem
            rec["address_space"].append(f"172.31.{g}.0/27")
            rec["gateway"] = {"subnet_prefix": f"172.31.{g}.0/27", "sku": sku, "bgp_asn": 65600 + g}
        networks.append(rec)
        if with_drill:
            networks.append({"name": f"vnet-drill{g}", "address_space": list(space), "subnets": [dict(s) for s in rec_subs]})
        for i in members:
            m = {"vm_network": f"VMN{i}", "recovery_network": f"vnet-rec{g}"}
            if with_drill:
                m["test_network"] = f"vnet-drill{g}"
            mappings.append(m)
        if topology == "v2v":
            connections.append({"name": f"v2v{g}", "type": "vnet-to-vnet", "networks": ["vnet-hub", f"vnet-rec{g}"],
                                "when": "after-failover"})
        elif topology == "chain":
            connections.append({"name": f"v2v{g}", "type": "vnet-to-vnet", "networks": [previous, f"vnet-rec{g}"],
                                "when": "after-failover"})
            previous = f"vnet-rec{g}"
        elif topology == "hub-spoke":
            connections.append({"name": f"peer{g}", "type": "peering", "networks": ["vnet-hub", f"vnet-rec{g}"],
                                "gateway_transit": True, "when": "after-failover"})

    vms, n = [], 0
    all_subs = [(f"VMN{i}", s) for i in range(n_vmnets) for s in subnets_of[f"VMN{i}"]]
    group_of = {f"VMN{i}": g for g, members in enumerate(groups) for i in members}
    for vmnet, sub in all_subs:
        third = sub["prefix"].split(".")[2]
        for k in range(draw(st.integers(1, 2))):
            nics = [{"vm_network": vmnet, "subnet": sub["name"], "ip": f"10.{vmnet[3:]}.{third}.{10 + k}"}]
            # a second NIC lands in the same recovery network (an Azure VM sits in one network)
            others = [x for x in all_subs if x[1] is not sub and group_of[x[0]] == group_of[vmnet]]
            if others and draw(st.booleans()):
                other_net, other = draw(st.sampled_from(others))
                o_third = other["prefix"].split(".")[2]
                nics.append({"vm_network": other_net, "subnet": other["name"], "ip": f"10.{other_net[3:]}.{o_third}.{100 + n % 100}"})
            vms.append({"name": f"VM{n:03d}", "nics": nics})
            n += 1
    # a whole recovery network's subnets fail over together (no subnet is at both sites)
    moved = draw(st.lists(st.integers(0, len(groups) - 1), unique=True, max_size=len(groups)))
    failed_over = [f"VMN{i}/{s['name']}" for g in sorted(moved) for i in groups[g] for s in subnets_of[f"VMN{i}"]]
    return {
        "version": 1,
        "name": "gen",
        "onprem": {"vmm_server": "vmm01.corp.example.com", "address_space": ["10.0.0.0/8"],
                   "vpn_device": {"public_ip": "203.0.113.10", "bgp": {"asn": 65010, "peering_address": "10.255.255.254"}}, "vm_networks": vm_networks},
        "azure": {"location": "westeurope", "resource_group": "rg-gen-dr",
                  "recovery_vault": {"name": "rsv-gen", "resource_group": "rg-gen-asr"}, "networks": networks},
        "network_mappings": mappings,
        "connections": connections,
        "failed_over": failed_over,
        "vms": vms,
    }
