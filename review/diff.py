"""`drnet diff`: what changes between two states of a plan (or two plans).

`diff_plans` returns the JSON contract (format "drnet-diff/1": keys are only ever
added); `diff_markdown` renders it for a pull-request comment.
"""

from __future__ import annotations

from planner.resolved import ResolvedPlan

from .budget import NOTE, Part, fit
from .md import code, esc, maybe_fold, plural, table

FORMAT = "drnet-diff/1"


def _prefix_key(prefix: str):
    address, _, length = prefix.partition("/")
    return tuple(int(x) for x in address.split(".")) + (int(length or 32),)


def _conn(c) -> dict:
    return {"name": c.name, "type": c.type, "networks": list(c.networks), "legs": [leg.name for leg in c.legs]}


def nic_state(nic) -> dict:
    """Where a NIC runs in a state, and what it would get on failover / test failover."""
    here = nic.recovery if nic.failed_over and nic.recovery is not None else None
    return {
        "site": "azure" if here else "onprem",
        "network": here.network if here else nic.vm_network,
        "subnet": here.subnet if here else nic.subnet,
        "ip": here.ip if here else nic.ip,
        "recovery_ip": nic.recovery.ip if nic.recovery else None,
        "test_ip": nic.test.ip if nic.test else None,
    }


def _routes(resolved: ResolvedPlan) -> dict:
    return {(rt.name, r.name): {"route_table": rt.name, "network": rt.network, "name": r.name, "prefix": r.prefix,
                                "next_hop_type": r.next_hop_type, "next_hop_ip": r.next_hop_ip, "reason": r.reason}
            for rt in resolved.route_tables for r in rt.routes}


def _route_order(routes: dict, keys) -> list:
    return sorted(keys, key=lambda k: (k[0], _prefix_key(routes[k]["prefix"]), k[1]))


def _landing(resolved: ResolvedPlan, subnet) -> dict:
    """Where a failed-over on-prem subnet's VMs are reached in Azure: the network and subnet
    its NICs land in (ASR's rule, resolved per NIC), else the same-name subnet."""
    nic = next((n for n in resolved.nics if (n.vm_network, n.subnet) == (subnet.vm_network, subnet.name) and n.recovery), None)
    if nic is not None:
        return {"network": nic.recovery.network, "azure_subnet": nic.recovery.subnet, "azure_prefix": nic.recovery.prefix}
    net = resolved.network(subnet.recovery_network) if subnet.recovery_network else None
    same = next((s for s in net.subnets if s.name == subnet.name), None) if net else None
    return {"network": subnet.recovery_network, "azure_subnet": same and same.name, "azure_prefix": same and same.prefix}


def moved_prefixes(a: ResolvedPlan, b: ResolvedPlan) -> dict:
    """The on-prem subnets whose site changes: a `retain` subnet's prefix is then reached in
    Azure (or back on-prem); a `change` subnet's prefix stays on-prem, its VMs get addresses
    of `azure_prefix`."""
    before = {s.key: s for s in a.onprem_subnets}
    out = {"to_azure": [], "to_onprem": []}
    for sub in b.onprem_subnets:
        old = before.get(sub.key)
        was = old.failed_over if old else False
        if sub.failed_over == was:
            continue
        side, resolved, subnet = ("to_azure", b, sub) if sub.failed_over else ("to_onprem", a, old)
        out[side].append({"subnet": sub.key, "prefix": sub.prefix, "failover": sub.failover,
                          "prefix_moves": sub.failover == "retain", **_landing(resolved, subnet)})
    return out


def _gateways(resolved: ResolvedPlan) -> dict:
    return {n.name: {"network": n.name, "name": n.gateway.name, "sku": n.gateway.sku}
            for n in resolved.networks if n.gateway is not None and n.gateway.active}


