"""Where a webhook may be sent: the URL's shape and the addresses its host resolves to.

Server-side request forgery is the risk: a user's URL must not make Orbix post to itself,
to the database, to a cloud metadata service or to anything else on a private network. So
a host's every address must be public (``ipaddress``'s ``is_global``, and not multicast),
looking through IPv6 forms that carry an IPv4 address (mapped, 6to4, NAT64, Teredo);
``WEBHOOKS_ALLOW_PRIVATE`` lifts that for development and tests. The check runs when an
endpoint is saved (a clear 422) and again before every attempt, and the attempt connects
to the very address that was checked, so a DNS answer that changes in between (rebinding)
cannot redirect it.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

SCHEMES = {"http": 80, "https": 443}
MAX_URL_LENGTH = 2048
NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


class Refused(ValueError):
    """The URL is malformed, does not resolve, or leads somewhere webhooks may not go."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as written (Host header, TLS server name and certificate check)
    port: int
    path: str  # path and query
    address: str  # the checked IP address to connect to


def _parts(url):
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH:
        raise Refused(f"Must be an http or https URL of at most {MAX_URL_LENGTH} characters.")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise Refused("Must not contain spaces or control characters (percent-encode them).")
    parts = urlsplit(url)
    if not (parts.path + parts.query).isascii():
        raise Refused("Must not contain non-ASCII characters in its path or query (percent-encode them).")
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise Refused("Must be an http or https URL with a host, such as https://example.com/hooks/orbix.")
    if parts.username is not None or parts.password is not None:
        raise Refused("Must not contain a user name or password; verify the Orbix-Signature header instead.")
    if parts.fragment:
        raise Refused("Must not contain a #fragment.")
    try:
        port = parts.port or SCHEMES[parts.scheme.lower()]
    except ValueError as exc:
        raise Refused("Has an invalid port.") from exc
    try:
        host = parts.hostname if parts.hostname.isascii() else parts.hostname.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise Refused("Has an invalid host name.") from exc
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme.lower(), host, port, path


def _embedded_ipv4(ip):
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64, Teredo client), or None."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if any(ip in prefix for prefix in NAT64_PREFIXES):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(address):
    """Whether ``address`` is a public unicast address (and so is any IPv4 address it embeds)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    inner = _embedded_ipv4(ip)
    if inner is not None and not is_public(str(inner)):
        return False
    return ip.is_global and not ip.is_multicast


def _addresses(host, port):
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise Refused(f"The host {host} could not be resolved.") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise Refused(f"The host {host} could not be resolved.")
    return addresses


def resolve(url, allow_private=False):
    """The ``Target`` to post ``url`` to; ``Refused`` (with a message for the user) otherwise."""
    scheme, host, port, path = _parts(url)
    addresses = _addresses(host, port)
    if not allow_private:
        refused = [address for address in addresses if not is_public(address)]
        if refused:
            raise Refused(
                f"The host {host} resolves to {refused[0]}, which is not a public address (private, loopback, "
                "link-local, multicast or reserved); webhooks are only sent to public addresses."
            )
    return Target(scheme, host, port, path, addresses[0])
