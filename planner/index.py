"""Facts derived once from a validated plan: parsed addresses, names, lookups.

Rules and the resolver read this instead of re-parsing. A value that does not
parse is None here; the addressing rules report it, everything else skips it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from socket import AF_INET, inet_pton

from netaddr import IPAddress, IPNetwork

from .model import AzureNetwork, AzureSubnet, NetworkMapping, OnpremSubnet, Plan, VmNetwork


def _ipv4_int(text: str) -> int | None:
    """Dotted-quad IPv4 to int; strict: inet_pton refuses leading zeros and shorthand."""
    if text.count(".") != 3:
        return None
    try:
        return int.from_bytes(inet_pton(AF_INET, text), "big")
    except (OSError, ValueError):
        return None


# Plans repeat addresses across rules; each distinct string is parsed once.
_IP_CACHE: dict[str, IPAddress | None] = {}
_PREFIX_CACHE: dict[str, IPNetwork | None] = {}


def parse_ip(text) -> IPAddress | None:
    """An IPv4 address such as 10.1.2.4, or None."""
    if not isinstance(text, str):
        return None
    try:
        return _IP_CACHE[text]
    except KeyError:
        pass
    number = _ipv4_int(text.strip())
    result = IPAddress(number, 4) if number is not None else None
    if len(_IP_CACHE) > 1_000_000:
        _IP_CACHE.clear()
    _IP_CACHE[text] = result
    return result


def parse_prefix(text) -> IPNetwork | None:
    """An IPv4 prefix in CIDR form; host bits are tolerated here (a rule reports them)."""
    if not isinstance(text, str):
        return None
    try:
        return _PREFIX_CACHE[text]
    except KeyError:
        pass
    address, slash, length = text.strip().partition("/")
    number = _ipv4_int(address)
    result = None
    if slash and number is not None and length.isascii() and length.isdigit() and int(length) <= 32:
        result = IPNetwork((number, int(length)), version=4).cidr
    if len(_PREFIX_CACHE) > 100_000:
        _PREFIX_CACHE.clear()
    _PREFIX_CACHE[text] = result
    return result


@dataclass
class Index:
    plan: Plan
    vm_networks: dict[str, VmNetwork] = field(default_factory=dict)
    onprem_subnets: dict[tuple[str, str], OnpremSubnet] = field(default_factory=dict)
    onprem_subnet_paths: dict[tuple[str, str], tuple] = field(default_factory=dict)
    onprem_prefix: dict[tuple[str, str], IPNetwork] = field(default_factory=dict)
    onprem_space: list[IPNetwork] = field(default_factory=list)
    networks: dict[str, AzureNetwork] = field(default_factory=dict)
    network_paths: dict[str, tuple] = field(default_factory=dict)
    network_space: dict[str, list[IPNetwork]] = field(default_factory=dict)
    subnet_prefix: dict[tuple[str, str], IPNetwork] = field(default_factory=dict)
    gateway_prefix: dict[str, IPNetwork] = field(default_factory=dict)
    mappings: dict[str, NetworkMapping] = field(default_factory=dict)
    mapping_paths: dict[str, tuple] = field(default_factory=dict)
    failed_over: dict[tuple[str, str], int] = field(default_factory=dict)  # key -> index in failed_over
    test_networks: set[str] = field(default_factory=set)
    recovery_networks: set[str] = field(default_factory=set)
    # connection name -> the on-prem subnet keys its `brought_up_by` names (connections without one absent)
    brought_up_by: dict[str, set[tuple[str, str]]] = field(default_factory=dict)


def build_index(plan: Plan) -> Index:
    idx = Index(plan)
    for i, vmn in enumerate(plan.onprem.vm_networks):
        idx.vm_networks.setdefault(vmn.name, vmn)
        for j, sub in enumerate(vmn.subnets):
            key = (vmn.name, sub.name)
            if key in idx.onprem_subnets:
                continue
            idx.onprem_subnets[key] = sub
            idx.onprem_subnet_paths[key] = ("onprem", "vm_networks", i, "subnets", j)
            prefix = parse_prefix(sub.prefix)
            if prefix is not None:
                idx.onprem_prefix[key] = prefix
    idx.onprem_space = [p for p in map(parse_prefix, plan.onprem.address_space) if p is not None]
    for i, net in enumerate(plan.azure.networks):
        if net.name in idx.networks:
            continue
        idx.networks[net.name] = net
        idx.network_paths[net.name] = ("azure", "networks", i)
        idx.network_space[net.name] = [p for p in map(parse_prefix, net.address_space) if p is not None]
        for sub in net.subnets:
            prefix = parse_prefix(sub.prefix)
            if prefix is not None:
                idx.subnet_prefix.setdefault((net.name, sub.name), prefix)
        if net.gateway is not None:
            prefix = parse_prefix(net.gateway.subnet_prefix)
            if prefix is not None:
                idx.gateway_prefix[net.name] = prefix
    for i, mapping in enumerate(plan.network_mappings):
        if mapping.vm_network not in idx.mappings:
            idx.mappings[mapping.vm_network] = mapping
            idx.mapping_paths[mapping.vm_network] = ("network_mappings", i)
        idx.recovery_networks.add(mapping.recovery_network)
        if mapping.test_network:
            idx.test_networks.add(mapping.test_network)
    for i, entry in enumerate(plan.failed_over):
        for key in failed_over_matches(idx, entry):
            idx.failed_over.setdefault(key, i)
    for conn in plan.connections:
        if conn.brought_up_by is not None and conn.name not in idx.brought_up_by:
            matches = [failed_over_matches(idx, entry) for entry in conn.brought_up_by]
            # an ambiguous or unknown entry brings nothing up (a rule reports it)
            idx.brought_up_by[conn.name] = {m[0] for m in matches if len(m) == 1}
    return idx


def failed_over_matches(idx: Index, entry: str) -> list[tuple[str, str]]:
    """`Apps` or `VmNetwork/Apps` -> the on-prem subnet keys it names."""
    if "/" in entry:
        vmn, _, sub = entry.partition("/")
        key = (vmn.strip(), sub.strip())
        return [key] if key in idx.onprem_subnets else []
    return [key for key in idx.onprem_subnets if key[1] == entry]


def target_subnet(net: AzureNetwork, subnet_name: str):
    """ASR's rule: the same-name subnet, else the first subnet in alphabetical order.

    "If there's no target subnet with a matching name, the virtual machine connects
    to the first subnet in the network" (shared/reference/asr-hyperv-vmm-network-
    planning.md; https://learn.microsoft.com/azure/site-recovery/hyper-v-vmm-network-mapping);
    ASR orders a network's subnets alphabetically by name, Azure itself keeps no order.
    The documented fallback makes no exception for Azure's special-purpose subnets: the
    GatewaySubnet (declared through `gateway`) is one of the network's subnets too, so it
    competes, and a landing there is an error (E312), never a prediction to trust.
    """
    for sub in net.subnets:
        if sub.name == subnet_name:
            return sub, "same-name"
    candidates = list(net.subnets)
    if net.gateway is not None:
        candidates.append(AzureSubnet(name="GatewaySubnet", prefix=net.gateway.subnet_prefix))
    if not net.subnets:
        return None, None
    first = min(candidates, key=lambda s: (s.name.lower(), s.name))
    return first, "first-subnet"
