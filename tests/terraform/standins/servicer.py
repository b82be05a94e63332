"""A schema-driven provider servicer on top of the `tf` package.

`tf` supplies the go-plugin handshake, TLS and the protobuf bindings (tfplugin6); this module
replaces its servicer, which lacks object/tuple/dynamic types, list and nested blocks and
nested attributes, and whose UpgradeResourceState re-encodes state without the schema. Here
every value is decoded and encoded by the implied type of the schema (`cty.py`), so all of
those work, and the plan follows the providers' own rules (`rules.py`):
- create: computed attributes the config leaves null are unknown; provider defaults filled;
- update: a change of a ForceNew attribute answers RequiresReplace (Terraform then re-plans
  the resource as a create, exactly as with the real providers);
- apply: the `Behaviour` (azurerm.py / azapi.py) talks to the fake ARM world.
"""

from __future__ import annotations

import copy
import json
import traceback

from tf.gen import tfplugin_pb2 as pb
from tf.provider import ProviderServicer
from tf.types import Unknown
from tf.utils import Diagnostics, read_dynamic_value, to_dynamic_value

from . import cty, validators
from .rules import rules_for

_BLOCK_NESTING = {"single": pb.Schema.NestedBlock.SINGLE, "list": pb.Schema.NestedBlock.LIST,
                  "set": pb.Schema.NestedBlock.SET, "map": pb.Schema.NestedBlock.MAP, "group": pb.Schema.NestedBlock.GROUP}
_OBJECT_NESTING = {"single": pb.Schema.Object.SINGLE, "list": pb.Schema.Object.LIST, "set": pb.Schema.Object.SET,
                   "map": pb.Schema.Object.MAP}


def _attribute_pb(name: str, attr: dict) -> pb.Schema.Attribute:
    flags = {k: True for k in ("required", "optional", "computed", "sensitive", "deprecated") if attr.get(k)}
    if "nested_type" in attr:
        nested = attr["nested_type"]
        obj = pb.Schema.Object(
            attributes=[_attribute_pb(k, a) for k, a in sorted(nested["attributes"].items())],
            nesting=_OBJECT_NESTING[nested["nesting_mode"]],
        )
        return pb.Schema.Attribute(name=name, nested_type=obj, **flags)
    return pb.Schema.Attribute(name=name, type=json.dumps(attr["type"]).encode(), **flags)


def block_pb(block: dict) -> pb.Schema.Block:
    return pb.Schema.Block(
        attributes=[_attribute_pb(k, a) for k, a in sorted(block.get("attributes", {}).items())],
        block_types=[
            pb.Schema.NestedBlock(type_name=k, block=block_pb(nb["block"]), nesting=_BLOCK_NESTING[nb["nesting_mode"]],
                                  min_items=nb.get("min_items", 0), max_items=nb.get("max_items", 0))
            for k, nb in sorted(block.get("block_types", {}).items())
        ],
    )


def _logged(f):
    def wrapper(self, request, context):
        try:
            return f(self, request, context)
        except Exception:
            traceback.print_exc()
            raise
    wrapper.__name__ = f.__name__
    return wrapper


