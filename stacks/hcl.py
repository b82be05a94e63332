"""Terraform JSON (as synthesized) -> HCL, for reviewers who read HCL. Pure; no CDK.

cdktf's own `cdktf synth --hcl` mangles these stacks (it writes `provider = "azapi"` and
`lifecycle { precondition = [...] }`, both invalid), so drnet renders HCL itself.
JSON cannot tell a nested block from an object argument; the block types these stacks
use are listed in BLOCKS (Terraform's meta blocks and the azurerm 4.55 blocks drnet sets).
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

BLOCKS = {
    "lifecycle", "precondition", "postcondition", "assert", "validation",
    "bgp_settings", "ip_configuration", "features", "timeouts",
}
# Block kinds and their label counts; `import` (a list in JSON) and `check` have 0 and 1.
LABELS = {"resource": 2, "data": 2, "variable": 1, "output": 1, "provider": 1, "module": 1, "check": 1, "import": 0}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_REFERENCE_KEYS = {"provider", "depends_on"}
_KIND_REFERENCE_KEYS = {"import": {"to"}}  # `to = azurerm_x.y`: an address, not a string


def _interpolation_end(text: str, start: int) -> int:
    """The index after the `}` closing the `${` at `start` (strings inside skipped)."""
    depth, i, quoted = 0, start + 1, False
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
                return i + 1
        i += 1
    return -1  # unclosed


def _whole_interpolation(text: str) -> str | None:
    """`expr` when `text` is exactly `${expr}` (one interpolation, nothing around it)."""
    if text.startswith("${") and _interpolation_end(text, 0) == len(text):
        return text[2:-1].strip()
    return None


def _string(text: str) -> str:
    """A JSON template string as an HCL one: the literal parts escaped, every `${...}` kept
    verbatim (inside it, quotes belong to the expression and are never escaped)."""
    expr = _whole_interpolation(text)
    if expr is not None:
        return expr
    out, i = [], 0
    while i < len(text):
        if text.startswith("$${", i) or text.startswith("%%{", i):
            out.append(text[i : i + 3])
            i += 3
        elif text.startswith("${", i) or text.startswith("%{", i):
            end = _interpolation_end(text, i)
            end = len(text) if end < 0 else end
            out.append(text[i:end])
            i = end
        else:
            found = (text.find(mark, i) for mark in ("$${", "%%{", "${", "%{"))
            nxt = min((j for j in found if j >= 0), default=len(text))
            nxt = nxt if nxt > i else i + 1
            out.append(json.dumps(text[i:nxt], ensure_ascii=False)[1:-1])
            i = nxt
    return '"' + "".join(out) + '"'


def _key(key: str) -> str:
    return key if _IDENT.match(key) else json.dumps(key, ensure_ascii=False)


class _Line(NamedTuple):
    """One output line. `value` is set for a one-line attribute (`lead = value`): those
    align their `=` with their neighbours, as `terraform fmt` does (hclwrite: a run of
    consecutive one-line attributes is one alignment group; any other line ends it)."""

    lead: str
    value: str | None = None


def _value(value, indent: int) -> list[str]:
    """The value's text: one line, or a first line and indented following lines."""
    pad = "  " * indent
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if value is None:
        return ["null"]
    if isinstance(value, (int, float)):
        return [json.dumps(value)]
    if isinstance(value, str):
        return [_string(value)]
    if isinstance(value, list):
        if not value:
            return ["[]"]
        lines = ["["]
        for item in value:
            first, *rest = _value(item, indent + 1)
            if rest:
                lines.append(_Line(f"{pad}  {first}"))
                lines.extend(rest[:-1])
                lines.append(_Line(f"{rest[-1].lead},"))
            else:
                lines.append(_Line(f"{pad}  {first},"))
        return lines + [_Line(f"{pad}]")]
    if isinstance(value, dict):
        items = {k: v for k, v in value.items() if k != "//"}
        if not items:
            return ["{}"]
        lines = ["{"]
        for key, item in items.items():
            lines.extend(_attribute(f"{pad}  {_key(key)}", _value(item, indent + 1)))
        return lines + [_Line(f"{pad}}}")]
    raise TypeError(f"cannot render {type(value).__name__}")


def _attribute(lead: str, value: list) -> list[_Line]:
    first, *rest = value
    if not rest:
        return [_Line(lead, first)]
    return [_Line(f"{lead} = {first}"), *rest]


def _expression(key: str, value, kind: str) -> str | None:
    """Arguments that HCL writes as bare expressions though JSON holds them as strings."""
    if key in _REFERENCE_KEYS or key in _KIND_REFERENCE_KEYS.get(kind, ()):
        return value if isinstance(value, str) else "[" + ", ".join(value) + "]"
    if kind == "variable" and key == "type":
        return value  # a type constraint (`string`), never a quoted string
    return None


def _body(body: dict, indent: int, kind: str = "") -> list[_Line]:
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
    lines: list[_Line] = []
    for key, value in attrs:
        bare = _expression(key, value, kind)
        lines.extend(_attribute(f"{pad}{_key(key)}", [bare] if bare is not None else _value(value, indent)))
    for key, item in blocks:
        lines.append(_Line(f"{pad}{key} {{"))
        lines.extend(_body(item, indent + 1, key))
        lines.append(_Line(f"{pad}}}"))
    return lines


def _labelled(kind: str, tree, depth: int, labels: tuple, out: list) -> None:
    if depth == 0:
        items = tree if isinstance(tree, list) else [tree]
        for item in items:
            head = " ".join([kind, *(json.dumps(label) for label in labels)])
            out.append(_Line(head + " {"))
            out.extend(_body(item, 1, kind))
            out.append(_Line("}"))
            out.append(_Line(""))
        return
    for name, sub in tree.items():
        _labelled(kind, sub, depth - 1, labels + (name,), out)


def _terraform(tree: dict, out: list) -> None:
    out.append(_Line("terraform {"))
    for key, value in tree.items():
        if key == "backend":
            for backend, settings in value.items():
                out.append(_Line(f"  backend {json.dumps(backend)} {{"))
                out.extend(_body(settings, 2))
                out.append(_Line("  }"))
        elif key == "required_providers":
            out.append(_Line("  required_providers {"))
            out.extend(_body(value, 2))
            out.append(_Line("  }"))
        else:
            out.extend(_body({key: value}, 1))
    out.append(_Line("}"))
    out.append(_Line(""))


def _aligned(lines: list) -> list[str]:
    """Pad each run of one-line attributes so their `=` line up (terraform fmt's rule)."""
    text: list[str] = []
    run: list[_Line] = []

    def close():
        width = max((len(line.lead) for line in run), default=0)
        text.extend(f"{line.lead.ljust(width)} = {line.value}" for line in run)
        run.clear()

    for line in lines:
        if line.value is not None:
            run.append(line)
            continue
        close()
        text.append(line.lead)
    close()
    return text


def to_hcl(doc: dict) -> str:
    out: list[_Line] = []
    for kind, tree in doc.items():
        if kind == "//":
            continue
        if kind == "terraform":
            _terraform(tree, out)
        elif kind == "locals":
            out.append(_Line("locals {"))
            out.extend(_body(tree, 1))
            out.append(_Line("}"))
            out.append(_Line(""))
        elif kind in LABELS:
            _labelled(kind, tree, LABELS[kind], (), out)
        else:
            raise ValueError(f"unknown top-level key {kind!r}")
    return "\n".join(_aligned(out)).rstrip() + "\n"
