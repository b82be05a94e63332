"""Inputs a hostile pull request can write: each once ended in an internal error or a quadratic blow-up."""

from __future__ import annotations

from .planbuilder import analyze_dict, base, codes


def test_an_integer_over_pythons_digit_limit_is_a_located_e005(tmp_path):
    text = "version: " + "1" * 5000 + "\nname: t\n"
    analysis = analyze_dict(tmp_path, text)
    [d, *_] = [d for d in analysis.diagnostics if d.code == "E005"]
    assert (d.line, d.column) == (1, 10) and d.to_json()["path"] == "version"
    assert not any("1" * 100 in d.message for d in analysis.diagnostics)


def test_a_huge_integer_anywhere_is_located(tmp_path):
    plan = base()
    plan["onprem"]["vpn_device"]["bgp"]["asn"] = "HUGE"
    text = __import__("yaml").safe_dump(plan, sort_keys=False).replace("HUGE", "-" + "9" * 4400)
    analysis = analyze_dict(tmp_path, text)
    assert any(d.code == "E005" and d.to_json()["path"] == "onprem.vpn_device.bgp.asn" for d in analysis.diagnostics)


def _shared_recovery_ip_plan(count: int) -> dict:
    """`count` NICs of a change subnet that all ask for the same recovery IP."""
    plan = base()
    plan["vms"] = [
        {"name": f"VM{i}", "nics": [{"vm_network": "Corp", "subnet": "Data", "ip": f"192.168.2.{10 + i % 200}",
                                      "recovery_ip": "172.20.2.50"}]}
        for i in range(count)
    ]
    return plan


def test_e406_names_three_owners_and_counts_the_rest(tmp_path):
    analysis = analyze_dict(tmp_path, _shared_recovery_ip_plan(6))
    e406 = [d for d in analysis.diagnostics if d.code == "E406"]
    assert len(e406) == 6
    assert e406[0].message.endswith("is also given to VM1 NIC 0, VM2 NIC 0, VM3 NIC 0 and 2 more")


def test_e406_is_linear_in_the_nics_sharing_an_ip(tmp_path, monkeypatch):
    """Counted, not timed: naming the other owners costs O(1) per NIC (it was O(n), so n² in all)."""
    import planner.rules.ips as ips

    calls = []
    real_who = ips._who
    monkeypatch.setattr(ips, "_who", lambda nic: calls.append(1) or real_who(nic))
    count = 400
    analysis = analyze_dict(tmp_path, _shared_recovery_ip_plan(count))
    assert codes(analysis).count("E406") == count
    assert len(calls) <= 4 * count  # three per E406, one per E409 (the drill network shares the address too)


def test_e406_near_miss_distinct_ips_in_one_network_and_one_ip_in_two_networks(tmp_path):
    plan = _shared_recovery_ip_plan(2)
    plan["vms"][1]["nics"][0]["recovery_ip"] = "172.20.2.51"
    assert "E406" not in codes(analyze_dict(tmp_path, plan))
