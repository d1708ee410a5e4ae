"""Push endpoints' addresses: resolved once, checked to be public, and connected to as checked.

A subscription names a host; what that name resolves to is up to whoever runs its DNS. So at
send time the worker resolves it itself, refuses loopback, private, link-local and other
non-global addresses (loopback only with DARMAN_PUSH_ALLOW_LOOPBACK, for tests), and connects
to the very address it checked — TLS still verifies the name (SNI and certificate) and the
`Host` header still names it — so a second lookup cannot point the request elsewhere.
"""

import ipaddress
import socket
import threading
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

DEFAULT_PORTS = {"https": 443, "http": 80}


class AddressRefused(requests.RequestException):
    """The endpoint's host resolves to an address the worker must not post to."""


def is_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address, loopback: bool) -> bool:
    """True for a global unicast address (or loopback, when allowed)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        return loopback
    return address.is_global and not address.is_multicast


def checked_address(host: str, port: int, loopback: bool) -> str:
    """Resolve `host` once; its first address when every address is allowed, else refuse."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise requests.ConnectionError(f"cannot resolve the push service: {error}") from None
    addresses = [ipaddress.ip_address(info[4][0].partition("%")[0]) for info in infos]
    refused = [address for address in addresses if not is_allowed(address, loopback)]
    if refused or not addresses:
        raise AddressRefused("the push service's address is not public")
    return str(addresses[0])


class PinnedAdapter(HTTPAdapter):
    """Sends each request to the address `checked_address` gave for its host, and nowhere else.

    One adapter serves one thread's session; the pin is kept per thread all the same.
    """

    def __init__(self, allow_loopback: bool) -> None:
        """An adapter; `allow_loopback` admits 127.0.0.1 and ::1 (tests only)."""
        self.allow_loopback = allow_loopback
        self._pin = threading.local()
        super().__init__()

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:
        """Resolve and check the host, then send to that address with the name as `Host`."""
        parts = urlsplit(request.url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme, 443)
        self._pin.address = checked_address(parts.hostname or "", port, self.allow_loopback)
        request.headers["Host"] = parts.netloc.rpartition("@")[2]
        return super().send(request, **kwargs)

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        """Connect to the pinned address; TLS still checks the certificate against the name."""
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        name = host_params["host"]
        host_params["host"] = self._pin.address
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = name
            pool_kwargs["assert_hostname"] = name
        return host_params, pool_kwargs


def pinned_session(allow_loopback: bool) -> requests.Session:
    """A session whose every request goes to a checked, public address; no proxies from the
    environment (a proxy would connect on our behalf to whatever it resolves)."""
    session = requests.Session()
    session.trust_env = False
    adapter = PinnedAdapter(allow_loopback)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
