"""Seeded mutants of valid plans, as a hostile pull request would write them.

`make_case(rng)` takes one seed plan (a template or a plan the tests build, some with
a vms_csv inventory), applies one to three structural mutations to its parsed form
(delete, duplicate, retype, edge CIDRs, IPv6 text, renamed references, unknown keys,
failed_over, hostile vms_csv paths, CSV row damage), then sometimes byte-level ones
to the YAML text or the CSV (truncate, flip, tabs, BOM, CRLF, anchors and aliases,
NUL, invalid UTF-8, huge numbers, deep nesting). Everything comes from `rng`, so a
seed names a case.
"""

from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
CANARY = "drnet-fuzz-canary-7f3a"  # in a file outside the plan's folder: must never be printed
HUGE_DIGITS = "9" * 5000  # over Python's 4,300-digit int-string limit

HUGE = [2**31, 2**32, 2**64, 10**30, -(2**63)]
NEGATIVE = [-1, -65515, -0.0]
FLOATS = [1.5, 1e308, 0.1, float("inf"), float("nan")]
UNICODE = ["Ünïcødé", "名前", "\u202eevil", "e\u0301", "😀", "a\u200bb", "ǅ", "İ"]
EMPTY = ["", [], {}, None, " "]
CIDRS = ["0.0.0.0/0", "255.255.255.255/32", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/08", "10.0.0.1/8", "1.2.3",
         "300.1.1.1/24", "01.2.3.4", " 10.0.0.0/8", "10.0.0.0/8 ", "10.0.0.0/", "/24", "10.0.0.0/31", "10.0.0.0/30",
         "192.168.1.0/24", "192.168.0.0/16", "172.16.0.0/12", "224.0.0.0/4", "127.0.0.1", "0.0.0.0", "192.168.1.255"]
IPV6 = ["::", "::1", "2001:db8::/32", "fe80::1%eth0", "::ffff:10.0.0.1", "2001:db8::1", "[::1]", "::/0"]
WORDS = ["Apps", "Data", "Web", "Corp", "prod", "recovery", "drill", "after-failover", "always", "retain", "change",
         "peering", "site-to-site", "vnet-to-vnet", "Basic", "VpnGw1", "VpnGw5AZ", "GatewaySubnet", "AzureFirewallSubnet",
         "x" * 300, "a/b", "Corp/Apps", "../x", "*", "${env:HOME}", "{{x}}", "'; DROP", "yes", "no", "~", "null"]
POOL = HUGE + NEGATIVE + FLOATS + UNICODE + EMPTY + CIDRS + IPV6 + WORDS + [0, 1, True, False, [1, 2], {"a": 1}, [[]]]
CSV_PATHS = ["../secret.csv", "{outside}", "/etc/passwd", "/dev/zero", "/dev/stdin", "/dev/null", "/proc/self/environ",
             "\0.csv", "", ".", "..", "sub", "sub/", "link-out.csv", "link-in.csv", "fifo.csv", "missing.csv", "x" * 5000,
             "vms.csv/..", "./vms.csv", "sub/../vms.csv", "VMS.CSV", "vms.csv\n"]


@dataclass
class Case:
    seed_name: str
    plan: bytes
    files: dict[str, bytes] = field(default_factory=dict)  # beside the plan (plans/<name>)
    special: list[str] = field(default_factory=list)  # "fifo.csv", "link-out.csv", "link-in.csv", "sub"
    subnets: list[str] = field(default_factory=list)  # names to try with --failover
    steps: list[str] = field(default_factory=list)  # what was done, for the report of a failure


