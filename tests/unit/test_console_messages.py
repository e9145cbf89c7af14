"""The console's texts (console/src/messages.json): every key in both languages, every key the scripts
ask for present, the same placeholders in both languages, and a Chinese label for every error code
and enum value the console shows through its one label table (``enumLabel``)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import get_args

import pytest

from shared import errors
from shared.domain.confidence import FLAGS
from shared.domain.performance import POOLS
from shared.models.background import CreditRecord, PerformanceRank

CONSOLE = Path(__file__).resolve().parents[2] / "console" / "src"
MESSAGES: dict[str, list[str]] = json.loads((CONSOLE / "messages.json").read_text("utf-8"))
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SCRIPTS = {p.name: p.read_text("utf-8") for p in sorted(CONSOLE.glob("*.js"))}
CJK = re.compile(r"[\u4e00-\u9fff]")
LETTERS = re.compile(r"[A-Za-z]{3,}")
# Chinese texts that may be Latin only: the switch to English, an acronym Chinese uses as it is.
LATIN_IN_CHINESE = {"app.switch", "perf.kpi"}


def test_every_key_has_a_chinese_and_an_english_text_with_the_same_placeholders() -> None:
    # Given the console's texts / Then each key has exactly [Chinese, English], neither empty
    bad = [k for k, v in MESSAGES.items() if not (isinstance(v, list) and len(v) == 2 and all(x.strip() for x in v))]
    assert bad == []
    # And every Chinese text is Chinese (no English word left in it) unless it is a name or a number
    english = [k for k, (zh, _) in MESSAGES.items() if not CJK.search(zh) and LETTERS.search(zh)]
    assert set(english) <= LATIN_IN_CHINESE, english
    # And both languages fill the same placeholders
    mismatched = [
        k for k, (zh, en) in MESSAGES.items() if set(re.findall(r"\{(\w+)\}", zh)) != set(re.findall(r"\{(\w+)\}", en))
    ]
    assert mismatched == []


def test_every_key_a_script_asks_for_exists() -> None:
    # Given every literal key passed to t('…') and every prefix of a composed key t(`prefix.${…}`)
    literal = {(name, k) for name, src in SCRIPTS.items() for k in re.findall(r"\bt\('([a-z_][\w.]*)'", src)}
    prefixes = {(name, k) for name, src in SCRIPTS.items() for k in re.findall(r"\bt\(`([a-z_][\w.]*\.)\$\{", src)}
    # Then each literal key exists, and each prefix has at least one key
    assert sorted(f"{n}: {k}" for n, k in literal if k not in MESSAGES) == []
    assert sorted(f"{n}: {p}" for n, p in prefixes if not any(k.startswith(p) for k in MESSAGES)) == []


def units() -> set[str]:
    """The units of the seed KPI library (HR may add others: those show as typed)."""
    library = json.loads((DATA / "indicator_library.json").read_text("utf-8"))["families"]
    return {k["unit"] for dimensions in library.values() for kpis in dimensions.values() for k in kpis}


def codes() -> set[str]:
    def walk(kind: type[errors.DomainError]) -> set[str]:
        return {kind.code} | {c for sub in kind.__subclasses__() for c in walk(sub)}

    return walk(errors.DomainError) | {"internal_error"}


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("errcode.", codes()),
        ("enum.rank.", {r.value for r in PerformanceRank}),
        ("enum.credit.", set(get_args(CreditRecord.model_fields["status"].annotation))),
        ("enum.confidence_flag.", set(FLAGS)),
        ("enum.pool.", set(POOLS)),
        ("enum.pool_description.", set(POOLS)),
        ("enum.unit.", units()),
    ],
    ids=[
        "error codes",
        "performance ranks",
        "credit statuses",
        "confidence flags",
        "talent pools",
        "pool descriptions",
        "KPI units",
    ],
)
def test_every_value_the_api_may_send_has_a_label(prefix: str, values: set[str]) -> None:
    # Given the values the API may send for one kind / Then each has its label in both languages
    assert sorted(v for v in values if f"{prefix}{v}" not in MESSAGES) == []


def test_no_page_shows_the_apis_english_error_prose() -> None:
    # Given the scripts / Then none puts an error's message on the page: errors go through errorText
    # (the code's Chinese text, or the code itself)
    assert [n for n, src in SCRIPTS.items() if n != "ui.js" and "err.message" in src] == []
