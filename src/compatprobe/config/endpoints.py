"""Remote endpoints (Playwright servers, WebDriver grids): the URL as recorded and the URL as used.

A URL may carry credentials (`https://${USER}:${KEY}@hub.example/wd/hub`). What compatprobe records
is the URL as written without its user part; what it connects to is the expanded URL, with the user
part moved into an `Authorization: Basic` header because HTTP clients do not send it from the URL.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

from compatprobe.config.envvars import REFERENCE, expand


@dataclass(frozen=True)
class Endpoint:
    url: str  # expanded, without the user part
    headers: dict[str, str]  # expanded, with Authorization when the URL had a user part


def public_url(template: str) -> str:
    """The URL as written in the matrix, without any user part: safe to record and show."""
    parts = urlsplit(template)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=host))


def literal_password(template: str) -> bool:
    """Whether the URL holds a password written out instead of referenced as `${NAME}`."""
    userinfo = urlsplit(template).netloc.rpartition("@")[0]
    _, colon, password = userinfo.partition(":")
    return bool(colon and password and REFERENCE.sub("", password))


def resolve_endpoint(template: str, headers: Mapping[str, str], env: Mapping[str, str]) -> Endpoint:
    parts = urlsplit(template)
    userinfo, at, host = parts.netloc.rpartition("@")
    expanded_headers = {name: expand(value, env) for name, value in headers.items()}
    if at:
        user, _, password = userinfo.partition(":")
        # Unquote what is written, then expand: a variable's value is used as it is.
        token = f"{expand(unquote(user), env)}:{expand(unquote(password), env)}"
        expanded_headers.setdefault("Authorization", "Basic " + base64.b64encode(token.encode()).decode())
    url = expand(urlunsplit(parts._replace(netloc=host)), env)
    return Endpoint(url=url, headers=expanded_headers)
