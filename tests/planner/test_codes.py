"""One source for what each diagnostic code checks: planner/codes.py, the README's table and
the SARIF rules say the same words, and every code drnet can emit has them."""

from __future__ import annotations

import re

from planner.codes import TITLES, plain
from planner.diagnostics import Diagnostic, Severity
from planner.rules import registry
from review.sarif import to_sarif
from tests.conftest import ROOT



def codes_in_sources() -> set[str]:
    """Codes written as literals in the planner (the loader's and the schema's: E001-E008, E202)."""
    found = set()
    for path in (ROOT / "planner").rglob("*.py"):
        if path.name != "codes.py":
            found |= set(re.findall(r"[\"']([EW]\d{3})[\"']", path.read_text(encoding="utf-8")))
    return found


def readme_table() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| ([EW]\d{3}) \| (.*) \|$", text, flags=re.M))


def test_readme_code_table_says_exactly_what_planner_codes_says():
    table = readme_table()
    assert list(table) == list(TITLES), "README's code table and planner/codes.py list other codes, or in another order"
    different = {c: (table[c], TITLES[c]) for c in TITLES if table[c] != TITLES[c]}
    assert not different, f"README's words differ from planner/codes.py: {different}"


def test_every_code_drnet_emits_has_a_title_and_no_title_is_orphaned():
    emitted = {code for rule in registry() for code in rule.codes} | codes_in_sources()
    assert emitted - set(TITLES) == set(), "codes without a title in planner/codes.py"
    assert set(TITLES) - emitted == set(), "titles of codes no rule emits"


def test_sarif_rules_carry_the_fixed_title_not_a_message():
    diags = [Diagnostic(code="E305", severity=Severity.ERROR, message=f"message {i}", path=("x", i), hint="h") for i in range(2)]
    diags.append(Diagnostic(code="W304", severity=Severity.WARNING, message="other", path=("y",), hint=None))
    run = to_sarif(diags, "t")["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["E305"]["shortDescription"]["text"] == plain(TITLES["E305"]) == "retain subnet without a same-name target subnet"
    assert plain(TITLES["W304"]) in rules["W304"]["help"]["text"] and TITLES["W304"] in rules["W304"]["help"]["markdown"]
    assert rules["E305"]["defaultConfiguration"]["level"] == "error" and rules["W304"]["defaultConfiguration"]["level"] == "warning"
    assert not any("message" in r["shortDescription"]["text"] for r in rules.values())
