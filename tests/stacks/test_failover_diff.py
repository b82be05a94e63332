"""Flipping `failed_over` changes exactly the connections, LNG prefixes and routes the move needs."""

from __future__ import annotations

from .conftest import resources


def flat(doc: dict) -> dict:
    out = {}
    for kind in ("resource", "data"):
        for key, body in resources(doc, kind).items():
            out[(kind, *key)] = body
    out[("variable",)] = doc.get("variable")
    out[("locals",)] = doc.get("locals")
    out[("terraform",)] = doc.get("terraform")
    out[("provider",)] = doc.get("provider")
    out[("import",)] = doc.get("import")  # adopted parts: imported whatever the state
    return out


def changes(a: dict, b: dict) -> dict:
    fa, fb = flat(a), flat(b)
    return {k: (fa.get(k), fb.get(k)) for k in fa.keys() | fb.keys() if fa.get(k) != fb.get(k)}


def test_woodgrove_failover_diff_is_v2v_lng_and_routes_only(synthesized):
    steady = synthesized[("woodgrove", "steady")]["stacks"]
    failed = synthesized[("woodgrove", "failover")]["stacks"]
    changed = changes(steady["woodgrove-network"], failed["woodgrove-network"])
    kinds = {k[1] for k in changed}
    assert kinds == {"azurerm_virtual_network_gateway_connection", "azurerm_local_network_gateway", "azurerm_route"}
    conns = {k[2] for k in changed if k[1] == "azurerm_virtual_network_gateway_connection"}
    assert conns == {
        "vcn-woodgrove-v2v-prod-recovery-from-vnet-woodgrove-prod",
        "vcn-woodgrove-v2v-prod-recovery-from-vnet-woodgrove-recovery",
    }
    assert all(before is None for k, (before, _) in changed.items() if k[1] == "azurerm_virtual_network_gateway_connection")
    # the adopted local network gateway changes in place
    lng_before, lng_after = changed[("resource", "azurerm_local_network_gateway", "lgw-woodgrove-dc1")]
    assert {k for k in lng_before if lng_before[k] != lng_after[k]} == {"address_space"}
    # the recovery stack (mappings, per-VM NIC settings) does not depend on the state
    assert steady["woodgrove-recovery"] == failed["woodgrove-recovery"]
