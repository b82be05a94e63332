"""Network mapping and ASR's target-subnet rule."""

from __future__ import annotations

from collections import Counter

from ..diagnostics import error, warning
from ..index import target_subnet
from ..special_subnets import special_service
from ..validate_schema import did_you_mean
from . import rule


def _hint(name, choices, otherwise):
    guess = did_you_mean(name, choices)
    return f"did you mean '{guess}'?" if guess else otherwise


@rule(("E302", "E303", "E309"), "mappings name existing VM networks and Azure networks, once each")
def mapping_references(ctx):
    idx = ctx.index
    seen = set()
    for i, mapping in enumerate(ctx.plan.network_mappings):
        path = ("network_mappings", i)
        if mapping.vm_network in seen:
            yield error("E309", f"VM network '{mapping.vm_network}' is mapped twice", path + ("vm_network",),
                        hint="ASR maps a VM network to exactly one Azure network")
        seen.add(mapping.vm_network)
        if mapping.vm_network not in idx.vm_networks:
            yield error("E302", f"mapping names an unknown VM network '{mapping.vm_network}'", path + ("vm_network",),
                        hint=_hint(mapping.vm_network, idx.vm_networks, "declare it under onprem.vm_networks"))
        for key in ("recovery_network", "test_network"):
            name = getattr(mapping, key)
            if name is not None and name not in idx.networks:
                yield error("E303", f"mapping names an unknown Azure network '{name}'", path + (key,),
                            hint=_hint(name, idx.networks, "declare it under azure.networks"))
        if mapping.test_network and mapping.test_network == mapping.recovery_network:
            yield error("E303", "the test network is the recovery network: a drill would share it with production",
                        path + ("test_network",), hint="give test failovers an isolated network")


@rule("E301", "every VM network used by a VM is mapped")
def unmapped_vm_network(ctx):
    idx = ctx.index
    uses = Counter()
    first = {}
    for i, vm in enumerate(ctx.plan.vms):
        for j, nic in enumerate(vm.nics):
            if nic.vm_network in idx.vm_networks and nic.vm_network not in idx.mappings:
                uses[nic.vm_network] += 1
                first.setdefault(nic.vm_network, ("vms", i, "nics", j, "vm_network"))
    for name, count in uses.items():
        yield error(
            "E301",
            f"VM network '{name}' is used by {count} NIC(s) but has no network mapping",
            first[name],
            hint=f"add `- {{vm_network: {name}, recovery_network: ...}}` to network_mappings",
        )


@rule("E308", "each NIC names a declared VM network and one of its subnets")
def nic_subnet_exists(ctx):
    idx = ctx.index
    for i, vm in enumerate(ctx.plan.vms):
        for j, nic in enumerate(vm.nics):
            path = ("vms", i, "nics", j)
            vmn = idx.vm_networks.get(nic.vm_network)
            if vmn is None:
                yield error("E308", f"{vm.name}: unknown VM network '{nic.vm_network}'", path + ("vm_network",),
                            hint=_hint(nic.vm_network, idx.vm_networks, "declare it under onprem.vm_networks"))
            elif (nic.vm_network, nic.subnet) not in idx.onprem_subnets:
                names = [s.name for s in vmn.subnets]
                yield error("E308", f"{vm.name}: VM network {nic.vm_network} has no subnet '{nic.subnet}'",
                            path + ("subnet",), hint=_hint(nic.subnet, names, "subnets: " + ", ".join(names)))


@rule("E307", "recovery and test networks have at least one subnet")
def network_without_subnets(ctx):
    idx = ctx.index
    for i, mapping in enumerate(ctx.plan.network_mappings):
        for key in ("recovery_network", "test_network"):
            net = idx.networks.get(getattr(mapping, key) or "")
            if net is not None and not net.subnets:
                yield error("E307", f"{net.name} has no subnet for failed-over VMs to land in",
                            ("network_mappings", i, key), hint=f"add subnets to {net.name}")


# ASR: "If there's no target subnet with a matching name, the virtual machine connects
# to the first subnet in the network" (shared/reference/asr-hyperv-vmm-network-planning.md).
@rule("W304", "a NIC whose target subnet is chosen by ASR's first-subnet fallback")
def first_subnet_fallback(ctx):
    for nic in ctx.resolved.nics:
        for ep, rule_used, label in ((nic.recovery, nic.subnet_rule, "recovery"), (nic.test, nic.test_subnet_rule, "test-failover")):
            # a landing in a special-purpose subnet is E312's (an error that says the same and more)
            if ep is not None and rule_used == "first-subnet" and special_service(ep.subnet) is None:
                near = [s.name for s in ctx.index.networks[ep.network].subnets if s.name.lower() == nic.subnet.lower()]
                hint = (f"'{near[0]}' differs from '{nic.subnet}' only in case; drnet matches names exactly: rename one"
                        if near else f"add a subnet named '{nic.subnet}' to {ep.network} to make the choice explicit")
                yield warning(
                    "W304",
                    f"{nic.vm} NIC {nic.nic}: {ep.network} has no subnet named '{nic.subnet}'; "
                    f"the {label} VM lands in '{ep.subnet}', the first subnet in alphabetical order",
                    nic.path + ("subnet",),
                    hint=hint,
                )


