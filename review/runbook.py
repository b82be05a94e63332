"""`drnet runbook`: the ordered failover runbook, and the test-failover drill.

Both are built from resolved plans only: the state before and after the failover
(failover), or the plan's current state (drill). `*_runbook` returns the JSON
contract (format "drnet-runbook/1"; keys are only ever added), `runbook_markdown`
renders either kind as a checklist.
"""

from __future__ import annotations

from collections import defaultdict

from planner.api import Analysis
from planner.resolved import ResolvedPlan

from .diff import diff_plans
from .md import bullets, code, esc, maybe_fold, plural, table
from .report import where

FORMAT = "drnet-runbook/1"


def _diag(d) -> dict:
    return {"severity": d.severity.value, "code": d.code, "where": where(d), "message": d.message, "hint": d.hint}


def _reach(resolved: ResolvedPlan) -> list[str]:
    """Azure prefixes on-prem reaches over the VPN in this state."""
    out = []
    for net in resolved.networks:
        if net.reachable_from_onprem:
            out.extend(p for p in net.address_space if p not in out)
    return out


def _names(names: list[str], limit: int = 10) -> str:
    """A readable list of VM names: the first `limit`, then how many more (the tables list all)."""
    if not names:
        return "none"
    shown = ", ".join(names[:limit])
    return shown if len(names) <= limit else f"{shown} and {len(names) - limit} more"


def _step(step_id: str, title: str, tasks: list[str], **data) -> dict:
    return {"id": step_id, "title": title, "tasks": tasks, **data}


def _failover_flags(keys: list[str]) -> str:
    return " ".join(f"--failover {k}" for k in keys)


