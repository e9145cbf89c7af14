"""The explanation's reading of the audit trail: which records are human decisions."""

from __future__ import annotations

from shared.domain.explanation import decision, ends


def test_only_peoples_decisions_count_and_any_detail_shape_is_read() -> None:
    # Given audit records of a person, of the service itself and one whose details hold a list
    by_hr = {"at": "t1", "actor": "hr.demo", "action": "stage.transition", "details": {"from": "a", "to": "rejected"}}
    by_system = {"at": "t2", "actor": "system", "action": "stage.transition", "details": {"to": "rejected"}}
    listed = {"at": "t3", "actor": "hr.demo", "action": "interviewers.assign", "details": {"to": ["x"]}}
    # Then only HR's record is a decision, and it ends the application
    assert decision(by_hr) == {
        "at": "t1",
        "actor": "hr.demo",
        "action": "stage.transition",
        "from_stage": "a",
        "to_stage": "rejected",
        "decision": None,
        "reason": None,
    }
    assert decision(by_system) is None and decision(listed) is None
    assert ends(by_hr) and ends(by_system) and not ends(listed)
