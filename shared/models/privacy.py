"""Privacy: erasure of a candidate's personal data and the explanation of automated assessment."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from shared.domain.stages import Stage
from shared.models.common import Request, Response

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ErasureRequest(Request):
    """Why the person's data is erased (e.g. the candidate's request under PIPL art. 47); audited."""

    reason: Reason = Field(description="why the personal data is erased; recorded in the audit trail")


class ErasureReceipt(Response):
    """``erased`` on the call that erased; ``already_erased`` on every later call (200 both times)."""

    application_id: str
    status: Literal["erased", "already_erased"]
    erased_at: str
    erased_by: str
    stage_reached: Stage
    items_scrubbed: int = Field(description="items of the archive rewritten without personal data (this call)")
    items_deleted: int = Field(description="video links and mail markers removed (this call)")
    objects_deleted: int = Field(description="S3 object versions removed: resume, videos, offer documents (this call)")
    kept: list[str] = Field(description="what stays, anonymised, for the validity statistics")
