"""A small W3C WebDriver (classic) client over HTTP: only the commands compatprobe uses."""

from __future__ import annotations

import asyncio
import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from compatprobe.browsers.session import InfrastructureError


class WebDriverError(Exception):
    def __init__(self, error: str, message: str) -> None:
        self.error = error
        # Drivers often start the message with the error code itself ("session not created: ...").
        super().__init__(message if message.startswith(error) else f"{error}: {message}".rstrip(": "))


class WebDriverClient:
    """`base_url` is what it connects to; `name` is how messages call the server (no credentials)."""

    def __init__(self, base_url: str, headers: Mapping[str, str] | None = None, name: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = dict(headers or {})
        self.name = name or self.base_url

    async def request(self, method: str, path: str, body: Any = None, timeout: float = 60) -> Any:
        return await asyncio.to_thread(self._request, method, path, body, timeout)

    def _request(self, method: str, path: str, body: Any, timeout: float) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={**self.headers, "Content-Type": "application/json; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                payload = json.load(response)
        except urllib.error.HTTPError as exc:
            try:
                value = json.load(exc).get("value", {})
            except (ValueError, AttributeError, OSError, http.client.HTTPException):
                value = {}
            if not isinstance(value, dict):
                value = {}
            # One line: messages end up in progress lines and table footnotes.
            message = " ".join(str(value.get("message", "")).split())
            raise WebDriverError(value.get("error", f"HTTP {exc.code}"), message) from exc
        except (OSError, http.client.HTTPException) as exc:
            # Refused, reset, timed out or cut off mid-answer: the server is gone or broken.
            reason = (exc.reason if isinstance(exc, urllib.error.URLError) else str(exc)) or type(exc).__name__
            raise InfrastructureError(f"the WebDriver server {self.name} did not answer: {reason}") from exc
        except json.JSONDecodeError as exc:
            raise InfrastructureError(f"the WebDriver server {self.name} did not answer in JSON") from exc
        return payload.get("value") if isinstance(payload, dict) else None
