"""`terraform.backend`: the plan chooses where Terraform keeps the stacks' state."""

from __future__ import annotations

from .planbuilder import analyze_dict, base, codes


def test_local_by_default(tmp_path):
    assert analyze_dict(tmp_path, base()).resolved.state_backend == "local"


def test_azurerm_when_the_plan_says_so(tmp_path):
    plan = base()
    plan["terraform"] = {"backend": "azurerm"}
    analysis = analyze_dict(tmp_path, plan)
    assert analysis.ok and analysis.resolved.state_backend == "azurerm"
    assert analysis.resolved.to_json()["state_backend"] == "azurerm"


def test_an_unknown_backend_is_a_schema_error(tmp_path):
    plan = base()
    plan["terraform"] = {"backend": "s3"}
    analysis = analyze_dict(tmp_path, plan)
    assert not analysis.ok and analysis.resolved is None
    assert any(d.path and d.path[0] == "terraform" for d in analysis.diagnostics), codes(analysis)