# Azure reserves these subnets for one service each: a VM NIC cannot be placed there, and ASR's
# fallback ("the first subnet in the network",
# https://learn.microsoft.com/azure/site-recovery/hyper-v-vmm-network-mapping) does not skip them.
@rule("E312", "no NIC lands (on failover or in a drill) in one of Azure's special-purpose subnets")
def special_subnet_landing(ctx):
    for nic in ctx.resolved.nics:
        for ep, rule_used, label in ((nic.recovery, nic.subnet_rule, "recovery"), (nic.test, nic.test_subnet_rule, "test-failover")):
            service = special_service(ep.subnet) if ep is not None else None
            if service is None:
                continue
            if rule_used == "first-subnet":
                why = f"{ep.network} has no subnet named '{nic.subnet}' and '{ep.subnet}' is the first subnet in alphabetical order"
                hint = f"add a subnet named '{nic.subnet}' to {ep.network}: ASR then picks it by name"
            else:
                why = f"'{ep.subnet}' has the on-prem subnet's name"
                hint = f"give the on-prem subnet's VMs another subnet: Azure keeps {ep.subnet} for {service}"
            yield error(
                "E312",
                f"{nic.vm} NIC {nic.nic}: the {label} VM would land in {ep.network}/{ep.subnet} ({why}); "
                f"Azure reserves that subnet for {service} and refuses a VM there",
                nic.path + ("subnet",),
                hint=hint,
            )


@rule(("E305", "E306"), "a retain subnet has a same-name target subnet with the same prefix")
def retain_needs_same_subnet(ctx):
    idx = ctx.index
    for (vmn, sub_name), sub in idx.onprem_subnets.items():
        mapping = idx.mappings.get(vmn)
        if sub.failover != "retain" or mapping is None:
            continue
        path = idx.onprem_subnet_paths[(vmn, sub_name)]
        net = idx.networks.get(mapping.recovery_network)
        if net is None or not net.subnets:
            continue
        target, how = target_subnet(net, sub_name)
        source_prefix = idx.onprem_prefix.get((vmn, sub_name))
        if how != "same-name":
            yield error(
                "E305",
                f"{vmn}/{sub_name} keeps its IPs on failover, but {net.name} has no subnet named '{sub_name}'",
                path + ("failover",),
                hint=f"add `{{name: {sub_name}, prefix: {sub.prefix}}}` to {net.name}, or use failover: change",
            )
            continue
        target_prefix = idx.subnet_prefix.get((net.name, target.name))
        if source_prefix is not None and target_prefix is not None and source_prefix != target_prefix:
            yield error(
                "E306",
                f"{vmn}/{sub_name} ({source_prefix}) keeps its IPs, but {net.name}/{target.name} is {target_prefix}",
                path + ("prefix",),
                hint=f"subnet failover moves the whole subnet: give {net.name}/{target.name} the prefix {source_prefix}",
            )


@rule("E311", "a failed-over subnet belongs to a mapped VM network", stateful=True)
def failed_over_unmapped(ctx):
    idx = ctx.index
    for (vmn, sub), i in sorted(idx.failed_over.items(), key=lambda item: item[1]):
        if vmn in idx.vm_networks and vmn not in idx.mappings:
            yield error(
                "E311",
                f"{vmn}/{sub} is marked failed over, but {vmn} has no network mapping: it has no Azure network to be in",
                ("failed_over", i),
                hint=f"add a network mapping for {vmn}, or remove it from failed_over",
            )


# A replicated item has one recovery network (`selectedRecoveryAzureNetworkId` of the ASR
# Hyper-V replication details) and an Azure VM's NICs all sit in one virtual network:
# "All network interfaces attached to a VM must connect to subnets within the same virtual
# network" (https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface-vm).
@rule("E310", "all NICs of a VM land in one recovery network and one test network")
def nics_in_one_network(ctx):
    by_vm: dict[str, list] = {}
    for nic in ctx.resolved.nics:
        by_vm.setdefault(nic.vm, []).append(nic)
    for vm, nics in by_vm.items():
        for label, attr in (("recovery", "recovery"), ("test-failover", "test")):
            landed = [(n, getattr(n, attr)) for n in nics if getattr(n, attr) is not None]
            networks = {ep.network for _, ep in landed}
            if len(networks) > 1:
                first = landed[0][1].network
                odd = next(n for n, ep in landed if ep.network != first)
                yield error(
                    "E310",
                    f"{vm}: its NICs land in different {label} networks ({', '.join(sorted(networks))}); "
                    "an Azure VM's NICs must all be in one virtual network",
                    odd.path + ("vm_network",),
                    hint="map the VM networks of this VM's NICs to the same Azure network",
                )


RULES = [
    mapping_references,
    unmapped_vm_network,
    nic_subnet_exists,
    network_without_subnets,
    first_subnet_fallback,
    special_subnet_landing,
    retain_needs_same_subnet,
    nics_in_one_network,
    failed_over_unmapped,
]
