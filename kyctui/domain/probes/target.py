"""The host a probe connects to (HOST[:PORT]) and the proxy the environment names, if any."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_PORT = 443
# Checked in this order; curl and Python's urllib read both spellings, the lower case first.
PROXY_VARIABLES = ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")
_NAME = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_.])?$")


@dataclass(frozen=True)
class Target:
    """A verification host and its port."""

    host: str
    port: int = DEFAULT_PORT

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def _valid_host(host: str) -> bool:
    if ":" in host:  # an IPv6 literal
        return bool(re.fullmatch(r"[0-9A-Fa-f:.]+", host))
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return len(ascii_host) <= 253 and bool(_NAME.match(ascii_host))


def parse_target(text: str, default_port: int = DEFAULT_PORT) -> Target:
    """`host`, `host:port`, `[v6]:port` or a bare IPv6 address; ValueError says what is wrong."""
    text = text.strip()
    host, port_text = text, ""
    if text.startswith("["):
        end = text.find("]")
        if end < 0 or (text[end + 1 :] and not text[end + 1 :].startswith(":")):
            raise ValueError(f"'{text}' is not HOST[:PORT]")
        host, port_text = text[1:end], text[end + 2 :]
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    if not host or not _valid_host(host):
        raise ValueError(f"'{text}' is not HOST[:PORT]: the host name is empty or not valid")
    port = default_port
    if port_text or text.endswith(":"):
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise ValueError(f"'{text}' is not HOST[:PORT]: the port must be 1-65535")
        port = int(port_text)
    return Target(host, port)


@dataclass(frozen=True)
class ProxySetting:
    """A proxy named by the environment: the variable and the proxy's host[:port], never the
    user name or password a proxy URL may carry."""

    variable: str
    host: str

    def __str__(self) -> str:
        return f"{self.host} ({self.variable})"


def proxy_from_env(environ: Mapping[str, str] | None = None) -> ProxySetting | None:
    """The proxy HTTPS traffic would be sent through, from HTTPS_PROXY or ALL_PROXY."""
    env = os.environ if environ is None else environ
    for variable in PROXY_VARIABLES:
        value = env.get(variable, "").strip()
        if not value:
            continue
        url = value if "://" in value else f"http://{value}"
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError:
            host, port = None, None
        if not host:
            return ProxySetting(variable, "(set, but not a readable address)")
        shown = f"[{host}]" if ":" in host else host
        return ProxySetting(variable, f"{shown}:{port}" if port else shown)
    return None
