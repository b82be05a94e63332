"""Size budget: a report or diff fits one GitHub comment by summarizing whole sections.

Protects: a 10,000-VM plan's report and diff pasted into a pull request are accepted by GitHub
(65,536 characters), no table or <details> block is cut, and the reader is told what was left
out and where the full version is.
"""

from __future__ import annotations

import re

import pytest

from review.budget import GITHUB_COMMENT_LIMIT, NOTE, Part, fit
from review.diff import diff_markdown, diff_parts, diff_plans
from review.report import build_report, report_parts
from review.states import analyze_states, failover_candidates


def assert_whole_blocks(text: str) -> None:
    """Every Markdown table has its header and the same number of cells on each row; every
    <details> is closed, in order."""
    block: list[str] = []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            cells = {len(re.findall(r"(?<!\\)\|", row)) for row in block}
            assert len(cells) == 1, f"a table with rows of different widths: {block[:3]}"
            assert re.fullmatch(r"\|(---\|)+", block[1]), f"a table without its header: {block[:2]}"
            block = []
    depth = 0
    for tag in re.findall(r"</?details>", text):
        depth += 1 if tag == "<details>" else -1
        assert depth >= 0, "</details> before its <details>"
    assert depth == 0, "a <details> left open"


def test_fit_shortens_lowest_rank_first_and_from_the_end():
    parts = [Part("head\n"), Part(NOTE), Part("A" * 200 + "\n", short="a\n", rank=1, what="A"),
             Part("B" * 200 + "\n", short="b\n", rank=0, what="B", group="the tables", unit="subnet"),
             Part("C" * 200 + "\n", short="c\n", rank=0, what="C", group="the tables", unit="subnet")]
    full, left = fit(parts, None, "x")
    assert full == "head\n" + "A" * 200 + "\n" + "B" * 200 + "\n" + "C" * 200 + "\n" and left == []
    assert fit(parts, 0, "x") == (full, [])
    text, left = fit(parts, 550, "the artifact")
    assert [p.what for p in left] == ["C"]  # rank 0 first, the last one first
    assert len(text) <= 550 and "B" * 200 in text and "\nc\n" in text
    assert "left out the tables of C. The full version: the artifact." in text
    text, left = fit(parts, 300, "the artifact")
    assert [p.what for p in left] == ["A", "B", "C"] and "left out A; the tables of B, C." in text


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """10,000 VMs in 40 on-prem subnets (bench/gen_plan.py), now and with everything failed over."""
    from bench.gen_plan import write_plan

    plan = write_plan(tmp_path_factory.mktemp("big") / "big.yaml", 10_000, subnets=40)
    (now,) = analyze_states(plan, [None])
    keys = [s.key for s in failover_candidates(now.resolved)]
    assert len(keys) == 40
    return analyze_states(plan, [None, keys])


def test_report_of_10000_vms_fits_one_github_comment(big):
    now, after = big
    full = build_report(now, after, source="big.yaml", version="test")
    assert len(full) > 1_000_000  # without a budget: every NIC row
    text = build_report(now, after, source="big.yaml", version="test", budget=GITHUB_COMMENT_LIMIT, full_at="the artifact")
    assert len(text) <= GITHUB_COMMENT_LIMIT
    assert_whole_blocks(text)
    note = next(line for line in text.splitlines() if line.startswith("> **Shortened"))
    assert "left out the NIC tables of 40 subnets (VMN00/S00 … VMN03/S09)" in note and "The full version: the artifact." in note
    # what gave way gave way whole: the text is the parts, each either full or in its short form
    parts = report_parts(now, after, source="big.yaml", version="test")
    kept = [p for p in parts if p.text != NOTE and p.text in text]
    shortened = [p for p in parts if p.short is not None and p.text not in text]
    assert all(p.short in text for p in shortened) and len(kept) + len(shortened) == len(parts) - 1
    for heading in ("## Summary", "### Networks", "### Local network gateway prefixes", "## Where each NIC lands"):
        assert f"\n{heading}\n" in text
    assert "| `VMN03/S09` |" in text  # the per-subnet overview stays


def test_diff_of_10000_vms_fits_and_names_the_prefixes_that_moved(big):
    now, after = big
    d = diff_plans(now.resolved, after.resolved, label_a="now", label_b="after")
    assert len(diff_markdown(d)) > 1_000_000
    text = diff_markdown(d, budget=GITHUB_COMMENT_LIMIT)
    assert len(text) <= GITHUB_COMMENT_LIMIT
    assert_whole_blocks(text)
    assert "left out the VM NIC tables of" in text and "the same command with `--budget 0`" in text
    moved = {m["subnet"]: m for m in d["prefixes"]["to_azure"]}
    assert len(moved) == 40 and moved["VMN00/S00"]["prefix_moves"] and not moved["VMN00/S01"]["prefix_moves"]
    assert "| `10.0.0.0/22` | `VMN00/S00` | **now reached in Azure** | vnet-rec-00 / S00 |" in text
    assert "| `10.0.4.0/22` | `VMN00/S01` | stays on-prem (change IP) | its VMs moved to `172.20.4.0/22` in vnet-rec-00 / S01 |" in text
    # long VM tables fold per on-prem subnet, like the report's
    kept = [p for p in diff_parts(d) if p.group == "the VM NIC tables" and p.text in text]
    assert kept and all("<details>" in p.text for p in kept)


def test_a_small_report_and_diff_are_not_touched_by_the_budget():
    from tests.conftest import ROOT

    now, after = analyze_states(ROOT / "templates/woodgrove.yaml", [None, ["Apps", "Data", "Web"]])
    assert build_report(now, after, source="w", version="t", budget=GITHUB_COMMENT_LIMIT) == build_report(now, after, source="w", version="t")
    d = diff_plans(now.resolved, after.resolved)
    assert diff_markdown(d, budget=GITHUB_COMMENT_LIMIT) == diff_markdown(d)
    assert "Shortened" not in diff_markdown(d, budget=GITHUB_COMMENT_LIMIT)
