"""Parse a plan file once into plain values plus a position for every node.

The YAML is read as an event stream (libyaml's C parser when available), so
there is no recursion however deep the nesting, aliases are bounded, duplicate
keys are seen, and no implicit typing beyond YAML 1.2's core schema happens:
`no`, `on`, `2024-01-01` and `0777` stay strings.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path as FsPath

import yaml

from .diagnostics import Diagnostic, Severity, error

try:  # libyaml's C parser: several times faster than the pure-Python one
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 2_000_000  # counted after alias expansion: stops "billion laughs"

CSV_COLUMNS = ("vm", "vm_network", "subnet", "ip", "recovery_ip")
CSV_REQUIRED = ("vm", "vm_network", "subnet", "ip")


class PlanFileError(Exception):
    """The plan file cannot be read at all (missing, a directory, no permission)."""


@dataclass(frozen=True)
class Pos:
    file: str
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class Positions:
    """Plan path -> position of the value (or of the key for collections)."""

    file: str
    nodes: dict = field(default_factory=dict)

    def find(self, path) -> Pos | None:
        path = tuple(path)
        while path:
            pos = self.nodes.get(path)
            if pos is not None:
                return pos
            path = path[:-1]
        return self.nodes.get((), Pos(self.file, 1, 1))


@dataclass
class LoadedPlan:
    data: object
    positions: Positions
    diagnostics: list[Diagnostic]
    path: FsPath


_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+\.[0-9]*)([eE][-+]?[0-9]+)?\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_STR_TAG = "tag:yaml.org,2002:str"


def _plain_scalar(text: str):
    """YAML 1.2 core schema, nothing more (no dates, no yes/no, no octal)."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


class _TooBig(Exception):
    def __init__(self, message: str, mark):
        super().__init__(message)
        self.mark = mark


def _pos(file: str, mark) -> Pos:
    return Pos(file, mark.line + 1, mark.column + 1)


class _Frame:
    __slots__ = ("container", "path", "anchor", "size", "key", "key_mark", "seen", "index")

    def __init__(self, container, path, anchor):
        self.container = container
        self.path = path
        self.anchor = anchor
        self.size = 1
        self.key = None  # pending mapping key (mappings only)
        self.key_mark = None
        self.seen = set()
        self.index = 0


