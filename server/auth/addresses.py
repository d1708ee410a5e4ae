"""Which address a request counts under: one IPv4 address, or the /64 an IPv6 host sits in."""

import ipaddress

# One IPv6 subscriber gets a whole /64 (or more): counting single addresses would count nothing.
IPV6_PREFIX = 64


def counted_address(address: str) -> str:
    """`203.0.113.9`, or `2001:db8:1:2::/64` for any address of that network."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]  # not an address (a test client's, say): counted as it is
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    return str(parsed)
