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


def to_sarif(diagnostics, version: str, *, base: Path | None = None) -> dict:
    codes = sorted({d.code for d in diagnostics})
    rules = [rule_descriptor(code) for code in codes]
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for d in diagnostics:
        text = d.message + (f" (hint: {d.hint})" if d.hint else "")
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
        digest = hashlib.sha256(f"{d.code}\0{d.file and Path(d.file).name}\0{plan_path}\0{d.message}".encode()).hexdigest()
        result["partialFingerprints"] = {"drnetPlanPath/v1": digest[:32]}
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
