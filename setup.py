"""Build step: the wheel carries mermaid.js, which renders the diagrams of `drnet report -o report.html`.

It is copied at build time from the npm dependency `mermaid` (package.json, installed into
node_modules by `python3 dev.py setup`), never committed. A build without it, or with
another version than package.json pins, stops with a message that says what to run.
Editable installs skip the copy: review/html.py then reads the checkout's node_modules.
"""

import json
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.errors import SetupError

ROOT = Path(__file__).resolve().parent
MERMAID_DIR = ROOT / "node_modules" / "mermaid"
VENDOR = Path("review") / "vendor"  # inside the installed package; review/html.py looks here first


def mermaid_files() -> dict[str, Path]:
    """The files to ship, checked against the version package.json pins."""
    wanted = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["mermaid"]
    script, manifest = MERMAID_DIR / "dist" / "mermaid.min.js", MERMAID_DIR / "package.json"
    if not script.is_file() or not manifest.is_file():
        raise SetupError(f"drnet's wheel ships mermaid.js, but {script} is missing: run `python3 dev.py setup` "
                         "(it installs the npm packages of package-lock.json), then build again")
    found = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    if found != wanted:
        raise SetupError(f"node_modules has mermaid {found}, package.json pins {wanted}: run `python3 dev.py setup`, then build again")
    return {"mermaid.min.js": script, "mermaid.LICENSE": MERMAID_DIR / "LICENSE"}


class BuildPyWithMermaid(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        dest = Path(self.build_lib) / VENDOR
        dest.mkdir(parents=True, exist_ok=True)
        for name, source in mermaid_files().items():
            self.copy_file(str(source), str(dest / name))


setup(cmdclass={"build_py": BuildPyWithMermaid})
