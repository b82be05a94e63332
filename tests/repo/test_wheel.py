"""The wheel a user installs does what the README shows, outside the checkout.

Built from the repository's files (what a clone of a tag holds, plus node_modules for mermaid),
installed into a scratch venv, run from a directory that is not the checkout. The scratch venv
reuses this venv's third-party packages through a path entry (the wheel itself is installed
with pip, `pip check` proves its declared dependencies are met): a fully clean install of
cdktf and the azurerm bindings unpacks ~600 MB and takes minutes on a shared machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT


def repository_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [f for f in out.split("\0") if f and (ROOT / f).is_file()]


def checkout_copy(dest: Path, *, node_modules: bool) -> Path:
    """The repository's files (a fresh clone of the working tree), optionally with node_modules."""
    for rel in repository_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    if node_modules:
        (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return dest


def build_wheel(src: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                           "--no-index", "-w", str(out), str(src)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(bin dir, work dir, wheel): the wheel installed in a scratch venv, a directory to run in."""
    base = tmp_path_factory.mktemp("wheel")
    built = build_wheel(checkout_copy(base / "src", node_modules=True), base / "dist")
    assert built.returncode == 0, built.stderr
    wheel = next((base / "dist").glob("drnet-*.whl"))
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    scratch_site = Path(sysconfig.get_path("purelib", vars={"base": str(env_dir), "platbase": str(env_dir)}))
    # this venv's third-party packages, appended after the scratch venv's own site-packages
    # (a plain path entry: the .pth files there, e.g. the editable drnet's, are not processed)
    (scratch_site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    bindir = env_dir / "bin"
    pip = [str(bindir / "python"), "-m", "pip", "--disable-pip-version-check"]
    done = subprocess.run([*pip, "install", "--quiet", "--no-index", "--no-deps", "--force-reinstall", str(wheel)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    check = subprocess.run([*pip, "check"], capture_output=True, text=True)
    assert check.returncode == 0, f"the wheel's dependencies are not met: {check.stdout}"
    work = base / "work"
    work.mkdir()
    return bindir, work, wheel


def run(installed, *args, stdin=None) -> subprocess.CompletedProcess:
    bindir, work, _ = installed
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DRNET_", "PYTHON", "JSII_NODE", "VIRTUAL_ENV"))}
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    env["CHECKPOINT_DISABLE"] = "1"
    return subprocess.run([str(bindir / "drnet"), *args], cwd=work, env=env, capture_output=True, text=True, input=stdin,
                          timeout=300)


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def test_the_wheel_carries_mermaid_and_the_starter_and_a_license(installed):
    import zipfile

    names = set(zipfile.ZipFile(installed[2]).namelist())
    assert {"review/vendor/mermaid.min.js", "review/vendor/mermaid.LICENSE", "drnet/starter.yaml"} <= names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not any(n.startswith(("tests/", "node_modules/")) for n in names)


def test_installed_drnet_runs_from_the_wheel_not_the_checkout(installed):
    bindir = installed[0]
    where = subprocess.run([str(bindir / "python"), "-c", "import drnet, review.html; print(drnet.__file__); print(review.html.PACKAGED)"],
                           cwd=installed[1], capture_output=True, text=True, check=True).stdout.split()
    for path in where:
        assert Path(path).is_relative_to(bindir.parent) and not Path(path).is_relative_to(ROOT), where


def test_what_the_readme_shows_works_from_the_installed_wheel(installed):
    work = installed[1]
    assert ok(run(installed, "--version")).stdout.startswith("drnet ")
    ok(run(installed, "init", "drplan.yaml"))
    ok(run(installed, "validate", "drplan.yaml"))
    assert "APP01" in ok(run(installed, "plan", "drplan.yaml")).stdout
    assert json.loads(ok(run(installed, "schema")).stdout)["title"]
    ok(run(installed, "report", "drplan.yaml", "-o", "report.html"))
    page = (work / "report.html").read_text(encoding="utf-8")
    assert "mermaid.initialize" in page and page.count("<script>") == 2 and len(page) > 1_000_000
    assert "# DR network report" in ok(run(installed, "report", "drplan.yaml")).stdout
    assert "Apps" in ok(run(installed, "diff", "drplan.yaml", "--failover", "Apps")).stdout
    ok(run(installed, "runbook", "drplan.yaml", "--failover", "Apps", "-o", "runbook.md"))
    ok(run(installed, "runbook", "drplan.yaml", "--drill"))
    assert json.loads(ok(run(installed, "validate", "drplan.yaml", "--format", "sarif")).stdout)["version"] == "2.1.0"
    ok(run(installed, "synth", "drplan.yaml", "--out", "out"))
    assert json.loads((work / "out/stacks/mycompany-network/cdk.tf.json").read_text())["resource"]
    assert (work / "out/stacks/mycompany-recovery/recovery-nic-settings.csv").is_file()


def test_a_build_without_mermaid_stops_and_says_what_to_run(tmp_path):
    built = build_wheel(checkout_copy(tmp_path / "src", node_modules=False), tmp_path / "dist")
    assert built.returncode != 0
    assert "mermaid.min.js is missing: run `python3 dev.py setup`" in built.stdout + built.stderr
    assert not list((tmp_path / "dist").glob("*.whl"))
