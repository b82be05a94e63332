"""The repository's documents: links that resolve, a format contract in step with the schema.

A user reads the README on GitHub or in a clone: a link to a file outside the repository, to a
file that moved or to a heading that was renamed is a dead end. docs/plan-format.md is the
contract; `drnet schema` is what drnet enforces: a key in one and not the other is a lie.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from markdown_it import MarkdownIt

from tests.conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _tokens(text: str):
    md = MarkdownIt("commonmark").enable("table")
    for token in md.parse(text):
        yield token
        yield from token.children or ()


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces -> hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    tokens = list(_tokens(path.read_text(encoding="utf-8")))
    found, counts = set(), {}
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            slug = github_slug(tokens[i + 1].content.replace("`", ""))
            n = counts.get(slug, 0)
            counts[slug] = n + 1
            found.add(slug if n == 0 else f"{slug}-{n}")
    return found


def links(path: Path) -> list[str]:
    """Every link target of a Markdown file (code blocks and code spans excluded by the parser)."""
    out = []
    for token in _tokens(path.read_text(encoding="utf-8")):
        if token.type == "link_open":
            out.append(token.attrs["href"])
        elif token.type == "html_inline" or token.type == "html_block":
            out += re.findall(r'href="([^"]+)"', token.content)
    return out


def test_github_slug_matches_githubs_rule():
    assert github_slug("Reviewing a change: report, diff, runbook, SARIF") == "reviewing-a-change-report-diff-runbook-sarif"
    assert github_slug('Per-VM recovery NIC settings (ASR "Compute and Network")') == "per-vm-recovery-nic-settings-asr-compute-and-network"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves_inside_the_repository(doc):
    problems = []
    for href in links(doc):
        parts = urlsplit(href)
        if parts.scheme in ("http", "https", "mailto"):
            continue
        if parts.scheme or parts.netloc:
            problems.append(f"{href}: not a repository path (scheme {parts.scheme!r})")
            continue
        target = (doc.parent / unquote(parts.path)).resolve() if parts.path else doc
        if not target.is_relative_to(ROOT.resolve()):
            problems.append(f"{href}: points outside the repository")
        elif not target.exists():
            problems.append(f"{href}: {target.relative_to(ROOT.resolve())} does not exist")
        elif parts.fragment and target.suffix == ".md" and parts.fragment not in anchors(target):
            problems.append(f"{href}: no heading #{parts.fragment} in {target.name}")
    assert not problems, "\n".join(problems)


def test_the_link_checker_sees_a_dead_link(tmp_path):
    """The check above cannot pass vacuously: it finds links, and a missing file is reported."""
    assert "docs/plan-format.md" in links(ROOT / "README.md")
    doc = tmp_path / "x.md"
    doc.write_text("[a](missing.md) `[b](ignored.md)` [c](#nowhere)\n\n# Here\n")
    assert links(doc) == ["missing.md", "#nowhere"]
    assert "here" in anchors(doc) and "nowhere" not in anchors(doc)


# --- docs/plan-format.md <-> drnet schema -------------------------------------------------

def schema_keys() -> set[str]:
    """Every property name anywhere in the plan's JSON Schema."""
    from planner.model import json_schema

    found = set()

    def walk(node):
        if isinstance(node, dict):
            found.update((node.get("properties") or {}).keys())
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json_schema())
    return found


def format_doc_example() -> tuple[dict, str]:
    """The example plan of docs/plan-format.md (its first yaml block), parsed and raw."""
    text = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    return yaml.safe_load(block), text


def yaml_keys(node) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in yaml_keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in yaml_keys(v)}
    return set()


def test_format_doc_example_uses_only_keys_the_schema_knows():
    example, _ = format_doc_example()
    unknown = sorted(yaml_keys(example) - schema_keys())
    assert not unknown, f"docs/plan-format.md shows keys `drnet schema` does not have: {unknown}"


def test_every_schema_key_is_documented_in_the_format_doc():
    """Each key must appear in the doc as a YAML key (`key:`, in the example or a comment of
    it) or as `key` in backticks in the prose."""
    example, text = format_doc_example()
    documented = yaml_keys(example) | set(re.findall(r"([a-z_][a-z0-9_]*):", text)) | set(re.findall(r"`([a-z_][a-z0-9_]*)`", text))
    missing = sorted(schema_keys() - documented)
    assert not missing, f"keys of `drnet schema` missing from docs/plan-format.md: {missing}"
