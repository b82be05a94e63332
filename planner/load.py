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

MAX_FILE_BYTES = 16 * 1024 * 1024  # ~150,000 VMs in YAML; larger inventories belong in vms_csv
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
    """Plan path -> position of the value (or of the key for collections).

    The YAML parser stores 0-based (line, column) tuples (cheap on large plans);
    rows of vms_csv store a `Pos` in their own file.
    """

    file: str
    nodes: dict = field(default_factory=dict)

    def find(self, path) -> Pos:
        """The position of `path`, or of its closest ancestor that has one."""
        path = tuple(path)
        while True:
            pos = self.nodes.get(path)
            if pos is not None:
                return pos if isinstance(pos, Pos) else Pos(self.file, pos[0] + 1, pos[1] + 1)
            if not path:
                return Pos(self.file, 1, 1)
            path = path[:-1]


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


_Scalar, _MapStart, _SeqStart = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_MapEnd, _SeqEnd, _Alias, _DocStart = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.AliasEvent, yaml.DocumentStartEvent
_MAYBE_TYPED = frozenset("0123456789+-.~nNtTfF")

# a frame of the collection being built: [container, path, anchor, size, pending key, its mark, next index]
_CONTAINER, _PATH, _ANCHOR, _SIZE, _KEY, _SEEN, _INDEX = range(7)


def parse_yaml(text: str, file: str) -> tuple[object, Positions, list[Diagnostic]]:
    """Build plain values and positions from YAML events, without recursion.

    This loop is the hot path of `drnet validate` on large plans: it keeps to
    local names and plain lists on purpose.
    """
    positions = Positions(file)
    nodes = positions.nodes
    diags: list[Diagnostic] = []
    anchors: dict[str, tuple[object, int]] = {}
    stack: list[list] = []
    root = None
    documents = 0
    total = 0
    loader = _Loader(text)
    get_event = loader.get_event
    try:
        while True:
            event = get_event()
            if event is None:
                break
            kind = type(event)
            if kind is _Scalar:
                value = event.value
                if event.style:
                    pass  # quoted or block scalars are strings
                elif event.tag is not None and event.tag not in ("!", _STR_TAG):
                    diags.append(
                        _at(
                            file,
                            event.start_mark,
                            "E002",
                            f"YAML tag '{event.tag}' is not supported in a plan",
                            "remove the tag; quote the value if it must be a string",
                        )
                    )
                elif event.tag is None and (not value or value[0] in _MAYBE_TYPED):
                    value = _plain_scalar(value)
                size, is_collection = 1, False
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
            elif kind is _MapStart or kind is _SeqStart:
                if len(stack) >= MAX_DEPTH:
                    raise _TooBig(f"the plan nests deeper than {MAX_DEPTH} levels", event.start_mark)
                value = {} if kind is _MapStart else []
                size, is_collection = 0, True
            elif kind is _MapEnd or kind is _SeqEnd:
                frame = stack.pop()
                if stack:
                    stack[-1][_SIZE] += frame[_SIZE]
                if frame[_ANCHOR]:
                    anchors[frame[_ANCHOR]] = (frame[_CONTAINER], frame[_SIZE])
                continue
            elif kind is _Alias:
                if event.anchor not in anchors:
                    diags.append(_at(file, event.start_mark, "E002", f"unknown alias '*{event.anchor}'", None))
                    continue
                value, size = anchors[event.anchor]
                is_collection = isinstance(value, (dict, list))
            elif kind is _DocStart:
                documents += 1
                if documents > 1:
                    diags.append(
                        _at(
                            file,
                            event.start_mark,
                            "E002",
                            "a plan file holds one YAML document; found a second one",
                            "remove the '---' and what follows, or split the plan",
                        )
                    )
                    break
                continue
            else:
                continue

            # attach the value to the collection being built
            total += size
            if total > MAX_VALUES:
                raise _TooBig(f"the plan holds more than {MAX_VALUES:,} values (counting what aliases repeat)", event.start_mark)
            mark = event.start_mark
            if not stack:
                root = value
                path = ()
                nodes[path] = (mark.line, mark.column)
            else:
                frame = stack[-1]
                frame[_SIZE] += size
                container = frame[_CONTAINER]
                if container.__class__ is list:
                    path = frame[_PATH] + (frame[_INDEX],)
                    container.append(value)
                    frame[_INDEX] += 1
                    nodes[path] = (mark.line, mark.column)
                elif frame[_KEY] is None:  # this value is a mapping key
                    if is_collection:
                        diags.append(_at(file, mark, "E002", "a mapping key must be a plain string", None))
                        key = ""
                    else:
                        key = "" if value is None else str(value)
                    if key in container:
                        diags.append(
                            _at(
                                file,
                                mark,
                                "E003",
                                f"duplicate key '{key}'",
                                "YAML keeps only one of them: remove or merge the other",
                                frame[_PATH] + (key,),
                            )
                        )
                    frame[_KEY] = key
                    frame[_SEEN] = mark  # the key's position, for a collection value
                    if is_collection and kind is not _Alias:
                        # a collection used as a key: build it, then forget it
                        stack.append([value, frame[_PATH] + ("<key>",), None, 0, None, None, 0])
                    continue
                else:
                    path = frame[_PATH] + (frame[_KEY],)
                    container[frame[_KEY]] = value
                    frame[_KEY] = None
                    # scalars point at the value, collections at their key
                    at = frame[_SEEN] if is_collection else mark
                    nodes[path] = (at.line, at.column)
            if is_collection and kind is not _Alias:
                stack.append([value, path, event.anchor, 1, None, None, 0])
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
    except yaml.YAMLError as exc:  # reader errors (control characters...) carry a character offset
        position = getattr(exc, "position", None) or 0
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        character = getattr(exc, "character", None)
        what = f"character {character!r} is not allowed in YAML" if character is not None else str(exc)
        diags.append(Diagnostic("E002", Severity.ERROR, f"YAML: {what}", (), "remove the control character", file, line, column))
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


def _at(file: str, mark, code: str, message: str, hint: str | None, path: tuple = ()) -> Diagnostic:
    line = mark.line + 1 if mark is not None else 1
    column = mark.column + 1 if mark is not None else 1
    return Diagnostic(code, Severity.ERROR, message, path, hint, file, line, column)


def _file_diag(file: str, message: str, hint: str | None = None, line: int = 1, column: int = 1, code: str = "E001"):
    return Diagnostic(code, Severity.ERROR, message, (), hint, file, line, column)


STDIN = "-"  # the plan path that means "read standard input" (a vms_csv is then relative to the working directory)


def _read_stdin() -> bytes:
    import sys

    return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)


def read_text(path: FsPath) -> tuple[str | None, list[Diagnostic]]:
    """Read a user file as UTF-8; PlanFileError when it cannot be read at all."""
    try:
        raw = None
        if str(path) == STDIN:
            raw = _read_stdin()
            size = len(raw)
        elif path.is_dir():
            raise PlanFileError(f"{path} is a directory, not a plan file")
        else:
            size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            shown = f"over {MAX_FILE_BYTES:,}" if raw is not None else f"{size:,}"  # stdin is read no further
            return None, [
                _file_diag(
                    str(path),
                    f"file is {shown} bytes; plans are limited to {MAX_FILE_BYTES:,}",
                    "move the VM inventory to vms_csv, or split the plan",
                )
            ]
        if raw is None:
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
