"""A fake ARM world: resources in one JSON file, keyed by ARM id (case-insensitive, as ARM).

The harness names the file in `DRNET_FAKE_ARM` (one per test world). Applies write to it,
data sources and imports read from it, and what does not exist answers like ARM: a 404
(an error diagnostic naming the id). A record is `{"type": <terraform type>, "attributes":
{...}}` in state-JSON form; fixtures (an existing vault, network, protected items) are records
too. Each provider process opens, changes and writes the file under an exclusive lock, so the
two stand-ins Terraform runs side by side never lose each other's writes.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from pathlib import Path

ENV = "DRNET_FAKE_ARM"
SUBSCRIPTION = "00000000-0000-4000-8000-000000000001"
TENANT = "00000000-0000-4000-8000-0000000000aa"
CLIENT = "00000000-0000-4000-8000-0000000000cc"
OBJECT = "00000000-0000-4000-8000-0000000000dd"

# ARM resource types (provider namespace/type path) of the Terraform types the stand-ins manage
NETWORK = "Microsoft.Network"


def rg_id(rg: str, subscription: str = SUBSCRIPTION) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{rg}"


def arm_id(rg: str, *segments: str, namespace: str = NETWORK) -> str:
    """`/subscriptions/S/resourceGroups/RG/providers/NS/type/name[/type/name...]`."""
    return f"{rg_id(rg)}/providers/{namespace}/" + "/".join(segments)


def vault_id(rg: str, vault: str) -> str:
    return arm_id(rg, "vaults", vault, namespace="Microsoft.RecoveryServices")


def parse(resource_id: str) -> dict:
    """{'subscriptions': S, 'resourceGroups': RG, 'providers': NS, <type>: <name>, ...} (the
    keys are the id's segment names, as ARM's own parsers read them)."""
    parts = resource_id.strip("/").split("/")
    if len(parts) < 2 or len(parts) % 2 or parts[0].lower() != "subscriptions":
        raise ValueError(f"not an ARM resource id: {resource_id!r}")
    return {parts[i]: parts[i + 1] for i in range(0, len(parts), 2)}


class World:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    @classmethod
    def from_env(cls) -> "World":
        path = os.environ.get(ENV)
        if not path:
            raise RuntimeError(f"{ENV} is not set: the harness names the fake ARM world's file")
        return cls(path)

    @contextlib.contextmanager
    def edit(self):
        """The records, locked for the duration; written back on success."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = self._load()
            yield data
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
            tmp.replace(self.path)

    def _load(self) -> dict:
        if not self.path.exists():
            return {"resources": {}, "calls": []}
        return json.loads(self.path.read_text(encoding="utf-8"))

    def snapshot(self) -> dict:
        with open(self.path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_SH)
            return self._load()

    def get(self, resource_id: str) -> dict | None:
        return self.snapshot()["resources"].get(resource_id.lower())

    def put(self, resource_id: str, type_name: str, attributes: dict, call: str) -> None:
        with self.edit() as data:
            data["resources"][resource_id.lower()] = {"id": resource_id, "type": type_name, "attributes": attributes}
            data["calls"].append([call, type_name, resource_id])

    def delete(self, resource_id: str, type_name: str) -> None:
        with self.edit() as data:
            data["resources"].pop(resource_id.lower(), None)
            data["calls"].append(["DELETE", type_name, resource_id])

    def children(self, parent_id: str, type_name: str) -> list[dict]:
        prefix = parent_id.lower().rstrip("/") + "/"
        return [r for k, r in sorted(self.snapshot()["resources"].items()) if k.startswith(prefix) and r["type"] == type_name]


def not_found(diags, what: str, resource_id: str) -> None:
    """ARM's answer for a missing resource, as the providers surface it."""
    diags.add_error(
        f"{what} was not found",
        f"unexpected status 404 (404 Not Found) with error: ResourceNotFound: The Resource '{resource_id}' "
        "was not found (fake ARM world of drnet's Terraform harness).",
    )
