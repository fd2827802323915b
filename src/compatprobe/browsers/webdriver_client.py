"""A small W3C WebDriver (classic) client over HTTP: only the commands compatprobe uses."""

from __future__ import annotations

import asyncio
import http.client
import json
import urllib.error
import urllib.request
from typing import Any

from compatprobe.browsers.session import InfrastructureError


class WebDriverError(Exception):
    def __init__(self, error: str, message: str) -> None:
        self.error = error
        super().__init__(f"{error}: {message}" if message else error)


class WebDriverClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    async def request(self, method: str, path: str, body: Any = None, timeout: float = 60) -> Any:
        return await asyncio.to_thread(self._request, method, path, body, timeout)

    def _request(self, method: str, path: str, body: Any, timeout: float) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                payload = json.load(response)
        except urllib.error.HTTPError as exc:
            try:
                value = json.load(exc).get("value", {})
            except (ValueError, AttributeError, OSError, http.client.HTTPException):
                value = {}
            raise WebDriverError(value.get("error", f"HTTP {exc.code}"), value.get("message", "")) from exc
        except (OSError, http.client.HTTPException, ValueError) as exc:
            # Refused, reset, timed out, cut off mid-answer or not JSON: the server is gone or broken.
            reason = str(exc) or type(exc).__name__
            raise InfrastructureError(f"WebDriver server at {self.base_url} did not answer: {reason}") from exc
        return payload.get("value")
