"""The local stack shows the e-mail the product sent."""

from __future__ import annotations

import boto3
from moto import mock_aws

from infra.local.admin import sent_mail


def test_sent_mail_lists_what_ses_accepted() -> None:
    with mock_aws():
        ses = boto3.client("ses", region_name="us-east-1")
        ses.verify_email_identity(EmailAddress="recruiting@zybank.example")
        # When the product sends an invitation
        ses.send_email(
            Source="recruiting@zybank.example",
            Destination={"ToAddresses": ["li.ming@example.com"]},
            Message={"Subject": {"Data": "复试邀请"}, "Body": {"Text": {"Data": "时间：2026年12月8日"}}},
        )
        # Then the admin endpoint's listing shows it
        [mail] = sent_mail()
        assert mail["to"] == ["li.ming@example.com"] and mail["subject"] == "复试邀请"
        assert "2026年12月8日" in mail["body"]
