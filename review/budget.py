"""Fit a Markdown output into a size budget by summarizing whole sections.

GitHub refuses a comment over 65,536 characters. A report or diff is built as a list of
parts; a part that may give way carries a short form (one line that says what it held).
When the whole is over the budget, parts switch to their short form, lowest rank first and,
within a rank, from the end (what is read first stays), until the text fits. A part is
replaced whole, so no table or <details> block is ever cut. A note near the top says what
was left out and where the full output is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

GITHUB_COMMENT_LIMIT = 65_536  # characters, the limit of one GitHub issue or pull-request comment
NOTE = "\0note\0"  # where the note goes: a part whose text is exactly this


@dataclass(frozen=True)
class Part:
    text: str
    short: str | None = None  # None: always kept whole
    rank: int = 0  # lower ranks give way first
    what: str = ""  # how the note names it ("the NIC table of VMN00/S01")
    group: str = ""  # parts of one group are named together in the note: "the NIC tables" of ...
    unit: str = ""  # ... "40 subnets" (what `what` names)


def note_text(left_out: list[Part], budget: int, full_at: str) -> str:
    groups: dict[tuple[str, str], list[str]] = {}
    for part in left_out:
        groups.setdefault((part.group or part.what, part.unit), []).append(part.what)
    named = []
    for (group, unit), whats in groups.items():
        if whats == [group]:
            named.append(group)
        elif len(whats) > 3:
            named.append(f"{group} of {len(whats)} {unit}s ({whats[0]} … {whats[-1]})")
        else:
            named.append(f"{group} of {', '.join(whats)}")
    why = " (one GitHub comment)" if budget == GITHUB_COMMENT_LIMIT else ""
    return (f"> **Shortened to fit {budget:,} characters**{why}: left out {'; '.join(named)}. "
            f"The full version: {full_at}.\n\n")


def fit(parts: list[Part], budget: int | None, full_at: str,
        note: Callable[[list[Part], int, str], str] = note_text) -> tuple[str, list[Part]]:
    """The parts joined within `budget` characters (None or 0: no budget). Returns the text and
    the parts left out; when even every short form is too long, the shortest text there is."""
    def join(short: set[int], note_line: str) -> str:
        return "".join(note_line if p.text == NOTE else (p.short if i in short else p.text) for i, p in enumerate(parts))

    full = join(set(), "")
    if not budget or len(full) <= budget:
        return full, []
    order = sorted((i for i, p in enumerate(parts) if p.short is not None), key=lambda i: (parts[i].rank, -i))
    sizes = [len(p.text) if p.text != NOTE else 0 for p in parts]
    total = sum(sizes)
    short: set[int] = set()
    for i in order:
        short.add(i)
        total += len(parts[i].short) - sizes[i]
        left_out = [parts[j] for j in sorted(short)]
        if total + len(note(left_out, budget, full_at)) <= budget:
            break
    left_out = [parts[j] for j in sorted(short)]
    return join(short, note(left_out, budget, full_at)), left_out
