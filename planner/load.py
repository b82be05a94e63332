"""Parse a plan file once into plain values plus a position for every node.

The YAML is read as an event stream (libyaml's C parser when available), so
there is no recursion however deep the nesting, aliases are bounded, duplicate
keys are seen, and no implicit typing beyond YAML 1.2's core schema happens:
`no`, `on`, `2024-01-01` and `0777` stay strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path as FsPath

import yaml

from .diagnostics import Diagnostic, Severity

try:  # libyaml's C parser: several times faster than the pure-Python one
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 16 * 1024 * 1024  # ~150,000 VMs in YAML; larger inventories belong in vms_csv
MAX_DEPTH = 64
MAX_VALUES = 2_000_000  # counted after alias expansion: stops "billion laughs"



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
    oversized: list = []  # marks of integers too long to read
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
                    try:
                        value = _plain_scalar(value)
                    except ValueError:  # more digits than Python turns into an int (sys.get_int_max_str_digits)
                        oversized.append(event.start_mark)
                        value = f"<a number of {len(value):,} digits>"
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
    if oversized:
        diags.extend(_oversized_numbers(file, oversized, nodes))
    return root, positions, diags


def _oversized_numbers(file: str, marks: list, nodes: dict) -> list[Diagnostic]:
    """One E005 per integer too long to read, with its plan path (rare: a reverse lookup is fine)."""
    where = {at: path for path, at in nodes.items() if isinstance(at, tuple)}
    return [
        _at(file, mark, "E005", "this number has too many digits to be read",
            "write the value the plan expects (an ASN, a prefix length, the version 1)", where.get((mark.line, mark.column), ()))
        for mark in marks
    ]


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


def _read_bounded(stream, file: str, hint: str = "move the VM inventory to vms_csv, or split the plan"):
    """At most MAX_FILE_BYTES + 1 bytes, whatever the file is: stat() says 0 for
    /dev/zero, a FIFO or /proc files, so the size is only known by reading."""
    limit = MAX_FILE_BYTES
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        return None, [_file_diag(file, f"file is over {limit:,} bytes, the limit", hint)]
    return raw, []


def _decode(raw: bytes, file: str, what: str = "a YAML plan", utf16: bool = False) -> tuple[str | None, list[Diagnostic]]:
    if utf16 and raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Windows PowerShell's `-Encoding Unicode`
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            return None, [_file_diag(file, "not UTF-16 although it starts with a UTF-16 byte order mark", "save the file as UTF-8")]
    if b"\x00" in raw[:8192]:
        return None, [_file_diag(file, f"this is a binary file, not {what}")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [_file_diag(file, f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded", "save the file as UTF-8", line, column)]


def read_text(path: FsPath) -> tuple[str | None, list[Diagnostic]]:
    """Read a plan as UTF-8; PlanFileError when it cannot be read at all.

    The plan is named on the command line, so a pipe (`<(...)`) is fine; only the
    amount read is bounded."""
    try:
        if str(path) == STDIN:
            import sys

            raw, diags = _read_bounded(sys.stdin.buffer, str(path))
        elif path.is_dir():
            raise PlanFileError(f"{path} is a directory, not a plan file")
        else:
            with open(path, "rb") as stream:
                raw, diags = _read_bounded(stream, str(path))
    except FileNotFoundError as exc:
        raise PlanFileError(f"{path}: no such file") from exc
    except PermissionError as exc:
        raise PlanFileError(f"{path}: permission denied") from exc
    except (OSError, ValueError) as exc:
        raise PlanFileError(f"{path}: {getattr(exc, 'strerror', None) or exc}") from exc
    if raw is None:
        return None, diags
    return _decode(raw, str(path))


def load_plan(path: str | FsPath) -> LoadedPlan:
    """Read and parse a plan, merging `vms_csv` rows into `vms`."""
    path = FsPath(path)
    text, diags = read_text(path)
    if text is None:
        return LoadedPlan(None, Positions(str(path)), diags, path)
    data, positions, parse_diags = parse_yaml(text, str(path))
    diags.extend(parse_diags)
    if isinstance(data, dict) and isinstance(data.get("vms_csv"), str) and not parse_diags:
        from .inventory import merge_inventory  # here: the inventory module builds on this one

        diags.extend(merge_inventory(data, positions, path))
    return LoadedPlan(data, positions, diags, path)