class StandinServicer(ProviderServicer):
    """Serves one provider described by `schema` (providers-schema JSON) and `behaviour`."""

    def __init__(self, app):
        super().__init__(app)
        self.schema = app.schema
        self.behaviour = app.behaviour
        self.legacy = app.legacy_type_system
        self.types = {}
        for kind in ("resource_schemas", "data_source_schemas"):
            for name, s in self.schema[kind].items():
                self.types[(kind, name)] = cty.block_type(s["block"])

    # ---- helpers ----
    def _res(self, name):
        return self.schema["resource_schemas"][name]["block"]

    def _decode(self, kind, name, dv):
        raw = read_dynamic_value(dv)
        return None if raw is None else cty.from_wire(self.types[(kind, name)], raw)

    def _encode(self, kind, name, value):
        return to_dynamic_value(None if value is None else cty.to_wire(self.types[(kind, name)], value))

    # ---- provider ----
    @_logged
    def GetMetadata(self, request, context):
        return pb.GetMetadata.Response(server_capabilities=pb.ServerCapabilities(plan_destroy=True))

    @_logged
    def GetProviderSchema(self, request, context):
        s = self.schema
        return pb.GetProviderSchema.Response(
            provider=pb.Schema(version=s["provider"].get("version", 0), block=block_pb(s["provider"]["block"])),
            provider_meta=pb.Schema(version=0, block=pb.Schema.Block()),
            resource_schemas={k: pb.Schema(version=v.get("version", 0), block=block_pb(v["block"]))
                              for k, v in s["resource_schemas"].items()},
            data_source_schemas={k: pb.Schema(version=v.get("version", 0), block=block_pb(v["block"]))
                                 for k, v in s["data_source_schemas"].items()},
            server_capabilities=pb.ServerCapabilities(plan_destroy=True),
        )

    @_logged
    def ValidateProviderConfig(self, request, context):
        return pb.ValidateProviderConfig.Response()

    @_logged
    def ConfigureProvider(self, request, context):
        return pb.ConfigureProvider.Response()

    # ---- validation ----
    @_logged
    def ValidateResourceConfig(self, request, context):
        diags = Diagnostics()
        config = self._decode("resource_schemas", request.type_name, request.config)
        validators.validate(diags, request.type_name, rules_for(request.type_name), config)
        return pb.ValidateResourceConfig.Response(diagnostics=diags.to_pb())

    @_logged
    def ValidateDataResourceConfig(self, request, context):
        diags = Diagnostics()
        config = self._decode("data_source_schemas", request.type_name, request.config)
        validators.validate(diags, request.type_name, rules_for(request.type_name, data=True), config)
        return pb.ValidateDataResourceConfig.Response(diagnostics=diags.to_pb())

    # ---- state ----
    @_logged
    def UpgradeResourceState(self, request, context):
        """Re-encode the stored JSON state with the schema (dynamic values included)."""
        state = json.loads(request.raw_state.json)
        block = self._res(request.type_name)
        state = {k: v for k, v in state.items() if k in cty.block_type(block)[1]}
        return pb.UpgradeResourceState.Response(upgraded_state=self._encode("resource_schemas", request.type_name, state))

    @_logged
    def ReadResource(self, request, context):
        diags = Diagnostics()
        current = self._decode("resource_schemas", request.type_name, request.current_state)
        new = self.behaviour.read(diags, request.type_name, current)
        return pb.ReadResource.Response(new_state=self._encode("resource_schemas", request.type_name, new),
                                        diagnostics=diags.to_pb(), private=request.private)

    @_logged
    def ImportResourceState(self, request, context):
        diags = Diagnostics()
        state = self.behaviour.import_(diags, request.type_name, request.id)
        if state is None:
            return pb.ImportResourceState.Response(diagnostics=diags.to_pb())
        state = _complete(self._res(request.type_name), state)
        imported = pb.ImportResourceState.ImportedResource(
            type_name=request.type_name, state=self._encode("resource_schemas", request.type_name, state))
        return pb.ImportResourceState.Response(imported_resources=[imported], diagnostics=diags.to_pb())

    # ---- plan and apply ----
    @_logged
    def PlanResourceChange(self, request, context):
        name = request.type_name
        diags = Diagnostics()
        prior = self._decode("resource_schemas", name, request.prior_state)
        proposed = self._decode("resource_schemas", name, request.proposed_new_state)
        config = self._decode("resource_schemas", name, request.config)
        if proposed is None:  # destroy
            return pb.PlanResourceChange.Response(planned_state=request.proposed_new_state, legacy_type_system=self.legacy)
        rules = rules_for(name)
        block = self._res(name)
        planned = copy.deepcopy(proposed)
        _fill_defaults(planned, config, rules.defaults)
        replace = []
        if prior is None:
            _unknown_computed(block, planned, config)
        else:
            if self.legacy:  # SDKv2 sees an empty collection and null as the same value: no diff
                for k, v in planned.items():
                    if v is None and prior.get(k) in ([], {}):
                        planned[k] = prior[k]
            replace = [k for k in sorted(rules.force_new) if k in planned and not _same(prior.get(k), planned.get(k))]
        planned = self.behaviour.plan(diags, name, prior, planned, config, replace)
        return pb.PlanResourceChange.Response(
            planned_state=self._encode("resource_schemas", name, planned),
            requires_replace=[pb.AttributePath(steps=[pb.AttributePath.Step(attribute_name=k)]) for k in replace],
            diagnostics=diags.to_pb(),
            legacy_type_system=self.legacy,
        )

    @_logged
    def ApplyResourceChange(self, request, context):
        name = request.type_name
        diags = Diagnostics()
        prior = self._decode("resource_schemas", name, request.prior_state)
        planned = self._decode("resource_schemas", name, request.planned_state)
        if planned is None:
            self.behaviour.delete(diags, name, prior)
            return pb.ApplyResourceChange.Response(new_state=to_dynamic_value(None), diagnostics=diags.to_pb(),
                                                   legacy_type_system=self.legacy)
        # what the API returns for values the plan did not know: ids (set by the behaviour), else null
        new = self.behaviour.apply(diags, name, prior, _known(planned))
        if diags.has_errors():
            return pb.ApplyResourceChange.Response(diagnostics=diags.to_pb(), legacy_type_system=self.legacy)
        return pb.ApplyResourceChange.Response(new_state=self._encode("resource_schemas", name, new),
                                               diagnostics=diags.to_pb(), legacy_type_system=self.legacy)

    @_logged
    def ReadDataSource(self, request, context):
        name = request.type_name
        diags = Diagnostics()
        config = self._decode("data_source_schemas", name, request.config)
        state = self.behaviour.read_data(diags, name, config)
        if diags.has_errors() or state is None:
            return pb.ReadDataSource.Response(diagnostics=diags.to_pb())
        block = self.schema["data_source_schemas"][name]["block"]
        state = _known(_complete(block, {**config, **state}))
        return pb.ReadDataSource.Response(state=self._encode("data_source_schemas", name, state), diagnostics=diags.to_pb())

    @_logged
    def MoveResourceState(self, request, context):
        diags = Diagnostics().add_error("MoveResourceState is not supported by the stand-in")
        return pb.MoveResourceState.Response(diagnostics=diags.to_pb())


