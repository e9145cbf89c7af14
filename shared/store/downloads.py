"""Fetching a file a vendor offers by URL (urllib; no extra dependency).

Only http and https. Unless allowed, every address the host resolves to (and that of every redirect)
must be public: a vendor-supplied URL must not reach the function's own network (metadata endpoints,
VPC services). Residual risk: a host that resolves differently between the check and the connection
(DNS rebinding); even then only a video/mp4 or video/webm answer is stored.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from types import TracebackType
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

MAX_REDIRECTS = 5
USER_AGENT = "talent-lifecycle/1 (interview video copy)"
READ_CHUNK = 1_048_576


class FetchRefused(Exception):
    """The URL or its answer can never be accepted (scheme, address, status, type, size)."""


class FetchFailed(Exception):
    """The fetch failed in a way that may pass on a retry (network, timeout, 5xx, 429)."""


def redact(url: str) -> str:
    """The URL without credentials, query or fragment (signed CDN URLs carry secrets there)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def check_url(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchRefused(f"only http and https URLs are fetched, not {parts.scheme or 'a relative URL'!r}")
    if not parts.hostname:
        raise FetchRefused("the URL has no host")
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as exc:
        raise FetchFailed(f"cannot resolve {parts.hostname}: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            raise FetchRefused(f"{parts.hostname} resolves to a non-public address ({address})")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        check_url(newurl, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass
class Download:
    """An open response: its media type, its declared length and a size- and time-bounded body."""

    content_type: str
    length: int | None
    response: http.client.HTTPResponse
    max_bytes: int
    deadline: float
    received: int = 0

    def read(self, size: int = -1, /) -> bytes:
        """Exactly ``size`` bytes unless the body ends first (all of it for -1), as file objects do:
        S3's transfer manager takes a short read for the end of the file."""
        parts: list[bytes] = []
        got = 0
        while size < 0 or got < size:
            chunk = self._read_some(READ_CHUNK if size < 0 else min(READ_CHUNK, size - got))
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
        return b"".join(parts)

    def _read_some(self, amount: int) -> bytes:
        if time.monotonic() > self.deadline:
            raise FetchFailed("the download took too long")
        try:
            chunk = self.response.read(amount)
        except (OSError, http.client.HTTPException) as exc:
            raise FetchFailed(f"the download broke off: {exc}") from exc
        self.received += len(chunk)
        if self.received > self.max_bytes:
            raise FetchRefused(f"the file is larger than {self.max_bytes} bytes")
        return chunk

    def __enter__(self) -> Download:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.response.close()


def open_url(url: str, *, timeout: float, deadline_seconds: float, max_bytes: int, allow_private: bool) -> Download:
    """Open ``url`` for streaming. ``timeout`` bounds connecting and each read; ``deadline_seconds``
    the whole download. Raises ``FetchRefused`` (permanent) or ``FetchFailed`` (worth a retry)."""
    check_url(url, allow_private)
    opener = urllib.request.build_opener(_CheckedRedirects(allow_private))
    headers = {"User-Agent": USER_AGENT, "Accept": "video/mp4, video/webm"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - check_url allows http(s) only
    try:
        response = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code >= 500 or exc.code in {408, 425, 429}:
            raise FetchFailed(f"the server answered {exc.code}") from exc
        raise FetchRefused(f"the server answered {exc.code}") from exc
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise FetchFailed(f"cannot fetch the URL: {getattr(exc, 'reason', exc)}") from exc
    content_type = (response.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
    declared = response.headers.get("Content-Length")
    length = int(declared) if declared and declared.isdigit() else None
    return Download(content_type, length, response, max_bytes, time.monotonic() + deadline_seconds)
