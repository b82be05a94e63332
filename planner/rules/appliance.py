"""The appliance (`routing.next_hop_ip`) against the plan: whose address it is, where it sits,
and who can reach it. E609/W610 (is it in a subnet at all) live with the gateways."""

from __future__ import annotations

from ..diagnostics import error, warning
from ..index import parse_ip
from ..topology import adjacency, appliance_location, failed_over_networks, reaches_appliance
from . import rule

PATH = ("routing", "next_hop_ip")


def _next_hop(ctx):
    routing = ctx.plan.routing
    return parse_ip(routing.next_hop_ip) if routing and routing.next_hop_ip else None


@rule("E611", "routing.next_hop_ip is not an address a failed-over VM takes")
def next_hop_is_a_vm(ctx):
    ip = _next_hop(ctx)
    if ip is None:
        return
    for nic in ctx.resolved.nics:
        if nic.recovery is not None and nic.recovery.ip and parse_ip(nic.recovery.ip) == ip:
            how = "keeps" if nic.ip_rule == "retained" else "gets"
            yield error("E611", f"next hop {ip} is the address {nic.vm} NIC {nic.nic} {how} in {nic.recovery.network} after failover",
                        PATH, hint="the appliance needs an address of its own: pick one that no VM uses, in a subnet of its own")
            return


@rule("E612", "routing.next_hop_ip is not inside an on-prem subnet (an address that moves on failover)")
def next_hop_in_onprem_subnet(ctx):
    ip = _next_hop(ctx)
    if ip is None:
        return
    for (vmn, sub), prefix in ctx.index.onprem_prefix.items():
        if ip in prefix:
            yield error("E612", f"next hop {ip} lies in the on-prem subnet {vmn}/{sub} ({prefix}): the appliance would sit in a "
                        "subnet that fails over, at both sites until it does", PATH,
                        hint="put the appliance in an Azure subnet of its own, outside every on-prem subnet (a /28 is enough)")
            return


@rule("W613", "no failed-over subnet lands in the appliance's subnet (that subnet gets no route table)", stateful=True)
def failed_over_into_appliance_subnet(ctx):
    idx = ctx.index
    where = appliance_location(idx)
    if where is None:
        return
    landed = sorted({(n.vm_network, n.subnet) for n in ctx.resolved.nics
                     if n.failed_over and n.recovery is not None and (n.recovery.network, n.recovery.subnet) == where})
    for key in landed:
        i = idx.failed_over.get(key)
        yield warning(
            "W613",
            f"{key[0]}/{key[1]} has failed over into {where[0]}/{where[1]}, the appliance's subnet, which gets no route table "
            "(it would loop): its VMs reach on-prem without the appliance",
            ("failed_over", i) if i is not None else PATH,
            hint="give the appliance a subnet of its own that no VM network fails over into",
        )


@rule("W614", "every network that routes through the appliance can reach it (same network or peered)", stateful=True)
def appliance_unreachable(ctx):
    idx = ctx.index
    where = appliance_location(idx)
    if where is None:
        return
    graph = adjacency(idx)
    holds_failed_over = failed_over_networks(idx)
    for name in sorted(idx.networks):
        net = idx.networks[name]
        if net.existing or name in idx.test_networks or not net.subnets or reaches_appliance(graph, name, where[0]):
            continue
        resolved = ctx.resolved.network(name)
        if not (resolved and resolved.reachable_from_onprem) and name not in holds_failed_over:
            continue  # nothing to route in this state
        yield warning(
            "W614",
            f"{name} is neither {where[0]} nor peered with it in this state, so it cannot reach the appliance "
            f"{_next_hop(ctx)}: drnet gives its route table no routes (traffic takes the gateway, uninspected)",
            idx.network_paths[name],
            hint=f"peer {name} with {where[0]} (a `peering` connection), or accept routing without the appliance",
        )


RULES = [next_hop_is_a_vm, next_hop_in_onprem_subnet, failed_over_into_appliance_subnet, appliance_unreachable]
