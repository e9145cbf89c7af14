"""Evaluate the intrinsic functions of ``infra/template.json`` for a resource created outside
CloudFormation (through its own API, where moto's CloudFormation skips the type), so that resource
is created from the template's own definition.

Covers what those definitions use: ``Ref`` (parameters, pseudo-parameters, ``AWS::NoValue``, and
resources and ``Fn::GetAtt``
attributes whose values the caller passes), ``Fn::If`` with the template's ``Conditions``
(``Fn::Equals`` / ``Fn::Not`` / ``Fn::And`` / ``Fn::Or`` / ``Condition``), ``Fn::Sub`` and ``Fn::Join``.
Anything else is refused, naming it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_NO_VALUE = object()
_SUB = re.compile(r"\$\{([^!}][^}]*)\}")


class Evaluator:
    def __init__(
        self,
        template: Mapping[str, Any],
        parameters: Mapping[str, str],
        refs: Mapping[str, str] | None = None,
        stack_name: str = "talent",
        region: str = "us-east-1",
        account: str = "123456789012",
    ) -> None:
        declared = template.get("Parameters", {})
        unknown = set(parameters) - set(declared)
        if unknown:
            raise ValueError(f"not parameters of the template: {sorted(unknown)}")
        self.values: dict[str, Any] = {
            name: parameters.get(name, spec.get("Default")) for name, spec in declared.items()
        }
        self.values.update(
            {
                "AWS::StackName": stack_name,
                "AWS::Region": region,
                "AWS::AccountId": account,
                "AWS::Partition": "aws",
                "AWS::URLSuffix": "amazonaws.com",
            }
        )
        self.values.update(refs or {})
        self.conditions = template.get("Conditions", {})

    def __call__(self, value: Any) -> Any:
        result = self._eval(value)
        return None if result is _NO_VALUE else result

    def condition(self, name: str) -> bool:
        return bool(self._eval(self.conditions[name]))

    def _eval(self, value: Any) -> Any:
        if isinstance(value, list):
            return [v for v in (self._eval(item) for item in value) if v is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Ref" or key.startswith("Fn::") or key == "Condition":
                return self._function(key, argument)
        return {k: v for k, v in ((k, self._eval(v)) for k, v in value.items()) if v is not _NO_VALUE}

    def _function(self, name: str, argument: Any) -> Any:
        if name == "Ref":
            if argument == "AWS::NoValue":
                return _NO_VALUE
            if argument not in self.values:
                raise ValueError(f"cannot evaluate Ref {argument} outside CloudFormation")
            return self.values[argument]
        if name == "Fn::GetAtt":
            logical, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
            return self._ref(f"{logical}.{attribute}")
        if name == "Condition":
            return self.condition(argument)
        if name == "Fn::If":
            condition, then, otherwise = argument
            return self._eval(then if self.condition(condition) else otherwise)
        if name == "Fn::Equals":
            left, right = (self._eval(a) for a in argument)
            return str(left) == str(right)
        if name == "Fn::Not":
            return not self._eval(argument[0])
        if name == "Fn::And":
            return all(self._eval(a) for a in argument)
        if name == "Fn::Or":
            return any(self._eval(a) for a in argument)
        if name == "Fn::Join":
            separator, parts = argument
            return separator.join(str(p) for p in self._eval(parts))
        if name == "Fn::Sub":
            text, variables = (argument, {}) if isinstance(argument, str) else argument
            local = {k: self._eval(v) for k, v in variables.items()}
            return _SUB.sub(lambda m: str(local[m.group(1)] if m.group(1) in local else self._ref(m.group(1))), text)
        raise ValueError(f"cannot evaluate {name} outside CloudFormation")

    def _ref(self, name: str) -> Any:
        value = self._function("Ref", name)
        if value is _NO_VALUE:
            raise ValueError(f"${{{name}}} has no value")
        return value