def parse_yaml(text: str, file: str) -> tuple[object, Positions, list[Diagnostic]]:
    """Build plain values and positions from YAML events, without recursion."""
    positions = Positions(file)
    nodes = positions.nodes
    diags: list[Diagnostic] = []
    anchors: dict[str, tuple[object, int]] = {}
    stack: list[_Frame] = []
    root = None
    documents = 0
    total = 0

    def child_path(frame: _Frame):
        if isinstance(frame.container, list):
            return frame.path + (frame.index,)
        return frame.path + (frame.key,)

    def attach(value, size: int, mark, is_collection: bool) -> tuple | None:
        """Put a finished value into the enclosing collection; return its path."""
        nonlocal root, total
        total += size
        if total > MAX_VALUES:
            raise _TooBig(
                f"the plan expands to more than {MAX_VALUES:,} values (aliases?)", mark
            )
        if not stack:
            root = value
            nodes[()] = _pos(file, mark)
            return ()
        frame = stack[-1]
        frame.size += size
        if isinstance(frame.container, list):
            path = frame.path + (frame.index,)
            frame.container.append(value)
            frame.index += 1
            nodes[path] = _pos(file, mark)
            return path
        if frame.key is None:  # this value is a key
            if is_collection:
                diags.append(error("E002", "a mapping key must be a plain string", frame.path))
                frame.key = ""
            else:
                key = "" if value is None else str(value)
                if key in frame.seen:
                    diags.append(
                        error(
                            "E003",
                            f"duplicate key '{key}'",
                            frame.path + (key,),
                            hint="YAML keeps only one of them: remove or merge the other",
                        )
                    )
                    # keep positions of the first; the value below replaces it like YAML would
                frame.seen.add(key)
                frame.key = key
                frame.key_mark = mark
                if frame.path + (key,) not in nodes:
                    nodes[frame.path + (key,)] = _pos(file, mark)
            return None
        key = frame.key
        path = frame.path + (key,)
        frame.container[key] = value
        if not is_collection:  # scalars point at the value; collections at their key
            nodes[path] = _pos(file, mark)
        frame.key = None
        return path

    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                if event.tag not in (None, "!", _STR_TAG) and not event.implicit[0]:
                    diags.append(
                        error(
                            "E002",
                            f"YAML tag '{event.tag}' is not supported in a plan",
                            child_path(stack[-1]) if stack else (),
                            hint="remove the tag; quote the value if it must be a string",
                        )
                    )
                if not event.style and event.implicit[0] and event.tag != _STR_TAG:
                    value = _plain_scalar(event.value)
                else:
                    value = event.value
                attach(value, 1, event.start_mark, False)
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:
                    raise _TooBig(f"the plan nests deeper than {MAX_DEPTH} levels", event.start_mark)
                container = {} if kind is yaml.MappingStartEvent else []
                if stack and not isinstance(stack[-1].container, list) and stack[-1].key is None:
                    # a collection used as a mapping key
                    attach(container, 1, event.start_mark, True)
                    path = stack[-1].path + ("",)
                else:
                    path = attach(container, 0, event.start_mark, True)
                    if path is None:
                        path = ()
                stack.append(_Frame(container, path, event.anchor))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack.pop()
                if stack:
                    stack[-1].size += frame.size
                if frame.anchor:
                    anchors[frame.anchor] = (frame.container, frame.size)
            elif kind is yaml.AliasEvent:
                if event.anchor not in anchors:
                    diags.append(error("E002", f"unknown alias '*{event.anchor}'"))
                    continue
                value, size = anchors[event.anchor]
                attach(value, size, event.start_mark, isinstance(value, (dict, list)))
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    diags.append(
                        Diagnostic(
                            "E002",
                            Severity.ERROR,
                            "a plan file holds one YAML document; found a second one",
                            (),
                            "remove the '---' and what follows, or split the plan",
                            file,
                            event.start_mark.line + 1,
                            event.start_mark.column + 1,
                        )
                    )
                    break
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or "invalid YAML"
        if exc.context:
            message = f"{message} ({exc.context})"
        diags.append(_at(file, mark, "E002", f"YAML syntax: {message}", _yaml_hint(message)))
        return None, positions, diags
    except _TooBig as exc:
        diags.append(_at(file, exc.mark, "E007", str(exc), "simplify the file: no deep nesting, no alias chains"))
        return None, positions, diags
    except yaml.YAMLError as exc:  # reader errors carry a position of their own
        mark = getattr(exc, "position", None)
        diags.append(
            Diagnostic("E002", Severity.ERROR, f"YAML: {exc}", (), None, file, 1, (mark or 0) + 1)
        )
        return None, positions, diags
    finally:
        loader.dispose()
    return root, positions, diags


def _yaml_hint(message: str) -> str | None:
    if "\\t" in message or "tab" in message:
        return "indent with spaces: YAML does not allow tabs for indentation"
    if "mapping values are not allowed" in message:
        return "a value containing ': ' must be quoted"
    return None


def _at(file: str, mark, code: str, message: str, hint: str | None) -> Diagnostic:
    line = mark.line + 1 if mark is not None else 1
    column = mark.column + 1 if mark is not None else 1
    return Diagnostic(code, Severity.ERROR, message, (), hint, file, line, column)


def _file_diag(file: str, message: str, hint: str | None = None, line: int = 1, column: int = 1, code: str = "E001"):
    return Diagnostic(code, Severity.ERROR, message, (), hint, file, line, column)


def read_text(path: FsPath) -> tuple[str | None, list[Diagnostic]]:
    """Read a user file as UTF-8; PlanFileError when it cannot be read at all."""
    try:
        if path.is_dir():
            raise PlanFileError(f"{path} is a directory, not a plan file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                _file_diag(
                    str(path),
                    f"file is {size:,} bytes; plans are limited to {MAX_FILE_BYTES:,}",
                    "move the VM inventory to vms_csv, or split the plan",
                )
            ]
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise PlanFileError(f"{path}: no such file") from exc
    except PermissionError as exc:
        raise PlanFileError(f"{path}: permission denied") from exc
    except OSError as exc:
        raise PlanFileError(f"{path}: {exc.strerror or exc}") from exc
    if b"\x00" in raw[:8192]:
        return None, [_file_diag(str(path), "this is a binary file, not a YAML plan")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            _file_diag(
                str(path),
                f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded",
                "save the file as UTF-8",
                line,
                column,
            )
        ]
    return text, []