def failover_runbook(before: Analysis, after: Analysis, keys: list[str], *, source: str) -> dict:
    """The runbook to fail over the on-prem subnets `keys` ("VmNetwork/Subnet") from `before`'s state."""
    rb, ra = before.resolved, after.resolved
    subnets = {s.key: s for s in ra.onprem_subnets}
    moving = [subnets[k] for k in keys]
    key_set = set(keys)
    changes = diff_plans(rb, ra, label_a="before", label_b="after")
    lng = ra.local_network_gateway

    # the VMs: a VM fails over whole, with every NIC
    vm_nics = defaultdict(list)
    for nic in ra.nics:
        vm_nics[nic.vm].append(nic)
    affected = [vm for vm, nics in vm_nics.items() if any(f"{n.vm_network}/{n.subnet}" in key_set for n in nics)]
    vms, warnings = [], []
    for vm in affected:
        for n in vm_nics[vm]:
            key = f"{n.vm_network}/{n.subnet}"
            if key not in key_set and key not in rb.failed_over:
                warnings.append(f"{vm} also has NIC {n.nic} in {key}, which is not in this failover: that NIC comes up in Azure"
                                + (f" at {n.recovery.ip} ({n.recovery.network}/{n.recovery.subnet})" if n.recovery else " with no target"))
            if n.recovery is None:
                warnings.append(f"{vm} NIC {n.nic}: {key} is not mapped to a recovery network")
    vms = [{"vm": vm, "nics": _nic_rows(vm_nics[vm], key_set)} for vm in affected]

    # on-prem routing, per device
    new_reach = [p for p in _reach(ra) if p not in _reach(rb)]
    devices = _devices(moving, ra, new_reach, back=False)
    if lng is None and new_reach:
        warnings.append(f"no site-to-site VPN in the plan: on-prem cannot reach {', '.join(new_reach)}")

    dns = _dns_records(vm_nics, affected)

    flags = _failover_flags(keys)
    after_list = list(ra.failed_over)
    pre = [f"`drnet validate {source}` and `drnet validate {source} "
           + " ".join(f"--failed-over {k}" for k in after_list) + "` report no error",
           f"Recovery Services vault `{ra.vault_name}` (resource group `{ra.vault_resource_group}`): replication of "
           f"{plural(len(affected), 'VM')} healthy, recent recovery points: {_names(affected)}"]
    for c in rb.connections:
        if c.active and c.type == "site-to-site":
            pre.append(f"Site-to-site connection `{c.legs[0].name}` ({c.name}) is Connected")
    for g in changes["gateways"]["created"]:
        pre.append(f"VPN gateway `{g['name']}` in `{g['network']}` is created by this change: it takes 30-45 minutes; "
                   "apply ahead of the failover when the RTO is short")
    if dns:
        zones = sorted({r["zone"] or "(no dns_zone in the plan)" for r in dns})
        pre.append(f"Write access to DNS zone(s) {', '.join(zones)}; TTL of the {plural(len(dns), 'record')} lowered ahead")
    if devices:
        pre.append("Current configuration of the on-prem routers and VPN device saved")
    pre.append(f"`terraform plan` of the failed-over plan reviewed: it matches `drnet diff {source} {flags}`")

    s = changes["summary"]
    plan_tasks = [
        f"In `{source}`, set `failed_over: [{', '.join(after_list)}]` (was `[{', '.join(rb.failed_over)}]`)",
        f"`drnet validate {source}`",
        f"`drnet synth {source}`, then `terraform plan` and `terraform apply`",
        f"Expect: {s['connections_created']} connection(s) created ({', '.join(c['name'] for c in changes['connections']['created']) or 'none'}), "
        f"{s['connections_removed']} removed; LNG prefixes {', '.join(changes['local_network_gateway']['removed']) or 'none'} withdrawn, "
        f"{', '.join(changes['local_network_gateway']['added']) or 'none'} added; {s['routes_added']} route(s) added, "
        f"{s['routes_removed']} removed",
    ]
    routing_tasks = [f"{d['device']}: {d['changes'][0]['action']} {', '.join(c['prefix'] for c in d['changes'])}: {d['how']}"
                     for d in devices]
    if not routing_tasks:
        routing_tasks = ["No on-prem routing change: no subnet keeps its IPs and no new Azure prefix becomes reachable"]
    dns_tasks = [f"{r['record']} A {r['old']} → {r['new']}" for r in dns] or ["No DNS change: every moving NIC keeps its IP"]

    post = []
    for c in ra.connections:
        if c.active and c.type != "peering":
            post += [f"`{leg.name}` connection status is Connected" for leg in c.legs]
    if lng is not None:
        post.append(f"Local network gateway `{lng.name}` lists exactly: {', '.join(lng.prefixes)}")
    for s_ in moving:
        sample = next((n for n in ra.nics if f"{n.vm_network}/{n.subnet}" == s_.key and n.recovery and n.recovery.ip), None)
        if sample is not None:
            post.append(f"From on-prem, reach {sample.vm} at {sample.recovery.ip} ({s_.key} now in "
                        f"{sample.recovery.network}/{sample.recovery.subnet})")
            post.append(f"Effective routes of {sample.vm}'s NIC in Azure send on-prem prefixes to the VPN gateway")
    if dns:
        post.append("DNS answers the new addresses: " + ", ".join(f"{r['record']} → {r['new']}" for r in dns[:5])
                    + (f" (and {len(dns) - 5} more)" if len(dns) > 5 else ""))
    post.append(f"`terraform plan` shows no change; `drnet validate {source}` reports no error")

    back = [
        f"Vault `{ra.vault_name}`: re-protect the {plural(len(affected), 'VM')} (Azure → on-prem), then a planned failover back to VMM `{ra.vmm_server}`",
        f"In `{source}`, set `failed_over` back to `[{', '.join(rb.failed_over)}]`; `drnet diff` shows the reverse of this change; "
        "`drnet synth`, `terraform apply`",
        f"Once this failover is committed to the plan, `drnet runbook {source} {' '.join(f'--failback {k}' for k in keys)}` "
        "is the full failback checklist",
    ]
    back += [f"{d['device']}: undo {d['changes'][0]['action']} {', '.join(c['prefix'] for c in d['changes'])}" for d in devices]
    back += [f"{r['record']} A {r['new']} → {r['old']}" for r in dns]
    back.append("Re-protect the VMs again (on-prem → Azure) and check replication health")

    return {
        "format": FORMAT,
        "kind": "failover",
        "plan": ra.name,
        "source": source,
        "failover": keys,
        "failed_over_before": list(rb.failed_over),
        "failed_over_after": after_list,
        "blockers": _unique([_diag(d) for a in (before, after) for d in a.diagnostics if d.is_error]),
        "warnings": warnings + [d.message for d in after.diagnostics if d.severity.value == "warning"],
        "steps": [
            _step("pre-checks", "Pre-checks", pre),
            _step("site-recovery-failover", "Site Recovery failover of the affected VMs",
                  [f"Vault `{ra.vault_name}`: planned failover (unplanned in a disaster) of {plural(len(affected), 'VM')} ({_names(affected)}); "
                   "commit once the post-checks pass"], vms=vms),
            _step("plan-change", "Plan change and Terraform apply", plan_tasks,
                  changes={k: changes[k] for k in ("summary", "connections", "gateways", "local_network_gateway", "routes")}),
            _step("onprem-routing", "On-prem router changes", routing_tasks, devices=devices),
            _step("dns", "DNS records (change-IP subnets)", dns_tasks, records=dns),
            _step("post-checks", "Checks after the failover", post),
            _step("failback", "Failback", back),
        ],
    }


