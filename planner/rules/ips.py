"""VM addresses: inside their subnets, not reserved by Azure, unique."""

from __future__ import annotations

from ..diagnostics import error
from ..index import parse_ip, parse_prefix
from . import rule


def _who(nic) -> str:
    return f"{nic.vm} NIC {nic.nic}"


# Azure reserves five addresses in every subnet: the network address, .1 (default
# gateway), .2 and .3 (Azure DNS) and the broadcast address.
# https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq#are-there-any-restrictions-on-using-ip-addresses-within-these-subnets
def _placement(ip_text: str, prefix_text: str) -> str | None:
    """'outside', 'reserved' or 'usable' for an address in a subnet; None if either is malformed.

    Plain integers: these checks run for every NIC of the plan."""
    ip, prefix = parse_ip(ip_text), parse_prefix(prefix_text)
    if ip is None or prefix is None:
        return None
    value, first, last = ip.value, prefix.first, prefix.last
    if value < first or value > last:
        return "outside"
    return "reserved" if value - first < 4 or value == last else "usable"


@rule("E401", "a NIC's IP lies inside its on-prem subnet")
def ip_outside_source_subnet(ctx):
    idx = ctx.index
    for i, vm in enumerate(ctx.plan.vms):
        for j, nic in enumerate(vm.nics):
            prefix = idx.onprem_prefix.get((nic.vm_network, nic.subnet))
            ip = parse_ip(nic.ip)
            if prefix is not None and ip is not None and not prefix.first <= ip.value <= prefix.last:
                yield error("E401", f"{vm.name}: {ip} is outside {nic.vm_network}/{nic.subnet} ({prefix})",
                            ("vms", i, "nics", j, "ip"), hint="check the NIC's subnet: the IP must be one of its addresses")


@rule("E402", "a retained IP is not one of the five addresses Azure reserves in a subnet")
def retained_ip_reserved(ctx):
    for nic in ctx.resolved.nics:
        if nic.ip_rule != "retained" or nic.recovery is None:
            continue
        if _placement(nic.ip, nic.recovery.prefix) == "reserved":
            yield error(
                "E402",
                f"{nic.vm} cannot keep {nic.ip}: Azure reserves the first four and the last address of {nic.recovery.prefix}",
                nic.path + ("ip",),
                hint="re-address the VM on-prem before failover, or use failover: change for its subnet",
            )


@rule("E403", "source IPs are unique across the plan")
def duplicate_source_ip(ctx):
    seen = {}
    for nic in ctx.resolved.nics:
        if parse_ip(nic.ip) is None:
            continue
        key = nic.ip.strip()
        if key in seen:
            yield error("E403", f"{nic.vm}: IP {key} is also used by {seen[key]}", nic.path + ("ip",),
                        hint="each NIC has its own address: correct one of them (a copy-paste slip?)")
        else:
            seen[key] = f"{nic.vm} NIC {nic.nic}"


@rule("E408", "recovery_ip only on NICs of change subnets")
def recovery_ip_on_retain(ctx):
    for i, vm in enumerate(ctx.plan.vms):
        for j, nic in enumerate(vm.nics):
            sub = ctx.index.onprem_subnets.get((nic.vm_network, nic.subnet))
            if nic.recovery_ip is not None and sub is not None and sub.failover == "retain":
                yield error(
                    "E408",
                    f"{vm.name}: recovery_ip is set, but {nic.vm_network}/{nic.subnet} keeps its IPs on failover",
                    ("vms", i, "nics", j, "recovery_ip"),
                    hint="remove recovery_ip, or set failover: change on the subnet",
                )


