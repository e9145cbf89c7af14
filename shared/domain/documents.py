"""Plain text out of uploaded resumes: .txt (UTF-8 or GBK), .docx and .pdf."""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

from shared.domain.spreadsheet import SpreadsheetError, decode_csv

MAX_TEXT = 100_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

RESUME_TYPES = {
    "txt": "text/plain",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class DocumentError(ValueError):
    """The document cannot be read as a resume."""


def _docx_text(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise DocumentError("the file is not a readable .docx document") from exc
    root = ElementTree.fromstring(xml)  # noqa: S314 - parsed from our own bucket, no DTDs in OOXML
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        paragraphs.append("".join(node.text or "" for node in paragraph.iter(f"{_W}t")))
    return "\n".join(p for p in paragraphs if p)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader  # imported on use: only the resume path needs it
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise DocumentError("the file is not a readable PDF") from exc


def extract_text(extension: str, data: bytes) -> str:
    ext = extension.lower().lstrip(".")
    if ext == "txt":
        try:
            text, _ = decode_csv(data)
        except SpreadsheetError as exc:
            raise DocumentError("the text file is neither UTF-8 nor GBK/GB18030") from exc
    elif ext == "docx":
        text = _docx_text(data)
    elif ext == "pdf":
        text = _pdf_text(data)
    else:
        raise DocumentError(f"unsupported resume type .{ext}; use .txt, .pdf or .docx")
    text = re.sub(r"[ \t\r\f\v]+", " ", text).strip()
    if not text:
        raise DocumentError("no text could be read from the document (a scanned image?)")
    return text[:MAX_TEXT]
