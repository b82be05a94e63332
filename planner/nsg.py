"""Network security groups on the subnets drnet creates.

Every subnet drnet creates gets one (many organisations deny subnets without an NSG with
Azure Policy, and checkov flags them: CKV2_AZURE_31): the existing NSG the plan names on
the subnet or its network (referenced), else one drnet creates per network. A created NSG
on a recovery network has no rules of its own (Azure's defaults apply, so a failover finds
the network as open as a plain one); on a test network it denies traffic to and from
on-prem and the other Azure networks: a second wall around the drill, on top of it being
unconnected.
"""

from __future__ import annotations

from netaddr import IPSet

from . import naming
from .index import Index
from .resolved import CREATED, REFERENCED, NsgPlan, NsgRulePlan
from .special_subnets import SPECIAL_SUBNETS

# Subnets drnet never puts an NSG on:
# - GatewaySubnet: "Network security groups (NSGs) on the gateway subnet aren't supported"
#   https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings#gwsub
# - AzureFirewallSubnet, AzureFirewallManagementSubnet: NSGs are not supported there
#   https://learn.microsoft.com/azure/firewall/firewall-faq
# - RouteServerSubnet: an NSG on it is not supported
#   https://learn.microsoft.com/azure/route-server/route-server-faq
# - AzureBastionSubnet: supports only an NSG with Bastion's own rule set
#   (https://learn.microsoft.com/azure/bastion/bastion-nsg); a drnet NSG would break Bastion
NO_NSG_SUBNETS = frozenset(SPECIAL_SUBNETS)  # the same five names as special_subnets.py

# NSG rule priorities run 100-4096, lowest first: the wall comes before anything else.
WALL_PRIORITY = 100


def gets_nsg(subnet_name: str) -> bool:
    return subnet_name.lower() not in NO_NSG_SUBNETS


def _wall(idx: Index, network: str) -> tuple[NsgRulePlan, ...]:
    """On-prem and every other Azure network, minus the test network's own space (it
    overlaps on-prem on purpose: a drill keeps the IPs)."""
    far = IPSet(idx.onprem_space)
    for name, spaces in idx.network_space.items():
        if name not in idx.test_networks:
            far |= IPSet(spaces)
    far -= IPSet(idx.network_space.get(network, []))
    prefixes = tuple(str(c) for c in far.iter_cidrs())
    if not prefixes:
        return ()
    reason = "test network: no traffic with on-prem or the production and recovery networks"
    return (
        NsgRulePlan("deny-onprem-and-azure-in", WALL_PRIORITY, "Inbound", "Deny", prefixes, reason),
        NsgRulePlan("deny-onprem-and-azure-out", WALL_PRIORITY, "Outbound", "Deny", prefixes, reason),
    )


def resolve_nsgs(idx: Index, default_rg: str) -> tuple[NsgPlan, ...]:
    plan = idx.plan
    out: list[NsgPlan] = []
    for name in sorted(idx.networks):
        net = idx.networks[name]
        if net.existing:
            continue
        rg = net.resource_group or default_rg
        groups: dict[tuple[str, str, str], list[str]] = {}  # (mode, name, rg) -> subnets
        for sub in net.subnets:
            if not gets_nsg(sub.name):
                continue
            ref = sub.nsg or net.nsg
            if ref is not None:
                key = (REFERENCED, ref.name, ref.resource_group or rg)
            else:
                key = (CREATED, naming.nsg(plan.name, name), rg)
            groups.setdefault(key, []).append(sub.name)
        for (mode, nsg_name, nsg_rg), subnets in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][2])):
            rules = _wall(idx, name) if mode == CREATED and name in idx.test_networks else ()
            out.append(NsgPlan(nsg_name, name, nsg_rg, mode, tuple(sorted(subnets)), rules))
    return tuple(out)