def diff_plans(a: ResolvedPlan, b: ResolvedPlan, *, label_a: str = "before", label_b: str = "after") -> dict:
    conns_a = {c.name: c for c in a.connections if c.active}
    conns_b = {c.name: c for c in b.connections if c.active}
    changed_conns = []
    for name in conns_a.keys() & conns_b.keys():
        ca, cb = conns_a[name].to_json(), conns_b[name].to_json()
        fields = {k: [ca[k], cb[k]] for k in ("type", "networks", "bgp", "gateway_transit", "legs", "shared_key_variable")
                  if ca[k] != cb[k]}
        if fields:
            changed_conns.append({"name": name, "fields": fields})
    changed_conns.sort(key=lambda c: c["name"])

    gw_a, gw_b = _gateways(a), _gateways(b)
    lng_a = list(a.local_network_gateway.prefixes) if a.local_network_gateway else None
    lng_b = list(b.local_network_gateway.prefixes) if b.local_network_gateway else None
    set_a, set_b = set(lng_a or ()), set(lng_b or ())

    routes_a, routes_b = _routes(a), _routes(b)
    route_changes = [{"route_table": k[0], "name": k[1], "before": routes_a[k], "after": routes_b[k]}
                     for k in _route_order(routes_b, routes_a.keys() & routes_b.keys()) if routes_a[k] != routes_b[k]]

    nics_a = {(n.vm, n.nic): n for n in a.nics}
    onprem_subnet = {(n.vm, n.nic): f"{n.vm_network}/{n.subnet}" for n in (*a.nics, *b.nics)}
    nics_b = {(n.vm, n.nic): n for n in b.nics}
    nic_changes = []
    for key, nb in nics_b.items():  # plan order of the new state
        na = nics_a.get(key)
        if na is None:
            continue
        sa, sb = nic_state(na), nic_state(nb)
        diff_keys = [k for k in sa if sa[k] != sb[k]]
        if diff_keys:
            nic_changes.append({"vm": key[0], "nic": key[1], "onprem_subnet": onprem_subnet[key], "changes": diff_keys,
                                "before": sa, "after": sb})

    def nic_ref(n):
        return {"vm": n.vm, "nic": n.nic, "onprem_subnet": onprem_subnet[(n.vm, n.nic)], **nic_state(n)}

    nets_a, nets_b = {n.name for n in a.networks}, {n.name for n in b.networks}
    out = {
        "format": FORMAT,
        "from": {"label": label_a, "plan": a.name, "failed_over": list(a.failed_over)},
        "to": {"label": label_b, "plan": b.name, "failed_over": list(b.failed_over)},
        "failed_over": {"added": [k for k in b.failed_over if k not in a.failed_over],
                        "removed": [k for k in a.failed_over if k not in b.failed_over]},
        "prefixes": moved_prefixes(a, b),
        "networks": {"added": sorted(nets_b - nets_a), "removed": sorted(nets_a - nets_b)},
        "connections": {"created": [_conn(conns_b[n]) for n in sorted(conns_b.keys() - conns_a.keys())],
                        "removed": [_conn(conns_a[n]) for n in sorted(conns_a.keys() - conns_b.keys())],
                        "changed": changed_conns},
        "gateways": {"created": [gw_b[n] for n in sorted(gw_b.keys() - gw_a.keys())],
                     "removed": [gw_a[n] for n in sorted(gw_a.keys() - gw_b.keys())]},
        "local_network_gateway": {"before": lng_a, "after": lng_b,
                                  "added": sorted(set_b - set_a, key=_prefix_key),
                                  "removed": sorted(set_a - set_b, key=_prefix_key)},
        "routes": {"added": [routes_b[k] for k in _route_order(routes_b, routes_b.keys() - routes_a.keys())],
                   "removed": [routes_a[k] for k in _route_order(routes_a, routes_a.keys() - routes_b.keys())],
                   "changed": route_changes},
        "nics": {"added": [nic_ref(nics_b[k]) for k in nics_b if k not in nics_a],
                 "removed": [nic_ref(nics_a[k]) for k in nics_a if k not in nics_b],
                 "changed": nic_changes},
    }
    out["summary"] = {
        "connections_created": len(out["connections"]["created"]),
        "connections_removed": len(out["connections"]["removed"]),
        "connections_changed": len(changed_conns),
        "gateways_created": len(out["gateways"]["created"]),
        "gateways_removed": len(out["gateways"]["removed"]),
        "lng_prefixes_added": len(out["local_network_gateway"]["added"]),
        "lng_prefixes_removed": len(out["local_network_gateway"]["removed"]),
        "routes_added": len(out["routes"]["added"]),
        "routes_removed": len(out["routes"]["removed"]),
        "routes_changed": len(route_changes),
        "nics_added": len(out["nics"]["added"]),
        "nics_removed": len(out["nics"]["removed"]),
        "nics_changed": len(nic_changes),
        "vm_ips_changed": sum(1 for c in nic_changes if "ip" in c["changes"]),
    }
    out["changed"] = any(out["summary"].values()) or bool(out["failed_over"]["added"] or out["failed_over"]["removed"]
                                                          or out["networks"]["added"] or out["networks"]["removed"])
    return out


