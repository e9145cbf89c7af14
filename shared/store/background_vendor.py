"""The background-check vendor's HTTP API (the adapter behind ``shared.domain.background.BackgroundVendor``).

``POST <base_url>/orders`` with the order as JSON and ``Idempotency-Key: <our check id>``; the
vendor answers 2xx with ``{"vendor_reference": "..."}`` — the same reference again for an order it
already has. Anything else (a refusal, a 5xx, a timeout, a connection error, an answer without a
reference) is a ``VendorError``: the order message fails and is retried with backoff.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from shared.domain.background import DEFAULT_VENDOR, VendorError
from shared.models.background import VendorOrder
from shared.settings import get_settings

MAX_ANSWER_BYTES = 65_536


class HttpBackgroundVendor:
    def __init__(self, base_url: str, vendor_id: str = DEFAULT_VENDOR, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.vendor_id = vendor_id
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> HttpBackgroundVendor:
        settings = get_settings()
        return cls(settings.background_vendor_url, timeout=settings.background_vendor_timeout_seconds)

    def submit(self, order: VendorOrder) -> str:
        if not self.base_url.startswith(("http://", "https://")):
            raise VendorError(f"the vendor URL {self.base_url!r} is not an http(s) URL")
        request = urllib.request.Request(  # noqa: S310 (http(s) only, checked above)
            f"{self.base_url}/orders",
            data=order.model_dump_json().encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Idempotency-Key": order.reference},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (http(s) only)
                raw = response.read(MAX_ANSWER_BYTES)
        except urllib.error.HTTPError as exc:
            raise VendorError(f"the vendor answered {exc.code} to order {order.reference}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise VendorError(f"the vendor could not be reached for order {order.reference}: {exc}") from exc
        try:
            answer: Any = json.loads(raw)
            reference = answer["vendor_reference"]
        except (ValueError, KeyError, TypeError) as exc:
            raise VendorError(f"the vendor's answer to order {order.reference} has no vendor_reference") from exc
        if not isinstance(reference, str) or not reference.strip():
            raise VendorError(f"the vendor's answer to order {order.reference} has no vendor_reference")
        return reference.strip()