@lru_cache(maxsize=None)
def seeds() -> tuple[tuple[str, str, tuple], ...]:
    """(name, YAML text, ((file, bytes), ...)) of every plan mutants start from."""
    from tests.planner.planbuilder import BASE

    woodgrove_csv = (ROOT / "templates" / "woodgrove-vms.csv").read_bytes()
    base_csv = b"vm,vm_network,subnet,ip,recovery_ip\nWEB01,Corp,Apps,192.168.1.20,\nWEB01,Corp,Data,192.168.2.21,172.20.2.99\n"
    with_csv = copy.deepcopy(BASE)
    with_csv["vms_csv"] = "vms.csv"
    peering = copy.deepcopy(BASE)
    peering["connections"].append({"name": "hub-spoke", "type": "peering", "networks": ["prod", "recovery"], "gateway_transit": True})
    peering["routing"] = {"next_hop_ip": "172.16.1.4"}
    peering["failed_over"] = ["Apps"]
    return (
        ("minimal", (ROOT / "templates" / "minimal.yaml").read_text(), ()),
        ("woodgrove", (ROOT / "templates" / "woodgrove.yaml").read_text(), (("woodgrove-vms.csv", woodgrove_csv),)),
        ("base", yaml.safe_dump(BASE, sort_keys=False), ()),
        ("base-csv", yaml.safe_dump(with_csv, sort_keys=False), (("vms.csv", base_csv),)),
        ("base-peering", yaml.safe_dump(peering, sort_keys=False), ()),
    )


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: the pure-Python emitter costs more than drnet


@lru_cache(maxsize=None)
def _parsed(text: str):
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield prefix + (i,)
            yield from _paths(value, prefix + (i,))


def _parent(plan, path):
    node = plan
    for part in path[:-1]:
        node = node[part]
    return node


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _rename(node, old, new, rng, everywhere):
    """Rename a reference: every occurrence of the string, or each with a coin flip."""
    if isinstance(node, dict):
        for key, value in node.items():
            if value == old and (everywhere or rng.random() < 0.5):
                node[key] = new
            else:
                _rename(value, old, new, rng, everywhere)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if value == old and (everywhere or rng.random() < 0.5):
                node[i] = new
            else:
                _rename(value, old, new, rng, everywhere)


def _structural(plan: dict, case: Case, rng: random.Random, scale: tuple[int, ...]) -> None:
    paths = list(_paths(plan))
    if not paths:
        return
    kind = rng.choice(["delete", "duplicate", "retype", "retype", "cidr", "ipv6", "rename", "unknown-key",
                       "failed-over", "vms-csv", "scale", "swap"])
    path = rng.choice(paths)
    parent = _parent(plan, path)
    case.steps.append(f"{kind} {'.'.join(map(str, path))}")
    if kind == "delete":
        del parent[path[-1]]
    elif kind == "duplicate":
        lists = [p for p in paths if isinstance(_parent(plan, p)[p[-1]], list) and _parent(plan, p)[p[-1]]]
        if lists:
            chosen = rng.choice(lists)
            target = _parent(plan, chosen)[chosen[-1]]
            target.insert(rng.randrange(len(target) + 1), copy.deepcopy(rng.choice(target)))
    elif kind == "retype":
        parent[path[-1]] = copy.deepcopy(rng.choice(POOL))
    elif kind == "cidr":
        parent[path[-1]] = rng.choice(CIDRS)
    elif kind == "ipv6":
        parent[path[-1]] = rng.choice(IPV6)
    elif kind == "rename":
        names = sorted({s for s in _strings(plan) if 0 < len(s) < 40})
        if names:
            old = rng.choice(names)
            _rename(plan, old, rng.choice([old.upper(), old + "2", old.lower() + " ", "", rng.choice(UNICODE)]), rng, rng.random() < 0.5)
    elif kind == "unknown-key":
        dicts = [p for p in paths if isinstance(_parent(plan, p)[p[-1]], dict)] or [()]
        chosen = rng.choice(dicts)
        target = _parent(plan, chosen)[chosen[-1]] if chosen else plan
        key = rng.choice(["extra", "nmae", "prefixes", "Name", "when", "gateway", "", "名前", "x" * 200])
        target[key] = rng.choice(POOL)
    elif kind == "failed-over":
        names = case.subnets + ["nope", "Corp/Apps", "A/B/C", ""]
        plan["failed_over"] = rng.sample(names, rng.randint(0, min(len(names), 3)))
    elif kind == "vms-csv":
        plan["vms_csv"] = rng.choice(CSV_PATHS)
        case.steps[-1] = f"vms-csv {plan['vms_csv'][:40]!r}"
    elif kind == "scale":
        vms = plan.get("vms")
        if isinstance(vms, list) and vms:
            plan["vms"] = [vms[i % len(vms)] for i in range(rng.choice(scale))]  # shared: written out as text next
    elif kind == "swap":
        other = rng.choice(paths)
        other_parent = _parent(plan, other)
        try:
            parent[path[-1]], other_parent[other[-1]] = copy.deepcopy(other_parent[other[-1]]), copy.deepcopy(parent[path[-1]])
        except (KeyError, IndexError):
            pass


