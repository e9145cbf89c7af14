"""moto 5.2.5: let CloudFormation create state machines where moto's ASL interpreter runs them.

With ``{"stepfunctions": {"execute_state_machine": True}}`` moto serves the Step Functions API from
its interpreter backend (``moto.stepfunctions.parser``), but CloudFormation still creates
``AWS::StepFunctions::StateMachine`` in the plain backend, where the interpreter never sees it
(``list_state_machines`` is empty, ``start_execution`` 404s). This patch makes CloudFormation use
the backend the API uses, so the template's state machine runs locally and in tests.

``infra.local.emulator.enable_execution()`` switches the interpreter on in this process (the local
stack's in-process moto server); ``mock_aws(config=MOTO_CONFIG)`` does the same for tests.

moto's interpreter also parses the state machine's definition with its ANTLR grammar for every
execution it starts — a third of a thousand probations' CPU. The parse tree of a definition is
now kept (ANTLR's trees are only read afterwards); each execution still gets its own evaluation
components from moto's preprocessor, as before (``tests/unit/test_emulator_stepfunctions.py``).
"""

from __future__ import annotations

import functools
from typing import Any

_ORIGINAL: dict[str, Any] = {}


PARSED_DEFINITIONS = 64  # distinct state machine definitions kept parsed


def _patch_parser() -> None:
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
    from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor

    parse = _ORIGINAL["parse"] = vars(AmazonStateLanguageParser)["parse"]

    @functools.lru_cache(maxsize=PARSED_DEFINITIONS)
    def tree_of(definition: str) -> Any:
        return parse.__func__(definition)[1]  # (a syntax error raises and is not kept)

    def parsed(definition: str) -> tuple[Any, Any]:
        tree = tree_of(definition)
        return Preprocessor().visit(tree), tree  # fresh evaluation components per execution

    AmazonStateLanguageParser.parse = staticmethod(parsed)  # type: ignore[method-assign]


def apply() -> None:
    """Patch ``StateMachine.create_from_cloudformation_json`` and the definition parser (idempotent)."""
    if _ORIGINAL:
        return
    _patch_parser()
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
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    StateMachine.create_from_cloudformation_json = _ORIGINAL.pop("create")  # type: ignore[method-assign]
    AmazonStateLanguageParser.parse = _ORIGINAL.pop("parse")  # type: ignore[method-assign]
