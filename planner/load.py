"""Parse a plan file once into plain values plus a position for every node.

The YAML is read as an event stream (libyaml's C parser when available), so
there is no recursion however deep the nesting, aliases are bounded, duplicate
keys are seen, and no implicit typing beyond YAML 1.2's core schema happens:
`no`, `on`, `2024-01-01` and `0777` stay strings.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from dataclasses import dataclass, field, replace
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
INVENTORY_ROOT_ENV = "DRNET_INVENTORY_ROOT"


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
        if path.is_dir():
            raise PlanFileError(f"{path} is a directory, not a plan file")
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
        diags.extend(_merge_csv(data, positions, path))
    return LoadedPlan(data, positions, diags, path)


def _merge_csv(data: dict, positions: Positions, plan_path: FsPath) -> list[Diagnostic]:
    here = ("vms_csv",)
    text, csv_file, diags = read_inventory(plan_path, data["vms_csv"])
    if text is None:
        return [replace(d, path=here) if d.line is None else d for d in diags]
    vms = data.get("vms")
    if vms is None:
        vms = data["vms"] = []
        positions.nodes.setdefault(("vms",), positions.find(here))
    if not isinstance(vms, list):
        return []  # the schema reports the wrong type of `vms`
    rows, diags = read_vm_rows(text, csv_file)
    by_name: dict[str, int] = {}
    first_line: dict[str, int] = {}
    previous = None
    nodes = positions.nodes
    for row in rows:
        values, cells = row
        name = values["vm"]
        index = by_name.get(name)
        if index is not None and name != previous:
            # ASR matches NICs by position: a stray row would silently become another NIC
            diags.append(_csv_diag(csv_file, f"{name}'s rows are not next to each other: this row and the one at "
                                   f"line {first_line[name]} are both {name}",
                                   f"put all rows of {name} together, in NIC order", cells["vm"].line, cells["vm"].column))
            continue
        previous = name
        if index is None:
            index = len(vms)
            by_name[name] = index
            first_line[name] = cells["vm"].line
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


def inventory_roots(plan_path: FsPath) -> list[str]:
    """Folders a plan's vms_csv may be read from: the plan's own, plus DRNET_INVENTORY_ROOT
    (os.pathsep-separated) that whoever runs drnet sets, never the plan itself."""
    roots = [os.path.realpath(plan_path.parent)]
    roots += [os.path.realpath(r) for r in os.environ.get(INVENTORY_ROOT_ENV, "").split(os.pathsep) if r]
    return roots


def _shown(name: str) -> str:
    """The plan's own text, printable and short (never anything read from the file)."""
    return ascii(name if len(name) <= 80 else name[:80] + "...")