def _nic_rows(nics, key_set: set[str]) -> list[dict]:
    """A VM's NICs: on-prem subnet and IP, where each lands in Azure, whether its subnet is in this change."""
    return [{"nic": n.nic, "subnet": f"{n.vm_network}/{n.subnet}", "ip": n.ip,
             "to": {"network": n.recovery.network, "subnet": n.recovery.subnet, "ip": n.recovery.ip} if n.recovery else None,
             "in_this_failover": f"{n.vm_network}/{n.subnet}" in key_set} for n in nics]


# per direction: the subnets' routers, the VPN device with BGP, without BGP, and the two actions
_ROUTER_STEPS = {
    False: ("shut the subnets' gateway interfaces (VLAN/SVI) and stop announcing them on-prem",
            "check it learns them from Azure over BGP (device AS {asn}) and prefers them; add no static route",
            "route them into the VPN tunnel (static routes; add them to the traffic selectors of a policy-based tunnel)",
            "withdraw", "route-to-vpn"),
    True: ("bring the subnets' gateway interfaces (VLAN/SVI) back up and announce them on-prem again",
           "check it no longer learns them from Azure over BGP (device AS {asn}); remove no static route",
           "remove their static routes into the VPN tunnel (and from the traffic selectors of a policy-based tunnel)",
           "announce", "stop-routing-to-vpn"),
}


def _devices(subnets, with_vpn: ResolvedPlan, vpn_prefixes: list[str], *, back: bool) -> list[dict]:
    """The on-prem changes per device: the routers of the moving retain subnets, and the VPN device
    for the Azure prefixes that start (failover) or stop (failback, `back`) living behind the VPN.
    `with_vpn` is the state in which the VPN carries those prefixes."""
    routers, with_bgp, without_bgp, subnet_action, vpn_action = _ROUTER_STEPS[back]
    by_network = defaultdict(list)
    for s in subnets:
        if s.failover == "retain":
            by_network[s.vm_network].append(s.prefix)
    devices = [{"device": f"on-prem router(s) that gateway VM network {vmn}", "public_ip": None, "how": routers,
                "changes": [{"action": subnet_action, "prefix": p} for p in prefixes]} for vmn, prefixes in by_network.items()]
    lng = with_vpn.local_network_gateway
    if lng is not None and vpn_prefixes:
        bgp = bool(lng.bgp_asn) and all(c.bgp for c in with_vpn.connections if c.active and c.type != "peering")
        devices.append({"device": f"VPN device {lng.public_ip}", "public_ip": lng.public_ip, "bgp": bgp,
                        "how": with_bgp.format(asn=lng.bgp_asn) if bgp else without_bgp,
                        "changes": [{"action": vpn_action, "prefix": p} for p in vpn_prefixes]})
    return devices


