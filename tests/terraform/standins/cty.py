"""cty values on the plugin wire (msgpack) and in Terraform's state JSON, driven by a type.

What the `tf` package lacks and the stand-ins need: object, tuple and dynamic types, and
encoding any value by its schema type. Types are the JSON form Terraform itself uses
(`"string"`, `["list", T]`, `["object", {...}]`, `"dynamic"`, ...).

Python form of a value (what `from_wire` returns and `to_wire` takes) is the state-JSON form:
objects and maps are dicts, lists/sets/tuples are lists, and a dynamic value is
`{"value": ..., "type": T}` exactly as Terraform writes it in a state file. So a value read
from a state file (UpgradeResourceState) and one read from the wire look the same.
`Unknown` (tf's sentinel) stands for an unknown value anywhere.
"""

from __future__ import annotations

import json

from tf.types import Unknown

PRIMITIVES = ("string", "number", "bool")


def dyn(value, type_=None) -> dict:
    """A dynamic value, typed by `type_` or inferred from the Python value."""
    return {"value": value, "type": type_ if type_ is not None else infer(value)}


def infer(value):
    """The cty type of a JSON-like Python value (objects and tuples, as Terraform infers JSON)."""
    if value is None:
        return "dynamic"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return ["object", {k: infer(v) for k, v in value.items()}]
    if isinstance(value, list):
        return ["tuple", [infer(v) for v in value]]
    raise TypeError(f"no cty type for {type(value).__name__}")


def to_wire(ty, value):
    """Python (state-JSON form) -> msgpack-ready structure for type `ty`."""
    if value is Unknown or value is None:
        return value
    if ty == "dynamic":
        inner_ty = value["type"]
        return [json.dumps(inner_ty, separators=(",", ":")).encode(), to_wire(inner_ty, value["value"])]
    if ty in PRIMITIVES:
        if ty == "number" and isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    kind = ty[0]
    if kind in ("list", "set"):
        return [to_wire(ty[1], v) for v in value]
    if kind == "map":
        return {k: to_wire(ty[1], v) for k, v in value.items()}
    if kind == "tuple":
        return [to_wire(t, v) for t, v in zip(ty[1], value)]
    if kind == "object":
        unknown = set(value) - set(ty[1])
        if unknown:
            raise ValueError(f"attributes not in the object type: {sorted(unknown)}")
        return {k: to_wire(t, value.get(k)) for k, t in ty[1].items()}
    raise ValueError(f"unsupported type {ty!r}")


def from_wire(ty, raw):
    """msgpack-decoded structure -> Python (state-JSON form)."""
    if raw is Unknown or raw is None:
        return raw
    if ty == "dynamic":
        type_bytes, inner = raw
        inner_ty = json.loads(type_bytes)
        return {"value": from_wire(inner_ty, inner), "type": inner_ty}
    if ty in PRIMITIVES:
        return raw
    kind = ty[0]
    if kind in ("list", "set"):
        return [from_wire(ty[1], v) for v in raw]
    if kind == "map":
        return {k: from_wire(ty[1], v) for k, v in raw.items()}
    if kind == "tuple":
        return [from_wire(t, v) for t, v in zip(ty[1], raw)]
    if kind == "object":
        return {k: from_wire(t, raw.get(k)) for k, t in ty[1].items()}
    raise ValueError(f"unsupported type {ty!r}")


def plain(value):
    """A state-JSON value with dynamic wrappers removed (what an API body looks like)."""
    if isinstance(value, dict):
        if set(value) == {"value", "type"}:
            return plain(value["value"])
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def has_unknown(value) -> bool:
    if value is Unknown:
        return True
    if isinstance(value, dict):
        return any(has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(has_unknown(v) for v in value)
    return False


# ---- schema blocks (the `terraform providers schema -json` shape) -> types ----

def attribute_type(attr: dict):
    nested = attr.get("nested_type")
    if nested is None:
        return attr["type"]
    obj = ["object", {k: attribute_type(a) for k, a in nested["attributes"].items()}]
    mode = nested["nesting_mode"]
    return obj if mode == "single" else [mode, obj]


def block_type(block: dict):
    """The implied object type of a block: its attributes and its nested blocks."""
    fields = {k: attribute_type(a) for k, a in block.get("attributes", {}).items()}
    for name, nb in block.get("block_types", {}).items():
        inner = block_type(nb["block"])
        mode = nb["nesting_mode"]
        fields[name] = inner if mode in ("single", "group") else [mode, inner]
    return ["object", fields]
