"""Mermaid flowcharts of the topology in one state of the plan.

On-prem (VPN device, subnets), every Azure network with its role, subnets and
gateway, the local network gateway with its prefixes, and every connection:
solid when it exists in this state, dotted when it exists only after a failover.
A failed-over on-prem subnet is greyed and linked to the subnet it landed in.
Large plans are summarised per network so the diagram stays readable (and under
Mermaid's text limit).
"""

from __future__ import annotations

from collections import Counter

from planner.resolved import ResolvedPlan

DETAIL_LIMIT = 60  # more subnets than this in the whole diagram: one node per network
PREFIX_LIMIT = 6  # LNG prefixes shown before "+N more"

CLASSES = (
    "classDef moved fill:#eeeeee,stroke:#999999,stroke-dasharray:4 3,color:#666666",
    "classDef landed fill:#d9f2d9,stroke:#2e7d32,stroke-width:2px",
    "classDef inactive fill:#ffffff,stroke:#999999,stroke-dasharray:4 3,color:#777777",
    "classDef device fill:#e3ecfa,stroke:#1f5fbf",
    "classDef lng fill:#fff7e0,stroke:#b8860b",
)


def _label(*lines: str) -> str:
    """A quoted Mermaid label; quotes become entities, lines join with <br/>."""
    return '"' + "<br/>".join(line.replace('"', "#quot;") for line in lines if line) + '"'


def _role_text(roles) -> str:
    return ", ".join(roles) if roles else "other"


def topology(resolved: ResolvedPlan, *, title: str | None = None) -> str:
    """The Mermaid source (without the ``` fence) of `resolved` in its own state."""
    out: list[str] = []
    if title:
        out += ["---", f"title: {title}", "---"]
    out.append("flowchart LR")
    nets = {n.name: i for i, n in enumerate(resolved.networks)}
    landed = Counter()  # (network, subnet) -> failed-over NICs there
    nics_per_subnet = Counter()
    for nic in resolved.nics:
        nics_per_subnet[(nic.vm_network, nic.subnet)] += 1
        if nic.failed_over and nic.recovery is not None:
            landed[(nic.recovery.network, nic.recovery.subnet)] += 1
    total_subnets = len(resolved.onprem_subnets) + sum(len(n.subnets) for n in resolved.networks)
    detailed = total_subnets <= DETAIL_LIMIT
    links: list[str] = []

    # on-prem
    out.append(f"  subgraph onprem[{_label('On-premises', 'VMM ' + resolved.vmm_server)}]")
    out.append("    direction TB")
    lng = resolved.local_network_gateway
    if lng is not None:
        bgp = f"BGP AS {lng.bgp_asn}" if lng.bgp_asn else "static routing"
        out.append(f"    dev[{_label('VPN device ' + lng.public_ip, bgp)}]:::device")
    onprem_ids = {}
    if detailed:
        for i, sub in enumerate(resolved.onprem_subnets):
            node = f"op{i}"
            onprem_ids[sub.key] = node
            count = nics_per_subnet[(sub.vm_network, sub.name)]
            state = "moved to Azure" if sub.failed_over and sub.failover == "retain" else (
                "failed over, VMs in Azure" if sub.failed_over else f"{count} NICs")
            cls = ":::moved" if sub.failed_over else ""
            out.append(f"    {node}[{_label(sub.key, sub.prefix + ' · ' + sub.failover, state)}]{cls}")
    else:
        moved = sum(1 for s in resolved.onprem_subnets if s.failed_over)
        out.append(f"    opall[{_label(f'{len(resolved.onprem_subnets)} subnets, {len(resolved.nics)} NICs', f'{moved} failed over')}]")
    out.append("  end")

    # Azure networks
    for name, j in nets.items():
        net = resolved.networks[j]
        head = f"{net.name} · {_role_text(net.roles)}" + (" (existing)" if net.existing else "")
        out.append(f"  subgraph net{j}[{_label(head, ', '.join(net.address_space))}]")
        out.append("    direction TB")
        if detailed:
            for k, sub in enumerate(net.subnets):
                here = landed[(net.name, sub.name)]
                cls = ":::landed" if here else ""
                extra = f"⇐ {here} failed-over NIC{'' if here == 1 else 's'}" if here else ""
                out.append(f"    net{j}s{k}[{_label(sub.name, sub.prefix, extra)}]{cls}")
        else:
            here = sum(landed[(net.name, s.name)] for s in net.subnets)
            cls = ":::landed" if here else ""
            extra = f"⇐ {here} failed-over NIC{'' if here == 1 else 's'}" if here else ""
            out.append(f"    net{j}s[{_label(f'{len(net.subnets)} subnets', extra)}]{cls}")
        if net.gateway is not None:
            gw = net.gateway
            asn = f"AS {gw.bgp_asn}" if gw.bgp_asn else ""
            state = "" if gw.active else "after failover only"
            cls = "" if gw.active else ":::inactive"
            out.append(f"    net{j}gw{{{{{_label('VPN gateway ' + gw.sku, asn, state)}}}}}{cls}")
        out.append("  end")

    # the local network gateway: Azure's picture of the on-prem device
    if lng is not None:
        shown = list(lng.prefixes[:PREFIX_LIMIT])
        if len(lng.prefixes) > PREFIX_LIMIT:
            shown.append(f"+{len(lng.prefixes) - PREFIX_LIMIT} more")
        out.append(f"  lng[/{_label('Local network gateway', *shown)}/]:::lng")
        links.append("  lng -.- dev")

    # connections
    for conn in resolved.connections:
        words = [conn.name]
        if conn.bgp:
            words.append("BGP")
        if not conn.active:
            words.append("after failover")
        label = _label(" · ".join(words))
        ends = []
        for net_name in conn.networks:
            j = nets.get(net_name)
            if j is None:
                ends.append(None)
                continue
            net = resolved.networks[j]
            ends.append(f"net{j}gw" if conn.type != "peering" and net.gateway is not None else f"net{j}")
        if None in ends:
            continue
        arrow = ("<==>" if conn.active else "<-.->") if conn.type != "peering" else ("<-->" if conn.active else "<-.->")
        if conn.type == "site-to-site":
            if lng is not None:
                links.append(f"  dev {arrow}|{label}| {ends[0]}")
        elif len(ends) == 2:
            links.append(f"  {ends[0]} {arrow}|{label}| {ends[1]}")

    # failed-over subnets: where they went
    if detailed:
        for sub in resolved.onprem_subnets:
            if not sub.failed_over:
                continue
            targets = sorted({(n.recovery.network, n.recovery.subnet) for n in resolved.nics
                              if n.failed_over and n.recovery is not None and (n.vm_network, n.subnet) == (sub.vm_network, sub.name)})
            for net_name, sub_name in targets:
                j = nets[net_name]
                k = next((k for k, s in enumerate(resolved.networks[j].subnets) if s.name == sub_name), None)
                if k is not None:
                    word = "failed over" if sub.failover == "retain" else "failed over, new IPs"
                    links.append(f"  {onprem_ids[sub.key]} -.->|{_label(word)}| net{j}s{k}")
    out.extend(links)
    out.extend("  " + c for c in CLASSES)
    return "\n".join(out) + "\n"
