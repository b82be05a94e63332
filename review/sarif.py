"""Diagnostics as SARIF 2.1.0, for code scanning (GitHub's upload-sarif, GitLab's SAST report).

Each distinct code becomes a rule; each diagnostic a result at the plan's
file:line:column, with a fingerprint built from the code and the plan path so an
alert survives unrelated edits that move lines.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/drnet/drnet"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _summaries() -> dict[str, str]:
    from planner.rules import registry

    out = {}
    for rule in registry():
        for code in rule.codes:
            out.setdefault(code, rule.summary)
    return out


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
    summaries = _summaries()
    codes = sorted({d.code for d in diagnostics})
    rules = []
    for code in codes:
        sample = next(d for d in diagnostics if d.code == code)
        rule = {
            "id": code,
            "name": code,
            "shortDescription": {"text": summaries.get(code, sample.message)},
            "defaultConfiguration": {"level": LEVELS.get(sample.severity.value, "warning")},
            "helpUri": f"{INFO_URI}#diagnostics",
        }
        rules.append(rule)
    index = {code: i for i, code in enumerate(codes)}
    results = []
    uris: dict[str, str] = {}  # resolving a path costs a few syscalls: once per file, not per result
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
            location = {"physicalLocation": {"artifactLocation": {"uri": uris.get(d.file) or uris.setdefault(d.file, artifact_uri(d.file, base))},
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
            "tool": {"driver": {"name": "drnet", "version": version, "semanticVersion": version,
                                "informationUri": INFO_URI, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
