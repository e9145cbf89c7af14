from __future__ import annotations

from shared.models.identity import mask_email, mask_national_id, mask_phone, national_id_problem
from tests.support.ids import national_id


def test_check_digit_is_verified() -> None:
    assert national_id_problem("11010519491231002X") is None
    assert national_id_problem("11010519491231002x") is None  # lower-case x normalised
    assert national_id_problem("１１０１０５１９４９１２３１００２Ｘ") is None  # full-width digits
    assert national_id_problem("110105194912310021") == "check digit does not match"
    assert national_id_problem("1101051949") == "must be 17 digits followed by a digit or X"
    assert all(national_id_problem(national_id(n)) is None for n in range(200))


def test_masks_keep_only_what_identifies_the_record() -> None:
    assert mask_national_id("11010519491231002X") == "110***********002X"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_email("li.ming@example.com") == "l***@example.com"