def _hop(r: dict) -> str:
    return r["next_hop_type"] + (f" {r['next_hop_ip']}" if r["next_hop_ip"] else "")


def _where(s: dict) -> str:
    return f"{s['site']}: {s['network']} / {s['subnet']} {s['ip'] or '?'}"


def _moved_rows(d: dict) -> list[list[str]]:
    rows = []
    for side, there in (("to_azure", "**now reached in Azure**"), ("to_onprem", "back on-prem")):
        for m in d["prefixes"][side]:
            where = f"{m['network'] or '–'} / {m['azure_subnet'] or '–'}"
            if m["prefix_moves"]:
                rows.append([code(m["prefix"]), code(m["subnet"]), there, esc(where)])
            else:
                verb = "moved to" if side == "to_azure" else "back from"
                rows.append([code(m["prefix"]), code(m["subnet"]), "stays on-prem (change IP)",
                             f"its VMs {verb} {code(m['azure_prefix'])} in {esc(where)}"])
    return rows


def _nic_groups(d: dict) -> dict[str, list[list[str]]]:
    nics = d["nics"]
    groups: dict[str, list[list[str]]] = {}
    for c in nics["changed"]:
        groups.setdefault(c["onprem_subnet"], []).append(
            [code(c["vm"]), str(c["nic"]), esc(_where(c["before"])), esc(_where(c["after"])), ", ".join(c["changes"])])
    for n in nics["added"]:
        groups.setdefault(n["onprem_subnet"], []).append([code(n["vm"]), str(n["nic"]), "–", esc(_where(n)), "added"])
    for n in nics["removed"]:
        groups.setdefault(n["onprem_subnet"], []).append([code(n["vm"]), str(n["nic"]), esc(_where(n)), "–", "removed"])
    return groups


