"""Diagnostics as SARIF 2.1.0, for code scanning (GitHub's upload-sarif, GitLab's SAST report).

Each distinct code becomes a rule; each diagnostic a result at the plan's
file:line:column, with a fingerprint built from the code and the plan path so an
alert survives unrelated edits that move lines.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from planner.codes import TITLES, plain

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def rule_descriptor(code: str) -> dict:
    """A SARIF rule: fixed texts from planner.codes (the README's code table), never a result's message."""
    title = TITLES.get(code, code)  # every code has a title: tests/planner/test_codes.py
    return {
        "id": code,
        "name": code,
        "shortDescription": {"text": plain(title)},
        "fullDescription": {"text": f"drnet {code}: {plain(title)}."},
        "help": {"text": f"{code} checks: {plain(title)}. Each result's message says what is wrong and its hint how to fix it; "
                         "the README's table of diagnostic codes lists every code.",
                 "markdown": f"**{code}** checks: {title}.\n\nEach result's message says what is wrong and its hint how to fix it; "
                             "the README's table of diagnostic codes lists every code."},
        "defaultConfiguration": {"level": "error" if code.startswith("E") else "warning"},
    }


def artifact_uri(file: str, base: Path | None = None) -> str:
    """A repository-relative URI when the file lies under `base` (default: the working directory)."""
    path = Path(file)
    base = (base or Path.cwd()).resolve()
    if path.is_absolute():
        try:
            path = path.resolve().relative_to(base)
        except ValueError:
            return path.resolve().as_uri()
    return Path(os.path.normpath(path)).as_posix()


def readiness_findings(diagnostics, readiness) -> list[tuple]:
    """The diagnostics that fire only in a readiness state (a subnet or VM network failed over or
    back alone), not in the current one: (diagnostic, [row, ...]) in first-seen order."""
    if readiness is None:
        return []
    current = {(d.code, d.path, d.message) for d in diagnostics}
    found: dict[tuple, tuple] = {}
    for row in readiness.rows:
        for d in row.diagnostics:
            key = (d.code, d.path, d.message)
            if key in current:
                continue
            found.setdefault(key, (d, []))[1].append(row)
    return list(found.values())


def to_sarif(diagnostics, version: str, *, base: Path | None = None, readiness=None) -> dict:
    """`readiness` (planner.readiness.Readiness) adds a result for each problem that appears only
    in the state after one subnet or VM network fails over or back, saying which states."""
    extra = readiness_findings(diagnostics, readiness)
    everything = list(diagnostics) + [d for d, _ in extra]
    codes = sorted({d.code for d in everything})
    rules = [rule_descriptor(code) for code in codes]
    index = {code: i for i, code in enumerate(codes)}
    results = [_result(d, index, base) for d in diagnostics]
    for d, rows in extra:
        states = "; ".join(row.label for row in rows)
        result = _result(d, index, base, prefix=f"after the {states}: ")
        result["properties"] = {"drnetStates": [{"kind": row.kind, "unit": row.unit, "name": row.name,
                                                 "failedOver": list(row.state)} for row in rows]}
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "drnet", "version": version, "semanticVersion": version, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def _result(d, index, base, prefix: str = "") -> dict:
    text = prefix + d.message + (f" (hint: {d.hint})" if d.hint else "")
    result = {
        "ruleId": d.code,
        "ruleIndex": index[d.code],
        "level": LEVELS.get(d.severity.value, "warning"),
        "message": {"text": text},
    }
    plan_path = d.to_json()["path"] or ""
    if d.file:
        location = {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(d.file, base)},
                                         "region": {"startLine": d.line or 1, "startColumn": d.column or 1}}}
        if plan_path:
            location["logicalLocations"] = [{"fullyQualifiedName": plan_path, "kind": "member"}]
        result["locations"] = [location]
    digest = hashlib.sha256(f"{d.code}\0{d.file and Path(d.file).name}\0{plan_path}\0{prefix}{d.message}".encode()).hexdigest()
    result["partialFingerprints"] = {"drnetPlanPath/v1": digest[:32]}
    return result