def _dns_records(vm_nics: dict, vms: list[str]) -> list[dict]:
    """Every NIC of these VMs whose subnet changes IPs: its A record, on-prem IP (old) -> Azure IP (new)."""
    dns = []
    for vm in vms:
        for n in vm_nics[vm]:
            if n.failover == "change" and n.recovery is not None and n.recovery.ip != n.ip:
                dns.append({"vm": vm, "nic": n.nic, "zone": n.dns_zone, "record": f"{vm}.{n.dns_zone}" if n.dns_zone else vm,
                            "type": "A", "old": n.ip, "new": n.recovery.ip})
    return dns


# Site Recovery's four stages for on-premises machines: fail over, reprotect the Azure VMs (they
# replicate back), fail over from Azure (a planned failover: the failback), reprotect the on-prem
# machines (https://learn.microsoft.com/azure/site-recovery/failover-failback-overview).
def failback_runbook(before: Analysis, after: Analysis, keys: list[str], *, source: str) -> dict:
    """The runbook to bring the failed-over subnets `keys` back on-prem, from `before`'s state
    (where they run in Azure) to `after`'s (where they do not)."""
    rb, ra = before.resolved, after.resolved
    subnets = {s.key: s for s in rb.onprem_subnets}
    returning = [subnets[k] for k in keys]
    key_set = set(keys)
    changes = diff_plans(rb, ra, label_a="before", label_b="after")
    lng = ra.local_network_gateway

    vm_nics = defaultdict(list)
    for nic in rb.nics:
        vm_nics[nic.vm].append(nic)
    # the VMs that come back: in Azure now, on-prem after (a VM moves whole: one with a NIC in a
    # subnet that stays failed over stays in Azure)
    stays = {n.vm for n in ra.nics if n.failed_over}
    touched = [vm for vm, nics in vm_nics.items() if nics[0].failed_over and any(f"{n.vm_network}/{n.subnet}" in key_set for n in nics)]
    coming = [vm for vm in touched if vm not in stays]
    warnings = [f"{vm} has a NIC in {', '.join(sorted({f'{n.vm_network}/{n.subnet}' for n in vm_nics[vm]} - key_set))}, which stays "
                "failed over: the VM stays in Azure (fail its subnets back together)" for vm in touched if vm in stays]
    vms = [{"vm": vm, "nics": _nic_rows(vm_nics[vm], key_set)} for vm in coming]
    devices = _devices(returning, rb, [p for p in _reach(rb) if p not in _reach(ra)], back=True)
    # DNS back: the records the failover changed, new -> old
    dns = [{**r, "old": r["new"], "new": r["old"]} for r in _dns_records(vm_nics, coming)]

    flags = " ".join(f"--failback {k}" for k in keys)
    after_list = list(ra.failed_over)
    after_flags = " ".join(f"--failed-over {k}" for k in after_list)
    pre = [f"`drnet validate {source}` and `drnet validate {source} {after_flags}` report no error"
           if after_list else f"`drnet validate {source}` reports no error, and so does the plan with `failed_over: []`",
           f"VMM `{ra.vmm_server}` and the Hyper-V hosts of {plural(len(coming), 'VM')} are back and registered in vault "
           f"`{ra.vault_name}` (resource group `{ra.vault_resource_group}`)"]
    for c in rb.connections:
        if c.active and c.type == "site-to-site":
            pre.append(f"Site-to-site connection `{c.legs[0].name}` ({c.name}) is Connected: failback data returns over it")
    if dns:
        zones = sorted({r["zone"] or "(no dns_zone in the plan)" for r in dns})
        pre.append(f"Write access to DNS zone(s) {', '.join(zones)}; TTL of the {plural(len(dns), 'record')} lowered ahead")
    pre.append(f"`terraform plan` of the plan with `failed_over: [{', '.join(after_list)}]` reviewed: it matches "
               f"`drnet diff {source} {flags}`")

    s = changes["summary"]
    plan_tasks = [
        f"In `{source}`, set `failed_over: [{', '.join(after_list)}]` (was `[{', '.join(rb.failed_over)}]`)",
        f"`drnet validate {source}`",
        f"`drnet synth {source}`, then `terraform plan` and `terraform apply`",
        f"Expect: {s['connections_removed']} connection(s) removed ({', '.join(c['name'] for c in changes['connections']['removed']) or 'none'}), "
        f"{s['connections_created']} created; LNG prefixes {', '.join(changes['local_network_gateway']['added']) or 'none'} added, "
        f"{', '.join(changes['local_network_gateway']['removed']) or 'none'} withdrawn; {s['routes_removed']} route(s) removed, "
        f"{s['routes_added']} added",
    ]
    routing_tasks = [f"{d['device']}: {d['changes'][0]['action']} {', '.join(c['prefix'] for c in d['changes'])}: {d['how']}"
                     for d in devices] or ["No on-prem routing change: no returning subnet kept its IPs and no Azure prefix leaves the VPN"]
    dns_tasks = [f"{r['record']} A {r['old']} → {r['new']}" for r in dns] or ["No DNS change: every returning NIC kept its IP"]

    post = [f"`{leg.name}` connection status is Connected" for c in ra.connections if c.active and c.type != "peering" for leg in c.legs]
    if lng is not None:
        post.append(f"Local network gateway `{lng.name}` lists exactly: {', '.join(lng.prefixes)}")
    for s_ in returning:
        sample = next((n for n in rb.nics if f"{n.vm_network}/{n.subnet}" == s_.key and n.vm in coming), None)
        if sample is not None:
            post.append(f"On-prem, {sample.vm} answers at {sample.ip} ({s_.key} is back in VMM)")
    if dns:
        post.append("DNS answers the on-prem addresses: " + ", ".join(f"{r['record']} → {r['new']}" for r in dns[:5])
                    + (f" (and {len(dns) - 5} more)" if len(dns) > 5 else ""))
    post.append(f"`terraform plan` shows no change; `drnet validate {source}` reports no error")

    return {
        "format": FORMAT,
        "kind": "failback",
        "plan": rb.name,
        "source": source,
        "failback": keys,
        "failed_over_before": list(rb.failed_over),
        "failed_over_after": after_list,
        "blockers": _unique([_diag(d) for a in (before, after) for d in a.diagnostics if d.is_error]),
        "warnings": warnings + [d.message for d in after.diagnostics if d.severity.value == "warning"],
        "steps": [
            _step("pre-checks", "Pre-checks", pre),
            _step("site-recovery-failback", "Site Recovery failback of the affected VMs", [
                f"Vault `{rb.vault_name}`: *Re-protect* the {plural(len(coming), 'VM')} ({_names(coming)}) from Azure to "
                f"VMM `{rb.vmm_server}`; wait until they replicate (healthy, with a recovery point)",
                "Planned failover from Azure to on-premises (direction: from Azure; synchronize data before the failover "
                "so the VMs stop only for the last changes)",
                "Check the VMs on-prem, then *Commit*",
            ], vms=vms),
            _step("plan-change", "Plan change and Terraform apply", plan_tasks,
                  changes={k: changes[k] for k in ("summary", "connections", "gateways", "local_network_gateway", "routes")}),
            _step("onprem-routing", "On-prem router changes (the failover's, reversed)", routing_tasks, devices=devices),
            _step("dns", "DNS records back to the on-prem addresses", dns_tasks, records=dns),
            _step("post-checks", "Checks after the failback", post),
            _step("reprotect", "Protect the VMs again", [
                f"Vault `{rb.vault_name}`: re-protect (reverse replicate) the {plural(len(coming), 'VM')} from on-prem to Azure, "
                "and check their replication health"]),
        ],
    }


