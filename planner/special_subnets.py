"""Azure's special-purpose subnets: reserved for one service, no VM NIC, and (most) no route table.

A VM NIC cannot be placed in any of them: each holds only its service. Whether a user route
table may be associated, per Microsoft Learn:
- AzureBastionSubnet: route tables are not supported on the Bastion subnet
  (https://learn.microsoft.com/azure/bastion/bastion-faq, "user-defined routes").
- RouteServerSubnet: the Route Server FAQ answers no to a user-defined route table on it
  (https://learn.microsoft.com/azure/route-server/route-server-faq).
- AzureFirewallSubnet / AzureFirewallManagementSubnet: the firewall needs its default route to
  the Internet; a route table there may only carry 0.0.0.0/0 -> Internet (or the forced-tunneling
  set-up with a management subnet) (https://learn.microsoft.com/azure/firewall/forced-tunneling,
  https://learn.microsoft.com/azure/firewall/firewall-faq). drnet's routes send on-prem traffic
  to the gateway or to the appliance, which for the firewall itself would loop.
- GatewaySubnet: UDRs are allowed with restrictions (no 0.0.0.0/0, never disable gateway route
  propagation) (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings#gwsub);
  on-prem prefixes routed back to the gateway from its own subnet would loop, so drnet adds none.
So drnet associates its route tables with none of them.
"""

from __future__ import annotations

SPECIAL_SUBNETS = {
    "azurebastionsubnet": "Azure Bastion",
    "azurefirewallsubnet": "Azure Firewall",
    "azurefirewallmanagementsubnet": "Azure Firewall's management traffic",
    "routeserversubnet": "Azure Route Server",
    "gatewaysubnet": "the virtual network gateway",
}


def special_service(subnet_name: str) -> str | None:
    """The service an Azure subnet name is reserved for (Azure matches these names without case), or None."""
    return SPECIAL_SUBNETS.get(subnet_name.lower())
