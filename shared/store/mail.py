"""SES: candidate e-mail, plain text and HTML, UTF-8 (Chinese first, English below)."""

from __future__ import annotations

from shared.settings import get_settings
from shared.store import aws


def send(to: str, subject: str, text: str, html: str) -> str:
    out = aws.client("ses").send_email(
        Source=get_settings().mail_from,
        Destination={"ToAddresses": [to]},
        Message={
            "Subject": {"Data": subject, "Charset": "UTF-8"},
            "Body": {"Text": {"Data": text, "Charset": "UTF-8"}, "Html": {"Data": html, "Charset": "UTF-8"}},
        },
    )
    return str(out["MessageId"])
