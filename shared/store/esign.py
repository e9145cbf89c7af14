"""The e-signature vendor behind one small interface: ``EsignVendor.send(envelope) -> envelope_id``.

``HttpEsignVendor`` is the real adapter: a JSON ``POST`` (urllib, with a timeout) to the configured
URL (setting ``esign_vendor_url``), carrying the signer, the PDF and our offer id as reference.
It sends ``Idempotency-Key: <offer id>``, so a retried send (the worker crashed between the
vendor's answer and marking the offer ``sent``) gets the same envelope instead of a second one.
Any failure raises ``EsignUnavailable``: the queue message then fails and is retried.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

DEFAULT_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Envelope:
    offer_id: str
    signer_name: str
    signer_email: str
    subject: str
    expires_on: str
    document_name: str
    document_pdf: bytes


class EsignUnavailable(Exception):
    """The vendor did not take the envelope (network, timeout, an error answer): try again later."""


class EsignVendor(Protocol):
    def send(self, envelope: Envelope) -> str: ...


class HttpEsignVendor:
    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError("the e-signature vendor URL must be http(s)")
        self.url = url
        self.timeout = timeout

    def send(self, envelope: Envelope) -> str:
        payload = {
            "reference": envelope.offer_id,
            "subject": envelope.subject,
            "signer": {"name": envelope.signer_name, "email": envelope.signer_email},
            "expires_on": envelope.expires_on,
            "document": {
                "filename": envelope.document_name,
                "content_type": "application/pdf",
                "content_base64": base64.b64encode(envelope.document_pdf).decode(),
            },
        }
        request = urllib.request.Request(  # noqa: S310 (http(s) only, checked in __init__)
            self.url,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Idempotency-Key": envelope.offer_id},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (http(s) only)
                answer = json.loads(response.read(1_048_576) or b"{}")
        except urllib.error.HTTPError as exc:
            raise EsignUnavailable(f"the e-signature vendor answered {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise EsignUnavailable(f"the e-signature vendor is unreachable: {exc}") from exc
        except ValueError as exc:
            raise EsignUnavailable("the e-signature vendor's answer is not JSON") from exc
        envelope_id = answer.get("envelope_id") if isinstance(answer, dict) else None
        if not isinstance(envelope_id, str) or not envelope_id:
            raise EsignUnavailable("the e-signature vendor's answer has no envelope_id")
        return envelope_id
