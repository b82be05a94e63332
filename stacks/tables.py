"""The per-VM recovery NIC settings as a reviewable table (CSV, Markdown). Pure; no CDK."""

from __future__ import annotations

import csv
import io

COLUMNS = (
    "vm", "nic", "vm_network", "subnet", "ip",
    "recovery_network", "recovery_subnet", "recovery_ip", "ip_rule",
    "test_network", "test_subnet", "test_ip",
)


def nic_rows(plan) -> list[dict]:
    """One row per NIC, sorted by VM name and NIC position (independent of the plan's order).
    The failover state is not in it: these settings are the same in every state."""
    rows = []
    for nic in sorted(plan.nics, key=lambda n: (n.vm, n.nic)):
        rec, test = nic.recovery, nic.test
        rows.append({
            "vm": nic.vm,
            "nic": nic.nic,
            "vm_network": nic.vm_network,
            "subnet": nic.subnet,
            "ip": nic.ip,
            "recovery_network": rec.network if rec else "",
            "recovery_subnet": rec.subnet if rec else "",
            "recovery_ip": (rec.ip or "") if rec else "",
            "ip_rule": nic.ip_rule or "",
            "test_network": test.network if test else "",
            "test_subnet": test.subnet if test else "",
            "test_ip": (test.ip or "") if test else "",
        })
    return rows


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _cell(value) -> str:
    return str(value).replace("|", "\\|")


def to_markdown(rows: list[dict], *, title: str) -> str:
    lines = [
        f"# {title}",
        "",
        "ASR \"Compute and Network\" settings that `terraform apply` of the recovery stack sends",
        "(Replication Protected Items - Update, PATCH). Test-failover columns apply to drills.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for row in rows:
        lines.append("| " + " | ".join(_cell(row[c]) for c in COLUMNS) + " |")
    return "\n".join(lines) + "\n"
