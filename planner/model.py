"""Plan format version 1 as frozen pydantic models (shared/design/plan-format.md).

Addresses stay strings here: the addressing rules parse them, so a malformed
prefix is one diagnostic among all the others instead of a wall before them.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

PLAN_NAME_PATTERN = r"^[a-z0-9-]{1,24}$"

Name = Annotated[str, Field(min_length=1, max_length=80)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Bgp(_Model):
    # strict: a quoted "65010" is a string in YAML; accepting it would hide a typo elsewhere
    asn: int = Field(strict=True, description="the on-prem device's BGP autonomous system number (1-4294967294, not reserved)")
    peering_address: str = Field(description="BGP peer IP of the on-prem device")


class VpnDevice(_Model):
    public_ip: str = Field(description="public IP of the on-prem VPN device")
    bgp: Bgp | None = None


class OnpremSubnet(_Model):
    name: Name
    prefix: str
    failover: Literal["retain", "change"] = Field(
        "retain", description="retain: subnet failover, VMs keep their IPs; change: VMs get new IPs"
    )
    dns_zone: str | None = Field(None, description="zone whose A records change after a change-IP failover")


class VmNetwork(_Model):
    name: Name = Field(description="VMM VM network name, exactly as in VMM")
    logical_network: str | None = None
    subnets: list[OnpremSubnet] = Field(min_length=1)


class Onprem(_Model):
    vmm_server: str
    address_space: list[str] = Field(min_length=1)
    vpn_device: VpnDevice | None = None
    vm_networks: list[VmNetwork] = Field(min_length=1)


class Vault(_Model):
    name: Name
    resource_group: Name


class AzureSubnet(_Model):
    name: Name
    prefix: str


class Gateway(_Model):
    subnet_prefix: str = Field(description="prefix of the GatewaySubnet")
    sku: str = Field("VpnGw1AZ", description="VPN gateway SKU, e.g. VpnGw1AZ")
    bgp_asn: int | None = Field(None, strict=True, description="BGP ASN of the gateway; BGP is off when absent")
    when: Literal["always", "after-failover"] = Field(
        "always", description="drnet extension: create the gateway only once a subnet failed over here"
    )


class AzureNetwork(_Model):
    name: Name
    existing: bool = False
    resource_group: Name | None = None
    address_space: list[str] = Field(min_length=1)
    subnets: list[AzureSubnet] = Field(default_factory=list)
    gateway: Gateway | None = None


class Azure(_Model):
    location: Name
    resource_group: Name
    recovery_vault: Vault
    networks: list[AzureNetwork] = Field(min_length=1)


class NetworkMapping(_Model):
    vm_network: Name
    recovery_network: Name
    test_network: Name | None = None


When = Literal["always", "after-failover"]
BroughtUpBy = Annotated[
    Union[list[Name], None],
    Field(
        None,
        min_length=1,
        description="drnet extension, with when: after-failover: the on-prem subnets ('Apps' or 'VmNetwork/Subnet') whose "
        "failover brings this connection up; default: any subnet that lands in a network it joins or on the path to one",
    ),
]


class SiteToSite(_Model):
    name: Name
    type: Literal["site-to-site"]
    network: Name
    when: When = "always"
    brought_up_by: BroughtUpBy = None


class VnetToVnet(_Model):
    name: Name
    type: Literal["vnet-to-vnet"]
    networks: list[Name] = Field(min_length=2, max_length=2)
    when: When = "always"
    brought_up_by: BroughtUpBy = None


class Peering(_Model):
    name: Name
    type: Literal["peering"]
    networks: list[Name] = Field(min_length=2, max_length=2, description="[hub, spoke]")
    gateway_transit: bool = False
    when: When = "always"
    brought_up_by: BroughtUpBy = None


Connection = Annotated[Union[SiteToSite, VnetToVnet, Peering], Field(discriminator="type")]
CONNECTION_TYPES = {"site-to-site": SiteToSite, "vnet-to-vnet": VnetToVnet, "peering": Peering}


class Routing(_Model):
    next_hop_ip: str | None = Field(None, description="appliance IP that cross-site traffic goes through")


class Nic(_Model):
    vm_network: Name
    subnet: Name
    ip: str
    recovery_ip: str | None = None


class Vm(_Model):
    name: Name
    nics: list[Nic] = Field(min_length=1)


class TerraformSettings(_Model):
    backend: Literal["local", "azurerm"] = Field(
        "local",
        description="where Terraform keeps each stack's state: local (terraform.<stack>.tfstate in the stack's "
        "directory) or azurerm (a blob in Azure Storage; drnet writes a distinct key per stack, <stack>.tfstate, "
        "and `terraform init -backend-config=...` completes it with resource_group_name, storage_account_name "
        "and container_name); `drnet synth --backend` overrides it",
    )


class Plan(_Model):
    version: Literal[1]
    name: Annotated[str, Field(pattern=PLAN_NAME_PATTERN)]
    onprem: Onprem
    azure: Azure
    network_mappings: list[NetworkMapping] = Field(default_factory=list)
    connections: list[Connection] = Field(default_factory=list)
    routing: Routing | None = None
    failed_over: list[Name] = Field(default_factory=list)
    vms: list[Vm] = Field(default_factory=list)
    vms_csv: str | None = Field(None, description="VM inventory CSV: vm,vm_network,subnet,ip[,recovery_ip]")
    terraform: TerraformSettings = Field(
        default_factory=TerraformSettings, description="drnet's addition: settings of the Terraform drnet writes (state backend)"
    )


SCHEMA_FILE = "drplan.schema.json"  # what `drnet init` writes beside the plan; the starter's first line names it


def json_schema() -> dict:
    from .rules.gateways import SKUS
    from .schema_extras import enrich

    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **Plan.model_json_schema()}
    return enrich(schema, SKUS)
