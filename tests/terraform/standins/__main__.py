"""Run one stand-in provider: `python -m tests.terraform.standins azurerm|azapi` (what the
filesystem mirror's launcher scripts exec; Terraform starts it and speaks tfplugin6 to it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import tf.provider
from tf.runner import run_provider

from .azapi import Azapi
from .azurerm import Azurerm
from .servicer import StandinServicer
from .world import World

SCHEMAS = Path(__file__).resolve().parent / "schemas"
PROVIDERS = {
    # name: (full source, behaviour, legacy type system: azurerm is an SDKv2 provider, azapi a framework one)
    "azurerm": ("registry.terraform.io/hashicorp/azurerm", Azurerm, True),
    "azapi": ("registry.terraform.io/azure/azapi", Azapi, False),
}


class App:
    def __init__(self, name: str):
        source, behaviour, legacy = PROVIDERS[name]
        self.source = source
        self.schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
        self.behaviour = behaviour(World.from_env())
        self.legacy_type_system = legacy

    def full_name(self) -> str:
        return self.source

    # tf's ProviderServicer base reads these; the stand-in servicer serves everything itself
    def get_model_prefix(self) -> str:
        return ""

    def get_data_sources(self):
        return []

    def get_resources(self):
        return []

    def get_functions(self):
        return []


def main(argv: list[str]) -> None:
    name = argv[1]
    tf.provider.ProviderServicer = StandinServicer  # run_provider builds its servicer from here
    run_provider(App(name), argv)


if __name__ == "__main__":
    main(sys.argv)
