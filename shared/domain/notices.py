"""Texts and calendar entries of the mails to candidates that HR's decisions send: the rejection
notice (Chinese first, English below) and the second interview's ``.ics`` invitation (RFC 5545)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.domain.onboarding_mail import Mail, render

BANK_ZH = "中原银行"
BANK_EN = "Zhongyuan Bank"


def rejection(name: str, title: str) -> Mail:
    """The notice HR's decision to reject sends: courteous, without the internal reasons."""
    subject = f"应聘结果通知：{title} / Your application for {title}"
    lines = [
        f"{name}，您好：",
        f"感谢您关注并应聘{BANK_ZH}“{title}”岗位，也感谢您在招聘过程中投入的时间与精力。",
        "经过综合评估，我们很遗憾地通知您，您此次未能进入后续环节。",
        "您的应聘资料将按照个人信息保护的规定保存在我行人才库中；如有合适的岗位，我们会再与您联系。",
        "祝您工作顺利！",
        f"{BANK_ZH} 人力资源部",
        "",
        f"Dear {name},",
        f"Thank you for your interest in the position of \u201c{title}\u201d at {BANK_EN} and for the time you "
        "gave to our process.",
        "After careful consideration we regret to tell you that your application will not go further.",
        "Your details are kept in our talent pool as personal-data rules allow; we will contact you if a "
        "suitable position opens.",
        f"Human Resources, {BANK_EN}",
    ]
    return render(subject, lines)


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newline escaped."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def interview_ics(uid: str, starts: datetime, minutes: int, title: str, place: str, stamp: datetime) -> bytes:
    """One VEVENT in UTC: the second interview at ``starts`` for ``minutes`` (``uid`` stays the same for
    a resent invitation, so a calendar updates rather than duplicates it)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Zhongyuan Bank//Talent lifecycle//ZH",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_stamp(stamp)}",
        f"DTSTART:{_stamp(starts)}",
        f"DTEND:{_stamp(starts + timedelta(minutes=minutes))}",
        f"SUMMARY:{_ics_text(f'复试 / Second interview: {title}')}",
        f"LOCATION:{_ics_text(place)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
