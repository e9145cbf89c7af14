"""Valid Chinese resident identity numbers for tests (GB 11643 check digit)."""

from __future__ import annotations

from datetime import date, timedelta

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def national_id(n: int, region: str = "410105", birth: str = "19950101") -> str:
    body = f"{region}{birth}{n % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def birth_date(n: int) -> str:
    """A distinct birth date for every thousand applicants (about 270 years of them)."""
    return (date(1980, 1, 1) + timedelta(days=n // 1000)).strftime("%Y%m%d")


def person(n: int, resume: str = "五年银行工作经历，熟悉信贷业务与客户营销，持有CFA证书。") -> dict[str, str]:
    """A valid applicant; every ``n`` below 100,000 gives a distinct national ID."""
    return {
        "name": f"张{n:04d}",
        "email": f"applicant{n}@example.com",
        "phone": f"138{n % 100_000_000:08d}",
        "national_id": national_id(n, birth=birth_date(n)),
        "education": "本科 郑州大学 金融学",
        "resume_text": resume,
    }
