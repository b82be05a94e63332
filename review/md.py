"""Markdown pieces that render the same on GitHub and GitLab."""

from __future__ import annotations

FOLD_ROWS = 25  # tables longer than this fold into <details>


def esc(value) -> str:
    """Text for a table cell: no pipes, no newlines, no stray HTML."""
    if value is None:
        return "–"
    text = str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|").replace("\n", " ")


def code(value) -> str:
    return "–" if value is None or value == "" else f"`{value}`"


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines.extend("| " + " | ".join(str(c) for c in row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


def fold(summary: str, body: str, *, open_: bool = False) -> str:
    """A collapsible block; the blank lines let GitHub render Markdown inside it."""
    return f"<details{' open' if open_ else ''}>\n<summary>{summary}</summary>\n\n{body}\n</details>\n"


def maybe_fold(summary: str, body: str, rows: int, limit: int = FOLD_ROWS) -> str:
    return fold(summary, body) if rows > limit else body


def bullets(items: list[str], *, checkbox: bool = False) -> str:
    mark = "- [ ] " if checkbox else "- "
    return "".join(f"{mark}{item}\n" for item in items)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"
