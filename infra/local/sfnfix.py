"""moto 5.2.5: let CloudFormation create state machines where moto's ASL interpreter runs them.

With ``{"stepfunctions": {"execute_state_machine": True}}`` moto serves the Step Functions API from
its interpreter backend (``moto.stepfunctions.parser``), but CloudFormation still creates
``AWS::StepFunctions::StateMachine`` in the plain backend, where the interpreter never sees it
(``list_state_machines`` is empty, ``start_execution`` 404s). This patch makes CloudFormation use
the backend the API uses, so the template's state machine runs locally and in tests.

``enable_execution()`` switches the interpreter on in this process (the local stack's in-process
moto server); ``mock_aws(config=...)`` does the same for tests.
"""

from __future__ import annotations

from typing import Any

_ORIGINAL: dict[str, Any] = {}


def apply() -> None:
    """Patch ``StateMachine.create_from_cloudformation_json`` (idempotent)."""
    if _ORIGINAL:
        return
    from moto.stepfunctions.models import StateMachine
    from moto.stepfunctions.responses import get_backend
    from moto.stepfunctions.utils import cfn_to_api_tags

    _ORIGINAL["create"] = vars(StateMachine)["create_from_cloudformation_json"]

    def create_from_cloudformation_json(
        cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        properties = cloudformation_json["Properties"]
        name = properties.get("StateMachineName", resource_name)
        tags = cfn_to_api_tags(properties.get("Tags", []))
        backend = get_backend(account_id, region_name)
        return backend.create_state_machine(
            name, properties.get("DefinitionString", ""), properties.get("RoleArn", ""), tags=tags
        )

    StateMachine.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)  # type: ignore[method-assign,assignment]


def revert() -> None:
    if not _ORIGINAL:
        return
    from moto.stepfunctions.models import StateMachine

    StateMachine.create_from_cloudformation_json = _ORIGINAL.pop("create")  # type: ignore[method-assign]


def enable_execution() -> None:
    """Run state machines in this process's moto (server mode reads the same global config)."""
    from moto.core.config import default_user_config

    default_user_config.setdefault("stepfunctions", {})["execute_state_machine"] = True
