"""Names: duplicates and references that point nowhere."""

from __future__ import annotations

from ..diagnostics import error
from ..index import failed_over_matches
from ..topology import connection_networks
from ..validate_schema import did_you_mean
from . import rule


def _duplicates(items, path, what, fold_case=False):
    seen = {}
    for i, item in enumerate(items):
        name = item.name.lower() if fold_case else item.name
        if name in seen:
            yield error(
                "E201",
                f"duplicate {what} name '{item.name}' (first at {path_str(path, seen[name])})",
                path + (i, "name"),
                hint=f"{what} names must be unique",
            )
        else:
            seen[name] = i


def path_str(path, i):
    from ..diagnostics import format_path

    return format_path(path + (i,))


@rule("E201", "names of VM networks, subnets, Azure networks, connections and VMs are unique")
def duplicate_names(ctx):
    plan = ctx.plan
    yield from _duplicates(plan.onprem.vm_networks, ("onprem", "vm_networks"), "VM network")
    for i, vmn in enumerate(plan.onprem.vm_networks):
        yield from _duplicates(vmn.subnets, ("onprem", "vm_networks", i, "subnets"), "subnet")
    # Azure resource names are case-insensitive: App and app are the same subnet
    yield from _duplicates(plan.azure.networks, ("azure", "networks"), "Azure network", fold_case=True)
    for i, net in enumerate(plan.azure.networks):
        yield from _duplicates(net.subnets, ("azure", "networks", i, "subnets"), "subnet", fold_case=True)
    yield from _duplicates(plan.connections, ("connections",), "connection")
    yield from _duplicates(plan.vms, ("vms",), "VM")


@rule("E205", "GatewaySubnet is declared through `gateway`, not as a subnet")
def gateway_subnet_declared_as_subnet(ctx):
    for i, net in enumerate(ctx.plan.azure.networks):
        for j, sub in enumerate(net.subnets):
            if sub.name.lower() == "gatewaysubnet":
                yield error(
                    "E205",
                    f"'{sub.name}' in {net.name} is Azure's gateway subnet",
                    ("azure", "networks", i, "subnets", j, "name"),
                    hint="declare it as `gateway: {subnet_prefix: ...}` on the network",
                )


def _subnet_references(idx, entries, path, label):
    """E203/E204 for a list of on-prem subnet names ('Apps' or 'VmNetwork/Subnet')."""
    names = sorted({f"{k[0]}/{k[1]}" for k in idx.onprem_subnets} | {k[1] for k in idx.onprem_subnets})
    for i, entry in enumerate(entries):
        matches = failed_over_matches(idx, entry)
        if not matches:
            guess = did_you_mean(entry, names)
            yield error(
                "E203",
                f"{label}: no on-prem subnet '{entry}'",
                path + (i,),
                hint=f"did you mean '{guess}'?" if guess else "use a subnet name, or VmNetwork/Subnet",
            )
        elif len(matches) > 1:
            options = ", ".join(f"{k[0]}/{k[1]}" for k in matches)
            yield error(
                "E204",
                f"{label}: '{entry}' is ambiguous, it names {options}",
                path + (i,),
                hint="write VmNetwork/Subnet",
            )


@rule(("E203", "E204"), "every `failed_over` entry names exactly one on-prem subnet", stateful=True)
def failed_over_entries(ctx):
    yield from _subnet_references(ctx.index, ctx.plan.failed_over, ("failed_over",), "failed_over")


@rule(("E203", "E204", "E206"), "a connection's `brought_up_by` names on-prem subnets, on a `when: after-failover` connection")
def brought_up_by_entries(ctx):
    for i, conn in enumerate(ctx.plan.connections):
        if conn.brought_up_by is None:
            continue
        path = ("connections", i, "brought_up_by")
        yield from _subnet_references(ctx.index, conn.brought_up_by, path, f"connection '{conn.name}' brought_up_by")
        if conn.when != "after-failover":
            yield error("E206", f"connection '{conn.name}' names brought_up_by but exists always (when: {conn.when})", path,
                        hint="set `when: after-failover` on it, or remove brought_up_by")


@rule("E203", "connections name Azure networks that exist")
def connection_networks_exist(ctx):
    networks = ctx.index.networks
    for i, conn in enumerate(ctx.plan.connections):
        key = "network" if conn.type == "site-to-site" else "networks"
        for k, name in enumerate(connection_networks(conn)):
            if name in networks:
                continue
            guess = did_you_mean(name, networks)
            path = ("connections", i, key) if key == "network" else ("connections", i, key, k)
            yield error(
                "E203",
                f"connection '{conn.name}' names an unknown Azure network '{name}'",
                path,
                hint=f"did you mean '{guess}'?" if guess else "declare it under azure.networks",
            )
        nets = connection_networks(conn)
        if len(nets) == 2 and nets[0] == nets[1]:
            yield error("E203", f"connection '{conn.name}' joins {nets[0]} with itself", ("connections", i, key),
                        hint="name two different networks")


RULES = [duplicate_names, gateway_subnet_declared_as_subnet, failed_over_entries, brought_up_by_entries, connection_networks_exist]
