"""The e-mail the product sent through SES (moto keeps every message instead of delivering it): each
as ``subject``, ``body`` (the plain text), ``destinations`` and ``attachments``, whether it was sent
simple or as MIME (``SendRawEmail``, a mail with a calendar entry)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from infra.local.admin import readable
from tests.support.stack import REGION


@dataclass
class SentMail:
    subject: str
    body: str
    destinations: dict[str, list[str]]
    attachments: list[dict[str, Any]] = field(default_factory=list)


def sent_mail() -> list[SentMail]:
    out = []
    for m in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages:
        r = readable(m)
        out.append(SentMail(r["subject"], r["body"], {"ToAddresses": r["to"]}, r["attachments"]))
    return out


def mail_to(address: str) -> list[SentMail]:
    return [m for m in sent_mail() if address in m.destinations["ToAddresses"]]
