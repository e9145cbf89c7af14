from __future__ import annotations

import pytest

from shared.domain.stages import Stage, allowed_from, check_transition
from shared.errors import Conflict, Forbidden
from shared.security.policy import POLICY, Action, Scope, authorize
from shared.security.tokens import Principal


def who(*roles: str, department: str | None = None) -> Principal:
    return Principal(sub="s", username="u", roles=frozenset(roles), department=department)


def test_every_action_has_a_policy_row() -> None:
    assert set(POLICY) == set(Action)


def test_scopes() -> None:
    assert authorize(who("hr"), Action.application_read, "任何部门") is Scope.all
    assert authorize(who("manager", department="A"), Action.application_read, "A") is Scope.department
    with pytest.raises(Forbidden):
        authorize(who("manager", department="A"), Action.application_read, "B")
    for role in ("interviewer", "it"):
        with pytest.raises(Forbidden):
            authorize(who(role), Action.application_read)
    with pytest.raises(Forbidden):
        authorize(who(), Action.requisition_read)
    # the widest of several roles applies
    assert authorize(who("manager", "hr", department="A"), Action.application_read, "B") is Scope.all


def test_illegal_transition_names_current_and_allowed_stages() -> None:
    with pytest.raises(Conflict) as err:
        check_transition(Stage.rejected, Stage.screened, "hr")
    assert err.value.details == [{"current_stage": "rejected", "allowed": []}]
    assert allowed_from(Stage.applied) == ["rejected", "screened", "withdrawn"]
    with pytest.raises(Forbidden):
        check_transition(Stage.applied, Stage.rejected, "manager")
    check_transition(Stage.applied, Stage.rejected, "hr")
