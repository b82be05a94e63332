"""Validate plain values against the model; turn pydantic errors into diagnostics."""

from __future__ import annotations

import difflib
import typing

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, error
from .model import CONNECTION_TYPES, Plan

_TYPE_NAMES = {
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    dict: "a mapping",
    list: "a list",
    type(None): "nothing",
}


def _describe(value) -> str:
    for kind, name in _TYPE_NAMES.items():
        if type(value) is kind:
            return name
    return type(value).__name__


def _clean_loc(loc: tuple, data) -> tuple:
    """Drop pydantic's union-tag steps (e.g. 'site-to-site') from a location."""
    out, node = [], data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part not in node and part in CONNECTION_TYPES:
            continue
        if isinstance(part, str) and part.startswith("function-"):
            continue
        out.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(out)


def _model_at(loc: tuple, data) -> type[BaseModel] | None:
    """The model class that validates the mapping at `loc` (for did-you-mean)."""
    model: typing.Any = Plan
    node = data
    for part in loc:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
            continue
        if model is None or not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = _unwrap(field.annotation, node.get(part) if isinstance(node, dict) else None)
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(model, type) and issubclass(model, BaseModel):
        return model
    return None


def _unwrap(annotation, value):
    """Find the model inside Optional[...], list[...], Annotated[Union[...]]."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0], value)
    if origin in (list, tuple):
        inner = typing.get_args(annotation)[0]
        sample = value[0] if isinstance(value, list) and value else None
        return _unwrap(inner, sample)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        for arg in typing.get_args(annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                if arg in CONNECTION_TYPES.values() and isinstance(value, dict):
                    if CONNECTION_TYPES.get(value.get("type")) is arg:
                        return arg
                    continue
                return arg
            inner = _unwrap(arg, value)
            if inner is not None and inner is not arg:
                return inner
        return None
    return annotation


def did_you_mean(word: str, choices) -> str | None:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def _diagnostic(err: dict, data) -> Diagnostic | None:
    kind = err["type"]
    loc = _clean_loc(tuple(err["loc"]), data)
    value = err.get("input")
    where = loc[-1] if loc else "plan"
    if kind == "missing":
        return error("E006", f"missing required key '{where}'", loc[:-1], hint=f"add '{where}:'")
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1], data)
        hint = None
        if model is not None:
            guess = did_you_mean(str(where), model.model_fields)
            hint = f"did you mean '{guess}'?" if guess else "allowed: " + ", ".join(model.model_fields)
        return error("E004", f"unknown key '{where}'", loc, hint=hint)
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return error("E005", f"'{where}' must be {expected}, not {value!r}", loc, hint=f"write one of {expected}")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        allowed = ", ".join(CONNECTION_TYPES)
        got = value.get("type") if isinstance(value, dict) else None
        hint = None
        if isinstance(got, str):
            guess = did_you_mean(got, CONNECTION_TYPES)
            hint = f"did you mean '{guess}'?" if guess else None
        return error("E005", f"connection type must be one of {allowed}, not {got!r}", loc + ("type",),
                     hint=hint or f"set type: to one of {allowed}")
    if kind == "string_pattern_mismatch" and loc == ("name",):
        return error(
            "E202",
            f"plan name {value!r} must be 1-24 characters of a-z, 0-9 and '-'",
            loc,
            hint="it prefixes Azure resource names and stack names",
        )
    if kind in ("too_short", "too_long"):
        return error("E005", f"'{where}': {err['msg'].lower()}", loc, hint="see `drnet schema` or docs/plan-format.md for its limits")
    if kind.endswith("_type") or kind in ("model_type", "model_attributes_type", "int_from_float", "int_parsing"):
        expected = {
            "string_type": "a string",
            "int_type": "a whole number",
            "int_parsing": "a whole number",
            "int_from_float": "a whole number",
            "bool_type": "true or false",
            "bool_parsing": "true or false",
            "list_type": "a list",
            "dict_type": "a mapping",
            "model_type": "a mapping",
            "model_attributes_type": "a mapping",
        }.get(kind, kind.replace("_type", ""))
        hint = None
        if expected == "a string" and isinstance(value, (bool, int, float)):
            hint = "quote the value"
        if expected == "a list" and isinstance(value, str):
            hint = f"write it as a list: [{value}]"
        if expected == "a whole number" and isinstance(value, str) and value.strip().isdigit():
            hint = f"remove the quotes: {value.strip()}"
        hint = hint or f"write {expected} here"
        subject = f"'{where}'" if loc else "the plan"
        return error("E005", f"{subject} must be {expected}, not {_describe(value)}", loc, hint=hint)
    return error("E005", f"'{where}': {err['msg']}", loc, hint="see `drnet schema` or docs/plan-format.md")


def validate_plan_data(data) -> tuple[Plan | None, list[Diagnostic]]:
    if data is None:
        return None, [error("E006", "the plan is empty", (), hint="start from `drnet init`")]
    if not isinstance(data, dict):
        return None, [error("E005", f"the plan must be a mapping of keys, not {_describe(data)}", (),
                            hint="start from `drnet init`: a plan is `version: 1`, `name: ...` and so on")]
    try:
        return Plan.model_validate(data), []
    except ValidationError as exc:
        diags = [_diagnostic(e, data) for e in exc.errors(include_url=False)]
        return None, [d for d in diags if d is not None]
