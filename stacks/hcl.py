"""Terraform JSON (as synthesized) -> HCL, for reviewers who read HCL. Pure; no CDK.

cdktf's own `cdktf synth --hcl` mangles these stacks (it writes `provider = "azapi"` and
`lifecycle { precondition = [...] }`, both invalid), so drnet renders HCL itself.
JSON cannot tell a nested block from an object argument; the block types these stacks
use are listed in BLOCKS (Terraform's meta blocks and the azurerm 4.55 blocks drnet sets).
"""

from __future__ import annotations

import json
import re

BLOCKS = {"lifecycle", "precondition", "postcondition", "bgp_settings", "ip_configuration", "features", "timeouts",
          "security_rule"}
LABELS = {"resource": 2, "data": 2, "variable": 1, "output": 1, "provider": 1, "module": 1}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_REFERENCE_KEYS = {"provider", "depends_on", "to"}  # `to` of an import block


def _whole_interpolation(text: str) -> str | None:
    """`expr` when `text` is exactly `${expr}` (one interpolation, nothing around it)."""
    if not (text.startswith("${") and text.endswith("}")):
        return None
    depth, i, quoted = 0, 1, False
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return text[2:-1].strip() if i == len(text) - 1 else None
        i += 1
    return None


def _string(text: str) -> str:
    expr = _whole_interpolation(text)
    if expr is not None:
        return expr
    return json.dumps(text, ensure_ascii=False)


def _key(key: str) -> str:
    return key if _IDENT.match(key) else json.dumps(key, ensure_ascii=False)


def _value(value, indent: int) -> str:
    pad = "  " * indent
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [f"{pad}  {_value(v, indent + 1)}," for v in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    if isinstance(value, dict):
        items = {k: v for k, v in value.items() if k != "//"}
        if not items:
            return "{}"
        width = max(len(_key(k)) for k in items)
        lines = [f"{pad}  {_key(k).ljust(width)} = {_value(v, indent + 1)}" for k, v in items.items()]
        return "{\n" + "\n".join(lines) + f"\n{pad}}}"
    raise TypeError(f"cannot render {type(value).__name__}")


def _body(body: dict, indent: int) -> list[str]:
    pad = "  " * indent
    attrs, blocks = [], []
    for key, value in body.items():
        if key == "//":
            continue
        if key in BLOCKS and isinstance(value, (dict, list)):
            for item in value if isinstance(value, list) else [value]:
                blocks.append((key, item))
        else:
            attrs.append((key, value))
    lines = []
    width = max((len(_key(k)) for k, _ in attrs), default=0)
    for key, value in attrs:
        if key in _REFERENCE_KEYS:
            rendered = value if isinstance(value, str) else "[" + ", ".join(value) + "]"
        else:
            rendered = _value(value, indent)
        lines.append(f"{pad}{_key(key).ljust(width)} = {rendered}")
    for key, item in blocks:
        lines.append(f"{pad}{key} {{")
        lines.extend(_body(item, indent + 1))
        lines.append(f"{pad}}}")
    return lines


def _labelled(kind: str, tree: dict, depth: int, labels: tuple, out: list[str]) -> None:
    if depth == 0:
        items = tree if isinstance(tree, list) else [tree]
        for item in items:
            head = " ".join([kind, *(json.dumps(label) for label in labels)])
            out.append(head + " {")
            out.extend(_body(item, 1))
            out.append("}")
            out.append("")
        return
    for name, sub in tree.items():
        _labelled(kind, sub, depth - 1, labels + (name,), out)


def to_hcl(doc: dict) -> str:
    out: list[str] = []
    for kind, tree in doc.items():
        if kind == "//":
            continue
        if kind == "terraform":
            out.append("terraform {")
            for key, value in tree.items():
                if key == "backend":
                    for backend, settings in value.items():
                        out.append(f"  backend {json.dumps(backend)} {{")
                        out.extend(_body(settings, 2))
                        out.append("  }")
                elif key == "required_providers":
                    out.append("  required_providers {")
                    out.extend(_body(value, 2))
                    out.append("  }")
                else:
                    out.extend(_body({key: value}, 1))
            out.append("}")
            out.append("")
        elif kind == "locals":
            out.append("locals {")
            out.extend(_body(tree, 1))
            out.append("}")
            out.append("")
        elif kind == "import":  # adopted resources (Terraform >= 1.5 syntax)
            for item in tree:
                out.append("import {")
                out.extend(_body(item, 1))
                out.append("}")
                out.append("")
        elif kind in LABELS:
            _labelled(kind, tree, LABELS[kind], (), out)
        else:
            raise ValueError(f"unknown top-level key {kind!r}")
    return "\n".join(out).rstrip() + "\n"
