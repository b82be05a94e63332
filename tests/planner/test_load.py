"""The loader and the schema: every bad file ends in a located diagnostic, never a traceback."""

from __future__ import annotations

import pytest

from planner.api import PlanFileError, analyze
from planner.load import MAX_DEPTH, parse_yaml

from .planbuilder import analyze_dict, base, codes, write

def _one(analysis, code):
    hits = [d for d in analysis.diagnostics if d.code == code]
    assert hits, f"no {code}: {[(d.code, d.message) for d in analysis.diagnostics]}"
    return hits[0]


def test_positions_point_at_values(tmp_path):
    text = "version: 1\nname: t\nvms:\n  - name: A\n    nics:\n      - {vm_network: N, subnet: S, ip: 10.0.0.1}\n"
    data, positions, diags = parse_yaml(text, "p.yaml")
    assert diags == []
    assert positions.find(("vms", 0, "nics", 0, "ip")) .line == 6
    assert positions.find(("vms", 0, "nics", 0, "ip")).column == text.splitlines()[5].index("10.0.0.1") + 1
    assert positions.find(("vms", 0, "name")).line == 4
    # a missing key points at its closest parent
    assert positions.find(("vms", 0, "nics", 0, "recovery_ip")).line == 6


def test_yaml_1_2_core_schema_only():
    data, _, _ = parse_yaml(
        "a: no\nb: yes\nc: 2024-01-01\nd: 0777\ne: 12\nf: true\ng: ~\nh: '12'\ni: 1.5\nj: on\n", "p"
    )
    assert data == {"a": "no", "b": "yes", "c": "2024-01-01", "d": "0777", "e": 12, "f": True, "g": None,
                    "h": "12", "i": 1.5, "j": "on"}


@pytest.mark.parametrize(
    "content, code",
    [
        ("", "E006"),
        ("- a\n- b\n", "E005"),
        ("just a string\n", "E005"),
        ("version: 1\n\tname: x\n", "E002"),
        ("version: 1\nversion: 1\n", "E003"),
        ("a: [1, 2\n", "E002"),
        ("a: 1\n---\nb: 2\n", "E002"),
        ("a: !!python/object:os.system x\n", "E002"),
        ("a: *nowhere\n", "E002"),
    ],
    ids=["empty", "top-list", "top-scalar", "tabs", "duplicate-key", "unclosed", "two-documents", "tag", "unknown-alias"],
)
def test_bad_yaml_is_a_located_diagnostic(tmp_path, content, code):
    analysis = analyze_dict(tmp_path, content)
    d = _one(analysis, code)
    assert d.line >= 1 and d.column >= 1 and d.file.endswith("plan.yaml")
    assert not analysis.ok


def test_control_character_is_located_on_its_line(tmp_path):
    analysis = analyze_dict(tmp_path, 'version: 1\nname: t\nonprem:\n  vmm_server: "vmm\x07x"\n')
    d = _one(analysis, "E002")
    assert (d.line, d.column) == (4, 19)


def test_duplicate_key_points_at_the_second(tmp_path):
    analysis = analyze_dict(tmp_path, "version: 1\nname: a\nname: b\n")
    d = _one(analysis, "E003")
    assert (d.line, d.column) == (3, 1)


def test_binary_and_not_utf8(tmp_path):
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"\x00\x01\x02binary")
    assert _one(analyze(path), "E001").message.startswith("this is a binary file")
    path.write_bytes(b"version: 1\nname: caf\xe9\n")
    d = _one(analyze(path), "E001")
    assert (d.line, d.column) == (2, 10) and "UTF-8" in d.message


def test_alias_bomb_is_bounded(tmp_path):
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 10) + "]")
    analysis = analyze_dict(tmp_path, "\n".join(lines) + "\n")
    assert "E007" in codes(analysis)


