"""Logical IDs and literal strings for Terraform JSON (pure; no CDK import)."""

from __future__ import annotations

import ipaddress
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def tf_id(*parts: str) -> str:
    """A Terraform identifier from names: `vnet-x`, `vnet-x--Apps`. Never from a position."""
    text = "--".join(_UNSAFE.sub("_", p) for p in parts)
    return text if re.match(r"[A-Za-z_]", text) else f"_{text}"


def literal(text: str) -> str:
    """A string Terraform's JSON syntax must not read as a template (`${`, `%{`)."""
    return text.replace("${", "$${").replace("%{", "%%{")


def vnet_id(subscription: str, resource_group: str, name: str) -> str:
    """The ARM id of a virtual network, as azurerm writes it (case matters to its id parsers):
    /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{name}"""
    return (
        f"/subscriptions/{subscription}/resourceGroups/{literal(resource_group)}"
        f"/providers/Microsoft.Network/virtualNetworks/{literal(name)}"
    )


def prefixes(items) -> list[str]:
    """Prefixes in one canonical order (by address), whatever order the plan lists them in."""

    def key(text: str):
        try:
            net = ipaddress.ip_network(text, strict=False)
            return (0, net.version, int(net.network_address), net.prefixlen, text)
        except ValueError:
            return (1, 0, 0, 0, text)

    return sorted(items, key=key)
