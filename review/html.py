"""The report as one self-contained HTML page with the Mermaid diagrams rendered.

The Markdown report is converted with markdown-it-py; Mermaid fences become
`<pre class="mermaid">` blocks that mermaid.js renders in the browser: the npm package
`mermaid`, copied into the wheel at build time (setup.py), or in a development checkout
installed by `python3 dev.py setup` from package-lock.json. The
script is inlined at generation time: the page loads nothing from the network.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from markdown_it import MarkdownIt

MERMAID_REL = Path("node_modules") / "mermaid" / "dist" / "mermaid.min.js"
PACKAGED = Path(__file__).resolve().parent / "vendor" / "mermaid.min.js"  # in a wheel (setup.py copies it)


class MermaidNotFound(Exception):
    pass


def find_mermaid_js() -> Path:
    """$DRNET_MERMAID_JS, else the copy an installed wheel carries, else node_modules/mermaid in
    the working directory, drnet's checkout or a parent (a development install)."""
    env = os.environ.get("DRNET_MERMAID_JS")
    if env:
        if Path(env).is_file():
            return Path(env)
        raise MermaidNotFound(f"DRNET_MERMAID_JS={env} is not a file")
    if PACKAGED.is_file():
        return PACKAGED
    starts = [Path.cwd().resolve(), Path(__file__).resolve().parent.parent]
    for start in starts:
        for folder in (start, *start.parents):
            candidate = folder / MERMAID_REL
            if candidate.is_file():
                return candidate
    raise MermaidNotFound(
        "mermaid.js is not installed: a drnet wheel carries it; in a development checkout run `python3 dev.py setup` "
        "(it installs the npm package `mermaid` from package-lock.json), or set DRNET_MERMAID_JS to a mermaid.min.js"
    )


STYLE = """
body { font: 15px/1.5 -apple-system, "Segoe UI", "Liberation Sans", "DejaVu Sans", sans-serif; color: #1f2328;
       max-width: 1280px; margin: 2em auto; padding: 0 1.5em; }
h1, h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
table { border-collapse: collapse; margin: .5em 0 1em; display: block; overflow-x: auto; }
th, td { border: 1px solid #d1d9e0; padding: 4px 10px; text-align: left; vertical-align: top; }
tr:nth-child(2n) { background: #f6f8fa; }
code { background: #eff1f3; padding: .1em .35em; border-radius: 4px; font-size: 90%; }
details { margin: .5em 0; } summary { cursor: pointer; font-weight: 600; }
blockquote { border-left: 4px solid #d1d9e0; margin: 0; padding: 0 1em; color: #59636e; }
pre.mermaid { background: #ffffff; text-align: center; }
#diagram-error { color: #b00020; font-weight: 600; }
"""

BOOT = """
mermaid.initialize({startOnLoad: false, securityLevel: "strict", theme: "default"});
mermaid.run({querySelector: "pre.mermaid"})
  .then(function () { document.body.setAttribute("data-diagrams", "rendered"); })
  .catch(function (err) {
    document.body.setAttribute("data-diagrams", "failed");
    var box = document.getElementById("diagram-error");
    box.textContent = "Diagrams failed to render: " + err;
  });
"""


def _fence(self, tokens, idx, options, env):
    token = tokens[idx]
    if token.info.strip() == "mermaid":
        return f'<pre class="mermaid">{html.escape(token.content)}</pre>\n'
    return self._drnet_default_fence(tokens, idx, options, env)


def markdown_to_html(markdown: str) -> str:
    md = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    md.renderer._drnet_default_fence = md.renderer.rules["fence"]
    md.add_render_rule("fence", _fence)
    return md.render(markdown)


def _inline_script(js: str) -> str:
    # a literal "</script" inside the code would end the element early
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)


def to_html(markdown: str, *, title: str, mermaid_js: Path | None = None) -> str:
    js = (mermaid_js or find_mermaid_js()).read_text(encoding="utf-8")
    body = markdown_to_html(markdown)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body data-diagrams=\"pending\">\n<p id=\"diagram-error\"></p>\n{body}\n"
        f"<script>{_inline_script(js)}</script>\n<script>{BOOT}</script>\n</body>\n</html>\n"
    )