def drill_runbook(analysis: Analysis, *, source: str) -> dict:
    """The test-failover drill of the plan as it stands."""
    r = analysis.resolved
    mapping = {m.vm_network: m for m in r.mappings}
    by_test = defaultdict(list)
    nics, warnings = [], []
    for n in r.nics:
        m = mapping.get(n.vm_network)
        test_net = m.test_network if m else None
        if test_net is None:
            warnings.append(f"{n.vm} NIC {n.nic}: VM network {n.vm_network} has no test_network; ASR will ask for one at drill time")
        if n.vm not in by_test[test_net]:
            by_test[test_net].append(n.vm)
        nics.append({"vm": n.vm, "nic": n.nic, "source": {"subnet": f"{n.vm_network}/{n.subnet}", "ip": n.ip},
                     "drill": {"network": n.test.network, "subnet": n.test.subnet, "ip": n.test.ip} if n.test else None,
                     "rule": n.test_subnet_rule})
    groups = [{"test_network": net, "vms": vms} for net, vms in by_test.items()]

    checks = []
    for net_name in sorted(k for k in by_test if k):
        net = r.network(net_name)
        touching = sorted(c.name for c in r.connections if net_name in c.networks)
        problems = []
        if touching:
            problems.append(f"joined by {', '.join(touching)}")
        if net is not None and net.reachable_from_onprem:
            problems.append("reachable from on-prem")
        if net is not None and net.gateway is not None:
            problems.append("has a VPN gateway")
        if net is not None and set(net.roles) - {"test"}:
            problems.append(f"is also {', '.join(sorted(set(net.roles) - {'test'}))}")
        checks.append({"network": net_name, "resource_group": net.resource_group if net is not None else r.resource_group,
                       "isolated": not problems, "problems": problems})
        if problems:
            warnings.append(f"test network {net_name} is not isolated: {'; '.join(problems)}")
    prod = [p for n in r.networks if "test" not in n.roles and (n.reachable_from_onprem or "production" in n.roles) for p in n.address_space]
    manual = [f"From a drill VM, nothing in on-prem {', '.join(r.onprem_address_space)} answers (e.g. Test-NetConnection to a domain controller fails)"]
    if prod:
        manual.append(f"From a drill VM, nothing in the production address space {', '.join(prod)} answers")
    for c in checks:
        manual.append(f"`{c['network']}` has no peering (`az network vnet peering list -g {c['resource_group']} --vnet-name {c['network']}` is empty) "
                      "and the effective routes of a drill NIC have no VirtualNetworkGateway route")
    manual.append("No DNS record points at a drill address; the drill uses its own DNS (or a restored DC in the drill network)")

    cleanup = [f"Vault `{r.vault_name}`: *Cleanup test failover* of every VM or recovery plan tested, with the drill notes",
               *(f"No VM or NIC left in `{c['network']}` (only the empty subnets Terraform manages)" for c in checks),
               f"`terraform plan` of `{source}` shows no change (the drill touched nothing drnet manages)"]
    start = [f"Vault `{r.vault_name}`: *Test failover* of {plural(len(g['vms']), 'VM')} ({_names(g['vms'])}), "
             f"Azure virtual network **{g['test_network']}**"
             if g["test_network"] else f"{_names(g['vms'])}: no test network mapped: pick an isolated network, never the recovery one"
             for g in groups]
    return {
        "format": FORMAT,
        "kind": "drill",
        "plan": r.name,
        "source": source,
        "failed_over": list(r.failed_over),
        "blockers": [_diag(d) for d in analysis.diagnostics if d.is_error],
        "warnings": warnings,
        "steps": [
            _step("start", "Start the test failover: which network to pick", start, groups=groups),
            _step("drill-addresses", "Each VM's drill subnet and IP", [], nics=nics),
            _step("isolation-checks", "Isolation checks (nothing in the drill reaches on-prem or production)",
                  [f"`{c['network']}`: " + ("isolated in the plan" if c["isolated"] else "NOT isolated: " + "; ".join(c["problems"]))
                   for c in checks] + manual, networks=checks),
            _step("cleanup", "Clean-up", cleanup),
        ],
    }


