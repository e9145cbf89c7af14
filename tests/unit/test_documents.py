"""Text extraction from uploaded resumes."""

from __future__ import annotations

import pytest

from shared.domain.documents import DocumentError, extract_text
from tests.support.docs import docx, pdf


def test_txt_in_utf8_and_gbk() -> None:
    assert extract_text("txt", "五年银行工作经历".encode()) == "五年银行工作经历"
    assert extract_text(".TXT", "五年银行工作经历".encode("gbk")) == "五年银行工作经历"


def test_docx_paragraphs_become_lines() -> None:
    assert extract_text("docx", docx(["李明 简历", "三年证券从业，持有CFA"])) == "李明 简历\n三年证券从业，持有CFA"


def test_pdf_text_is_extracted() -> None:
    text = extract_text("pdf", pdf(["Li Ming", "Bachelor of Finance, CFA charterholder"]))
    assert "Bachelor of Finance" in text and "CFA" in text


@pytest.mark.parametrize(
    ("ext", "data", "message"),
    [
        ("docx", b"not a zip", "not a readable .docx"),
        ("pdf", b"%PDF-1.4 broken", "not a readable PDF"),
        ("txt", b"   \n ", "no text could be read"),
        ("exe", b"MZ", "unsupported resume type"),
    ],
)
def test_unreadable_documents_say_why(ext: str, data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        extract_text(ext, data)
