"""Config validation the real providers do on their side (ValidateResourceConfig).

Terraform itself already rejects unknown arguments, wrong types and missing required ones
(from the schema); these are the providers' validators (`rules.py`), applied to known values
only (an unknown value is checked later by the providers too, at plan or apply).
"""

from __future__ import annotations

from tf.types import Unknown

from .world import parse


def _values(config: dict, path: str):
    """(value, attribute path) for `attr` or every element's `block.attr`."""
    if "." not in path:
        yield config.get(path), [path]
        return
    block, attr = path.split(".", 1)
    items = config.get(block)
    if isinstance(items, dict):
        yield items.get(attr), [block, attr]
    elif isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield item.get(attr), [block, (i,), attr]


def validate(diags, type_name: str, rules, config: dict | None) -> None:
    if not config:
        return
    for path, allowed in rules.one_of.items():
        for value, at in _values(config, path):
            if value not in (None, Unknown) and value not in allowed:
                diags.add_error("Invalid value", f"expected {path} to be one of {allowed}, got {value}", path=at)
    for path, (low, high) in rules.ranges.items():
        for value, at in _values(config, path):
            if isinstance(value, (int, float)) and not low <= value <= high:
                diags.add_error("Invalid value", f"expected {path} to be in the range ({low} - {high}), got {value}", path=at)
    for path in rules.not_empty:
        for value, at in _values(config, path):
            if value == "":
                diags.add_error("Invalid value", f"expected {path} to not be an empty string", path=at)
    for group in rules.exactly_one_of:
        present = [k for k in group if config.get(k) not in (None, [])]
        if len(present) != 1:
            diags.add_error("Invalid combination of arguments",
                            f"exactly one of `{','.join(group)}` must be specified (got {present or 'none'})")
    for check in rules.checks:
        CHECKS[check](diags, config)


def _resource_type(diags, config):
    value = config.get("type")
    if isinstance(value, str) and len(value.split("@")) != 2:
        diags.add_error("Invalid Resource Type", f'expected "type" to be <resource-type>@<api-version>, got {value!r}', path=["type"])


def _resource_id_at(key):
    def check(diags, config):
        value = config.get(key)
        if not isinstance(value, str) or value == "/":
            return
        problem = None
        if value.lower().startswith(("http:", "https:")):
            problem = "must not contain a protocol"
        elif "api-version=" in value:
            problem = "must not contain an api-version query parameter"
        elif "|" in value:
            problem = "must not contain '|' (a synthetic azurerm id, not an Azure resource id)"
        else:
            try:
                parse(value)
            except ValueError as exc:
                problem = str(exc)
        if problem:
            diags.add_error("Invalid Resource ID", f"{key}: {problem}", path=[key])
    return check


def _body_not_string(diags, config):
    body = config.get("body")
    if isinstance(body, dict) and body.get("type") == "string":
        diags.add_error("Invalid Type", "The value must not be a string: from azapi 2.0 the body is an HCL object.", path=["body"])


def _gateway_subnet(diags, config):
    """azurerm's validate.IsGatewaySubnet: the ip_configuration's subnet_id names a subnet
    called GatewaySubnet."""
    for i, ipc in enumerate(config.get("ip_configuration") or []):
        subnet_id = ipc.get("subnet_id")
        if isinstance(subnet_id, str) and not subnet_id.rstrip("/").split("/")[-1] == "GatewaySubnet":
            diags.add_error("Invalid value", f"expected subnet_id to reference a subnet named GatewaySubnet, got {subnet_id}",
                            path=["ip_configuration", (i,), "subnet_id"])


CHECKS = {
    "resource_type": _resource_type,
    "resource_id": _resource_id_at("resource_id"),
    "parent_id": _resource_id_at("parent_id"),
    "body_not_string": _body_not_string,
    "gateway_subnet": _gateway_subnet,
}

