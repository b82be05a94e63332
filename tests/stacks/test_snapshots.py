"""Every stack of every template, steady and failed over, as a syrupy JSON snapshot."""

from __future__ import annotations

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

from .conftest import CASES


@pytest.fixture
def snapshot_json(snapshot):
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize(("template", "phase"), CASES)
def test_stacks_snapshot(synthesized, snapshot_json, template, phase):
    stacks = synthesized[(template, phase)]["stacks"]
    assert stacks, "no stack synthesized"
    for name, doc in stacks.items():
        assert doc == snapshot_json(name=name)