# ---- value helpers (state-JSON form) ----

def _same(a, b) -> bool:
    """Equal as Terraform compares for replacement (sets and set blocks: order-insensitive)."""
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(_canon, a)) == sorted(map(_canon, b)) if len(a) == len(b) else False
    return a == b


def _canon(v) -> str:
    return json.dumps(v, sort_keys=True, default=str)


def _fill_defaults(planned: dict, config: dict, defaults: dict) -> None:
    for path, value in defaults.items():
        if "." in path:
            block, attr = path.split(".", 1)
            items = planned.get(block)
            cfg_items = config.get(block) if config else None
            if isinstance(items, list):
                for i, item in enumerate(items):
                    cfg = cfg_items[i] if isinstance(cfg_items, list) and i < len(cfg_items) else {}
                    if isinstance(item, dict) and (cfg or {}).get(attr) is None and attr in item:
                        item[attr] = value
            elif isinstance(items, dict) and (cfg_items or {}).get(attr) is None and attr in items:
                items[attr] = value  # a single nested attribute or block
            continue
        if path in planned and (config or {}).get(path) is None:
            planned[path] = value


def _unknown_computed(block: dict, planned: dict, config: dict | None) -> None:
    """On create, a computed attribute the configuration leaves null is unknown (nested too)."""
    config = config or {}
    for name, attr in block.get("attributes", {}).items():
        if attr.get("computed") and config.get(name) is None and planned.get(name) is None:
            planned[name] = Unknown
    for name, nb in block.get("block_types", {}).items():
        value = planned.get(name)
        cfg = config.get(name)
        if nb["nesting_mode"] in ("single", "group") and isinstance(value, dict):
            _unknown_computed(nb["block"], value, cfg if isinstance(cfg, dict) else {})
        elif isinstance(value, list):
            for i, item in enumerate(value):
                c = cfg[i] if isinstance(cfg, list) and i < len(cfg) and nb["nesting_mode"] == "list" else {}
                _unknown_computed(nb["block"], item, c)


def _known(value):
    """Unknowns left after apply or read become null (the fake API returns no value for them)."""
    if value is Unknown:
        return None
    if isinstance(value, dict):
        return {k: _known(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_known(v) for v in value]
    return value


def _complete(block: dict, state: dict) -> dict:
    """Every attribute of the block present (null), nested list/set blocks as empty lists."""
    out = {k: state.get(k) for k in block.get("attributes", {})}
    for name, nb in block.get("block_types", {}).items():
        value = state.get(name)
        if nb["nesting_mode"] in ("list", "set"):
            out[name] = [_complete(nb["block"], v) for v in (value or [])]
        elif nb["nesting_mode"] == "map":
            out[name] = {k: _complete(nb["block"], v) for k, v in (value or {}).items()}
        else:
            out[name] = None if value is None else _complete(nb["block"], value)
    return out
