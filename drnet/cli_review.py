"""Review commands: report, diff, runbook. Registered by drnet.cli when present.

They read the resolved plan only (review/), never the CDK: they stay fast.
The artifact goes to stdout or to `-o FILE`; progress and notes go to stderr
through Rich, so piping the Markdown stays clean.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from drnet.options import FailedOverOpt, FailoverOpt, PlanArg
from review.budget import GITHUB_COMMENT_LIMIT

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"


class MdOrJson(str, Enum):
    md = "md"
    json = "json"


OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.", show_default=False)]
BudgetOpt = Annotated[
    int,
    typer.Option("--budget", min=0, help="Fit the Markdown into this many characters by summarizing whole sections "
                 "(default: one GitHub comment; 0: no limit). Not applied to html or json."),
]
FullUrlOpt = Annotated[
    Optional[str],
    typer.Option("--full-url", help="Where the full version is (e.g. the CI artifact's link): named in the note "
                 "when sections are left out.", show_default=False),
]
FailbackOpt = Annotated[
    Optional[list[str]],
    typer.Option("--failback", help="A subnet the plan has failed over, to bring back on-prem ('Apps' or 'VmNetwork/Subnet'). "
                 "Repeatable.", show_default=False),
]


def _console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _fail(message: str, code: int = EXIT_USAGE):
    _console().print(f"[bold red]drnet:[/] {message}", markup=True, soft_wrap=True)
    raise typer.Exit(code)


def _emit(text: str, output: Path | None, what: str) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    size = len(text.encode("utf-8"))
    shown = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB"
    _console().print(f"[green]wrote[/] {what} [bold]{output}[/] ({shown})")


def _note_errors(analyses) -> bool:
    """Warn on stderr when a state has errors; True when any has."""
    errors = {(d.code, d.file, d.line, d.message) for a in analyses for d in a.diagnostics if d.is_error}
    if errors:
        _console().print(f"[yellow]warning:[/] the plan has {len(errors)} error(s); run `drnet validate` for details")
    return bool(errors)


def _open(plan: Path):
    """The plan read once (review.states.PlanStates); exit 2 when the file cannot be read."""
    from review.states import PlanFileError, PlanStates

    try:
        return PlanStates(plan)
    except PlanFileError as exc:
        _fail(f"cannot read the plan: {exc}", 2)


def _keys(resolved, names):
    from review.states import ReviewError, resolve_subnets

    try:
        return resolve_subnets(resolved, names)
    except ReviewError as exc:
        _fail(str(exc))


def _unresolved(analysis, plan) -> None:
    first = next((d for d in analysis.diagnostics if d.is_error), None)
    detail = f": {first.code} {first.message}" if first else ""
    _fail(f"{plan} cannot be resolved{detail} (run `drnet validate {plan}`)", EXIT_ERRORS)


def _state(states, failed_over):
    """The plan evaluated in the --failed-over state (None: the plan's own); an unknown subnet
    there exits 2, as on every command."""
    from drnet.cli import reject_unknown_subnets

    analysis = states.analysis(failed_over)
    reject_unknown_subnets(analysis, failed_over)
    return analysis


def register(app: typer.Typer, guarded, analyze_or_exit) -> None:  # noqa: ARG001 - analyze_or_exit: see review.states
    from drnet import __version__

    @app.command()
    @guarded
    def report(
        plan: PlanArg,
        output: OutputOpt = None,
        output_format: Annotated[
            Optional[ReportFormat],
            typer.Option("--format", "-f", help="md (pull requests), html (one self-contained page) or json (the summary, "
                         "for pipelines). Default: from -o's suffix, else md.", show_default=False),
        ] = None,
        max_nic_rows: Annotated[
            int, typer.Option("--max-nic-rows", min=0, help="Show at most this many NIC rows per subnet (0: all).")
        ] = 0,
        budget: BudgetOpt = GITHUB_COMMENT_LIMIT,
        full_url: FullUrlOpt = None,
        failed_over: FailedOverOpt = None,
    ):
        """A review report: summary, per-NIC table, LNG prefixes, diagnostics, topology diagrams now and after failover."""
        from review.report import build_failed_report, build_report, report_summary
        from review.states import failover_candidates

        suffix = output.suffix.lower() if output is not None else ""
        fmt = output_format or {".html": ReportFormat.html, ".htm": ReportFormat.html, ".json": ReportFormat.json}.get(suffix, ReportFormat.md)
        states = _open(plan)
        now = _state(states, failed_over)
        if now.resolved is None:
            if fmt is ReportFormat.json:
                _emit(json.dumps(report_summary(now, None, source=str(plan), version=__version__), indent=2) + "\n", output, "report")
                raise typer.Exit(EXIT_ERRORS)
            text = build_failed_report([("now", now)], source=str(plan), version=__version__)
            _emit(text, output, "report")
            raise typer.Exit(EXIT_ERRORS)
        everything = [s.key for s in failover_candidates(now.resolved)]
        after = now if set(everything) <= set(now.resolved.failed_over) else states.analysis(everything)
        analyses = [now, after]
        if fmt is ReportFormat.json:
            _emit(json.dumps(report_summary(now, after, source=str(plan), version=__version__), indent=2, ensure_ascii=False) + "\n",
                  output, "report summary")
            raise typer.Exit(EXIT_ERRORS if _note_errors(analyses) else EXIT_OK)
        from planner.readiness import readiness

        md_budget = budget if fmt is ReportFormat.md else 0  # the HTML page is the full artifact
        text = build_report(now, after, source=str(plan), version=__version__, max_nic_rows=max_nic_rows,
                            readiness=readiness(states, now), budget=md_budget, full_at=_full_at(full_url))
        if fmt is ReportFormat.html:
            from review.html import MermaidNotFound, to_html

            try:
                with _console().status("inlining mermaid.js and writing the HTML report"):
                    text = to_html(text, title=f"drnet report: {now.resolved.name}")
            except MermaidNotFound as exc:
                _fail(str(exc), EXIT_ERRORS)
        _emit(text, output, "report")
        raise typer.Exit(EXIT_ERRORS if _note_errors(analyses) else EXIT_OK)

    @app.command()
    @guarded
    def diff(
        plan_a: Annotated[Path, typer.Argument(help="The plan before the change.", show_default=False)],
        plan_b: Annotated[Optional[Path], typer.Argument(help="The plan after the change (or use --failover).", show_default=False)] = None,
        failover: FailoverOpt = None,
        failback: FailbackOpt = None,
        output_format: Annotated[MdOrJson, typer.Option("--format", "-f", help="md (pull-request comment) or json (pipelines).")] = MdOrJson.md,
        output: OutputOpt = None,
        budget: BudgetOpt = GITHUB_COMMENT_LIMIT,
        full_url: FullUrlOpt = None,
        failed_over: FailedOverOpt = None,
    ):
        """What changes between two plans, or between a plan and its failover (--failover) or failback (--failback):
        connections, LNG prefixes, routes, VM IPs.

        --failed-over evaluates the plan(s) in that state; --failover and --failback are the change from it."""
        from review.diff import diff_markdown, diff_plans

        if sum(map(bool, (plan_b is not None, failover, failback))) != 1:
            _fail("give one of: a second plan (drnet diff A.yaml B.yaml), --failover SUBNET (drnet diff PLAN --failover Apps) "
                  "or --failback SUBNET (drnet diff PLAN --failback Apps)")
        states = _open(plan_a)
        a = _state(states, failed_over)
        if plan_b is not None:
            b = _state(_open(plan_b), failed_over)
            label_a, label_b = str(plan_a), str(plan_b)
        else:
            if a.resolved is None:
                _unresolved(a, plan_a)
            keys = _keys(a.resolved, failover or failback)
            if failover:
                _already(a.resolved, keys)
                b = states.analysis(list(a.resolved.failed_over) + keys)
            else:
                _not_failed_over(a.resolved, keys)
                b = states.analysis([k for k in a.resolved.failed_over if k not in keys])
            label_a, label_b = "now", ("after failover of " if failover else "after failback of ") + ", ".join(keys)
        for analysis, path in ((a, plan_a), (b, plan_b or plan_a)):
            if analysis.resolved is None:
                _unresolved(analysis, path)
        result = diff_plans(a.resolved, b.resolved, label_a=label_a, label_b=label_b)
        if output_format is MdOrJson.json:
            text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
        else:
            text = diff_markdown(result, budget=budget, full_at=_full_at(full_url))
        _emit(text, output, "diff")
        raise typer.Exit(EXIT_ERRORS if _note_errors([a, b]) else EXIT_OK)

    @app.command()
    @guarded
    def runbook(
        plan: PlanArg,
        failover: FailoverOpt = None,
        failback: FailbackOpt = None,
        drill: Annotated[bool, typer.Option("--drill", help="The test-failover drill instead of a failover.")] = False,
        output_format: Annotated[MdOrJson, typer.Option("--format", "-f", help="md (people) or json (automation).")] = MdOrJson.md,
        output: OutputOpt = None,
        failed_over: FailedOverOpt = None,
    ):
        """The ordered runbook to fail over --failover subnets, to bring failed-over --failback subnets back on-prem,
        or the test-failover drill (--drill), from the plan's state (or the --failed-over one)."""
        from review.runbook import drill_runbook, failback_runbook, failover_runbook, runbook_markdown

        if sum(map(bool, (failover, failback, drill))) != 1:
            _fail("give one of --failover SUBNET, --failback SUBNET (both repeatable) or --drill")
        states = _open(plan)
        now = _state(states, failed_over)
        if now.resolved is None:
            _unresolved(now, plan)
        if drill:
            analyses = [now]
            result = drill_runbook(now, source=str(plan))
        elif failback:
            keys = _keys(now.resolved, failback)
            _not_failed_over(now.resolved, keys)
            analyses = [now, states.analysis([k for k in now.resolved.failed_over if k not in keys])]
            if analyses[1].resolved is None:
                _unresolved(analyses[1], plan)
            result = failback_runbook(analyses[0], analyses[1], keys, source=str(plan))
        else:
            keys = _keys(now.resolved, failover)
            _already(now.resolved, keys)
            analyses = [now, states.analysis(list(now.resolved.failed_over) + keys)]
            if analyses[1].resolved is None:
                _unresolved(analyses[1], plan)
            result = failover_runbook(analyses[0], analyses[1], keys, source=str(plan))
        text = json.dumps(result, indent=2, ensure_ascii=False) + "\n" if output_format is MdOrJson.json else runbook_markdown(result)
        _emit(text, output, "runbook")
        raise typer.Exit(EXIT_ERRORS if _note_errors(analyses) else EXIT_OK)


def _full_at(url: str | None) -> str:
    """Where the note of a shortened output sends the reader."""
    if not url:
        return "the same command with `--budget 0`"
    return f"[{url}]({url})" if "://" in url else url


def _already(resolved, keys) -> None:
    done = [k for k in keys if k in resolved.failed_over]
    if done:
        _fail(f"already failed over in the plan: {', '.join(done)} (to bring it back: --failback {done[0]})")


def _not_failed_over(resolved, keys) -> None:
    home = [k for k in keys if k not in resolved.failed_over]
    if home:
        now = ", ".join(resolved.failed_over) or "nothing"
        _fail(f"not failed over in the plan: {', '.join(home)} (the plan's failed_over: {now})")
