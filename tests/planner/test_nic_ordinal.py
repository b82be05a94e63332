"""Each NIC's order within its VM's VM network: how the recovery stack matches ASR's NICs."""

from __future__ import annotations

from .planbuilder import analyze_dict, base


def test_ordinal_counts_per_vm_network_case_insensitively(tmp_path):
    plan = base()
    plan["onprem"]["vm_networks"].append({"name": "Mgmt", "subnets": [{"name": "Admin", "prefix": "192.168.20.0/24"}]})
    plan["vms"].append({"name": "MULTI01", "nics": [
        {"vm_network": "Corp", "subnet": "Apps", "ip": "192.168.1.50"},
        {"vm_network": "Mgmt", "subnet": "Admin", "ip": "192.168.20.5"},
        {"vm_network": "Corp", "subnet": "Data", "ip": "192.168.2.50"},
    ]})
    nics = [n for n in analyze_dict(tmp_path, plan).resolved.nics if n.vm == "MULTI01"]
    assert [(n.nic, n.vm_network, n.ordinal) for n in nics] == [(0, "Corp", 0), (1, "Mgmt", 0), (2, "Corp", 1)]


def test_single_nic_vms_have_ordinal_zero(tmp_path):
    nics = analyze_dict(tmp_path, base()).resolved.nics
    assert {n.ordinal for n in nics} == {0}