def _benign(plan: dict, case: Case, rng: random.Random) -> None:
    """A change that keeps the plan valid: a consistent rename, or another failover state."""
    if rng.random() < 0.5:
        old = rng.choice(case.subnets)
        _rename(plan, old, old + "-x", rng, everywhere=True)
        case.subnets = [s + "-x" if s == old else s for s in case.subnets]
        case.steps.append(f"benign rename {old}")
    else:
        plan["failed_over"] = rng.sample(case.subnets, rng.randint(0, len(case.subnets)))
        case.steps.append(f"benign failed_over {plan['failed_over']}")


def _csv_damage(data: bytes, case: Case, rng: random.Random) -> bytes:
    lines = data.decode("utf-8", "replace").splitlines()
    kind = rng.choice(["delete-row", "duplicate-row", "shuffle", "cell", "type-line", "bom", "crlf", "open-quote",
                       "huge-cell", "extra-cells", "empty", "binary", "utf16", "multiline", "header"])
    case.steps.append(f"csv {kind}")
    body = lines[1:]
    if kind == "delete-row" and body:
        body.pop(rng.randrange(len(body)))
    elif kind == "duplicate-row" and body:
        body.insert(rng.randrange(len(body) + 1), rng.choice(body))
    elif kind == "shuffle":
        rng.shuffle(body)
    elif kind == "cell" and body:
        i = rng.randrange(len(body))
        cells = body[i].split(",")
        cells[rng.randrange(len(cells))] = str(rng.choice(CIDRS + IPV6 + UNICODE + WORDS + ["", '"', "9" * 5000]))
        body[i] = ",".join(cells)
    elif kind == "type-line":
        lines.insert(0, "#TYPE Selected.System.Management.Automation.PSCustomObject")
        return "\n".join(lines).encode()
    elif kind == "bom":
        return b"\xef\xbb\xbf" + data
    elif kind == "crlf":
        return data.replace(b"\n", b"\r\n")
    elif kind == "open-quote" and body:
        body[rng.randrange(len(body))] += ',"'
    elif kind == "huge-cell":
        body.append('BIG,Corp,Apps,"' + "x" * 200_000 + '",')
    elif kind == "extra-cells" and body:
        body[rng.randrange(len(body))] += ",x,y"
    elif kind == "empty":
        return b""
    elif kind == "binary":
        return bytes(rng.randrange(256) for _ in range(200))
    elif kind == "utf16":
        return "\n".join(lines).encode("utf-16")
    elif kind == "multiline" and body:
        i = rng.randrange(len(body))
        cells = body[i].split(",")
        cells[0] = f'"{cells[0]}\nsecond line"'
        body[i] = ",".join(cells)
    elif kind == "header":
        lines[0] = rng.choice(["vm,network,subnet,ip", "VM,VM_Network,Subnet,IP", "", "vm;vm_network;subnet;ip", "vm,vm,vm,vm"])
    return "\n".join(lines[:1] + body).encode("utf-8")


ALIAS_BOMB = "bomb0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"bomb{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n"
    for i in range(1, 9))


