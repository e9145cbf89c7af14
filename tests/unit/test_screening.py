"""Resume screening on Chinese text."""

from __future__ import annotations

from shared.domain.screening import KeywordSpec, normalise, screen

FIN = KeywordSpec("金融从业经验", ("银行工作经历", "证券从业"))
DEGREE = KeywordSpec("本科", ("学士", "Bachelor"))
CFA = KeywordSpec("CFA", ("特许金融分析师",))
IT = KeywordSpec("IT")


def test_full_width_and_case_are_normalised() -> None:
    assert normalise("ＣＦＡ　证书 ABC") == "cfa 证书 abc"


def test_alias_matches_inside_chinese_text_without_spaces() -> None:
    # Given a resume that says 银行工作经历 inside a sentence with no spaces
    outcome = screen({"resume_text": "本人拥有五年银行工作经历并持有ｃｆａ"}, [FIN], [CFA])
    # Then the required keyword matches through its alias, and the full-width preferred one too
    assert outcome.passed
    assert outcome.required[0].via == "银行工作经历"
    assert outcome.required[0].field == "resume_text"
    assert outcome.required[0].snippet and "银行工作经历" in outcome.required[0].snippet
    assert outcome.preferred[0].matched
    assert outcome.score == 100.0


def test_latin_keywords_need_word_boundaries_but_cjk_do_not() -> None:
    assert not screen({"r": "audit and compliance"}, [IT], []).passed
    assert screen({"r": "负责IT运维"}, [IT], []).passed
    assert screen({"r": "it/data team"}, [IT], []).passed


def test_missing_required_keyword_is_a_proposal_not_a_decision() -> None:
    outcome = screen({"resume_text": "应届毕业生", "education": "学士学位"}, [FIN, DEGREE], [CFA])
    assert not outcome.passed
    assert outcome.proposal == "reject"
    assert outcome.missing_required == ["金融从业经验"]
    assert outcome.required[1].field == "education"
    # 70 × 1/2 + 30 × 0/1
    assert outcome.score == 35.0
    assert "proposed for rejection" in outcome.explanation()


def test_no_keywords_means_everyone_passes_with_full_score() -> None:
    outcome = screen({"resume_text": ""}, [], [])
    assert outcome.passed and outcome.score == 100.0


def test_regex_characters_in_keywords_are_literal() -> None:
    spec = KeywordSpec("C++")
    assert screen({"r": "精通C++开发"}, [spec], []).passed
    assert not screen({"r": "精通C开发"}, [spec], []).passed