@rule(("E404", "E405", "E406", "E407"), "a changed IP fits, lies inside the target subnet, is not reserved, is unique")
def changed_ip(ctx):
    owners: dict[tuple[str, str], list] = {}
    for nic in ctx.resolved.nics:
        if nic.recovery is not None and nic.recovery.ip:
            owners.setdefault((nic.recovery.network, nic.recovery.ip.strip()), []).append(nic)
    for nic in ctx.resolved.nics:
        ep = nic.recovery
        if ep is None or nic.ip_rule not in ("recovery_ip", "same-offset"):
            continue
        field = "recovery_ip" if nic.ip_rule == "recovery_ip" else "ip"
        path = nic.path + (field,)
        if ep.ip is None:
            if parse_ip(nic.ip) is not None:
                yield error(
                    "E407",
                    f"{nic.vm}: {nic.ip} has no address at the same offset in {ep.network}/{ep.subnet} ({ep.prefix})",
                    path,
                    hint="set recovery_ip, or make the target subnet at least as large as the source",
                )
            continue
        placement = _placement(ep.ip, ep.prefix)
        ip, prefix = ep.ip, ep.prefix
        if placement is None:
            continue
        if placement == "outside":
            yield error("E404", f"{nic.vm}: recovery IP {ip} is outside {ep.network}/{ep.subnet} ({prefix})", path,
                        hint=f"pick recovery_ip inside {prefix}, where the NIC lands")
            continue
        if placement == "reserved":
            yield error(
                "E405",
                f"{nic.vm}: recovery IP {ip} is reserved by Azure in {prefix} (first four and last addresses)",
                path,
                hint="set recovery_ip to a usable address",
            )
        others = [_who(o) for o in owners.get((ep.network, ep.ip.strip()), []) if o is not nic]
        if others:
            yield error("E406", f"{nic.vm}: recovery IP {ip} in {ep.network} is also given to {', '.join(others[:3])}", path,
                        hint="give each NIC its own recovery_ip")


@rule("E409", "a test-failover IP exists, is usable and is unique in the test network")
def test_ip(ctx):
    seen: dict[tuple[str, str], object] = {}
    for nic in ctx.resolved.nics:
        ep = nic.test
        if ep is None or parse_ip(nic.ip) is None:
            continue
        path = nic.path + ("ip",)
        if ep.ip is None:
            yield error("E409", f"{nic.vm}: no test-failover address for {nic.ip} in {ep.network}/{ep.subnet} ({ep.prefix})",
                        path, hint=f"make {ep.network}/{ep.subnet} at least as large as the source subnet")
            continue
        placement = _placement(ep.ip, ep.prefix)
        if placement is None:
            continue
        if placement != "usable":
            yield error("E409", f"{nic.vm}: test-failover IP {ep.ip} is not usable in {ep.network}/{ep.subnet} ({ep.prefix})", path,
                        hint=f"give {ep.network}/{ep.subnet} the prefix of the recovery subnet, so the drill keeps the recovery IP")
            continue
        key = (ep.network, ep.ip)
        if key in seen:
            yield error("E409", f"{nic.vm}: test-failover IP {ep.ip} in {ep.network} is also given to {_who(seen[key])}", path,
                        hint="give the two NICs distinct recovery IPs, or the drill subnet the recovery subnet's prefix")
        else:
            seen[key] = nic


@rule("E410", "a VM that fails over does not take a retained IP out of a subnet that stays on-prem", stateful=True)
def vm_splits_retained_subnet(ctx):
    idx = ctx.index
    if not idx.failed_over:
        return
    for nic in ctx.resolved.nics:
        if not nic.failed_over or nic.failover != "retain":
            continue
        key = (nic.vm_network, nic.subnet)
        if key not in idx.failed_over and key in idx.onprem_subnets:
            moved = sorted({f"{n.vm_network}/{n.subnet}" for n in ctx.resolved.nics
                            if n.vm == nic.vm and (n.vm_network, n.subnet) in idx.failed_over})
            yield error(
                "E410",
                f"{nic.vm} fails over with {', '.join(moved)}, taking {nic.ip} to Azure while "
                f"{nic.vm_network}/{nic.subnet} stays on-prem: the address would exist at both sites",
                nic.path + ("subnet",),
                hint=f"fail over {nic.vm_network}/{nic.subnet} together with {', '.join(moved)}, "
                "or give this NIC a change-IP subnet",
            )


RULES = [
    ip_outside_source_subnet,
    retained_ip_reserved,
    duplicate_source_ip,
    recovery_ip_on_retain,
    changed_ip,
    test_ip,
    vm_splits_retained_subnet,
]
