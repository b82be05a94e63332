"""The VM inventory of a plan (`vms_csv`): which file may be read, and its rows.

A plan comes from a pull request: its vms_csv names only a regular file inside the
plan's folder (or a folder in DRNET_INVENTORY_ROOT, which whoever runs drnet sets).
Rows are read with the position of every cell, so rules point at the CSV itself.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from dataclasses import replace
from pathlib import Path as FsPath

from .diagnostics import Diagnostic, error
from .load import Pos, Positions, _decode, _file_diag, _read_bounded

CSV_COLUMNS = ("vm", "vm_network", "subnet", "ip", "recovery_ip")
CSV_REQUIRED = ("vm", "vm_network", "subnet", "ip")
INVENTORY_ROOT_ENV = "DRNET_INVENTORY_ROOT"


def merge_inventory(data: dict, positions: Positions, plan_path: FsPath) -> list[Diagnostic]:
    """Append the inventory's VMs to `vms`, each NIC positioned at its CSV cells."""
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
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)  # the others are POSIX-only
        fd = os.open(real, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
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
