"""Evaluate the recovery stack's expressions with real Terraform, offline.

Terraform needs no provider for locals and outputs, so the stack's locals are copied into a
provider-less configuration, the protected-item listing (`data.azapi_resource_list`) is
replaced by a fixture shaped like the REST spec's ReplicationProtectedItems_List response,
and each per-VM expression (PATCH body, precondition conditions and messages) is evaluated
for every `for_each` instance as an output (`each.key`/`each.value` bound by a `for`).
The offline provider harness (stand-in providers, `terraform plan`) goes further; this
checks the expressions themselves.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zlib
from pathlib import Path

from stacks.hcl import _whole_interpolation

TERRAFORM = shutil.which("terraform")
SUBSCRIPTION = "00000000-0000-0000-0000-00000000c0de"
LISTING = "data.azapi_resource_list.asr_protected_items.output.value"
CLIENT = "${data.azurerm_client_config.current.subscription_id}"


def protected_item(vm: str, fabric: str, nics: list[tuple[str, str]], *, n: int = 0, details: dict | None = None) -> dict:
    """One HyperVReplicaAzure item as ASR lists it; `nics`: (nicId, vMNetworkName) in ASR's order."""
    guid = f"{n:08d}-0000-0000-0000-{zlib.crc32(f'{vm}/{fabric}'.encode()):012d}"
    container = f"/Subscriptions/{SUBSCRIPTION}/resourceGroups/rg-asr/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/{fabric}/replicationProtectionContainers/cloud_{n}"
    provider = {
        "instanceType": "HyperVReplicaAzure",
        "recoveryAzureVmName": vm,
        "recoveryAzureVMSize": "Standard_D2s_v3",
        "licenseType": "WindowsServer",
        "selectedSourceNicId": nics[0][0] if nics else None,
        "vmNics": [{"nicId": nic, "vMNetworkName": net, "ipConfigs": [{"name": f"ipcfg-{nic}"}]} for nic, net in nics],
    }
    provider.update(details or {})
    return {
        "id": f"{container}/replicationProtectedItems/{guid}",
        "name": guid,
        "type": "Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems",
        "properties": {"friendlyName": vm, "primaryFabricFriendlyName": fabric, "protectionState": "Protected", "providerSpecificDetails": provider},
    }


def _per_instance(expr: str, for_each: str) -> str:
    bound = re.sub(r"\beach\.value\b", "each_value", re.sub(r"\beach\.key\b", "each_key", expr))
    return f"${{ {{ for each_key, each_value in {for_each} : each_key => {bound} }} }}"


def _expression(text: str) -> str:
    inner = _whole_interpolation(text)
    return inner if inner is not None else '"' + text + '"'  # a template: keep it one


def evaluate(doc: dict, items: list[dict], workdir: Path) -> dict:
    """{"targets", "missing", "body", "conditions", "messages", "check_warning"} for the stack
    `doc` (synthesized JSON) against the listed `items`."""
    text = json.dumps(doc["locals"]).replace(LISTING, "local.fixture_items").replace(CLIENT, SUBSCRIPTION)
    locals_ = json.loads(text)
    locals_["fixture_items"] = items
    action = doc["resource"]["azapi_resource_action"]["recovery_nic_settings"]
    for_each = _whole_interpolation(action["for_each"])
    pre = action["lifecycle"]["precondition"]
    outputs = {
        "targets": {"value": f"${{{for_each}}}"},
        "missing": {"value": "${local.recovery_vms_not_protected}"},
        "body": {"value": _per_instance(_whole_interpolation(action["body"]), for_each)},
        "resource_id": {"value": _per_instance(_whole_interpolation(action["resource_id"]), for_each)},
    }
    for i, rule in enumerate(pre):
        outputs[f"condition_{i}"] = {"value": _per_instance(_whole_interpolation(rule["condition"]), for_each)}
        outputs[f"message_{i}"] = {"value": _per_instance(_expression(rule["error_message"]), for_each)}
    config = {"locals": locals_, "output": outputs, "check": doc["check"]}
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "main.tf.json").write_text(json.dumps(config), encoding="utf-8")
    run = dict(cwd=workdir, capture_output=True, text=True, timeout=120)
    proc = subprocess.run([TERRAFORM, "init", "-input=false", "-no-color"], **run)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = subprocess.run([TERRAFORM, "apply", "-auto-approve", "-input=false", "-no-color"], **run)
    if proc.returncode != 0:
        return {"error": proc.stdout + proc.stderr}
    values = json.loads(subprocess.run([TERRAFORM, "output", "-json"], **run).stdout)
    out = {k: v["value"] for k, v in values.items()}
    out["conditions"] = [out.pop(f"condition_{i}") for i in range(len(pre))]
    out["messages"] = [out.pop(f"message_{i}") for i in range(len(pre))]
    at = proc.stdout.find("Check block assertion failed")
    end = proc.stdout.find("Apply complete!")
    out["check_warning"] = re.sub(r"[\s│]+", " ", proc.stdout[at:end]) if at >= 0 else None
    return out
