"""Erasure of a candidate's personal data (PIPL art. 47): what is removed and what stays.

Pure rules, no boto3. The application's partition is rewritten item by item: personal data goes,
the anonymised scores stay (AI dimension scores, weighted score, screening score, stage reached,
requisition, department, dates), so the validity statistics keep their rows.

* ``needles`` — the person's identifying strings (name, e-mail, phone, national ID, external
  reference); every string anywhere in the partition has them replaced by ``REDACTED``.
* ``scrub_item`` — per item kind (by sort key), the fields that are personal by nature (resume text,
  transcripts, the vendor's raw payload, background-check results, offer documents) are emptied.

Where a candidate's data lives (``INVENTORY``; docs/security.md lists it with the test that checks it):
the erasure covers every place below; a test scans the whole table and every object of the bucket
after an erasure for the person's name, phone, e-mail and ID number.
"""

from __future__ import annotations

import re
from typing import Any

from shared.domain.stages import Stage

REDACTED = "[erased]"
ERASED_NAME = "[erased]"
MIN_NEEDLE = 2  # a one-character "name" would redact every text that contains the character

# Stages after which the person is (or is becoming) an employee: employment records have their own
# retention (labour law), so the candidate record that led to them is not erased on request.
EMPLOYED = frozenset({Stage.offer_signed, Stage.hired})

# Fields of the application's META item that are personal data: emptied (None for optional ones).
META_EMPTY = {"email": "", "phone": "", "national_id": "", "education": "", "experience": "", "resume_text": ""}
META_NONE = ("external_ref", "resume_file", "resume_file_error", "email_masked", "phone_masked", "national_id_masked")

# Item kinds whose personal content is removed outright (sort-key prefix → fields set to None / "").
SCRUB_FIELDS: dict[str, dict[str, Any]] = {
    "SCORE#": {"raw_payload": "", "video_url": None},
    "BGC#": {"result": None, "consent_reference": REDACTED, "vendor_reference": None, "failure_reason": None},
    "OFFER#": {"name": ERASED_NAME, "email": "", "note": None},
    "ASSESS#": {"requester_email": None},
}
# Item kinds deleted outright: video links (the objects go too), outbox and invitation markers.
DELETE_PREFIXES = ("VIDEO#", "INVITE#", "NOTICE#")


# Where a candidate's personal data lives, and what erasure does there.
INVENTORY: dict[str, str] = {
    "APP#<id> (the application's partition: META, SCORE#, BGC#, OFFER#, EVAL#, ASSESS#, VIDEO#, …)": (
        "scrubbed item by item (scores kept), link and marker items deleted"
    ),
    "INTERVIEWER#<username> / APP#<id> (the interviewers' desk, with the name)": "deleted",
    "PARKED#<requisition> / APP#<id>#… and REF#<external ref>#… (parked results, raw payload)": "deleted",
    "WEBHOOK#<webhook-id> / AI#<vendor> (delivery records, external reference)": "scrubbed",
    "PENDING#videos / <webhook-id> (a video copy the queue refused, with the vendor's URL)": "deleted",
    "PENDING#reject / <id> (a rejection notice the queue refused, keyed by the application)": "deleted",
    "REQ#<requisition>#NID#<hash> and REQ#<requisition>#REF#<ref> (uniqueness guards)": "deleted",
    "resumes/<id>/, videos/<id>/, offers/<id>/, quarantine/videos/<id>/ (objects, every version)": "deleted",
    "imports/<import>/ (uploaded spreadsheets, everyone's rows)": (
        "deleted with every version once the import's rows are stored (or the file is refused)"
    ),
    "SQS messages (import row chunks, notifications)": "consumed within minutes; the queues' retention ends the rest",
    "AUDIT#… (audit records)": "never rewritten; they hold ids, actions and reasons, no contact details",
}


