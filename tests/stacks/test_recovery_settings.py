"""The recovery stack's per-VM expressions, evaluated by Terraform against listings shaped
like ASR's (issue 7, defects 3-6): bootstrap, duplicate names, NIC matching, carried fields."""

from __future__ import annotations

import pytest

from .tf_eval import TERRAFORM, evaluate, protected_item

pytestmark = pytest.mark.skipif(TERRAFORM is None, reason="no terraform binary on PATH (Terraform evaluates the expressions)")

VMM = "vmm01.corp.woodgrove.com"


def woodgrove(synthesized):
    return synthesized[("woodgrove", "steady")]["stacks"]["woodgrove-recovery"]


def hubspoke(synthesized):
    return synthesized[("hubspoke", "steady")]["stacks"]["hubspoke-recovery"]


def _all_protected(plan, fabric):
    """Every VM of the plan protected, its NICs listed in the plan's order."""
    by_vm: dict[str, list] = {}
    for nic in sorted(plan.nics, key=lambda n: (n.vm, n.nic)):
        by_vm.setdefault(nic.vm, []).append((f"nic-{nic.vm}-{nic.nic}", nic.vm_network))
    return [protected_item(vm, fabric, nics) for vm, nics in by_vm.items()]


def test_unprotected_vms_are_skipped_and_reported_by_a_check(synthesized, tmp_path):
    """Defect 3: one VM not yet protected must not block the others (nor the mappings)."""
    plan = synthesized[("woodgrove", "steady")]["analysis"].resolved
    items = [i for i in _all_protected(plan, VMM) if i["properties"]["friendlyName"] != "SQL02"]
    out = evaluate(woodgrove(synthesized), items, tmp_path)
    assert "error" not in out, out.get("error")
    assert "SQL02" not in out["targets"] and "SQL01" in out["targets"]
    assert out["missing"] == ["SQL02"]
    assert "not (yet) among the Hyper-V VMs" in out["check_warning"] and "SQL02" in out["check_warning"]
    everything = evaluate(woodgrove(synthesized), _all_protected(plan, VMM), tmp_path / "all")
    assert everything["missing"] == [] and everything["check_warning"] is None
    assert set(everything["targets"]) == {n.vm for n in plan.nics}


def test_mappings_never_wait_for_the_vms(synthesized):
    """Defect 3: nothing about protected items gates the network mappings."""
    doc = woodgrove(synthesized)
    for body in doc["resource"]["azurerm_site_recovery_hyperv_network_mapping"].values():
        assert "depends_on" not in body and "asr_protected_items" not in str(body)
    action = doc["resource"]["azapi_resource_action"]["recovery_nic_settings"]
    assert action["for_each"] == "${local.recovery_nic_keys}"
    assert all("contains(keys(local.asr_protected_items)" not in p["condition"] for p in action["lifecycle"]["precondition"])


def test_same_name_under_another_vmm_server_is_not_the_plans_vm(synthesized, tmp_path):
    """Defect 4: friendlyName is unique per VMM server only; the fabric matches case-insensitively."""
    items = [
        protected_item("app01", VMM.upper(), [("nic-ours", "Woodgrove-Apps")]),
        protected_item("APP01", "vmm02.corp.woodgrove.com", [("nic-theirs", "Woodgrove-Apps")], n=1),
    ]
    out = evaluate(woodgrove(synthesized), items, tmp_path)
    assert "error" not in out, out.get("error")
    assert list(out["targets"]) == ["APP01"]
    assert out["body"]["APP01"]["properties"]["vmNics"][0]["nicId"] == "nic-ours"
    assert out["conditions"][0] == {"APP01": True}


def test_a_true_duplicate_fails_clearly_never_with_duplicate_object_key(synthesized, tmp_path):
    """Defect 4: the same VM name twice under the plan's VMM server (two clouds)."""
    items = [
        protected_item("APP01", VMM, [("nic-1", "Woodgrove-Apps")], n=1),
        protected_item("APP01", VMM, [("nic-2", "Woodgrove-Apps")], n=2),
    ]
    out = evaluate(woodgrove(synthesized), items, tmp_path)
    assert "error" not in out, out.get("error")  # no "Duplicate object key"
    assert out["conditions"][0] == {"APP01": False}
    message = out["messages"][0]["APP01"]
    assert "VM APP01 is listed 2 times" in message and "cloud_1" in message and "cloud_2" in message


