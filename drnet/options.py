"""Options shared by the commands: one name and one meaning everywhere.

--failed-over is the state to evaluate (it replaces the plan's `failed_over` list) on every
command; --failover (diff, runbook) is the change to preview from that state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

PlanArg = Annotated[Path, typer.Argument(help="The plan file (YAML, format version 1); - reads it from stdin.", show_default=False)]
FAILED_OVER_HELP = ("The state to evaluate: these subnets have failed over ('Apps' or 'VmNetwork/Subnet'; "
                    "replaces the plan's `failed_over`). Repeatable.")
FailedOverOpt = Annotated[Optional[list[str]], typer.Option("--failed-over", help=FAILED_OVER_HELP, show_default=False)]
FailoverOpt = Annotated[
    Optional[list[str]],
    typer.Option("--failover", help="The change to preview: fail over this subnet too, from the evaluated state "
                 "('Apps' or 'VmNetwork/Subnet'). Repeatable.", show_default=False),
]