def needles(fields: dict[str, Any]) -> list[str]:
    """The person's identifying strings, longest first (so a full name is replaced before a part)."""
    found: set[str] = set()
    for key in ("name", "email", "phone", "national_id", "external_ref"):
        raw = fields.get(key)
        if not isinstance(raw, str) or not raw.strip() or raw == ERASED_NAME:
            continue
        value = raw.strip()
        found.add(value)
        if key == "name":  # "Li Wei" is also named as "Li" or "Wei"; 张伟 as 张伟
            found.update(p for p in value.split() if len(p) >= MIN_NEEDLE)
        if key == "phone":
            digits = re.sub(r"\D", "", value)
            if len(digits) >= 7:
                found.add(digits)
        if key == "email":
            local = value.partition("@")[0]
            if len(local) >= 3:
                found.add(local)
    return sorted((n for n in found if len(n) >= MIN_NEEDLE), key=len, reverse=True)


def redact_text(text: str, words: list[str]) -> str:
    """``text`` with every occurrence of each needle (case-insensitive) replaced by ``REDACTED``."""
    for word in words:
        if word.lower() in text.lower():
            text = re.sub(re.escape(word), REDACTED, text, flags=re.IGNORECASE)
    return text


def redact(value: Any, words: list[str]) -> Any:
    """Every string inside ``value`` (dicts, lists) redacted; keys and non-strings unchanged."""
    if isinstance(value, str):
        return redact_text(value, words)
    if isinstance(value, dict):
        return {k: redact(v, words) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, words) for v in value]
    return value


def _keys_kept(item: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """``out`` with the item's keys, index keys and ids as they were (a needle never rewrites an id)."""
    for key, val in item.items():
        if key in ("pk", "sk", "id", "type", "stage", "department") or key.startswith("gsi") or key.endswith("_id"):
            out[key] = val
    return out


def scrub_meta(item: dict[str, Any], words: list[str]) -> dict[str, Any]:
    """The application's META item without personal data; scores, stage and dates kept."""
    out = _keys_kept(item, redact(item, words))
    out.update(META_EMPTY)
    out.update(dict.fromkeys(META_NONE))
    out["name"] = ERASED_NAME
    screening = out.get("screening")
    if isinstance(screening, dict):  # keyword snippets are excerpts of the resume
        for group in ("required", "preferred"):
            for match in screening.get(group) or []:
                match["snippet"] = None
                match["position"] = None
    if isinstance(out.get("ai"), dict):
        out["ai"]["video_url"] = None
    return out


def scrub_item(item: dict[str, Any], words: list[str]) -> dict[str, Any] | None:
    """The item of the application's partition as it stays after erasure; None to delete it."""
    sk = str(item["sk"])
    if sk == "META":
        return scrub_meta(item, words)
    if sk.startswith(DELETE_PREFIXES):
        return None
    out = _keys_kept(item, redact(item, words))
    for prefix, fields in SCRUB_FIELDS.items():
        if sk.startswith(prefix):
            out.update(fields)
    if sk.startswith("SCORE#"):  # the candidate's own words in the interview
        for question in out.get("questions") or []:
            if isinstance(question, dict):
                question["transcript_excerpt"] = ""
    return dict(out)


def object_prefixes(application_id: str) -> tuple[str, ...]:
    """The S3 prefixes that hold the application's files: resumes, interview videos (and the ones put
    in quarantine), offer documents."""
    return (
        f"resumes/{application_id}/",
        f"videos/{application_id}/",
        f"quarantine/videos/{application_id}/",
        f"offers/{application_id}/",
    )


def outside_keys(
    application_id: str, requisition_id: str, interviewers: list[str], external_ref: str | None
) -> tuple[list[dict[str, str]], list[str]]:
    """The keys of the person's items outside the partition that erasure deletes (the interviewers'
    desk items, a rejection notice still in its outbox), and the parked-result sort-key prefixes of
    ``PARKED#<requisition>`` to delete."""
    desk = [{"pk": f"INTERVIEWER#{username}", "sk": f"APP#{application_id}"} for username in interviewers]
    desk.append({"pk": "PENDING#reject", "sk": application_id})
    parked = [f"APP#{application_id}#"] + ([f"REF#{external_ref}#"] if external_ref else [])
    return desk, parked
