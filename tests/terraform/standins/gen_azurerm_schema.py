"""Generate the azurerm 4.55.0 stand-in's schema from the installed prebuilt cdktf bindings.

    .venv/bin/python -m tests.terraform.standins.gen_azurerm_schema   # rewrites schemas/azurerm.json

`cdktf-cdktf-provider-azurerm` 14.23.1 was generated from azurerm 4.55.0's own schema. Its jsii
tarball ships the generated TypeScript inside each `lib/<type>/index.js` source map, which records
what Terraform needs and nothing is guessed:
- `// <name> - computed: …, optional: …, required: …` above every member of every class;
- the getter (`getStringAttribute`, `getListAttribute`, `Fn.tolist(...)` for sets, `new XList(...,
  wrapsSet)`, `new XOutputReference(...)`) gives the type;
- `synthesizeHclAttributes` / `xToHclTerraform` give list vs set vs single ("struct") nesting;
- a "`<name> block`" doc line in the config interface separates real blocks from object-typed
  attributes (e.g. `azurerm_virtual_network.subnet`, an attribute in 4.x).
The output has the shape of `terraform providers schema -json` (one provider), so a reader can
compare it with the real provider's. ForceNew and validators are not in these sources: see
`rules.py`.

The generated file is committed (deterministic, sorted): reviewing its diff is how a bindings
upgrade shows what changed; `test_schema_file_is_generated` regenerates it in memory and compares.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import re
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "schemas" / "azurerm.json"

# Everything drnet emits, and what a plan could make it emit (issue 8: NSGs and the data
# sources a brownfield plan reads). lib/<dir> names of the bindings.
RESOURCES = [
    "local-network-gateway",
    "network-security-group",
    "network-security-rule",
    "public-ip",
    "resource-group",
    "route",
    "route-table",
    "site-recovery-hyperv-network-mapping",
    "subnet",
    "subnet-network-security-group-association",
    "subnet-route-table-association",
    "virtual-network",
    "virtual-network-gateway",
    "virtual-network-gateway-connection",
    "virtual-network-peering",
]
DATA_SOURCES = [
    "data-azurerm-client-config",
    "data-azurerm-local-network-gateway",
    "data-azurerm-network-security-group",
    "data-azurerm-public-ip",
    "data-azurerm-recovery-services-vault",
    "data-azurerm-resource-group",
    "data-azurerm-route-table",
    "data-azurerm-subnet",
    "data-azurerm-subscription",
    "data-azurerm-virtual-network",
    "data-azurerm-virtual-network-gateway",
    "data-azurerm-virtual-network-gateway-connection",
    "data-azurerm-virtual-network-peering",
]


def bindings_tarball() -> Path:
    # find_spec, not import: importing the bindings starts jsii (tens of seconds)
    spec = importlib.util.find_spec("cdktf_cdktf_provider_azurerm")
    found = sorted((Path(spec.origin).parent / "_jsii").glob("provider-azurerm@*.jsii.tgz"))
    if not found:
        raise SystemExit("no provider-azurerm jsii tarball in cdktf_cdktf_provider_azurerm/_jsii")
    return found[-1]


def typescript_sources(tarball: Path, dirs: list[str]) -> dict[str, str]:
    """{lib dir: TypeScript source} from the source maps embedded in lib/<dir>/index.js."""
    wanted = {f"package/lib/{d}/index.js": d for d in dirs}
    out = {}
    with tarfile.open(tarball) as tar:
        for member in tar:
            if member.name in wanted:
                js = tar.extractfile(member).read().decode()
                m = re.search(r"sourceMappingURL=data:application/json;base64,([A-Za-z0-9+/=]+)", js)
                out[wanted[member.name]] = json.loads(base64.b64decode(m.group(1)))["sourcesContent"][0]
    missing = set(dirs) - set(out)
    if missing:
        raise SystemExit(f"not in the bindings: {sorted(missing)}")
    return out


_CLASS = re.compile(r"^export class (\w+) extends cdktf\.(\w+) \{\n(.*?)(?=^export |\Z)", re.M | re.S)
_IFACE = re.compile(r"^export interface (\w+)(?: extends [\w.]+)? \{\n(.*?)^\}", re.M | re.S)
_HCL_FN = re.compile(r"^export function (\w+)ToHclTerraform\(.*?\n(.*?)^\}", re.M | re.S)
_MEMBER = re.compile(r"^  // (\w+) - computed: (true|false), optional: (true|false), required: (true|false)\n(.*?)(?=^  // \w+ - computed:|\Z)", re.M | re.S)
_HCL_ATTR = re.compile(r'^\s+(\w+): \{\n\s+value: .*?\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",', re.M)
_TYPE_NAME = re.compile(r'tfResourceType = "(\w+)"')

_GETTERS = {
    "getStringAttribute": "string",
    "getNumberAttribute": "number",
    "getBooleanAttribute": "bool",
    "getListAttribute": ["list", "string"],
    "getNumberListAttribute": ["list", "number"],
    "getStringMapAttribute": ["map", "string"],
    "getNumberMapAttribute": ["map", "number"],
    "getBooleanMapAttribute": ["map", "bool"],
}
_MAPS = {"StringMap": ["map", "string"], "NumberMap": ["map", "number"], "BooleanMap": ["map", "bool"]}
_STORAGE = {"string": "string", "number": "number", "boolean": "bool", "stringList": "string", "numberList": "number",
            "stringMap": "string", "numberMap": "number", "booleanMap": "bool"}


class Source:
    """One lib/<dir> TypeScript file, indexed."""

    def __init__(self, text: str):
        self.classes = {m.group(1): (m.group(2), m.group(3)) for m in _CLASS.finditer(text)}
        self.blocks = {m.group(1): set(re.findall(r"^\s+\* (\w+) block$", m.group(2), re.M)) for m in _IFACE.finditer(text)}
        self.hcl = {m.group(1)[0].upper() + m.group(1)[1:]: self._hcl(m.group(2)) for m in _HCL_FN.finditer(text)}

    @staticmethod
    def _hcl(body: str) -> dict:
        return {m.group(1): (m.group(2) == "true", m.group(3), m.group(4)) for m in _HCL_ATTR.finditer(body)}

    def block(self, class_name: str, struct_name: str, hcl: dict) -> dict:
        """The schema block of a class (a resource, data source, or a nested OutputReference)."""
        body = self.classes[class_name][1]
        attributes, block_types = {}, {}
        for m in _MEMBER.finditer(body):
            name, computed, optional, required, code = m.group(1), *(g == "true" for g in m.group(2, 3, 4)), m.group(5)
            flags = {k: True for k, v in (("required", required), ("optional", optional), ("computed", computed)) if v}
            nested = re.search(rf'new (\w+?)(List|OutputReference)\(this, "{name}"(?:, (true|false))?\)', code)
            if nested:
                element, kind, wraps_set = nested.group(1), nested.group(2), nested.group(3) == "true"
                inner = self.block(f"{element}OutputReference", element, self.hcl.get(element, {}))
                if name in self.blocks.get(struct_name, set()):
                    hcl_kind = hcl.get(name, (True, "list", ""))[1]
                    entry = {"nesting_mode": "set" if wraps_set else "list", "block": inner}
                    if kind == "OutputReference":
                        entry = {"nesting_mode": "single" if hcl_kind == "struct" else "list", "block": inner}
                        if hcl_kind != "struct":
                            entry["max_items"] = 1
                    if required:
                        entry["min_items"] = 1
                    block_types[name] = entry
                else:
                    obj = ["object", {k: v["type"] for k, v in inner["attributes"].items()}]
                    attributes[name] = {"type": ["set" if wraps_set else "list", obj], **flags}
                continue
            attributes[name] = {"type": self._scalar_type(name, code, hcl), **flags}
        return {"attributes": dict(sorted(attributes.items())), "block_types": dict(sorted(block_types.items()))}

    @staticmethod
    def _scalar_type(name: str, code: str, hcl: dict):
        if name in hcl:
            _, kind, storage = hcl[name]
            if kind == "simple":
                return _STORAGE[storage]
            return [kind, _STORAGE[storage]]
        mapped = re.search(r"new cdktf\.(\w+Map)\(this", code)
        if mapped:
            return _MAPS[mapped.group(1)]
        getter = re.search(r"this\.(get\w+Attribute)\(", code)
        if not getter:
            raise ValueError(f"no type for {name}: {code[:200]}")
        found = _GETTERS[getter.group(1)]
        if "cdktf.Fn.tolist(" in code and isinstance(found, list):
            return ["set", found[1]]
        return found


def _main_class(src: Source, base: str) -> str:
    return next(n for n, (b, _) in src.classes.items() if b == base)


def provider_block(text: str) -> dict:
    """The provider's configuration block: its members carry the same comments; its nested
    `features` blocks are plain interfaces (`readonly x?:` optional, `readonly x:` required)."""
    src = Source(text)
    name = _main_class(src, "TerraformProvider")
    body = src.classes[name][1]
    hcl = src._hcl(body[body.index("synthesizeHclAttributes"):])

    def iface_block(iface: str) -> dict:
        attrs, blocks = {}, {}
        for m in re.finditer(r"(?:\* (\w+) block\n.*?)?readonly (\w+)(\??): ([^;]+);", _iface_body(text, iface), re.S):
            is_block, prop, optional, ts_type = m.group(1), m.group(2), m.group(3), m.group(4)
            tf_name = re.sub(r"(?<!^)([A-Z])", r"_\1", prop).lower()
            if is_block:
                element = ts_type.split("[]")[0].split(" |")[0].strip()
                blocks[is_block] = {"nesting_mode": "list", "block": iface_block(element), **({} if optional else {"min_items": 1})}
            else:
                attrs[tf_name] = {"type": _ts_type(ts_type), ("optional" if optional else "required"): True}
        return {"attributes": dict(sorted(attrs.items())), "block_types": dict(sorted(blocks.items()))}

    attributes, block_types = {}, {}
    for m in _MEMBER.finditer(body):
        member, computed, optional, required = m.group(1), *(g == "true" for g in m.group(2, 3, 4))
        flags = {k: True for k, v in (("required", required), ("optional", optional), ("computed", computed)) if v}
        is_block, kind, storage = hcl[member]
        if is_block:
            element = storage[: -len("List")]
            block_types[member] = {"nesting_mode": kind, "block": iface_block(element), **({"min_items": 1} if required else {})}
        else:
            attributes[member] = {"type": _STORAGE[storage] if kind == "simple" else [kind, _STORAGE[storage]], **flags}
    return {"attributes": dict(sorted(attributes.items())), "block_types": dict(sorted(block_types.items()))}


def _iface_body(text: str, iface: str) -> str:
    m = re.search(rf"^export interface {iface} \{{\n(.*?)^\}}", text, re.M | re.S)
    return m.group(1)


def _ts_type(ts: str):
    ts = ts.split(" | cdktf.IResolvable")[0].strip()
    return {"string": "string", "number": "number", "boolean": "bool", "string[]": ["list", "string"]}[ts]


def _strip_empty(block: dict) -> dict:
    """Terraform's JSON omits empty `block_types`; so do we (smaller diff)."""
    out = {"attributes": block["attributes"]}
    if block["block_types"]:
        out["block_types"] = {k: {**v, "block": _strip_empty(v["block"])} for k, v in block["block_types"].items()}
    return out


