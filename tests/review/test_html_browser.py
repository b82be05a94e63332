"""The HTML report in headless Chromium (Debian's, installed by dev.py's setup_browser):
loads with no network, the Mermaid diagrams render, the screenshot is not blank."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from review.html import to_html
from review.report import build_report
from tests.conftest import ROOT
from tests.review.conftest import rel, review_states
from tests.review.pngcheck import ink

SCREENSHOT_DIR = Path(os.environ.get("DRNET_SCREENSHOT_DIR", ROOT / ".pytest_cache" / "drnet-screenshots"))


def browser() -> str:
    found = os.environ.get("DRNET_BROWSER") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") and os.geteuid() == 0:
        pytest.fail("Chromium is missing on CI although setup runs as root: `python3 dev.py setup` should have installed it")
    pytest.skip("no Chromium: run `python3 dev.py setup` as root (or with password-less sudo) to install Debian's chromium")


def chromium(exe: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
           f"--user-data-dir={profile}",
           # no network: every host name fails to resolve and every proxied request goes nowhere
           "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
           "--virtual-time-budget=8000", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("phase", ["steady", "failover"])
def test_html_report_renders_offline(phase, tmp_path):
    exe = browser()
    plan = ROOT / "templates/woodgrove.yaml"
    now, after = review_states(plan, phase)
    markdown = build_report(now, after, source=rel(plan), version="test")
    page = to_html(markdown, title="drnet report: woodgrove")
    # self-contained: nothing to fetch
    markup = re.sub(r"<script>.*?</script>", "<script></script>", page, flags=re.S)
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", markup, flags=re.I)
    assert page.count("<script>") == 2  # mermaid.js inlined, then the call that renders
    assert "default-src 'none'" in page
    expected = markdown.count("```mermaid")
    html_file = tmp_path / "report.html"
    html_file.write_text(page, encoding="utf-8")

    dom = chromium(exe, tmp_path / "profile-dom", "--dump-dom", html_file.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-diagrams="rendered"' in dom.stdout, (re.findall(r'id="diagram-error">[^<]*', dom.stdout), dom.stderr[-2000:])
    svgs = re.findall(r'<pre class="mermaid"[^>]*data-processed="true"[^>]*>\s*<svg', dom.stdout)
    assert len(svgs) == expected == (2 if phase == "steady" else 1)
    assert "vnet-woodgrove-recovery" in dom.stdout and "Local network gateway" in dom.stdout
    if phase == "failover":
        assert "moved to Azure" in dom.stdout
    else:
        return  # one screenshot is enough (decoding it in pure Python takes seconds)

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOT_DIR / f"report-woodgrove-{phase}.png"
    shot.unlink(missing_ok=True)
    result = chromium(exe, tmp_path / "profile-shot", "--window-size=1400,3200", "--hide-scrollbars",
                      f"--screenshot={shot}", html_file.as_uri())
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    share, colours = ink(shot.read_bytes())
    assert share > 0.02 and colours > 20, f"blank-looking screenshot {shot}: {share:.3f} ink, {colours} colours"
    print(f"screenshot: {shot}")
