"""SES: candidate e-mail, plain text and HTML, UTF-8 (Chinese first, English below); a mail with an
attachment (the second interview's calendar entry) goes as a MIME message (``SendRawEmail``)."""

from __future__ import annotations

from email.message import EmailMessage

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


def send_with_calendar(to: str, subject: str, text: str, html: str, filename: str, ics: bytes) -> str:
    """The mail with an ``.ics`` calendar entry attached (``text/calendar; method=REQUEST``)."""
    source = get_settings().mail_from
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = subject, source, to
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message.add_attachment(ics.decode("utf-8"), subtype="calendar", filename=filename, params={"method": "REQUEST"})
    # (the recipients come from the To header: naming them again in Destinations counts each one twice)
    out = aws.client("ses").send_raw_email(Source=source, RawMessage={"Data": message.as_bytes()})
    return str(out["MessageId"])