def generate() -> dict:
    tarball = bindings_tarball()
    sources = typescript_sources(tarball, [*RESOURCES, *DATA_SOURCES, "provider"])
    schema = {"provider": {"version": 0, "block": _strip_empty(provider_block(sources["provider"]))},
              "resource_schemas": {}, "data_source_schemas": {}}
    for kind, dirs, base in (("resource_schemas", RESOURCES, "TerraformResource"), ("data_source_schemas", DATA_SOURCES, "TerraformDataSource")):
        for d in dirs:
            src = Source(sources[d])
            cls = _main_class(src, base)
            type_name = _TYPE_NAME.search(src.classes[cls][1]).group(1)
            body = src.classes[cls][1]
            hcl = src._hcl(body[body.index("synthesizeHclAttributes"):])
            schema[kind][type_name] = {"version": 0, "block": _strip_empty(src.block(cls, f"{cls}Config", hcl))}
    for kind in ("resource_schemas", "data_source_schemas"):
        schema[kind] = dict(sorted(schema[kind].items()))
    return {"source": f"{tarball.name} (cdktf-cdktf-provider-azurerm, generated from hashicorp/azurerm 4.55.0)", **schema}


def render(schema: dict) -> str:
    buf = io.StringIO()
    json.dump(schema, buf, indent=1, sort_keys=False)
    return buf.getvalue() + "\n"


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(render(generate()), encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