def _vm_table(vms: list[dict], kind: str = "failover") -> str:
    rows = []
    for vm in vms:
        for n in vm["nics"]:
            to = n["to"]
            rows.append([code(vm["vm"]), str(n["nic"]), code(n["subnet"]), code(n["ip"]),
                         esc(f"{to['network']} / {to['subnet']}") if to else "–", code(to["ip"] if to else None),
                         "yes" if n["in_this_failover"] else "**no: moves with its VM**"])
    headers = ["VM", "NIC", "on-prem subnet", "IP", "recovery network / subnet", "IP in Azure", f"subnet in this {kind}"]
    return maybe_fold(plural(len(rows), "NIC"), table(headers, rows), len(rows))


def _drill_table(nics: list[dict]) -> str:
    groups = defaultdict(list)
    for n in nics:
        groups[n["source"]["subnet"]].append(n)
    out = []
    for subnet, rows in groups.items():
        body = table(["VM", "NIC", "on-prem IP", "drill network / subnet", "drill IP", "subnet rule"],
                     [[code(n["vm"]), str(n["nic"]), code(n["source"]["ip"]),
                       esc(f"{n['drill']['network']} / {n['drill']['subnet']}") if n["drill"] else "–",
                       code(n["drill"]["ip"] if n["drill"] else None), esc(n["rule"])] for n in rows])
        out.append(f"**{esc(subnet)}**\n\n" + maybe_fold(plural(len(rows), "NIC"), body, len(rows)))
    return "\n".join(out)


