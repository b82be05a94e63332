"""Brownfield and NSGs for reviewers: what exists in Azure already and how drnet treats it
(referenced: only read; adopted: imported on the first apply), and each subnet's NSG."""

from __future__ import annotations

from planner.resolved import ADOPTED, CREATED, ResolvedPlan

from .md import code, esc, plural, table

TREATMENT = {
    "referenced": "referenced: read only, never created, changed or destroyed",
    "adopted": "**adopted**: imported on the first apply, then managed by drnet",
}


def mark(mode: str) -> str:
    """A suffix for a name in a table: nothing for what drnet creates."""
    return "" if mode == CREATED else f" ({mode})"


def existing_section(resolved: ResolvedPlan) -> str:
    if not resolved.existing:
        return "Nothing exists yet: drnet creates every part of the plan.\n"
    rows = [[esc(p.kind), code(p.name), code(p.resource_group), TREATMENT[p.mode], esc(p.owner)] for p in resolved.existing]
    out = table(["part", "Azure name", "resource group", "drnet", "in the plan"], rows)
    imports = resolved.imports
    if imports:
        out += (f"\nThe first apply imports {plural(len(imports), 'resource')} (Terraform `import` blocks; review its "
                f"`terraform plan`: \"{len(imports)} to import\", and what it changes in them):\n\n")
        out += "".join(f"- {esc(p.kind)} {code(p.name)}: {code(p.terraform_type)} {code(p.arm_id_template)}\n" for p in imports)
        lng = resolved.local_network_gateway
        if lng is not None and lng.mode == ADOPTED:
            if lng.current_prefixes is not None and tuple(lng.current_prefixes) != tuple(lng.prefixes):
                out += (f"\nThe local network gateway {code(lng.name)} changes from "
                        f"{', '.join(code(p) for p in lng.current_prefixes)} to {', '.join(code(p) for p in lng.prefixes)}.\n")
        if any(c.mode == ADOPTED and c.shared_key_variable for c in resolved.connections):
            keys = sorted({c.shared_key_variable for c in resolved.connections if c.mode == ADOPTED and c.shared_key_variable})
            out += (f"\nSet {', '.join(code('TF_VAR_' + k) for k in keys)} to the adopted connections' current shared "
                    "keys, or the first apply changes them.\n")
    return out


def nsg_section(resolved: ResolvedPlan) -> str:
    if not resolved.nsgs:
        return "No subnet that drnet creates takes an NSG.\n"
    rows = []
    for nsg in resolved.nsgs:
        rules = "<br/>".join(
            f"{r.access} {r.direction.lower()} {'from' if r.direction == 'Inbound' else 'to'} "
            f"{', '.join(code(p) for p in r.prefixes)} (priority {r.priority})" for r in nsg.rules
        ) or ("Azure's default rules" if nsg.mode == CREATED else "its own (not drnet's)")
        rows.append([code(nsg.name) + mark(nsg.mode), code(nsg.network), esc(", ".join(nsg.subnets)), rules])
    return table(["NSG", "network", "subnets", "rules"], rows)