def load_plan(path: str | FsPath) -> LoadedPlan:
    """Read and parse a plan, merging `vms_csv` rows into `vms`."""
    path = FsPath(path)
    text, diags = read_text(path)
    if text is None:
        return LoadedPlan(None, Positions(str(path)), diags, path)
    data, positions, parse_diags = parse_yaml(text, str(path))
    diags.extend(parse_diags)
    if isinstance(data, dict) and isinstance(data.get("vms_csv"), str) and not parse_diags:
        diags.extend(_merge_csv(data, positions, path))
    return LoadedPlan(data, positions, diags, path)


def _merge_csv(data: dict, positions: Positions, plan_path: FsPath) -> list[Diagnostic]:
    csv_name = data["vms_csv"]
    csv_path = (plan_path.parent / csv_name)
    here = ("vms_csv",)
    try:
        text, diags = read_text(csv_path)
    except PlanFileError as exc:
        return [error("E008", f"vms_csv: {exc}", here, hint="the path is relative to the plan file")]
    if text is None:
        return diags
    vms = data.get("vms")
    if vms is None:
        vms = data["vms"] = []
        positions.nodes.setdefault(("vms",), positions.find(here))
    if not isinstance(vms, list):
        return []  # the schema reports the wrong type of `vms`
    rows, diags = read_vm_rows(text, str(csv_path))
    by_name: dict[str, int] = {}
    nodes = positions.nodes
    for row in rows:
        values, cells = row
        name = values["vm"]
        index = by_name.get(name)
        if index is None:
            index = len(vms)
            by_name[name] = index
            vms.append({"name": name, "nics": []})
            nodes[("vms", index)] = cells["vm"]
            nodes[("vms", index, "name")] = cells["vm"]
            nodes[("vms", index, "nics")] = cells["vm"]
        nics = vms[index]["nics"]
        nic = {k: values[k] for k in ("vm_network", "subnet", "ip")}
        if values.get("recovery_ip"):
            nic["recovery_ip"] = values["recovery_ip"]
        path = ("vms", index, "nics", len(nics))
        nics.append(nic)
        nodes[path] = cells["vm"]
        for key in nic:
            nodes[path + (key,)] = cells[key]
    return diags


def read_vm_rows(text: str, file: str):
    """Rows of a VMM inventory export, each with the position of every cell."""
    diags: list[Diagnostic] = []
    lines = text.splitlines()
    if not lines:
        return [], [_csv_diag(file, "the VM inventory CSV is empty", f"first line: {','.join(CSV_COLUMNS)}")]
    header = [h.strip().lower() for h in next(csv.reader([lines[0]]))]
    for number, name in enumerate(header, start=1):
        if name not in CSV_COLUMNS:
            diags.append(_csv_diag(file, f"unknown column '{name}'", f"columns: {','.join(CSV_COLUMNS)}", 1, number))
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        diags.append(_csv_diag(file, f"missing column(s): {', '.join(missing)}", f"columns: {','.join(CSV_COLUMNS)}"))
    if diags:
        return [], diags
    rows = []
    reader = csv.reader(io.StringIO(text))
    next(reader)
    for record in reader:
        line = reader.line_num
        if not record or all(not c.strip() for c in record):
            continue
        raw = lines[line - 1] if line - 1 < len(lines) else ""
        if len(record) > len(header):
            diags.append(_csv_diag(file, f"{len(record)} cells, the header has {len(header)}", None, line, 1))
            continue
        values, cells, offset = {}, {}, 0
        for name, cell in zip(header, record):
            start = raw.find(cell, offset) if cell else offset
            start = offset if start < 0 else start
            values[name] = cell.strip()
            cells[name] = Pos(file, line, start + 1)
            offset = start + len(cell) + 1
        for name in header[len(record):]:
            values[name] = ""
            cells[name] = Pos(file, line, len(raw) + 1)
        empty = [c for c in CSV_REQUIRED if not values[c]]
        if empty:
            diags.append(_csv_diag(file, f"empty cell(s): {', '.join(empty)}", None, line, cells[empty[0]].column))
            continue
        rows.append((values, cells))
    return rows, diags


def _csv_diag(file, message, hint=None, line=1, column=1):
    return _file_diag(file, message, hint, line, column, code="E008")
