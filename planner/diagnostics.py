"""Diagnostics: what every check returns.

A rule produces a `Diagnostic` that carries a *plan path* (a tuple such as
("vms", 3, "nics", 0, "ip")), never a line number. `locate()` turns paths
into file:line:column once, at the end, with the positions the loader kept.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Iterable

Path = tuple  # tuple[str | int, ...]


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    path: Path = ()
    hint: str | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "path": format_path(self.path),
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "hint": self.hint,
        }


def error(code: str, message: str, path: Path = (), hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, tuple(path), hint)


def warning(code: str, message: str, path: Path = (), hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, message, tuple(path), hint)


def format_path(path: Path) -> str:
    """("vms", 3, "nics", 0, "ip") -> "vms[3].nics[0].ip"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def locate(diagnostics: Iterable[Diagnostic], positions) -> list[Diagnostic]:
    """Attach file:line:column to each diagnostic (closest known node)."""
    located = []
    for diag in diagnostics:
        if diag.line is not None:
            located.append(diag)
            continue
        pos = positions.find(diag.path)
        if pos is None:
            located.append(diag)
        else:
            located.append(replace(diag, file=pos.file, line=pos.line, column=pos.column))
    return located


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def sort_key(diag: Diagnostic):
    return (diag.file or "", diag.line or 0, diag.column or 0, diag.code, diag.message)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)
