"""Resume screening on Chinese text."""

from __future__ import annotations

import pytest

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


# -- Chinese as resumes write it: negation scope and both scripts ----------------------------------

CUSTOMER_MANAGER = KeywordSpec("客户经理")
ANALYSIS = KeywordSpec("数据分析")
RISK = KeywordSpec("风险管理")
SECURITIES = KeywordSpec("证券从业资格")

# (keyword, resume sentence, matched, the negator that unmatched it)
SENTENCES: list[tuple[KeywordSpec, str, bool, str | None]] = [
    # Simplified, affirmed
    (FIN, "本人拥有五年银行工作经历，熟悉对公信贷流程", True, None),
    (CUSTOMER_MANAGER, "2019年至今在招商银行郑州分行担任客户经理", True, None),
    (ANALYSIS, "熟练掌握数据分析工具，如Python与SQL", True, None),
    (DEGREE, "毕业于郑州大学金融学专业，获经济学学士学位", True, None),
    (ANALYSIS, "非常擅长数据分析，曾独立完成客户分层模型", True, None),
    (ANALYSIS, "无论在校期间还是实习期间，都积累了数据分析经验", True, None),
    (RISK, "曾在无锡农商行从事风险管理工作两年", True, None),
    (CUSTOMER_MANAGER, "未来希望在银行继续从事客户经理工作", True, None),
    (FIN, "并非没有银行工作经历，曾在农业银行实习半年", True, None),
    (FIN, "没有证券从业资格，但有三年银行工作经历", True, None),
    (CFA, "已持有CFA二级证书", True, None),
    (SECURITIES, "具备证券从业资格，熟悉两融业务", True, None),
    (FIN, "无不良信用记录；具备银行工作经历", True, None),
    (FIN, "金融从业经验：三年（城商行柜员）", True, None),
    (RISK, "不是应届生，而是有四年风险管理经验的从业者", True, None),
    (CUSTOMER_MANAGER, "虽然没有证书，但做过两年客户经理", True, None),
    # Simplified, negated
    (FIN, "本人没有银行工作经历", False, "没有"),
    (FIN, "无银行工作经历，应届毕业生", False, "无"),
    (SECURITIES, "目前不具备证券从业资格，正在备考", False, "不具备"),
    (CFA, "未取得CFA证书", False, "未"),
    (FIN, "非金融专业，暂无金融从业经验", False, "暂无"),
    (CUSTOMER_MANAGER, "从未担任过客户经理，主要做后台运营", False, "从未"),
    (ANALYSIS, "缺乏数据分析经验，希望在岗位上学习", False, "缺乏"),
    (DEGREE, "尚未获得学士学位，预计明年毕业", False, "尚未"),
    (FIN, "金融从业经验：无", False, "无"),
    (DEGREE, "本人并非本科学历，为大专毕业", False, "并非"),
    (RISK, "本人目前没有系统的风险管理经验", False, "没有"),
    (CUSTOMER_MANAGER, "缺少一线客户经理经验", False, "缺少"),
    (RISK, "未曾参与风险管理项目", False, "未曾"),
    (FIN, "非银行工作经历，均为互联网公司经历", False, "非"),
    # Traditional, affirmed
    (FIN, "本人擁有五年銀行工作經歷，熟悉對公信貸流程", True, None),
    (DEGREE, "畢業於台灣大學，獲經濟學學士學位", True, None),
    (CUSTOMER_MANAGER, "曾任職於台新銀行，擔任客戶經理三年", True, None),
    (ANALYSIS, "熟悉數據分析與風險管理", True, None),
    (CFA, "持有ＣＦＡ證書", True, None),
    (SECURITIES, "具備證券從業資格", True, None),
    (RISK, "非常熟悉風險管理相關法規", True, None),
    (FIN, "沒有證券從業資格，但擁有三年銀行工作經歷", True, None),
    # Traditional, negated
    (FIN, "本人沒有銀行工作經歷", False, "没有"),
    (FIN, "無銀行工作經歷，應屆畢業生", False, "无"),
    (SECURITIES, "不具備證券從業資格", False, "不具备"),
    (CUSTOMER_MANAGER, "從未擔任客戶經理", False, "从未"),
    (ANALYSIS, "尚無數據分析經驗", False, "尚无"),
    (DEGREE, "並非本科學歷", False, "并非"),
    (DEGREE, "未取得學士學位", False, "未"),
    (FIN, "金融從業經驗：無", False, "无"),
]


def test_the_sentence_table_covers_both_scripts_and_both_polarities() -> None:
    assert len(SENTENCES) >= 40
    assert sum(not matched for _, _, matched, _ in SENTENCES) >= 20


@pytest.mark.parametrize(("spec", "sentence", "matched", "negator"), SENTENCES, ids=[s[1] for s in SENTENCES])
def test_resume_sentence(spec: KeywordSpec, sentence: str, matched: bool, negator: str | None) -> None:
    # Given a requisition that requires the keyword, and a resume of one sentence
    # When it is screened
    outcome = screen({"resume_text": sentence}, [spec], [])
    # Then the keyword is matched unless a negator governs it, and the match names that negator
    match = outcome.required[0]
    assert match.matched is matched
    assert match.negated_by == negator
    assert outcome.passed is matched


def test_a_negated_keyword_is_explained_with_its_negator_and_words() -> None:
    # Given a resume that says it has no bank experience
    outcome = screen({"resume_text": "本人沒有銀行工作經歷，應屆畢業生"}, [FIN], [])
    # Then the keyword is missing, and the explanation says it was negated, by what, and where
    assert outcome.missing_required == ["金融从业经验"]
    assert outcome.required[0].via == "银行工作经历"
    assert outcome.required[0].snippet and "没有银行工作经历" in outcome.required[0].snippet
    assert "金融从业经验 not matched: negated by 没有" in outcome.explanation()


def test_an_affirmed_occurrence_wins_over_an_earlier_negated_one() -> None:
    # Given a resume that negates the keyword in one field and affirms it in another
    outcome = screen({"resume_text": "没有银行工作经历的空窗期", "experience": "2020-2023 银行工作经历"}, [FIN], [])
    # Then the keyword is matched through the affirmed occurrence
    assert outcome.required[0].matched
    assert outcome.required[0].field == "experience"
    assert outcome.required[0].negated_by is None


def test_traditional_keywords_match_simplified_resumes() -> None:
    # Given a requisition written in Traditional script and a resume in Simplified
    spec = KeywordSpec("銀行工作經歷", ("學士",))
    # Then both scripts are the same words
    assert screen({"resume_text": "拥有银行工作经历"}, [spec], []).passed
    assert screen({"education": "学士"}, [spec], []).required[0].via == "學士"
    assert not screen({"resume_text": "沒有银行工作经历"}, [spec], []).passed


def test_normalise_folds_traditional_script() -> None:
    assert normalise("銀行工作經歷　ＣＦＡ") == "银行工作经历 cfa"
