"""The reference catalogues HR maintains — the course catalogue, the indicator library, the question
bank — answer their routes one way: read an entry (the catalogue's read action), add one
(``Idempotency-Key`` accepted), replace one or retire one (its write action, checked before the body
is read: no validation hints to outsiders), each change conditional on the version read and audited
by the service, each entry shaped by the catalogue's view model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from functions.http import Call, ok
from functions.idempotency import created
from shared.security.policy import Action, authorize


class Entries(Protocol):
    """What a catalogue's service offers (``shared.services.courses`` …)."""

    def get(self, entry_id: str, /) -> BaseModel: ...

    def add(self, body: Any, actor: str, source_ip: str | None, /) -> BaseModel: ...

    def edit(self, entry_id: str, body: Any, actor: str, source_ip: str | None, /) -> BaseModel: ...


class RetiringEntries(Entries, Protocol):
    def retire(self, entry_id: str, body: Any, actor: str, source_ip: str | None, /) -> BaseModel: ...


S = TypeVar("S", bound=Entries)
R = TypeVar("R", bound=RetiringEntries)
V = TypeVar("V", bound=BaseModel)


@dataclass(frozen=True)
class Catalogue(Generic[S, V]):
    service: Callable[[], S]
    view: type[V]
    read: Action
    write: Action
    adding: str  # the operation an ``Idempotency-Key`` of an addition belongs to

    def shown(self, entry: BaseModel) -> V:
        return self.view.model_validate(entry.model_dump())

    def get(self, call: Call[Any, Any], entry_id: str) -> Any:
        authorize(call.who, self.read)
        return ok(self.shown(self.service().get(entry_id)))

    def add(self, call: Call[Any, None]) -> Any:
        authorize(call.who, self.write)
        body = call.body
        return created(
            call, self.adding, body, lambda: self.shown(self.service().add(body, call.who.username, call.source_ip))
        )

    def edit(self, call: Call[Any, None], entry_id: str) -> Any:
        authorize(call.who, self.write)
        return ok(self.shown(self.service().edit(entry_id, call.body, call.who.username, call.source_ip)))

    def retire(self: Catalogue[R, V], call: Call[Any, None], entry_id: str) -> Any:
        authorize(call.who, self.write)
        return ok(self.shown(self.service().retire(entry_id, call.body, call.who.username, call.source_ip)))