def test_deep_nesting_is_bounded(tmp_path):
    analysis = analyze_dict(tmp_path, "a: " + "[" * 100 + "]" * 100 + "\n")
    d = _one(analysis, "E007")
    assert str(MAX_DEPTH) in d.message
    # thousands deep: libyaml stops first, still a located syntax error
    analysis = analyze_dict(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert {"E002", "E007"} & set(codes(analysis)) and all(d.line for d in analysis.diagnostics)


def test_huge_file_is_refused_quickly(tmp_path, monkeypatch):
    import planner.load as load

    monkeypatch.setattr(load, "MAX_FILE_BYTES", 1000)
    analysis = analyze_dict(tmp_path, "# " + "x" * 2000 + "\nversion: 1\n")
    assert "E001" in codes(analysis)


def test_unreadable_file_raises_plan_file_error(tmp_path):
    with pytest.raises(PlanFileError):
        analyze(tmp_path / "missing.yaml")
    with pytest.raises(PlanFileError):
        analyze(tmp_path)


def test_unknown_key_says_did_you_mean(tmp_path):
    plan = base()
    plan["azure"]["networks"][1]["adress_space"] = plan["azure"]["networks"][1].pop("address_space")
    analysis = analyze_dict(tmp_path, plan)
    unknown = _one(analysis, "E004")
    assert unknown.hint == "did you mean 'address_space'?"
    assert unknown.to_json()["path"] == "azure.networks[1].adress_space"
    missing = _one(analysis, "E006")
    assert "address_space" in missing.message


def test_unknown_key_in_a_connection_variant(tmp_path):
    plan = base()
    plan["connections"][0]["networks"] = ["prod"]
    analysis = analyze_dict(tmp_path, plan)
    d = _one(analysis, "E004")
    assert d.to_json()["path"] == "connections[0].networks"
    assert d.hint == "did you mean 'network'?"


def test_wrong_types_and_values(tmp_path):
    plan = base()
    plan["onprem"]["vm_networks"][0]["subnets"][0]["failover"] = "keep"
    plan["onprem"]["address_space"] = "192.168.0.0/16"
    plan["connections"][1]["type"] = "vnet2vnet"
    plan["onprem"]["vpn_device"]["bgp"]["asn"] = "sixty-five"
    analysis = analyze_dict(tmp_path, plan)
    by_path = {d.to_json()["path"]: d for d in analysis.diagnostics}
    assert "retain" in by_path["onprem.vm_networks[0].subnets[0].failover"].message
    assert by_path["onprem.address_space"].hint.startswith("write it as a list")
    assert by_path["connections[1].type"].hint == "did you mean 'vnet-to-vnet'?"
    assert by_path["onprem.vpn_device.bgp.asn"].code == "E005"
    assert all(d.line for d in analysis.diagnostics)


def test_norway_problem_is_a_string_not_false(tmp_path):
    plan = base()
    plan["vms"][0]["name"] = "NO"
    path = write(tmp_path, plan)
    text = path.read_text().replace("name: 'NO'", "name: no")
    assert "name: no" in text
    path.write_text(text)
    analysis = analyze(path)
    assert analysis.ok and analysis.resolved.nics[0].vm == "no"


def test_vms_csv_rows_become_nics_with_csv_positions(tmp_path):
    plan = base()
    plan["vms_csv"] = "vms.csv"
    (tmp_path / "vms.csv").write_text(
        "vm,vm_network,subnet,ip,recovery_ip\n"
        "WEB01,Corp,Apps,192.168.1.20,\n"
        "WEB01,Corp,Data,192.168.2.21,172.20.2.99\n"
        "WEB02,Corp,Apps,192.168.1.300,\n"
    )
    analysis = analyze_dict(tmp_path, plan)
    nics = [n for n in analysis.resolved.nics if n.vm.startswith("WEB")]
    assert [(n.vm, n.nic) for n in nics] == [("WEB01", 0), ("WEB01", 1), ("WEB02", 0)]
    assert nics[1].recovery.ip == "172.20.2.99"
    bad = _one(analysis, "E103")
    assert bad.file.endswith("vms.csv") and bad.line == 4 and bad.column == 17
    assert bad.to_json()["path"] == "vms[3].nics[0].ip"


@pytest.mark.parametrize(
    "csv_text, line",
    [("vm,network,subnet,ip\n", 1), ("vm,vm_network,subnet,ip\nA,Corp,,1.2.3.4\n", 2), ("", 1)],
    ids=["unknown-column", "empty-cell", "empty-file"],
)
def test_vms_csv_errors(tmp_path, csv_text, line):
    plan = base()
    plan["vms_csv"] = "vms.csv"
    (tmp_path / "vms.csv").write_text(csv_text)
    d = _one(analyze_dict(tmp_path, plan), "E008")
    assert d.file.endswith("vms.csv") and d.line == line


def test_vms_csv_missing_file_does_not_hide_other_problems(tmp_path):
    plan = base()
    plan["vms_csv"] = "nope.csv"
    plan["vms"][0]["nics"][0]["ip"] = "192.168.1.3"
    analysis = analyze_dict(tmp_path, plan)
    d = _one(analysis, "E008")
    assert d.to_json()["path"] == "vms_csv"
    assert "E402" in codes(analysis)


def test_csv_vm_that_duplicates_a_yaml_vm(tmp_path):
    plan = base()
    plan["vms_csv"] = "vms.csv"
    (tmp_path / "vms.csv").write_text("vm,vm_network,subnet,ip\nAPP01,Corp,Apps,192.168.1.44\n")
    d = _one(analyze_dict(tmp_path, plan), "E201")
    assert d.file.endswith("vms.csv")
