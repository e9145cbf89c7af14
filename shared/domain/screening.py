"""Resume keyword screening.

Works on Chinese text without any whitespace tokenisation: text is NFKC-normalised (full-width
letters, digits and punctuation become half-width), case-folded and searched by substring. A
keyword made of Latin letters or digits must stand on word boundaries (``IT`` does not match
``audit``); CJK keywords match anywhere. Each keyword matches through its term or any alias.

Score (0-100): 70 x share of required keywords matched + 30 x share of preferred keywords matched
(a missing list counts as fully matched). An application passes when every required keyword
matched. A failing application is only *proposed* for rejection: a person decides (PIPL art. 24).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

REQUIRED_SHARE = 70.0
PREFERRED_SHARE = 30.0
SNIPPET_RADIUS = 12


def normalise(text: str) -> str:
    """Full-width → half-width, compatibility forms folded, case folded, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", " ", folded)


@dataclass(frozen=True)
class KeywordSpec:
    term: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    term: str
    matched: bool
    via: str | None = None
    field: str | None = None
    position: int | None = None
    snippet: str | None = None


@dataclass(frozen=True)
class ScreeningOutcome:
    passed: bool
    score: float
    required: tuple[Match, ...]
    preferred: tuple[Match, ...]

    @property
    def missing_required(self) -> list[str]:
        return [m.term for m in self.required if not m.matched]

    @property
    def proposal(self) -> str:
        return "advance" if self.passed else "reject"

    def explanation(self) -> str:
        req_hit = sum(m.matched for m in self.required)
        pref_hit = sum(m.matched for m in self.preferred)
        parts = [f"required {req_hit}/{len(self.required)}", f"preferred {pref_hit}/{len(self.preferred)}"]
        if self.missing_required:
            parts.append("missing required: " + ", ".join(self.missing_required))
        verdict = "meets the required keywords" if self.passed else "proposed for rejection (HR decides)"
        return f"{verdict}; " + "; ".join(parts) + f"; score {self.score:.1f}"


@lru_cache(maxsize=4096)
def _pattern(alias: str) -> re.Pattern[str]:
    needle = normalise(alias).strip()
    escaped = re.escape(needle)
    # Latin/digit edges need a word boundary; CJK edges do not.
    if needle[:1].isascii() and needle[:1].isalnum():
        escaped = r"(?<![a-z0-9])" + escaped
    if needle[-1:].isascii() and needle[-1:].isalnum():
        escaped = escaped + r"(?![a-z0-9])"
    return re.compile(escaped)


def _find(spec: KeywordSpec, fields: Mapping[str, str]) -> Match:
    for alias in (spec.term, *spec.aliases):
        if not normalise(alias).strip():
            continue
        pattern = _pattern(alias)
        for field_name, text in fields.items():
            found = pattern.search(text)
            if found:
                start, end = found.span()
                snippet = text[max(0, start - SNIPPET_RADIUS) : end + SNIPPET_RADIUS]
                return Match(spec.term, True, alias, field_name, start, snippet)
    return Match(spec.term, False)


def screen(
    fields: Mapping[str, str | None],
    required: Sequence[KeywordSpec],
    preferred: Sequence[KeywordSpec],
) -> ScreeningOutcome:
    """Match keywords against the named text fields of an application (e.g. resume_text, education)."""
    normalised = {name: normalise(text) for name, text in fields.items() if text}
    req = tuple(_find(k, normalised) for k in required)
    pref = tuple(_find(k, normalised) for k in preferred)
    req_share = sum(m.matched for m in req) / len(req) if req else 1.0
    pref_share = sum(m.matched for m in pref) / len(pref) if pref else 1.0
    score = round(REQUIRED_SHARE * req_share + PREFERRED_SHARE * pref_share, 2)
    return ScreeningOutcome(passed=all(m.matched for m in req), score=score, required=req, preferred=pref)
