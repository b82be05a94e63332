"""The JSON of `drnet plan --format json` (a published contract: add keys, never rename)."""

from __future__ import annotations


def plan_json(analysis) -> dict:
    diagnostics = [d.to_json() for d in analysis.diagnostics]
    resolved = analysis.resolved
    if resolved is None:
        return {"nics": [], "connections": [], "diagnostics": diagnostics}
    full = resolved.to_json()
    return {
        "plan": resolved.name,
        "failed_over": full["failed_over"],
        "nics": full["nics"],
        "connections": full["connections"],
        "local_network_gateway": full["local_network_gateway"],
        "route_tables": full["route_tables"],
        "mappings": full["mappings"],
        "networks": full["networks"],
        "diagnostics": diagnostics,
    }
