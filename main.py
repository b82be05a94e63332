#!/usr/bin/env python3
"""The cdktf app entry: `cdktf synth` runs this (see cdktf.json).

The plan comes from the cdktf context (`plan` in cdktf.json: templates/woodgrove.yaml), or
from DRNET_PLAN when set; `failed_over` (comma-separated subnet keys) likewise, or
DRNET_FAILED_OVER; `backend` (local | azurerm, overriding the plan's) likewise, or
DRNET_BACKEND. Only this entry reads the environment; the stacks never do.
It writes what `drnet synth` writes, into the outdir cdktf gives (cdktf.out).
"""

from __future__ import annotations

import os
import sys

from cdktf import App


def main() -> int:
    from drnet.cli_synth import synth_into

    probe = App()  # reads the context and outdir cdktf passes in
    plan_path = os.environ.get("DRNET_PLAN") or probe.node.try_get_context("plan")
    failed_over = os.environ.get("DRNET_FAILED_OVER") or probe.node.try_get_context("failed_over")
    if not plan_path:
        print("main.py: no plan in the cdktf context (set context.plan in cdktf.json)", file=sys.stderr)
        return 1
    from planner.api import analyze

    analysis = analyze(plan_path, failed_over=[k for k in str(failed_over).split(",") if k] if failed_over else None)
    if not analysis.ok:
        for d in analysis.diagnostics:
            print(f"{d.file}:{d.line}:{d.column}: {d.severity.value} {d.code} {d.message}", file=sys.stderr)
        return 1
    resolved = analysis.resolved
    backend = os.environ.get("DRNET_BACKEND") or probe.node.try_get_context("backend")
    if backend:
        import dataclasses

        resolved = dataclasses.replace(resolved, state_backend=str(backend))
    synth_into(resolved, probe.outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
