"""Valid Chinese resident identity numbers for tests (GB 11643 check digit)."""

from __future__ import annotations

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def national_id(n: int, region: str = "410105", birth: str = "19950101") -> str:
    body = f"{region}{birth}{n % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def person(n: int, resume: str = "五年银行工作经历，熟悉信贷业务与客户营销，持有CFA证书。") -> dict[str, str]:
    """A valid applicant; ``n`` below 1000 gives a distinct national ID."""
    return {
        "name": f"张{n:04d}",
        "email": f"applicant{n}@example.com",
        "phone": f"1380013{n % 10000:04d}",
        "national_id": national_id(n, birth=f"19{80 + n // 1000 % 20:02d}0101"),
        "education": "本科 郑州大学 金融学",
        "resume_text": resume,
    }