def _bytes_damage(data: bytes, case: Case, rng: random.Random) -> bytes:
    kind = rng.choice(["truncate", "flip", "tabs", "bom", "crlf", "anchor-alias", "alias-bomb", "nul", "invalid-utf8",
                       "dup-line", "del-line", "huge-number", "deep", "second-doc", "tag", "merge-key"])
    case.steps.append(f"bytes {kind}")
    lines = data.split(b"\n")
    if kind == "truncate":
        return data[: rng.randrange(len(data) + 1)]
    if kind == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            if out:
                out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if kind == "tabs":
        return b"\n".join(line.replace(b"  ", b"\t", 1) if rng.random() < 0.2 else line for line in lines)
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    if kind == "crlf":
        return data.replace(b"\n", b"\r\n")
    if kind == "anchor-alias":
        keyed = [i for i, line in enumerate(lines) if b": " in line and not line.rstrip().endswith(b":")]
        if len(keyed) >= 2:
            a, b = sorted(rng.sample(keyed, 2))
            key, _, value = lines[a].partition(b": ")
            lines[a] = key + b": &anc " + value
            key, _, _ = lines[b].partition(b": ")
            lines[b] = key + b": *anc"
        return b"\n".join(lines)
    if kind == "alias-bomb":
        return data + b"\n" + ALIAS_BOMB.encode()
    if kind == "nul":
        i = rng.randrange(len(data) + 1)
        return data[:i] + b"\x00" + data[i:]
    if kind == "invalid-utf8":
        i = rng.randrange(len(data) + 1)
        return data[:i] + b"\xff\xfe" + data[i:]
    if kind == "dup-line" and lines:
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
        return b"\n".join(lines)
    if kind == "del-line" and lines:
        lines.pop(rng.randrange(len(lines)))
        return b"\n".join(lines)
    if kind == "huge-number":
        return data.replace(b"version: 1", b"version: " + HUGE_DIGITS.encode(), 1) if rng.random() < 0.5 else \
            data + b"\nextra_number: -" + HUGE_DIGITS.encode() + b"\n"
    if kind == "deep":
        depth = rng.choice([70, 1000, 100_000])
        return data + b"\ndeep: " + b"[" * depth + b"]" * depth + b"\n"
    if kind == "second-doc":
        return data + b"\n---\nversion: 1\n"
    if kind == "tag":
        return data.replace(b"version: 1", b"version: !!python/object:os.system 1", 1)
    if kind == "merge-key":
        return data + b"\nbase: &b {x: 1}\nmerged:\n  <<: *b\n"
    return data


def _subnet_names(plan) -> list[str]:
    names = []
    try:
        for vmn in plan["onprem"]["vm_networks"]:
            for sub in vmn["subnets"]:
                names.append(str(sub["name"]))
    except (KeyError, TypeError, IndexError):
        pass
    return names or ["Apps"]


def _dump(plan, allow_unicode: bool) -> str:
    """YAML text; the VMs one flow mapping a line (JSON is YAML), as PyYAML's representer
    would take longer on a scaled plan than drnet does."""
    vms = plan.get("vms") if isinstance(plan, dict) else None
    if not isinstance(vms, list) or not vms:
        return yaml.dump(plan, Dumper=_Dumper, sort_keys=False, allow_unicode=allow_unicode)
    rest = {k: v for k, v in plan.items() if k != "vms"}
    head = yaml.dump(rest, Dumper=_Dumper, sort_keys=False, allow_unicode=allow_unicode) if rest else ""
    return head + "vms:\n" + "".join(f"  - {json.dumps(vm, ensure_ascii=not allow_unicode)}\n" for vm in vms)


def make_case(rng: random.Random, scale: tuple[int, ...] = (100, 300, 1000)) -> Case:
    """One mutant; `scale` is how many VMs a "scale" mutation may copy the plan's VMs into."""
    name, text, files = rng.choice(seeds())
    plan = copy.deepcopy(_parsed(text))
    case = Case(name, b"", dict(files))
    case.subnets = _subnet_names(plan)
    if rng.random() < 0.15:
        _benign(plan, case, rng)  # a plan that stays valid reaches the deep paths of report, runbook and diff
    else:
        for _ in range(rng.randint(1, 3)):
            _structural(plan, case, rng, scale)
    csv_name = plan.get("vms_csv") if isinstance(plan, dict) else None
    if isinstance(csv_name, str) and csv_name in case.files and rng.random() < 0.5:
        case.files[csv_name] = _csv_damage(case.files[csv_name], case, rng)
    if isinstance(csv_name, str) and csv_name in ("link-in.csv",):
        case.files.setdefault("vms.csv", b"vm,vm_network,subnet,ip\nWEB01,Corp,Apps,192.168.1.20\n")
    case.special = ["sub", "fifo.csv", "link-out.csv", "link-in.csv"]
    try:
        data = _dump(plan, allow_unicode=rng.random() < 0.5).encode("utf-8", "surrogatepass")
    except (yaml.YAMLError, ValueError, TypeError):  # a value YAML cannot write: keep the seed's text
        data = text.encode()
    if rng.random() < 0.4:
        data = _bytes_damage(data, case, rng)
    case.plan = data
    return case
