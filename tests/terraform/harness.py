"""Run the real `terraform` binary on drnet's output against the stand-in providers, offline.

- The stand-ins are served through a filesystem mirror (unpacked layout
  `HOST/NAMESPACE/TYPE/VERSION/OS_ARCH/terraform-provider-TYPE_vVERSION`, an executable
  launcher script running `python -m tests.terraform.standins <name>`), named in a temporary
  CLI config through `TF_CLI_CONFIG_FILE`. The user's `~/.terraformrc` is never read or written
  (the launchers also point HOME at the mirror, where `tf` caches its TLS certificate).
- Terraform always runs in a scratch copy of a synthesized stack directory (`Terraform.use`),
  so `.terraform/`, the stand-ins' `.terraform.lock.hcl` (their hashes, not the real
  providers') and the state never land beside drnet's output or a user's real lock file.
- The fake ARM world is one JSON file per test world (`DRNET_FAKE_ARM`), see standins/world.py.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .standins.world import ENV as WORLD_ENV

ROOT = Path(__file__).resolve().parents[2]
PROVIDERS = {
    "azurerm": ("registry.terraform.io", "hashicorp", "azurerm", "4.55.0"),
    "azapi": ("registry.terraform.io", "azure", "azapi", "2.7.0"),
}
REQUIRE_ENV = "DRNET_REQUIRE_TERRAFORM"
FAKE_SHARED_KEY = "not-a-secret-test-key"
CONFIG_FILES = ("*.tf", "*.tf.json")


def terraform_binary() -> str | None:
    return shutil.which("terraform")


def os_arch() -> str:
    machine = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine().lower(), platform.machine())
    return f"{platform.system().lower()}_{machine}"


def build_mirror(base: Path) -> Path:
    """The mirror and the CLI config naming it; returns the CLI config's path."""
    mirror = base / "mirror"
    home = base / "home"
    home.mkdir(parents=True, exist_ok=True)
    for name, (host, namespace, type_, version) in PROVIDERS.items():
        target = mirror / host / namespace / type_ / version / os_arch()
        target.mkdir(parents=True, exist_ok=True)
        launcher = target / f"terraform-provider-{type_}_v{version}"
        launcher.write_text(
            "#!/bin/sh\n"
            "# drnet test harness: a stand-in provider (tests/terraform/standins), not the real one\n"
            f'export HOME="{home}"\n'
            f'export PYTHONPATH="{ROOT}"\n'
            f'exec "{sys.executable}" -m tests.terraform.standins {name} "$@"\n',
            encoding="utf-8",
        )
        launcher.chmod(0o755)
    config = base / "terraformrc"
    includes = ", ".join(f'"{h}/{n}/{t}"' for h, n, t, _ in PROVIDERS.values())
    config.write_text(
        "# drnet test harness: providers come only from the stand-ins' mirror\n"
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path    = "{mirror}"\n    include = [{includes}]\n  }}\n'
        "}\n",
        encoding="utf-8",
    )
    return config


class TerraformError(AssertionError):
    pass


class Terraform:
    """One scratch working directory; every command with a timeout, its time recorded."""

    timings: list[tuple[str, float]] = []

    def __init__(self, workdir: Path, cli_config: Path, world: Path):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.env = dict(os.environ)
        self.env.update({
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "CHECKPOINT_DISABLE": "1",
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            WORLD_ENV: str(world),
        })
        self.env.pop("TF_PLUGIN_CACHE_DIR", None)
        self.env.pop("TF_DATA_DIR", None)

    def use(self, stack_dir: Path) -> "Terraform":
        """Make the workdir's configuration that of `stack_dir` (state and .terraform stay), and
        give every declared variable a value (shared keys: a fake, never a real one)."""
        for pattern in CONFIG_FILES:
            for old in self.workdir.glob(pattern):
                old.unlink()
        for pattern in CONFIG_FILES:
            for src in Path(stack_dir).glob(pattern):
                shutil.copy2(src, self.workdir / src.name)
        for var in declared_variables(self.workdir):
            self.env[f"TF_VAR_{var}"] = FAKE_SHARED_KEY
        return self

    def run(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
        start = time.perf_counter()
        proc = subprocess.run(["terraform", *args], cwd=self.workdir, env=self.env, capture_output=True, text=True,
                              timeout=timeout)
        Terraform.timings.append((args[0], time.perf_counter() - start))
        if check and proc.returncode != 0:
            raise TerraformError(f"terraform {' '.join(args)} failed ({proc.returncode}) in {self.workdir}:\n"
                                 f"{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}")
        return proc

    def init(self, **kw):
        return self.run("init", "-input=false", "-no-color", **kw)

    def validate(self, **kw):
        return self.run("validate", "-no-color", **kw)

    def plan(self, *extra: str, **kw):
        return self.run("plan", "-input=false", "-no-color", "-out=tfplan", *extra, **kw)

    def show_plan(self) -> dict:
        return json.loads(self.run("show", "-json", "tfplan").stdout)

    def apply(self, **kw):
        return self.run("apply", "-input=false", "-no-color", "-auto-approve", **kw)

    def fmt_check(self, **kw):
        return self.run("fmt", "-check", "-diff", "-no-color", **kw)


def declared_variables(workdir: Path) -> list[str]:
    names = []
    for path in sorted(workdir.glob("*.tf.json")):
        names += list(json.loads(path.read_text(encoding="utf-8")).get("variable", {}))
    for path in sorted(workdir.glob("*.tf")):
        names += re.findall(r'^variable\s+"([^"]+)"', path.read_text(encoding="utf-8"), re.M)
    return names


def actions(plan_json: dict) -> dict[str, tuple[str, ...]]:
    """{address: actions} of the managed resources a plan changes (no-ops left out)."""
    out = {}
    for rc in plan_json.get("resource_changes", []):
        if rc.get("mode") != "managed":
            continue
        acts = tuple(rc["change"]["actions"])
        if acts != ("no-op",):
            out[rc["address"]] = acts
    return out


def action_counts(plan_json: dict) -> dict[str, int]:
    """ARM writes a plan costs: create / update / delete / replace counts."""
    counts = {"create": 0, "update": 0, "delete": 0, "replace": 0}
    for acts in actions(plan_json).values():
        if set(acts) == {"create", "delete"}:
            counts["replace"] += 1
        elif acts[0] in counts:
            counts[acts[0]] += 1
    return counts
