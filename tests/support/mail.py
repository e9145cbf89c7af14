"""The e-mail the product sent through SES (moto keeps every message instead of delivering it)."""

from __future__ import annotations

from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from tests.support.stack import REGION


def sent_mail() -> list[Any]:
    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def mail_to(address: str) -> list[Any]:
    return [m for m in sent_mail() if address in m.destinations["ToAddresses"]]
