"""The Terraform harness: its timings, and the ARM writes a change costs (planned actions).

    .venv/bin/python bench/bench_terraform.py                  # Woodgrove and a 2,000-VM plan
    .venv/bin/python bench/bench_terraform.py --vms 500        # a smaller large plan
    .venv/bin/python bench/bench_terraform.py --generated 300  # N generated plans: validate + plan

For each plan: apply the steady state (both stacks) through the stand-ins, then plan
(a) the failover of one subnet and (b) the plan with one VM added; print create / update /
delete / replace counts per stack. Needs `terraform` on PATH (the stand-ins are in
tests/terraform). Numbers, not assertions (tests/terraform/test_arm_writes.py asserts the rule).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tests.terraform.arm_fixtures import seed_world  # noqa: E402
from tests.terraform.harness import Terraform, action_counts, build_mirror, terraform_binary  # noqa: E402


def synth(plan: dict, work: Path, name: str, failed_over=None):
    from drnet.cli_synth import synth_into
    from planner.api import analyze

    path = work / f"{name}.yaml"
    path.write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    analysis = analyze(path, failed_over=failed_over)
    if not analysis.ok:
        raise SystemExit(f"{name}: {[d.message for d in analysis.errors][:3]}")
    out = work / f"{name}.out"
    synth_into(analysis.resolved, out)
    dirs = sorted((out / "stacks").iterdir())
    return analysis.resolved, {"network": dirs[0], "recovery": dirs[1]}


def smallest_failover(plan: dict, work: Path) -> list[str]:
    """One subnet if one can fail over alone, else the subnets of one VM network (where a
    recovery network holds several retained subnets, they move together: E501)."""
    from planner.api import analyze

    path = work / "probe.yaml"
    path.write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    steady = analyze(path)
    subnets = [s for s in steady.resolved.onprem_subnets if s.recovery_network]
    for s in subnets:
        if analyze(path, failed_over=[s.key]).ok:
            return [s.key]
    for vm_network in dict.fromkeys(s.vm_network for s in subnets):
        keys = [s.key for s in subnets if s.vm_network == vm_network]
        if analyze(path, failed_over=keys).ok:
            return keys
    raise SystemExit("nothing can fail over")


def fmt(counts: dict) -> str:
    return " ".join(f"{k}={v}" for k, v in counts.items())


def scenario(label: str, plan: dict, new_vm: dict, base: Path, cli: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"{label}-", dir=base))
    if plan.get("vms_csv"):
        shutil.copy2(ROOT / "templates" / plan["vms_csv"], work / plan["vms_csv"])
    moved = smallest_failover(plan, work)
    t = time.perf_counter()
    steady_resolved, steady = synth(plan, work, "steady")
    _, failover = synth(plan, work, "failover", failed_over=moved)
    grown_plan = {**plan, "vms": [*plan["vms"], new_vm]}
    grown_resolved, grown = synth(grown_plan, work, "grown")
    print(f"{label}: {len({n.vm for n in steady_resolved.nics})} VMs, synth x3 {time.perf_counter() - t:.1f}s", flush=True)
    world = seed_world(grown_resolved, work / "world.json")
    what = moved[0] if len(moved) == 1 else f"{len(moved)} subnets of {moved[0].split('/')[0]}"
    for kind in ("network", "recovery"):  # independent stacks: each applied, then each change planned
        tf = Terraform(work / f"tf-{kind}", cli, world).use(steady[kind])
        t = time.perf_counter()
        tf.init()
        tf.apply(timeout=7200)
        print(f"  apply steady {kind}: {time.perf_counter() - t:.1f}s", flush=True)
        for change, dirs in ((f"failover {what}", failover), ("add one VM", grown)):
            t = time.perf_counter()
            tf.use(dirs[kind]).plan(timeout=7200)
            counts = action_counts(tf.show_plan())
            print(f"  {change:<28} {kind:<8} {fmt(counts)}   (plan {time.perf_counter() - t:.1f}s)", flush=True)


def generated(n: int, base: Path, cli: Path) -> None:
    from hypothesis import HealthCheck, Phase, given, settings

    from tests.terraform.plangen import plans

    totals = Counter()
    workdirs: dict = {}

    @settings(max_examples=n, derandomize=True, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(plans())
    def run(plan):
        from planner.api import analyze

        work = Path(tempfile.mkdtemp(prefix="gen-", dir=base))
        path = work / "plan.yaml"
        path.write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
        totals["generated"] += 1
        analysis = analyze(path)
        if not analysis.ok:
            return
        totals["accepted"] += 1
        from drnet.cli_synth import synth_into

        synth_into(analysis.resolved, work / "out")
        world = seed_world(analysis.resolved, work / "world.json")
        ok = True
        for d in sorted((work / "out" / "stacks").iterdir()):
            kind = d.name.rsplit("-", 1)[-1]
            tf = workdirs.get(kind)
            if tf is None:
                tf = workdirs[kind] = Terraform(base / f"gen-tf-{kind}", cli, world).use(d)
                tf.init()
            tf.env["DRNET_FAKE_ARM"] = str(world)
            tf.use(d)
            for state in tf.workdir.glob("*.tfstate*"):
                state.unlink()
            for step in ("validate", "plan"):
                if getattr(tf, step)(check=False).returncode != 0:
                    totals[f"{kind} {step} failed"] += 1
                    ok = False
                    break
        totals["validated and planned" if ok else "failed"] += 1
        shutil.rmtree(work, ignore_errors=True)

    t = time.perf_counter()
    run()
    print(f"generated plans: {dict(totals)} in {time.perf_counter() - t:.0f}s", flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, default=2000, help="size of the large generated plan (0: skip)")
    parser.add_argument("--generated", type=int, default=0, help="also run N generated plans through validate + plan")
    parser.add_argument("--skip-woodgrove", action="store_true", help="only the large plan (and --generated)")
    args = parser.parse_args(argv)
    if terraform_binary() is None:
        print("bench_terraform: no terraform on PATH; skipped")
        return 0
    from gen_plan import make_plan

    base = Path(tempfile.mkdtemp(prefix="bench-terraform-"))
    cli = build_mirror(base)
    start = time.perf_counter()
    if not args.skip_woodgrove:
        woodgrove = yaml.safe_load((ROOT / "templates" / "woodgrove.yaml").read_text(encoding="utf-8"))
        scenario("woodgrove", woodgrove, {"name": "NEW01", "nics": [{"vm_network": "Woodgrove-Apps", "subnet": "Apps",
                                                                     "ip": "192.168.1.200"}]}, base, cli)
    if args.vms:
        scenario(f"generated-{args.vms}", make_plan(args.vms, name="large"),
                 {"name": "NEW01", "nics": [{"vm_network": "VMN00", "subnet": "S00", "ip": "10.0.3.200"}]}, base, cli)
    if args.generated:
        generated(args.generated, base, cli)
    by_cmd: dict[str, list[float]] = {}
    for cmd, secs in Terraform.timings:
        by_cmd.setdefault(cmd, []).append(secs)
    print("harness timings (s): " + ", ".join(f"{c} n={len(v)} mean={sum(v) / len(v):.2f} max={max(v):.2f}"
                                              for c, v in sorted(by_cmd.items())))
    print(f"total wall time {time.perf_counter() - start:.0f}s")
    shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
