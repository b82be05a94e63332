"""`drnet report`: the Markdown a reviewer reads in a pull request.

Built from two analyses of the same plan: its current state and the state after
the failover of every subnet that can fail over. Deterministic: no dates, no
absolute paths, plan order everywhere.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from planner.api import Analysis
from planner.resolved import ResolvedPlan

from . import diagram
from .budget import NOTE, Part, fit
from .md import code, esc, maybe_fold, plural, table

MERMAID = "```mermaid\n{}```\n"


def state_name(resolved: ResolvedPlan) -> str:
    return "steady state (nothing failed over)" if not resolved.failed_over else "failed over: " + ", ".join(resolved.failed_over)


def where(diag) -> str:
    if diag.line is None:
        return Path(diag.file).name if diag.file else "plan"
    return f"{Path(diag.file).name}:{diag.line}:{diag.column}"


def _rule(nic) -> str:
    if nic.recovery is None:
        return "no target (VM network not mapped)"
    subnet = "same name" if nic.subnet_rule == "same-name" else "first subnet (fallback)"
    return f"{subnet} · {nic.ip_rule}"


def _ep(ep) -> str:
    return "–" if ep is None else f"{ep.network} / {ep.subnet}"


def diagnostics_section(states: list[tuple[str, Analysis]]) -> str:
    """Every diagnostic of every state, once; which states it appears in."""
    seen: dict[tuple, list[str]] = {}
    order = []
    for label, analysis in states:
        for d in analysis.diagnostics:
            key = (d.severity.value, d.code, where(d), d.message, d.hint)
            if key not in seen:
                seen[key] = []
                order.append(key)
            seen[key].append(label)
    if not order:
        return "No errors or warnings, now or after failover.\n"
    order.sort(key=lambda k: (k[0] != "error", k[0] != "warning", k[2], k[1]))
    rows = [[f"**{sev}**" if sev == "error" else sev, code(c), code(w), esc(msg), esc(hint), ", ".join(seen[(sev, c, w, msg, hint)])]
            for sev, c, w, msg, hint in order]
    body = table(["severity", "code", "where", "message", "hint", "state"], rows)
    return maybe_fold(f"{plural(len(rows), 'diagnostic')}", body, len(rows))


def summary_section(now: ResolvedPlan, after: ResolvedPlan, source: str) -> str:
    vms = len({n.vm for n in now.nics})
    vm_networks = len({s.vm_network for s in now.onprem_subnets})
    active_now = sum(1 for c in now.connections if c.active)
    active_after = sum(1 for c in after.connections if c.active)
    existing = sum(1 for n in now.networks if n.existing)
    modes = Counter(s.failover for s in now.onprem_subnets)
    rows = [
        ["Plan", f"{code(now.name)} ({esc(source)})"],
        ["State", esc(state_name(now))],
        ["On-prem", f"VMM {code(now.vmm_server)}; {plural(vm_networks, 'VM network')}, "
                    f"{plural(len(now.onprem_subnets), 'subnet')} ({modes['retain']} retain, {modes['change']} change IP); "
                    f"address space {', '.join(code(p) for p in now.onprem_address_space)}"],
        ["VMs", f"{plural(vms, 'VM')}, {plural(len(now.nics), 'NIC')}"],
        ["Azure", f"{code(now.location)}, resource group {code(now.resource_group)}, vault {code(now.vault_name)}; "
                  f"{plural(len(now.networks), 'network')} ({existing} existing)"],
        ["Network mappings", str(len(now.mappings))],
        ["Connections", f"{len(now.connections)} ({active_now} active now, {active_after} after failover)"],
        ["Failed over", ", ".join(code(k) for k in now.failed_over) or "none"],
    ]
    return table(["", ""], rows)


def networks_section(now: ResolvedPlan, after: ResolvedPlan) -> str:
    rows = []
    for net in now.networks:
        later = after.network(net.name)
        gw = "–"
        if net.gateway is not None:
            gw = f"{net.gateway.sku}" + (f", AS {net.gateway.bgp_asn}" if net.gateway.bgp_asn else "")
            gw += "" if net.gateway.when == "always" else " (after failover)"
        reach = ("yes" if net.reachable_from_onprem else "no") + " / " + ("yes" if later and later.reachable_from_onprem else "no")
        rows.append([code(net.name), ", ".join(net.roles) or "–", ", ".join(code(p) for p in net.address_space),
                     ", ".join(f"{esc(s.name)} {code(s.prefix)}" for s in net.subnets) or "–", gw,
                     "yes" if net.existing else "no", reach])
    return table(["network", "role", "address space", "subnets", "VPN gateway", "existing", "reachable from on-prem (now / after)"], rows)


def mappings_section(now: ResolvedPlan) -> str:
    subs = defaultdict(list)
    for s in now.onprem_subnets:
        subs[s.vm_network].append(f"{esc(s.name)} {code(s.prefix)} ({s.failover})")
    rows = [[code(m.vm_network), code(m.recovery_network), code(m.test_network), "; ".join(subs[m.vm_network]) or "–"]
            for m in now.mappings]
    unmapped = sorted({s.vm_network for s in now.onprem_subnets} - {m.vm_network for m in now.mappings})
    out = table(["VM network (VMM)", "recovery network", "test network", "subnets"], rows) if rows else "No network mappings.\n"
    if unmapped:
        out += f"\nNot mapped (their VMs have nowhere to fail over): {', '.join(code(v) for v in unmapped)}\n"
    return out


def connections_section(now: ResolvedPlan, after: ResolvedPlan) -> str:
    rows = []
    for conn in now.connections:
        later = next((c for c in after.connections if c.name == conn.name), None)
        ends = ("on-prem ⇄ " + conn.networks[0]) if conn.type == "site-to-site" else " ⇄ ".join(conn.networks)
        rows.append([code(conn.name), conn.type, esc(ends), conn.when, "active" if conn.active else "absent",
                     "active" if later and later.active else "absent", "yes" if conn.bgp else "no",
                     code(conn.shared_key_variable)])
    if not rows:
        return "No connections.\n"
    return table(["connection", "type", "joins", "when", "now", "after failover", "BGP", "shared key variable"], rows)


def lng_section(now: ResolvedPlan, after: ResolvedPlan) -> str:
    lng = now.local_network_gateway
    if lng is None:
        return "No site-to-site connection: no local network gateway.\n"
    later = after.local_network_gateway
    before, then = set(lng.prefixes), set(later.prefixes if later else ())
    order = sorted(before | then, key=lambda p: tuple(int(x) for x in p.replace("/", ".").split(".")))
    rows = []
    for prefix in order:
        change = "" if (prefix in before) == (prefix in then) else ("added after failover" if prefix in then else "**withdrawn after failover**")
        rows.append([code(prefix), "yes" if prefix in before else "no", "yes" if prefix in then else "no", change])
    head = (f"{code(lng.name)} stands for the on-prem VPN device {code(lng.public_ip)}"
            + (f" (BGP AS {lng.bgp_asn}, peer {code(lng.bgp_peering_address)})" if lng.bgp_asn else "")
            + ". Azure sends these prefixes to on-prem:\n\n")
    return head + table(["prefix", "now", "after failover", "change"], rows)


def routes_section(resolved: ResolvedPlan) -> str:
    rows = []
    for rt in resolved.route_tables:
        routes = "<br/>".join(f"{code(r.prefix)} → {r.next_hop_type}" + (f" {r.next_hop_ip}" if r.next_hop_ip else "") + f" ({r.reason})"
                              for r in rt.routes) or "no cross-site route"
        rows.append([code(rt.name), code(rt.network), esc(", ".join(rt.subnets)), routes])
    if not rows:
        return "No route tables.\n"
    body = table(["route table", "network", "subnets", "routes"], rows)
    return maybe_fold(plural(len(rows), "route table"), body, len(rows))


def nic_overview(resolved: ResolvedPlan) -> str:
    """The rules applied and one row per on-prem subnet: what the per-subnet tables detail."""
    groups = _nic_groups(resolved)
    subnet_info = {(s.vm_network, s.name): s for s in resolved.onprem_subnets}
    rules = Counter(_rule(n) for n in resolved.nics)
    out = [f"{plural(len(resolved.nics), 'NIC')} in {plural(len(groups), 'subnet')}. Rules applied: "
           + "; ".join(f"{esc(r)}: {c}" for r, c in sorted(rules.items())) + ".\n"]
    overview = []
    for key, nics in groups.items():
        sub = subnet_info.get(key)
        targets = sorted({_ep(n.recovery) for n in nics})
        tests = sorted({_ep(n.test) for n in nics})
        overview.append([code(f"{key[0]}/{key[1]}"), code(sub.prefix if sub else None), sub.failover if sub else "–",
                         str(len(nics)), esc("; ".join(targets)), esc("; ".join(tests)),
                         "yes" if sub and sub.failed_over else "no"])
    out.append(table(["on-prem subnet", "prefix", "failover", "NICs", "recovery network / subnet", "test network / subnet", "failed over"], overview))
    return "\n".join(out)


def _nic_groups(resolved: ResolvedPlan) -> dict[tuple[str, str], list]:
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for nic in resolved.nics:
        groups[(nic.vm_network, nic.subnet)].append(nic)
    return groups


def nic_tables(resolved: ResolvedPlan, max_rows: int | None) -> list[Part]:
    """One part per on-prem subnet: its NIC table, or in short the count (over a size budget)."""
    parts = []
    for key, nics in _nic_groups(resolved).items():
        shown = nics if not max_rows else nics[:max_rows]
        rows = [[code(n.vm), str(n.nic), code(n.ip), esc(_ep(n.recovery)), code(n.recovery.ip if n.recovery else None),
                 esc(_ep(n.test)), code(n.test.ip if n.test else None), esc(_rule(n))] for n in shown]
        body = table(["VM", "NIC", "source IP", "recovery network / subnet", "recovery IP", "test network / subnet", "test IP", "rule"], rows)
        if len(shown) < len(nics):
            body += f"\n… and {len(nics) - len(shown)} more NICs (`--max-nic-rows 0` shows all).\n"
        title = f"{key[0]}/{key[1]}"
        head = f"\n#### {esc(title)}\n\n"
        parts.append(Part(head + maybe_fold(f"{plural(len(nics), 'NIC')} in {esc(title)}", body, len(shown)),
                          short=head + f"{plural(len(nics), 'NIC')}: table left out (size budget).\n",
                          rank=0, what=title, group="the NIC tables", unit="subnet"))
    return parts


def readiness_section(matrix) -> str:
    """One row per subnet (and VM network) failed over or back alone from the current state."""
    if matrix is None or not matrix.rows:
        return "Nothing can fail over or back from this state.\n"
    rows = []
    for r in matrix.rows:
        verdict = "ok" if r.ok else "**" + ", ".join(r.errors) + "**"
        if r.warnings:
            verdict += " (warnings " + ", ".join(r.warnings) + ")"
        changes = [f"up: {', '.join(code(n) for n in r.brings_up)}"] if r.brings_up else []
        changes += [f"down: {', '.join(code(n) for n in r.takes_down)}"] if r.takes_down else []
        what = code(r.name) + ("" if r.unit == "subnet" else f" (VM network: {', '.join(esc(s.split('/', 1)[1]) for s in r.subnets)})")
        rows.append([r.kind, what, verdict, "; ".join(changes) or "nothing"])
    body = table(["", "subnet alone", "ready", "brings up / takes down"], rows)
    head = (f"Each subnet (and each VM network) failed over, or back, on its own from the current state: "
            f"{matrix.counts()}. A code is an error in the state that row leads to (see the diagnostics below).\n\n")
    return head + maybe_fold(plural(len(rows), "row"), body, len(rows))


def _short(heading: str, what: str) -> str:
    return f"{heading}{what}: left out (size budget).\n"


def report_parts(now: Analysis, after: Analysis, *, source: str, version: str, max_nic_rows: int | None = None,
                 readiness=None) -> list[Part]:
    """The report as parts that a size budget may shorten (review.budget); `readiness`
    (planner.readiness.Readiness) adds the readiness matrix and its diagnostics."""
    r_now, r_after = now.resolved, after.resolved
    unique = {(d.severity.value, d.code, where(d), d.message) for a in (now, after) for d in a.diagnostics}
    errors = sum(1 for u in unique if u[0] == "error")
    warnings = sum(1 for u in unique if u[0] == "warning")
    status = "is **valid**" if now.ok and after.ok else "**has errors**"

    def section(heading: str, body: str, what: str, count: str, rank: int) -> Part:
        return Part(heading + body, short=_short(heading, count), rank=rank, what=what)

    parts = [
        Part(f"# DR network report: {esc(r_now.name)}\n\n"
             f"Plan {code(source)} {status} ({plural(errors, 'error')}, {plural(warnings, 'warning')}, now or after failover). "
             f"Generated by drnet {esc(version)} from the resolved plan.\n\n" + _readiness_line(readiness)),
        Part(NOTE),
        Part("## Summary\n\n" + summary_section(r_now, r_after, source)),
        section("\n### Networks\n\n", networks_section(r_now, r_after), "the networks table", plural(len(r_now.networks), "network"), 4),
        section("\n### Network mappings\n\n", mappings_section(r_now), "the network mappings", plural(len(r_now.mappings), "mapping"), 4),
        section("\n### Failover readiness\n\n", readiness_section(readiness), "the readiness matrix",
                readiness.counts() if readiness is not None and readiness.rows else "Nothing to fail over", 3),
        section("\n### Connections\n\n", connections_section(r_now, r_after), "the connections", plural(len(r_now.connections), "connection"), 4),
        section("\n### Local network gateway prefixes\n\n", lng_section(r_now, r_after), "the LNG prefixes",
                plural(len(r_now.local_network_gateway.prefixes) if r_now.local_network_gateway else 0, "prefix", "prefixes") + " now", 3),
        section("\n### Routes now\n\n", routes_section(r_now), "the routes now", _route_count(r_now), 1),
        Part("\n## Topology\n\nSolid links exist in that state, dotted ones only after a failover; greyed on-prem subnets have moved, green Azure subnets hold failed-over VMs.\n"),
        section(f"\n### Now: {esc(state_name(r_now))}\n\n", MERMAID.format(diagram.topology(r_now)), "the diagram now", "The diagram", 2),
    ]
    if r_after.failed_over != r_now.failed_over:
        moved = [k for k in r_after.failed_over if k not in r_now.failed_over]
        parts += [section(f"\n### After failover of {', '.join(moved)}\n\n", MERMAID.format(diagram.topology(r_after)),
                          "the diagram after failover", "The diagram", 2),
                  section("\nRoutes after failover:\n\n", routes_section(r_after), "the routes after failover", _route_count(r_after), 1)]
    else:
        parts.append(Part("\nNo other subnet can fail over: the state above is the failed-over one.\n"))
    parts += [Part("\n## Where each NIC lands\n\n" + nic_overview(r_now)), *nic_tables(r_now, max_nic_rows)]
    states = [("now", now), ("after failover", after)] + _readiness_states(readiness)
    parts.append(section("\n## Warnings and errors\n\n", diagnostics_section(states), "the diagnostics table",
                         _diagnostic_counts(states), 2))
    return parts


def _route_count(resolved: ResolvedPlan) -> str:
    return (f"{plural(len(resolved.route_tables), 'route table')} with "
            f"{plural(sum(len(rt.routes) for rt in resolved.route_tables), 'route')}")


def _diagnostic_counts(states: list[tuple[str, Analysis]]) -> str:
    codes = Counter(d.code for _, a in states for d in a.diagnostics)
    return ", ".join(f"{c} × {n}" for c, n in sorted(codes.items())) or "None"


def build_report(now: Analysis, after: Analysis, *, source: str, version: str, max_nic_rows: int | None = None,
                 readiness=None, budget: int | None = None, full_at: str = "the same command with `--budget 0`") -> str:
    """The report as Markdown. `after` is the same plan with every candidate subnet failed over;
    `readiness` (planner.readiness.Readiness) adds the readiness matrix and its diagnostics.
    `budget` (characters): summarize whole sections until it fits (review.budget)."""
    parts = report_parts(now, after, source=source, version=version, max_nic_rows=max_nic_rows, readiness=readiness)
    text, _ = fit(parts, budget, full_at)
    return text


SUMMARY_FORMAT = "drnet-report-summary/1"


def report_summary(now: Analysis, after: Analysis | None, *, source: str, version: str) -> dict:
    """`drnet report --format json`: the report's summary for pipelines (keys are only ever added).
    `after` is None when the plan cannot be resolved."""
    diags = {(d.severity.value, d.code, d.file, d.line, d.column, d.message): d
             for a in (now, after) if a is not None for d in a.diagnostics}
    out = {"format": SUMMARY_FORMAT, "drnet": version, "plan": source,
           "valid": now.ok and (after is None or after.ok),
           "errors": sum(1 for k in diags if k[0] == "error"), "warnings": sum(1 for k in diags if k[0] == "warning"),
           "diagnostics": [d.to_json() for d in diags.values()]}
    r_now = now.resolved
    if r_now is None or after is None:
        return out
    r_after = after.resolved
    lng_now = list(r_now.local_network_gateway.prefixes) if r_now.local_network_gateway else []
    lng_after = list(r_after.local_network_gateway.prefixes) if r_after.local_network_gateway else []
    out.update({
        "name": r_now.name,
        "failed_over": list(r_now.failed_over),
        "failover_candidates": [k for k in r_after.failed_over if k not in r_now.failed_over],
        "counts": {"vms": len({n.vm for n in r_now.nics}), "nics": len(r_now.nics),
                   "vm_networks": len({s.vm_network for s in r_now.onprem_subnets}), "onprem_subnets": len(r_now.onprem_subnets),
                   "networks": len(r_now.networks), "mappings": len(r_now.mappings), "connections": len(r_now.connections),
                   "connections_active_now": sum(1 for c in r_now.connections if c.active),
                   "connections_active_after_failover": sum(1 for c in r_after.connections if c.active),
                   "first_subnet_fallbacks": sum(1 for n in r_now.nics if "first-subnet" in (n.subnet_rule, n.test_subnet_rule))},
        "local_network_gateway": {"now": lng_now, "after_failover": lng_after},
    })
    return out


def _readiness_line(matrix) -> str:
    if matrix is None or not matrix.rows:
        return ""
    return (f"Failover readiness, one subnet or VM network at a time: {matrix.counts()} "
            "(see [Failover readiness](#failover-readiness)).\n\n")


def _readiness_states(matrix) -> list[tuple[str, Analysis]]:
    """Each readiness row as a pseudo-analysis, so its diagnostics list their state."""
    if matrix is None:
        return []
    return [(r.label, Analysis(None, None, None, list(r.diagnostics))) for r in matrix.rows if r.diagnostics]


def build_failed_report(analyses: list[tuple[str, Analysis]], *, source: str, version: str) -> str:
    """When the plan cannot be resolved at all: the diagnostics, nothing else."""
    return (f"# DR network report\n\nPlan {code(source)} **cannot be resolved** (drnet {esc(version)}): fix these first.\n\n"
            + diagnostics_section(analyses))


__all__ = ["build_report", "build_failed_report", "report_summary"]
