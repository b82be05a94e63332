"""The drnet command line: the only place that prints and picks exit codes.

Heavy modules (the CDK, rich tables) are imported inside the commands that use
them, so `drnet validate` starts fast.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from drnet import __version__

app = typer.Typer(
    name="drnet",
    help="Compile a disaster-recovery network plan (Azure Site Recovery, Hyper-V with VMM) into Terraform.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE, EXIT_BUG = 0, 1, 2, 3
REPORT_BUGS = "https://github.com/drnet/drnet/issues"
_state = {"debug": False}


class TextOrJson(str, Enum):
    text = "text"
    json = "json"


class DiagnosticFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"


PlanArg = Annotated[Path, typer.Argument(help="The plan file (YAML, format version 1).", show_default=False)]
FailedOverOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--failed-over",
        help="Evaluate the plan as if these subnets had failed over (replaces the plan's `failed_over`). Repeatable.",
        show_default=False,
    ),
]


def version_callback(value: bool):
    if value:
        typer.echo(f"drnet {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    debug: Annotated[bool, typer.Option("--debug", help="Show the Python traceback of an internal error.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Print the version and exit.")
    ] = False,
):
    _state["debug"] = debug


def fail_with_bug(exc: BaseException) -> None:
    """An exception inside drnet is a bug: say so, say how to report it."""
    typer.echo(
        f"drnet: internal error ({type(exc).__name__}: {exc}).\n"
        f"This is a bug in drnet, not a problem with your plan. Please report it at {REPORT_BUGS}\n"
        f"with `drnet --version`, the command you ran and, if you can share it, the plan.",
        err=True,
    )
    if _state["debug"]:
        import traceback

        traceback.print_exception(exc)
    else:
        typer.echo("Run again with `drnet --debug ...` to see the traceback.", err=True)
    raise typer.Exit(EXIT_BUG)


def analyze_or_exit(plan: Path, failed_over=None):
    """Run the planner; exit 2 when the file cannot be read at all."""
    return states_or_exit(plan, failed_over)[1]


def states_or_exit(plan: Path, failed_over=None):
    """The plan read once (planner.api.PlanStates) and analysed in the requested state;
    exit 2 when the file cannot be read at all or a --failed-over subnet is unknown."""
    from planner.api import PlanFileError, PlanStates

    try:
        states = PlanStates(plan)
        analysis = states.analysis(failed_over)
    except PlanFileError as exc:
        typer.echo(f"drnet: cannot read the plan: {exc}", err=True)
        raise typer.Exit(EXIT_UNREADABLE)
    if failed_over is not None:
        # a subnet named on the command line is a usage error, not a problem of the file
        bad = [d for d in analysis.diagnostics if d.code in ("E203", "E204") and d.path[:1] == ("failed_over",)]
        for d in bad:
            typer.echo(f"drnet: --failed-over {failed_over[d.path[1]]}: {d.message.split(': ', 1)[-1]}"
                       + (f" ({d.hint})" if d.hint else ""), err=True)
        if bad:
            raise typer.Exit(EXIT_UNREADABLE)
    return states, analysis


def guarded(func):
    """Turn unexpected exceptions in a command into a bug report (exit 3)."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place bugs are caught
            fail_with_bug(exc)

    return wrapper


def _color(text: str, severity: str) -> str:
    colors = {"error": typer.colors.RED, "warning": typer.colors.YELLOW, "info": typer.colors.BLUE}
    return typer.style(text, fg=colors.get(severity), bold=True)


def print_diagnostics(diagnostics, *, err: bool = False) -> None:
    for d in diagnostics:
        where = f"{d.file}:{d.line}:{d.column}" if d.line else (d.file or "plan")
        path = d.to_json()["path"]
        typer.echo(
            f"{where}: {_color(d.severity.value, d.severity.value)} {typer.style(d.code, bold=True)} {d.message}"
            + (f"  [{path}]" if path else ""),
            err=err,
        )
        if d.hint:
            typer.echo(f"    hint: {d.hint}", err=err)
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = sum(1 for d in diagnostics if d.severity.value == "warning")
    summary = f"{errors} error(s), {warnings} warning(s)"
    typer.echo(_color(summary, "error" if errors else ("warning" if warnings else "info")) if diagnostics else "no problems found", err=err)