def diff_parts(d: dict) -> list[Part]:
    """The diff as parts that a size budget may shorten (review.budget)."""
    a, b = d["from"], d["to"]
    s = d["summary"]
    head = f"## drnet diff: {esc(a['label'])} → {esc(b['label'])}\n\n"
    if a["plan"] != b["plan"]:
        head += f"Plans {code(a['plan'])} → {code(b['plan'])}.\n\n"
    parts = [Part(head), Part(NOTE)]
    state = (f"Failed over: {', '.join(code(k) for k in a['failed_over']) or 'none'} → "
             f"{', '.join(code(k) for k in b['failed_over']) or 'none'}.\n\n")
    if not d["changed"]:
        return parts + [Part(state + "No change to the network.\n")]
    parts.append(Part(state + (
        f"**{s['connections_created']} connection(s) created, {s['connections_removed']} removed; "
        f"{s['lng_prefixes_added']} LNG prefix(es) added, {s['lng_prefixes_removed']} removed; "
        f"{s['routes_added']} route(s) added, {s['routes_removed']} removed, {s['routes_changed']} changed; "
        f"{s['nics_changed']} NIC(s) changed ({s['vm_ips_changed']} IP change(s)).**\n\n")))
    moved = _moved_rows(d)
    if moved:
        heading = "### Prefixes that moved\n\n"
        body = table(["prefix", "on-prem subnet", "now", "where in Azure"], moved)
        parts.append(Part(heading + maybe_fold(plural(len(moved), "subnet"), body, len(moved)) + "\n",
                          short=heading + f"{plural(len(moved), 'subnet')} moved: table left out (size budget).\n\n",
                          rank=4, what="the prefixes that moved"))
    if d["networks"]["added"] or d["networks"]["removed"]:
        parts.append(Part("### Networks\n\n" + "".join(f"- added {code(n)}\n" for n in d["networks"]["added"])
                          + "".join(f"- removed {code(n)}\n" for n in d["networks"]["removed"]) + "\n"))
    conns = d["connections"]
    if conns["created"] or conns["removed"] or conns["changed"] or d["gateways"]["created"] or d["gateways"]["removed"]:
        rows = [["**created**", code(c["name"]), c["type"], esc(" ⇄ ".join(c["networks"]))] for c in conns["created"]]
        rows += [["**removed**", code(c["name"]), c["type"], esc(" ⇄ ".join(c["networks"]))] for c in conns["removed"]]
        rows += [["changed", code(c["name"]), "", esc("; ".join(f"{k}: {v[0]} → {v[1]}" for k, v in c["fields"].items()))]
                 for c in conns["changed"]]
        rows += [["**created**", code(g["name"]), "VPN gateway", code(g["network"])] for g in d["gateways"]["created"]]
        rows += [["**removed**", code(g["name"]), "VPN gateway", code(g["network"])] for g in d["gateways"]["removed"]]
        heading = "### Connections and gateways\n\n"
        parts.append(Part(heading + maybe_fold(plural(len(rows), "change"), table(["change", "name", "type", "networks / details"], rows),
                                               len(rows)) + "\n",
                          short=heading + f"{plural(len(rows), 'change')}: table left out (size budget).\n\n",
                          rank=3, what="the connections and gateways"))
    lng = d["local_network_gateway"]
    if lng["added"] or lng["removed"]:
        rows = [["**removed**", code(p)] for p in lng["removed"]] + [["added", code(p)] for p in lng["added"]]
        heading = "### Local network gateway prefixes\n\n"
        parts.append(Part(heading + maybe_fold(plural(len(rows), "prefix change"), table(["change", "prefix"], rows), len(rows))
                          + f"\nNow: {', '.join(code(p) for p in lng['after'] or []) or 'none'}\n\n",
                          short=heading + f"{len(lng['removed'])} removed, {len(lng['added'])} added: left out (size budget).\n\n",
                          rank=2, what="the LNG prefixes"))
    routes = d["routes"]
    if routes["added"] or routes["removed"] or routes["changed"]:
        rows = [["added", code(r["route_table"]), code(r["prefix"]), _hop(r), r["reason"]] for r in routes["added"]]
        rows += [["removed", code(r["route_table"]), code(r["prefix"]), _hop(r), r["reason"]] for r in routes["removed"]]
        rows += [["changed", code(r["route_table"]), code(r["after"]["prefix"]), f"{_hop(r['before'])} → {_hop(r['after'])}",
                  r["after"]["reason"]] for r in routes["changed"]]
        body = table(["change", "route table", "prefix", "next hop", "why"], rows)
        heading = "### Routes\n\n"
        parts.append(Part(heading + maybe_fold(plural(len(rows), "route change"), body, len(rows)) + "\n",
                          short=heading + f"{plural(len(rows), 'route change')}: table left out (size budget).\n\n",
                          rank=1, what="the route changes"))
    groups = _nic_groups(d)
    if groups:
        parts.append(Part("### VM NICs\n\n" + (f"{plural(sum(map(len, groups.values())), 'NIC change')} in "
                                               f"{plural(len(groups), 'on-prem subnet')}.\n\n" if len(groups) > 1 else "")))
        for subnet, rows in groups.items():
            heading = f"#### {esc(subnet)}\n\n" if len(groups) > 1 else ""
            body = table(["VM", "NIC", "before", "after", "what changed"], rows)
            parts.append(Part(heading + maybe_fold(plural(len(rows), "NIC change"), body, len(rows)) + "\n",
                              short=heading + f"{plural(len(rows), 'NIC change')}: table left out (size budget).\n\n",
                              rank=0, what=subnet, group="the VM NIC tables", unit="subnet"))
    return parts


def diff_markdown(d: dict, *, budget: int | None = None, full_at: str = "the same command with `--budget 0`") -> str:
    """The diff for a pull-request comment; `budget` (characters) summarizes whole sections until it fits."""
    text, _ = fit(diff_parts(d), budget, full_at)
    return text
