"""SARIF 2.1.0 output of `drnet validate --format sarif`."""

from __future__ import annotations

import json
import textwrap

from typer.testing import CliRunner

from drnet.cli import app
from planner.api import analyze
from review.sarif import artifact_uri, to_sarif

BAD = textwrap.dedent("""\
    version: 1
    name: bad
    onprem:
      vmm_server: vmm01
      address_space: [10.0.0.0/16]
      vm_networks:
        - name: LAN
          subnets:
            - {name: Servers, prefix: 10.0.1.0/24, failover: retain}
    azure:
      location: westeurope
      resource_group: rg
      recovery_vault: {name: rsv, resource_group: rg2}
      networks:
        - name: vnet-rec
          address_space: [10.100.0.0/16]
          subnets:
            - {name: Other, prefix: 10.100.1.0/24}
    network_mappings:
      - {vm_network: LAN, recovery_network: vnet-rec}
    vms:
      - name: SRV01
        nics:
          - {vm_network: LAN, subnet: Servers, ip: 10.0.1.10}
    """)


def test_sarif_results_point_at_the_plan(tmp_path, monkeypatch):
    plan = tmp_path / "plans" / "bad.yaml"
    plan.parent.mkdir()
    plan.write_text(BAD)
    monkeypatch.chdir(tmp_path)
    diags = analyze(plan).diagnostics
    sarif = to_sarif(diags, "9.9.9")
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "drnet" and run["tool"]["driver"]["version"] == "9.9.9"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {d.code for d in diags} == {"E305", "W304"}
    assert rules["E305"]["shortDescription"]["text"] == "`retain` subnet without a same-name target subnet".replace("`", "")
    by_rule = {r["ruleId"]: r for r in run["results"]}
    e305 = by_rule["E305"]
    assert e305["level"] == "error" and by_rule["W304"]["level"] == "warning"
    loc = e305["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "plans/bad.yaml"  # relative to the repository root (cwd)
    assert loc["region"] == {"startLine": 9, "startColumn": 58}
    assert e305["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "onprem.vm_networks[0].subnets[0].failover"
    assert "hint:" in e305["message"]["text"]
    assert run["results"][run["results"].index(e305)]["ruleIndex"] == list(rules).index("E305")
    # fingerprints: stable across runs, independent of the line
    again = to_sarif(analyze(plan).diagnostics, "9.9.9")
    assert [r["partialFingerprints"] for r in again["runs"][0]["results"]] == [r["partialFingerprints"] for r in run["results"]]


def test_cli_validate_sarif(tmp_path, monkeypatch):
    (tmp_path / "bad.yaml").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", "bad.yaml", "--format", "sarif"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert {r["ruleId"] for r in data["runs"][0]["results"]} == {"E305", "W304"}
    assert data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad.yaml"


def test_clean_plan_has_no_results():
    from tests.conftest import ROOT

    data = to_sarif(analyze(ROOT / "templates/woodgrove.yaml").diagnostics, "1")
    assert data["runs"][0]["results"] == [] and data["runs"][0]["tool"]["driver"]["rules"] == []


def test_artifact_uri_outside_the_base(tmp_path):
    assert artifact_uri(str(tmp_path / "x.yaml"), base=tmp_path / "repo").startswith("file://")
    assert artifact_uri("./a/../plans/p.yaml") == "plans/p.yaml"
