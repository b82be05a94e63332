"""`--hcl` output parses back (python-hcl2) to the same resources as the JSON."""

from __future__ import annotations

import hcl2

from stacks.hcl import to_hcl

from .conftest import resources


def hcl_keys(doc: dict, kind: str) -> set[tuple[str, str]]:
    out = set()
    for block in doc.get(kind, []):
        for type_, named in block.items():
            for name in named:
                out.add((type_.strip('"'), name.strip('"')))
    return out


def test_hcl_parses_back_to_the_same_resources(synthesized):
    for result in synthesized.values():
        for doc in result["stacks"].values():
            back = hcl2.loads(to_hcl(doc))
            for kind in ("resource", "data"):
                assert hcl_keys(back, kind) == set(resources(doc, kind))
            assert {next(iter(v)).strip('"') for v in back.get("variable", [])} == set(doc.get("variable", {}))


def test_hcl_keeps_blocks_and_references_hcl_shaped(synthesized):
    doc = synthesized[("woodgrove", "failover")]["stacks"]["woodgrove-recovery"]
    text = to_hcl(doc)
    assert "provider    = azapi" in text and '"azapi"\n' not in text.split("provider \"azapi\"")[0][-10:]
    assert "precondition {" in text and "precondition =" not in text
    assert 'method      = "PATCH"' in text
    net = to_hcl(synthesized[("woodgrove", "failover")]["stacks"]["woodgrove-network"])
    assert "ip_configuration {" in net and "bgp_settings {" in net
    assert "shared_key                 = var.shared_key_s2s_onprem" in net


def test_synth_hcl_writes_cdk_tf(synthesized, tmp_path):
    from drnet.cli_synth import synth_into

    synth_into(synthesized[("woodgrove", "steady")]["analysis"].resolved, tmp_path, hcl=True)
    assert sorted(p.name for p in tmp_path.glob("stacks/*/cdk.tf*")) == ["cdk.tf", "cdk.tf"]
    back = hcl2.loads((tmp_path / "stacks" / "woodgrove-network" / "cdk.tf").read_text())
    assert ("azurerm_local_network_gateway", "lgw-woodgrove-dc1") in hcl_keys(back, "resource")


def test_hcl_renders_import_blocks_and_nsg_rules_as_blocks(synthesized):
    """Adopted parts: `import { to = <address> id = "..." }` (the address unquoted, the
    subscription an interpolation); NSG rules as `security_rule` blocks."""
    doc = synthesized[("woodgrove", "steady")]["stacks"]["woodgrove-network"]
    text = to_hcl(doc)
    assert "import {\n  id = \"/subscriptions/${data.azurerm_client_config.current.subscription_id}/resourceGroups/" in text
    assert "  to = azurerm_local_network_gateway.lgw-woodgrove-dc1\n" in text
    back = hcl2.loads(text)
    assert len(back["import"]) == len(doc["import"]) == 2
    assert "security_rule {" in text and "security_rule =" not in text
