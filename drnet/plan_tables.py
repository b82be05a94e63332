"""`drnet plan` for people: the resolved plan as terminal tables (Rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table


def _endpoint(ep) -> str:
    if ep is None:
        return "-"
    return f"{ep.network}/{ep.subnet} {ep.ip or '?'}"


def print_plan(resolved, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    state = ", ".join(resolved.failed_over) if resolved.failed_over else "none (steady state)"
    console.print(f"[bold]{resolved.name}[/bold]: failed over: {state}")

    nics = Table(title="Where each VM NIC lands", title_justify="left")
    for col in ("VM", "NIC", "source", "recovery", "test failover", "rule"):
        nics.add_column(col)
    for nic in resolved.nics:
        rule = " / ".join(r for r in (nic.subnet_rule, nic.ip_rule) if r) or "-"
        style = "yellow" if nic.subnet_rule == "first-subnet" else None
        moved = " (failed over)" if nic.failed_over else ""
        nics.add_row(
            nic.vm,
            str(nic.nic),
            f"{nic.vm_network}/{nic.subnet} {nic.ip}",
            _endpoint(nic.recovery) + moved,
            _endpoint(nic.test),
            rule,
            style=style,
        )
    console.print(nics)

    conns = Table(title="Connections", title_justify="left")
    for col in ("name", "type", "networks", "when", "now", "BGP"):
        conns.add_column(col)
    for c in resolved.connections:
        conns.add_row(
            c.name,
            c.type,
            " <-> ".join(("on-prem",) + c.networks if c.type == "site-to-site" else c.networks),
            c.when,
            "[green]active[/green]" if c.active else "[dim]absent[/dim]",
            "yes" if c.bgp else "no",
        )
    console.print(conns)

    if resolved.local_network_gateway is not None:
        lng = resolved.local_network_gateway
        console.print(f"[bold]Local network gateway[/bold] {lng.name} ({lng.public_ip}) advertises on-prem prefixes:")
        console.print("  " + (", ".join(lng.prefixes) or "none"))

    routes = Table(title="Routes", title_justify="left")
    for col in ("route table", "subnets", "prefix", "next hop", "why"):
        routes.add_column(col)
    for table in resolved.route_tables:
        if not table.routes:
            routes.add_row(table.name, ", ".join(table.subnets), "-", "-", "no cross-site route in this state")
        for r in table.routes:
            hop = r.next_hop_type + (f" {r.next_hop_ip}" if r.next_hop_ip else "")
            routes.add_row(table.name, ", ".join(table.subnets), r.prefix, hop, r.reason)
    console.print(routes)