def test_nics_match_by_vm_network_then_order(synthesized, tmp_path):
    """Defect 5: ASR lists MULTI01's NICs in another order than the plan (Mgmt, Corp, Corp)."""
    items = [protected_item("MULTI01", "vmm01.corp.test", [("corp-a", "CORP"), ("mgmt", "Mgmt"), ("corp-b", "Corp")])]
    out = evaluate(hubspoke(synthesized), items, tmp_path)
    assert "error" not in out, out.get("error")
    assert out["conditions"][1] == {"MULTI01": True}
    nics = out["body"]["MULTI01"]["properties"]["vmNics"]
    assert [n["nicId"] for n in nics] == ["mgmt", "corp-a", "corp-b"]
    assert [n["ipConfigs"][0]["recoverySubnetName"] for n in nics] == ["Admin", "Apps", "Data"]
    assert [n["ipConfigs"][0]["ipConfigName"] for n in nics] == ["ipcfg-mgmt", "ipcfg-corp-a", "ipcfg-corp-b"]


@pytest.mark.parametrize(
    "asr_nics",
    [
        [("corp-a", "Corp"), ("corp-b", "Corp")],  # one NIC fewer
        [("corp-a", "Corp"), ("mgmt", "Mgmt"), ("corp-b", "Corp"), ("x", "Corp")],  # one more
        [("corp-a", "Corp"), ("mgmt", "Other"), ("corp-b", "Corp")],  # another VM network
    ],
    ids=["fewer", "more", "other-network"],
)
def test_nics_that_do_not_match_one_to_one_stop_with_a_message(synthesized, tmp_path, asr_nics):
    """Defect 5: a clear precondition, never a wrong NIC."""
    out = evaluate(hubspoke(synthesized), [protected_item("MULTI01", "vmm01.corp.test", asr_nics)], tmp_path)
    assert "error" not in out, out.get("error")
    assert out["conditions"][1] == {"MULTI01": False}
    message = out["messages"][1]["MULTI01"]
    assert 'the plan has them in the VM networks ["Mgmt","Corp","Corp"]' in message
    assert "ASR reports [" in message


def test_the_patch_carries_name_size_and_license(synthesized, tmp_path):
    """Defect 6: an update never resets the VM's recovery name, size, license or primary NIC."""
    details = {"recoveryAzureVmName": "app01-dr", "recoveryAzureVMSize": "Standard_E4s_v5", "licenseType": "NoLicenseType"}
    items = [protected_item("APP01", VMM, [("nic-1", "Woodgrove-Apps")], details=details)]
    out = evaluate(woodgrove(synthesized), items, tmp_path)
    props = out["body"]["APP01"]["properties"]
    assert props["recoveryAzureVMName"] == "app01-dr"
    assert props["recoveryAzureVMSize"] == "Standard_E4s_v5"
    assert props["licenseType"] == "NoLicenseType"
    assert props["selectedSourceNicId"] == "nic-1"
    assert props["selectedRecoveryAzureNetworkId"].endswith("/virtualNetworks/vnet-woodgrove-recovery")
    assert props["providerSpecificDetails"] == {"instanceType": "HyperVReplicaAzure"}


def test_fields_asr_does_not_report_are_left_out_not_nulled(synthesized, tmp_path):
    item = protected_item("APP01", VMM, [("nic-1", "Woodgrove-Apps")])
    for key in ("recoveryAzureVMSize", "licenseType"):
        del item["properties"]["providerSpecificDetails"][key]
    props = evaluate(woodgrove(synthesized), [item], tmp_path)["body"]["APP01"]["properties"]
    assert "recoveryAzureVMSize" not in props and "licenseType" not in props
    assert props["recoveryAzureVMName"] == "APP01"
