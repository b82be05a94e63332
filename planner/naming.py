"""One naming convention for every Azure resource drnet manages.

`<abbreviation>-<plan name>-<object>`, with the abbreviations of Microsoft's
Cloud Adoption Framework (vgw, pip, lgw, vcn, peer, rt, map). Names derive from
plan names only, never from list positions, so reordering a plan renames nothing.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")


def slug(text: str) -> str:
    """Azure-safe, lower-case form of a plan name (VMM names may have spaces)."""
    return _UNSAFE.sub("-", text).strip("-").lower() or "x"


def gateway(plan: str, network: str) -> str:
    return f"vgw-{plan}-{slug(network)}"


def gateway_public_ip(plan: str, network: str) -> str:
    return f"pip-{plan}-{slug(network)}-vgw"


def local_gateway(plan: str) -> str:
    return f"lgw-{plan}-onprem"


def vpn_connection(plan: str, connection: str, from_network: str | None = None) -> str:
    base = f"vcn-{plan}-{slug(connection)}"
    return f"{base}-from-{slug(from_network)}" if from_network else base


def peering(plan: str, connection: str, from_network: str) -> str:
    return f"peer-{plan}-{slug(connection)}-from-{slug(from_network)}"


def route_table(plan: str, network: str) -> str:
    return f"rt-{plan}-{slug(network)}"


def route(reason: str, label: str) -> str:
    return f"{reason}-{slug(label.replace('/', '-').replace('.', '-'))}"


def network_mapping(plan: str, vm_network: str) -> str:
    return f"map-{plan}-{slug(vm_network)}"


def shared_key_variable(connection: str) -> str:
    return "shared_key_" + re.sub(r"[^a-z0-9]+", "_", connection.lower()).strip("_")


def nsg(plan: str, network: str) -> str:
    return f"nsg-{plan}-{slug(network)}"