def read_inventory(plan_path: FsPath, name: str) -> tuple[str | None, str, list[Diagnostic]]:
    """The text of a plan's vms_csv, its file name for diagnostics, and problems.

    A pull request edits the plan: its vms_csv may name only a regular file inside the
    plan's folder (or DRNET_INVENTORY_ROOT), after symlinks are resolved. Devices, FIFOs,
    /proc files and anything outside are refused before a byte is read, and no error
    echoes the content of a refused file.
    """
    here = ("vms_csv",)
    hint = (f"put the inventory in the plan's folder (the path is relative to it); whoever runs drnet can "
            f"allow another folder with the environment variable {INVENTORY_ROOT_ENV}")

    def refused(message, why_hint=hint):
        return None, name, [error("E008", f"vms_csv {_shown(name)}: {message}", here, hint=why_hint)]

    if "\x00" in name:
        return refused("a file name cannot contain a NUL character")
    try:
        candidate = os.path.join(plan_path.parent, name)
        real = os.path.realpath(candidate)
        os.fsencode(real)
    except (ValueError, OSError):  # lone surrogates, names too long to resolve...
        return refused("not a usable file name")
    if not any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in inventory_roots(plan_path)):
        return refused("outside the plan's folder, so it is not read")
    try:
        if not stat.S_ISREG(os.stat(real).st_mode):
            return refused("not a regular file (a directory, device or FIFO), so it is not read", "name the CSV file itself")
        # O_NONBLOCK: should the file have been swapped for a FIFO since, opening it does not wait
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return refused("no such file")
    except PermissionError:
        return refused("permission denied")
    except (OSError, ValueError) as exc:
        return refused(f"cannot be read ({getattr(exc, 'strerror', None) or type(exc).__name__})")
    with os.fdopen(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return refused("not a regular file (a directory, device or FIFO), so it is not read", "name the CSV file itself")
        try:
            raw, diags = _read_bounded(stream, candidate, "split the plan: one inventory per plan")
        except OSError as exc:
            return refused(f"cannot be read ({exc.strerror or type(exc).__name__})")
    if raw is None:
        return None, candidate, diags
    text, diags = _decode(raw, candidate, "a CSV inventory", utf16=True)
    return text, candidate, diags


_TYPE_LINE = "#TYPE "  # the first line of Windows PowerShell 5.1's Export-Csv without -NoTypeInformation
_COLUMN_NAME = re.compile(r"[A-Za-z0-9_ .-]{1,40}\Z")


def read_vm_rows(text: str, file: str):
    """Rows of a VMM inventory export, each with the position of every cell.

    Lines are what editors count: CRLF, CR and LF end a line, nothing else (not the
    Unicode separators str.splitlines() knows). A cell is located by where it starts
    in its record, so a multi-line quoted cell shifts nothing after it.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    first = 1
    if lines[0].startswith(_TYPE_LINE):
        first = 2
        lines[0] = ""  # keeps line numbers; the reader skips the blank line
    if not text.strip() or (first == 2 and len(lines) < 2):
        return [], [_csv_diag(file, "the VM inventory CSV is empty", f"first line: {','.join(CSV_COLUMNS)}")]
    reader = csv.reader(io.StringIO("\n".join(lines), newline=""))
    records = _records(reader, lines)
    diags: list[Diagnostic] = []
    try:
        header_record = next(records, None)
    except _CsvTrouble as exc:
        return [], [exc.diagnostic(file)]
    if header_record is None:
        return [], [_csv_diag(file, "the VM inventory CSV is empty", f"first line: {','.join(CSV_COLUMNS)}")]
    header_cells, header_line, _ = header_record
    header = [h.strip().lower() for h in header_cells]
    for number, column_name in enumerate(header, start=1):
        if column_name not in CSV_COLUMNS:
            # name it only when it looks like a column name: never echo a line of some other file
            shown = f"'{column_name}'" if _COLUMN_NAME.match(column_name) else f"{number} (not a column name)"
            diags.append(_csv_diag(file, f"unknown column {shown}", f"columns: {','.join(CSV_COLUMNS)}", header_line,
                                   header_record[2][number - 1][1] if number <= len(header_record[2]) else 1))
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        diags.append(_csv_diag(file, f"missing column(s): {', '.join(missing)}", f"columns: {','.join(CSV_COLUMNS)}", header_line))
    if diags:
        return [], diags
    rows = []
    try:
        for record, line, starts in records:
            if len(record) > len(header):
                diags.append(_csv_diag(file, f"{len(record)} cells, the header has {len(header)}", None, line, 1))
                continue
            values, cells = {}, {}
            for column_name, cell, (cell_line, cell_column) in zip(header, record, starts):
                values[column_name] = cell.strip()
                cells[column_name] = Pos(file, cell_line, cell_column)
            end_line = starts[-1][0] if starts else line
            for column_name in header[len(record):]:
                values[column_name] = ""
                cells[column_name] = Pos(file, end_line, len(lines[end_line - 1]) + 1)
            empty = [c for c in CSV_REQUIRED if not values[c]]
            if empty:
                diags.append(_csv_diag(file, f"empty cell(s): {', '.join(empty)}", None, line, cells[empty[0]].column))
                continue
            rows.append((values, cells))
    except _CsvTrouble as exc:
        diags.append(exc.diagnostic(file))
    return rows, diags


class _CsvTrouble(Exception):
    """The csv module gave up on a record (a cell over its field limit...)."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line

    def diagnostic(self, file: str) -> Diagnostic:
        return _csv_diag(file, str(self), "check the quotes of this row: a quote left open runs to the end of the file", self.line)


def _records(reader, lines):
    """(cells, first line, [(line, column) of each cell]) of every non-blank record."""
    end = 0
    while True:
        start = end + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            limit = csv.field_size_limit()
            if "field larger than field limit" in str(exc):
                raise _CsvTrouble(f"a cell is longer than {limit:,} characters", start) from None
            raise _CsvTrouble(f"not a CSV record ({exc})", start) from None
        end = reader.line_num
        if not record or all(not c.strip() for c in record):
            continue
        yield record, start, _cell_starts(lines, start, end, len(record))


def _cell_starts(lines, start: int, end: int, count: int) -> list[tuple[int, int]]:
    """Line and column where each cell's value begins (inside its quotes, past its spaces)."""
    raw = lines[start - 1] if start == end else "\n".join(lines[start - 1:end])
    if '"' not in raw:
        offsets, offset = [], 0
        for piece in raw.split(",")[:count]:
            offsets.append(offset + len(piece) - len(piece.lstrip()))
            offset += len(piece) + 1
    else:
        offsets, quoted, at_start = [], False, True
        for i, char in enumerate(raw):
            if at_start:
                at_start = False
                offsets.append(i + 1 if char == '"' else i)
            if char == '"':
                quoted = not quoted
            elif char == "," and not quoted:
                at_start = True
        if at_start:
            offsets.append(len(raw))
        offsets = offsets[:count]
    positions = []
    for offset in offsets:
        newline = raw.rfind("\n", 0, offset)
        positions.append((start + raw.count("\n", 0, offset), offset - newline))
    return positions


def _csv_diag(file, message, hint=None, line=1, column=1):
    return _file_diag(file, message, hint, line, column, code="E008")
