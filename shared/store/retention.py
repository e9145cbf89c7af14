"""Retention of interview videos by S3 lifecycle (infra/template.json ``DocumentBucket``).

When an application ends unsuccessfully (``rejected`` or ``withdrawn``) every current version under
``videos/<application>/`` is tagged ``retention=unsuccessful``; the bucket's lifecycle rule
``unsuccessful-applicant-videos`` expires tagged objects after ``UnsuccessfulVideoRetentionDays``
and their noncurrent versions a day later. Import files (``imports/``) expire by prefix.
Videos of applicants still in the process or hired carry no tag and are kept.

Items of the talent table expire by DynamoDB TTL on ``expires_at`` (epoch seconds), set per data
kind (``Kind``) when the kind's retention starts, for the days configured in the template
parameters (settings ``*_retention_days``). TTL deletes lazily (up to days later), so the
kernel's reads (``shared/store/table.py``) treat an item past its ``expires_at`` as absent
(``is_expired``):

* ``unsuccessful_applicant`` — the application and every item of its partition, from the
  decision that ended it (rejected / withdrawn);
* ``delivery_record`` — webhook delivery records (vendor de-duplication), from receipt;
* ``parked_result`` — AI results for an application that does not exist (yet), from receipt;
* ``audit`` — audit records, from the event; kept longer than the data they describe.

A changed retention applies to items whose retention starts after the change. The tagging and the
stamping of an application's partition after an unsuccessful decision:
``ApplicationStore.after_stage_change`` (``shared/store/applications.py``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from shared.clock import wall
from shared.domain.stages import Stage
from shared.settings import get_settings

RETENTION_TAG = {"Key": "retention", "Value": "unsuccessful"}
UNSUCCESSFUL = frozenset({Stage.rejected, Stage.withdrawn})
DAY = 86_400
TTL_ATTRIBUTE = "expires_at"  # the talent table's TimeToLiveSpecification (infra/template.json)


class Kind(StrEnum):
    unsuccessful_applicant = "unsuccessful_applicant"
    delivery_record = "delivery_record"
    parked_result = "parked_result"
    audit = "audit"


def retention_days(kind: Kind) -> int:
    settings = get_settings()
    return {
        Kind.unsuccessful_applicant: settings.unsuccessful_applicant_retention_days,
        Kind.delivery_record: settings.delivery_record_retention_days,
        Kind.parked_result: settings.parked_result_retention_days,
        Kind.audit: settings.audit_retention_days,
    }[kind]


def expires_at(kind: Kind, start: float | None = None) -> int:
    """When an item of ``kind`` whose retention starts at ``start`` (epoch seconds; now) expires."""
    return int(wall() if start is None else start) + retention_days(kind) * DAY


def is_expired(item: dict[str, Any], now: float | None = None) -> bool:
    """Past its ``expires_at``: absent for every read, whether or not TTL has deleted it yet."""
    expiry = item.get(TTL_ATTRIBUTE)
    return isinstance(expiry, int | float) and expiry <= (wall() if now is None else now)
