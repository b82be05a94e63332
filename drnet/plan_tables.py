"""`drnet plan` for people: the resolved plan as terminal tables (Rich)."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.table import Table


def _nic_tables(resolved, max_rows: int):
    """One table per VM network: its mapping in the title, one row per NIC (the first
    `max_rows` of them; 0 means all: Rich takes seconds per 10,000 rows)."""
    mappings = {m.vm_network: m for m in resolved.mappings}
    ordered = sorted(resolved.nics, key=lambda n: n.vm_network)
    for vm_network, nics in groupby(ordered, key=lambda n: n.vm_network):
        mapping = mappings.get(vm_network)
        if mapping is None:
            title = f"{vm_network} -> (no network mapping)"
        else:
            title = f"{vm_network} -> {mapping.recovery_network}"
            if mapping.test_network:
                title += f"   (test failover: {mapping.test_network})"
        table = Table(title=title, title_justify="left", title_style="bold")
        table.add_column("VM")
        table.add_column("NIC", justify="right")
        for col in ("on-prem", "recovery", "test failover"):
            table.add_column(col, no_wrap=True)  # "subnet address": never cut an address
        table.add_column("rule (subnet / IP)")
        nics = list(nics)
        shown = nics if max_rows <= 0 else nics[:max_rows]
        for nic in shown:
            rec, test = nic.recovery, nic.test
            table.add_row(
                nic.vm,
                str(nic.nic),
                f"{nic.subnet} {nic.ip}" + (" *" if nic.failed_over else ""),
                f"{rec.subnet} {rec.ip or '?'}" if rec else "-",
                f"{test.subnet} {test.ip or '?'}" if test else "-",
                f"{nic.subnet_rule or '-'} / {nic.ip_rule or '-'}",
                style="yellow" if "first-subnet" in (nic.subnet_rule, nic.test_subnet_rule) else None,
            )
        notes = []
        if any(n.failed_over for n in nics):
            notes.append("* failed over: running in Azure now")
        if len(shown) < len(nics):
            notes.append(f"{len(nics) - len(shown):,} more NICs not shown: --max-nic-rows 0 shows all, --format json lists them")
        table.caption = "; ".join(notes) or None
        yield table


UNBOUNDED = 1_000_000  # columns: "as wide as the content"


def default_console() -> Console:
    """The terminal's width on a terminal; elsewhere (CI logs, pipes, files) tables take the width
    they need, so no name is ever cut or wrapped mid-word."""
    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=UNBOUNDED)


def print_plan(resolved, console: Console | None = None, *, max_nic_rows: int = 50) -> None:
    console = console or default_console()
    state = ", ".join(resolved.failed_over) if resolved.failed_over else "none (steady state)"
    console.print(f"[bold]{resolved.name}[/bold]  failed over: {state}")
    for table in _nic_tables(resolved, max_nic_rows):
        console.print(table)

    conns = Table(title="Connections", title_justify="left", title_style="bold")
    for col in ("name", "type", "joins", "when", "now", "BGP"):
        conns.add_column(col, overflow="fold")  # names wrap, never lose characters
    for c in resolved.connections:
        joins = ("on-prem",) + c.networks if c.type == "site-to-site" else c.networks
        conns.add_row(
            c.name,
            c.type,
            " <-> ".join(joins),
            c.when,
            "[green]exists[/green]" if c.active else "[dim]absent[/dim]",
            "yes" if c.bgp else "no",
        )
    console.print(conns)

    lng = resolved.local_network_gateway
    if lng is not None:
        console.print(f"[bold]Local network gateway[/bold] {lng.name} ({lng.public_ip}) routes to on-prem:")
        console.print("  " + (", ".join(lng.prefixes) or "nothing (every on-prem prefix has failed over)"))

    for table in resolved.route_tables:
        routes = Table(
            title=f"Route table {table.name} (subnets {', '.join(table.subnets)} of {table.network})",
            title_justify="left",
            title_style="bold",
        )
        routes.add_column("prefix", no_wrap=True)
        routes.add_column("next hop", no_wrap=True)
        routes.add_column("why", overflow="fold")
        for r in table.routes:
            hop = r.next_hop_type + (f" {r.next_hop_ip}" if r.next_hop_ip else "")
            routes.add_row(r.prefix, hop, "on-prem prefix" if r.reason == "onprem" else "failed-over subnet")
        if not table.routes:
            routes.add_row("-", "-", "no cross-site route in this state")
        console.print(routes)