def runbook_markdown(rb: dict) -> str:
    if rb["kind"] in ("failover", "failback"):
        title = f"# {rb['kind'].capitalize()} runbook: {esc(rb['plan'])}, {', '.join(rb[rb['kind']])}\n\n"
        intro = (f"Plan `{esc(rb['source'])}`: failed over now {', '.join(code(k) for k in rb['failed_over_before']) or 'nothing'}; "
                 f"after this runbook {', '.join(code(k) for k in rb['failed_over_after']) or 'nothing'}.\n\n")
    else:
        title = f"# Test-failover drill: {esc(rb['plan'])}\n\n"
        intro = f"Plan `{esc(rb['source'])}`. A drill changes nothing drnet manages: no plan change, no Terraform apply.\n\n"
    parts = [title, intro]
    if rb["blockers"]:
        parts.append("> [!CAUTION]\n> The plan has errors: fix them before running this runbook.\n\n"
                     + "".join(f"- `{b['code']}` {esc(b['where'])}: {esc(b['message'])}\n" for b in rb["blockers"]) + "\n")
    if rb["warnings"]:
        parts.append("> [!WARNING]\n" + "".join(f"> - {esc(w)}\n" for w in rb["warnings"]) + "\n")
    for i, step in enumerate(rb["steps"], 1):
        parts.append(f"## {i}. {step['title']}\n\n")
        if step["tasks"]:
            parts.append(bullets(step["tasks"], checkbox=True) + "\n")
        if step["id"] in ("site-recovery-failover", "site-recovery-failback"):
            parts.append(_vm_table(step["vms"], rb["kind"]) + "\n")
        elif step["id"] == "onprem-routing" and step["devices"]:
            rows = [[esc(d["device"]), c["action"], code(c["prefix"])] for d in step["devices"] for c in d["changes"]]
            parts.append(table(["device", "action", "prefix"], rows) + "\n")
        elif step["id"] == "dns" and step["records"]:
            rows = [[code(r["record"]), r["type"], code(r["old"]), code(r["new"])] for r in step["records"]]
            parts.append(maybe_fold(plural(len(rows), "record"), table(["record", "type", "old", "new"], rows), len(rows)) + "\n")
        elif step["id"] == "drill-addresses":
            parts.append(_drill_table(step["nics"]) + "\n")
    return "".join(parts)


def _unique(items: list) -> list:
    """The same problem found in both states is listed once."""
    seen, out = set(), []
    for item in items:
        key = repr(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