def dump_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False))


@app.command()
@guarded
def validate(
    plan: PlanArg,
    output_format: Annotated[DiagnosticFormat, typer.Option("--format", "-f", help="Output format.")] = DiagnosticFormat.text,
    failed_over: FailedOverOpt = None,
):
    """Check a plan: every problem at once, with file:line:column, and the failover readiness of
    every subnet and VM network (each checked alone, from the current state). Exit 1 when the
    current state has errors."""
    from planner.readiness import readiness as readiness_of

    states, analysis = states_or_exit(plan, failed_over)
    matrix = readiness_of(states, analysis)
    if output_format is DiagnosticFormat.json:
        out = {"diagnostics": [d.to_json() for d in analysis.diagnostics]}
        if matrix is not None:
            out["readiness"] = matrix.to_json()
        dump_json(out)
    elif output_format is DiagnosticFormat.sarif:
        from review.sarif import to_sarif

        dump_json(to_sarif(analysis.diagnostics, __version__, readiness=matrix))
    else:
        print_diagnostics(analysis.diagnostics)
        if matrix is not None:
            typer.echo(matrix.summary())
    raise typer.Exit(EXIT_OK if analysis.ok else EXIT_ERRORS)


@app.command()
@guarded
def plan(
    plan: PlanArg,
    output_format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = TextOrJson.text,
    failed_over: FailedOverOpt = None,
    max_nic_rows: Annotated[
        int, typer.Option("--max-nic-rows", help="NIC rows shown per VM network in the tables (0: all).", min=0)
    ] = 50,
):
    """Show the resolved plan: where every NIC lands, which connections exist, gateway prefixes, routes."""
    analysis = analyze_or_exit(plan, failed_over)
    if output_format is TextOrJson.json:
        from drnet.plan_json import plan_json

        dump_json(plan_json(analysis))
        raise typer.Exit(EXIT_OK if analysis.ok else EXIT_ERRORS)
    if not analysis.ok:
        print_diagnostics(analysis.diagnostics, err=False)
        raise typer.Exit(EXIT_ERRORS)
    from drnet.plan_tables import print_plan

    print_plan(analysis.resolved, max_nic_rows=max_nic_rows)
    if analysis.diagnostics:
        print_diagnostics(analysis.diagnostics)
    raise typer.Exit(EXIT_OK)


@app.command()
@guarded
def schema():
    """Print the JSON Schema of the plan format (for editor completion and checks)."""
    from planner.model import json_schema

    dump_json(json_schema())


@app.command()
@guarded
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter plan.")] = Path("drplan.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
):
    """Write a commented starter plan to edit."""
    from importlib.resources import files

    if path.exists() and not force:
        typer.echo(f"drnet: {path} exists; use --force to overwrite it", err=True)
        raise typer.Exit(EXIT_ERRORS)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files("drnet").joinpath("starter.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    except OSError as exc:
        typer.echo(f"drnet: cannot write {path}: {exc.strerror or exc}", err=True)
        raise typer.Exit(EXIT_UNREADABLE)
    typer.echo(f"wrote {path}: edit it, then run `drnet validate {path}`")


def _register_optional_commands() -> None:
    """Commands that live in their own modules (synth, review outputs)."""
    for module in ("drnet.cli_synth", "drnet.cli_review"):
        try:
            mod = __import__(module, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        mod.register(app, guarded, analyze_or_exit)


_register_optional_commands()


def main() -> None:
    import gc
    import signal

    # A short-lived process that builds many small acyclic objects: the cyclic GC would only
    # spend time (the planner turns it off while it runs; re-enabled, it then sweeps every
    # object of a large plan once, ~80 ms at 10,000 VMs, just before the process exits).
    gc.disable()

    # `drnet plan ... | head`: die quietly of SIGPIPE like any Unix tool, not with a traceback
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    app(prog_name="drnet")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
