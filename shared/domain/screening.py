"""Resume keyword screening.

Works on Chinese text without any whitespace tokenisation: text is NFKC-normalised (full-width
letters, digits and punctuation become half-width), case-folded, converted from Traditional to
Simplified script (OpenCC's ``t2s``, so 銀行工作經歷 and 银行工作经历 are the same words) and searched by
substring. A keyword made of Latin letters or digits must stand on word boundaries (``IT`` does not
match ``audit``); CJK keywords match anywhere. Each keyword matches through its term or any alias.

**Negation.** An occurrence is *negated* when a negator (没有, 无, 不具备, 未, 非, 缺乏 …) stands
before it in the same clause (clauses end at ，。；！？, a line break, or a turn such as 但 / 而是),
or when a form field answers it with a negator (``金融从业经验：无``). Words that merely contain a
negator's character (非常, 无论, 未来, 无锡 …) negate nothing, and a double negative (并非没有, 不乏)
affirms. A keyword whose every occurrence is
negated is not matched, and its match says which negator and where.

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
from typing import Any

from shared.models.application import KeywordMatchView

REQUIRED_SHARE = 70.0
PREFERRED_SHARE = 30.0
SNIPPET_RADIUS = 12

# Negators, longest first so that 没有 wins over 没 and 不具备 over nothing shorter.
NEGATORS = (
    "不具备", "不具有", "从未有", "没有", "没", "无任何", "尚无", "暂无", "毫无", "并无", "无", "未曾",
    "从未", "尚未", "未", "并非", "不是", "非", "缺乏", "缺少", "不曾", "不符合",
)  # fmt: skip
# Words that contain a negator's character but negate nothing.
NOT_NEGATING = (
    "非常", "非凡", "非但", "除非", "无论", "无需", "无须", "无疑", "无锡", "无缝", "无私", "未来",
    "未必", "没收",
)  # fmt: skip
# Double negatives: they affirm what follows.
AFFIRMING = ("并非没有", "不是没有", "并非不具备", "无一不", "不乏")
# What ends a negation's scope: clause punctuation (after NFKC, so full-width forms are folded) and turns.
CLAUSE_END = re.compile(r"[,.;!?，。；！？\n]|但是|但|而是|不过|然而|却")
# A form field answered in the negative right after the keyword: 金融从业经验:无 / 证书: 暂无.
ANSWERED_NO = re.compile(r"\s*[:：]\s*(无|没有|暂无|否|不具备)\s*(?:[,.;!?，。；！？\n]|$)")
_NEGATOR = re.compile("|".join(map(re.escape, AFFIRMING + NOT_NEGATING + NEGATORS)))


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc  # a compiled extension: loaded on the first screening, not on import

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional → Simplified (character and phrase tables; lengths stay the same)."""
    return str(_converter().convert(text)) if text else text


def normalise(text: str) -> str:
    """Full-width → half-width, compatibility forms folded, case folded, whitespace collapsed, Simplified script."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return simplified(re.sub(r"\s+", " ", folded))


@dataclass(frozen=True)
class KeywordSpec:
    term: str
    aliases: tuple[str, ...] = ()


Match = KeywordMatchView
"""One keyword's match: through which term or alias, where, the snippet, or the negator that unmatched it."""


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
    def negated(self) -> list[Match]:
        return [m for m in (*self.required, *self.preferred) if m.negated_by]

    @property
    def proposal(self) -> str:
        return "advance" if self.passed else "reject"

    def explanation(self) -> str:
        req_hit = sum(m.matched for m in self.required)
        pref_hit = sum(m.matched for m in self.preferred)
        parts = [f"required {req_hit}/{len(self.required)}", f"preferred {pref_hit}/{len(self.preferred)}"]
        if self.missing_required:
            parts.append("missing required: " + ", ".join(self.missing_required))
        parts += [f"{m.term} not matched: negated by {m.negated_by} in '{m.snippet}'" for m in self.negated]
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


def negator_before(text: str, start: int, end: int) -> str | None:
    """The negator that governs the keyword at ``text[start:end]``, or None when it stands affirmed."""
    clause_start = 0
    for stop in CLAUSE_END.finditer(text, 0, start):
        clause_start = stop.end()
    negator = None
    for found in _NEGATOR.finditer(text, clause_start, start):
        word = found.group()
        if word in AFFIRMING:
            negator = None
        elif word not in NOT_NEGATING:
            negator = word
    if negator is None and (answer := ANSWERED_NO.match(text, end)):
        negator = answer.group(1)
    return negator


def _snippet(text: str, start: int, end: int) -> str:
    return text[max(0, start - SNIPPET_RADIUS) : end + SNIPPET_RADIUS]


def _find(spec: KeywordSpec, fields: Mapping[str, str]) -> Match:
    negated: Match | None = None
    for alias in (spec.term, *spec.aliases):
        if not normalise(alias).strip():
            continue
        pattern = _pattern(alias)
        for field_name, text in fields.items():
            for found in pattern.finditer(text):
                start, end = found.span()
                negator = negator_before(text, start, end)
                if negator is not None and negated is not None:
                    continue  # the first negated occurrence is the one a match reports
                match = Match(
                    term=spec.term,
                    matched=negator is None,
                    via=alias,
                    field=field_name,
                    position=start,
                    snippet=_snippet(text, start, end),
                    negated_by=negator,
                )
                if negator is None:
                    return match
                negated = match
    return negated or Match(term=spec.term, matched=False)


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
