"""The address a request came from.

Behind the committed nginx (deploy/nginx) every request's REMOTE_ADDR is the proxy's; nginx
sends the client's own in `X-Real-IP`. That header is believed only when the request came
from one of TRUSTED_PROXY_IPS (the proxies' networks), since anyone else could write it.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    forwarded = (request.META.get("HTTP_X_REAL_IP") or "").strip()
    if forwarded and _trusted(remote):
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            return remote
    return remote


def _trusted(address: str) -> bool:
    return address_in(address, settings.TRUSTED_PROXY_IPS)


def address_in(address: str, networks) -> bool:
    """Whether `address` is in one of `networks` ("10.0.0.0/8", "::1"); a bad one is no match."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    for network in networks:
        try:
            if ip in ipaddress.ip_network(str(network).strip(), strict=False):
                return True
        except ValueError:
            continue
    return False
