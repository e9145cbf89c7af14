"""The product's vocabulary for the console: the one table of terms and labels (shared/vocabulary.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from functions.http import Call, ok
from functions.verbs import Routes
from shared import vocabulary as terms
from shared.models.console import TermView, Vocabulary

bp = Routes(__name__)


def _views(table: Mapping[str, terms.Term]) -> list[TermView]:
    return [TermView(key=key, zh=term.zh, en=term.en) for key, term in table.items()]


@bp.get("/vocabulary", public=True, response=Vocabulary)
def vocabulary(call: Call) -> Any:
    """Interview dimensions, stages, roles, question-bank families and recommendations, each in its
    canonical order with its Chinese and English label: the console shows these labels, the mails and
    documents use the same ones. Public, like the console's own files: no personal data."""
    return ok(
        Vocabulary(
            dimensions=_views(terms.DIMENSIONS),
            stages=_views(terms.STAGES),
            roles=_views(terms.ROLES),
            families=_views(terms.FAMILIES),
            recommendations=_views(terms.RECOMMENDATIONS),
        )
    )
