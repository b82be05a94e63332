"""The drnet command line: the only place that prints and picks exit codes.

Heavy modules (the CDK, rich tables) are imported inside the commands that use
them, so `drnet validate` starts fast.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from drnet import __version__
from drnet.options import FailedOverOpt, PlanArg

app = typer.Typer(
    name="drnet",
    help="Compile a disaster-recovery network plan (Azure Site Recovery, Hyper-V with VMM) into Terraform.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE, EXIT_BUG = 0, 1, 2, 3
REPORT_BUGS = "the issue tracker of the repository you installed drnet from"
_state = {"debug": False}


class TextOrJson(str, Enum):
    text = "text"
    json = "json"


class DiagnosticFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"


GLOBAL_FLAGS = ("--debug",)  # accepted before or after the command name


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
        f"This is a bug in drnet, not a problem with your plan. Please report it in {REPORT_BUGS}\n"
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
    reject_unknown_subnets(analysis, failed_over)
    return states, analysis


def reject_unknown_subnets(analysis, failed_over) -> None:
    """A subnet named on the command line that the plan lacks is a usage error (exit 2) on every
    command, not a problem of the file."""
    if failed_over is None:
        return
    bad = [d for d in analysis.diagnostics if d.code in ("E203", "E204") and d.path[:1] == ("failed_over",)]
    for d in bad:
        typer.echo(f"drnet: --failed-over {failed_over[d.path[1]]}: {d.message.split(': ', 1)[-1]}"
                   + (f" ({d.hint})" if d.hint else ""), err=True)
    if bad:
        raise typer.Exit(EXIT_UNREADABLE)


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


def no_color() -> bool:
    """https://no-color.org: a non-empty NO_COLOR turns colour off, whatever the terminal."""
    return bool(os.environ.get("NO_COLOR"))


def _color(text: str, severity: str) -> str:
    if no_color():
        return text
    colors = {"error": typer.colors.RED, "warning": typer.colors.YELLOW, "info": typer.colors.BLUE}
    return typer.style(text, fg=colors.get(severity), bold=True)


def _bold(text: str) -> str:
    return text if no_color() else typer.style(text, bold=True)


def print_diagnostics(diagnostics, *, err: bool = False, summary: bool = True) -> None:
    for d in diagnostics:
        where = f"{d.file}:{d.line}:{d.column}" if d.line else (d.file or "plan")
        path = d.to_json()["path"]
        typer.echo(
            f"{where}: {_color(d.severity.value, d.severity.value)} {_bold(d.code)} {d.message}"
            + (f"  [{path}]" if path else ""),
            err=err,
        )
        if d.hint:
            typer.echo(f"    hint: {d.hint}", err=err)
    if summary:
        print_summary(diagnostics, err=err)


def print_summary(diagnostics, *, err: bool = False, label: str = "") -> None:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = sum(1 for d in diagnostics if d.severity.value == "warning")
    text = f"{label}{errors} error(s), {warnings} warning(s)" if diagnostics else f"{label}no problems found"
    typer.echo(_color(text, "error" if errors else ("warning" if warnings else "info")) if diagnostics else text, err=err)


def dump_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False))


@app.command()
@guarded
def validate(
    plans: Annotated[list[Path], typer.Argument(help="Plan files (YAML, format version 1); - reads one from stdin.",
                                                metavar="PLAN", show_default=False)],
    output_format: Annotated[DiagnosticFormat, typer.Option("--format", "-f", help="Output format.")] = DiagnosticFormat.text,
    failed_over: FailedOverOpt = None,
):
    """Check plans: every problem at once, with file:line:column, and the failover readiness of
    every subnet and VM network (each checked alone, from the current state). Exit 1 when a
    current state has errors, 2 when a file cannot be read (the others are still checked)."""
    from types import SimpleNamespace

    from planner.readiness import readiness as readiness_of

    diagnostics, matrices, worst = [], [], EXIT_OK
    for plan in plans:
        try:
            states, analysis = states_or_exit(plan, failed_over)
        except typer.Exit as exc:  # unreadable, or an unknown --failed-over subnet: said on stderr
            worst = max(worst, exc.exit_code)
            continue
        matrix = readiness_of(states, analysis)
        diagnostics += analysis.diagnostics
        matrices.append((plan, matrix))
        if output_format is DiagnosticFormat.text:
            print_diagnostics(analysis.diagnostics, summary=len(plans) == 1)
            if len(plans) > 1:
                print_summary(analysis.diagnostics, label=f"{plan}: ")
            if matrix is not None:
                typer.echo(matrix.summary())
        worst = max(worst, EXIT_OK if analysis.ok else EXIT_ERRORS)
    if output_format is DiagnosticFormat.json:
        out = {"diagnostics": [d.to_json() for d in diagnostics]}
        if len(plans) == 1 and matrices and matrices[0][1] is not None:
            out["readiness"] = matrices[0][1].to_json()
        elif len(plans) > 1:
            out["plans"] = [{"plan": str(p), "readiness": m.to_json() if m is not None else None} for p, m in matrices]
        dump_json(out)
    elif output_format is DiagnosticFormat.sarif:
        from review.sarif import to_sarif

        rows = [row for _, m in matrices if m is not None for row in m.rows]
        dump_json(to_sarif(diagnostics, __version__, readiness=SimpleNamespace(rows=rows) if rows else None))
    raise typer.Exit(worst)


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
def schema(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.",
                                                  show_default=False)] = None,
):
    """Print the JSON Schema of the plan format (for editor completion and checks)."""
    from planner.model import json_schema

    if output is None:
        dump_json(json_schema())
        return
    write_file(output, json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
    typer.echo(f"wrote {output}", err=True)


def write_file(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        typer.echo(f"drnet: cannot write {path}: {exc.strerror or exc}", err=True)
        raise typer.Exit(EXIT_UNREADABLE)


@app.command()
@guarded
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter plan.")] = Path("drplan.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
):
    """Write a commented starter plan to edit, and beside it the JSON Schema its first line names
    (editors with the YAML language server then complete and check it)."""
    from importlib.resources import files

    from planner.model import SCHEMA_FILE, json_schema

    if path.exists() and not force:
        typer.echo(f"drnet: {path} exists; use --force to overwrite it", err=True)
        raise typer.Exit(EXIT_ERRORS)
    write_file(path, files("drnet").joinpath("starter.yaml").read_text(encoding="utf-8"))
    schema_path = path.parent / SCHEMA_FILE
    if force or not schema_path.exists():
        write_file(schema_path, json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
    typer.echo(f"wrote {path} (and {schema_path} for your editor): edit it, then run `drnet validate {path}`")


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


def hoist_global_flags(argv: list[str]) -> list[str]:
    """`drnet validate plan.yaml --debug` works like `drnet --debug validate plan.yaml`: a global
    flag given after the command moves in front of it (never after a `--`)."""
    end = argv.index("--") if "--" in argv else len(argv)
    flags = [a for a in argv[:end] if a in GLOBAL_FLAGS]
    return flags + [a for a in argv[:end] if a not in GLOBAL_FLAGS] + argv[end:]


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
    app(args=hoist_global_flags(sys.argv[1:]), prog_name="drnet")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
