"""Maintaining the question bank (hr) and reading it for interview kits.

Every change is a new version of the question, written conditionally on the version the caller
read (409 when stale) together with its audit record. Editing or retiring a seed question stores
an override with the seed question's id; retired questions stay in the bank, marked, with the
reason, and are never chosen for a kit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from shared.domain import question_bank as rules
from shared.errors import Conflict
from shared.models.common import Dimension, RoleFamily, iso, new_id, utcnow
from shared.models.question_bank import (
    BankFamily,
    Question,
    QuestionContent,
    QuestionCreate,
    QuestionRetire,
    QuestionUpdate,
)
from shared.services.catalogue import Status, current, next_version, refuse_when_full, with_status
from shared.store.audit import AuditEntry
from shared.store.question_bank import QuestionBankStore
from shared.store.repository import Repository

MAX_STORED_PER_DIMENSION = 100
"""HR's additions and overrides per family and dimension: keeps a kit's bank Query bounded."""

_CONTENT = tuple(QuestionContent.model_fields)


class QuestionBank:
    def __init__(self, repo: Repository | None = None) -> None:
        self.store = QuestionBankStore(repo)

    # -- reading -----------------------------------------------------------------------------
    def questions(
        self,
        family: BankFamily,
        dimension: Dimension | None = None,
        status: Status = "active",
    ) -> list[Question]:
        return with_status(rules.effective(family, self.store.stored(family, dimension), dimension), status)

    def for_kit(self, family: RoleFamily, dimensions: Iterable[Dimension], per_dimension: int) -> list[Question]:
        """The active questions a kit may choose from for ``dimensions``: the family's own (one Query),
        topped up from the ``general`` bank (a second Query) only when the family has fewer than
        ``per_dimension`` for one of them."""
        wanted = list(dimensions)
        own = [q for q in self.questions(BankFamily(family.value)) if q.dimension in wanted]
        short = [d for d in wanted if sum(q.dimension is d for q in own) < per_dimension]
        if not short:
            return own
        general = [q for q in self.questions(BankFamily.general) if q.dimension in short]
        return own + general

    def get(self, question_id: str) -> Question:
        return self._current(question_id)[0]

    def _current(self, question_id: str) -> tuple[Question, bool]:
        """The question and whether a stored item holds it (False: the untouched seed entry)."""
        where = rules.parse_id(question_id)
        return current(
            "question", question_id, where, lambda w: self.store.get(w[0], w[1], question_id), rules.seed_question
        )

    # -- changing ----------------------------------------------------------------------------
    def add(self, body: QuestionCreate, actor: str, source_ip: str | None) -> Question:
        refuse_when_full(
            self.store.count(body.role_family, body.dimension),
            MAX_STORED_PER_DIMENSION,
            f"the {body.role_family.value} bank already holds {MAX_STORED_PER_DIMENSION} stored questions for "
            f"{body.dimension.value}; retire or edit one instead",
            "dimension",
            "this dimension's bank is full",
        )
        now = iso(utcnow())
        question = Question(
            question_id=rules.make_id(body.role_family, body.dimension, new_id()[:12]),
            role_family=body.role_family,
            dimension=body.dimension,
            origin="hr",
            version=1,
            created_at=now,
            created_by=actor,
            updated_at=now,
            updated_by=actor,
            **body.model_dump(include=set(_CONTENT)),
        )
        audit = self._audit(question, actor, "question_bank.add", {"after": _content(question)}, source_ip)
        self.store.put(question, None, audit)
        return question

    def edit(self, question_id: str, body: QuestionUpdate, actor: str, source_ip: str | None) -> Question:
        current, stored = self._writable(question_id, body.version)
        after = next_version(current, actor, body.model_dump(include=set(_CONTENT)))
        details = {"before": _content(current), "after": _content(after)}
        self.store.put(
            after,
            current.version if stored else None,
            self._audit(after, actor, "question_bank.edit", details, source_ip),
        )
        return after

    def retire(self, question_id: str, body: QuestionRetire, actor: str, source_ip: str | None) -> Question:
        current, stored = self._writable(question_id, body.version)
        now = iso(utcnow())
        retired = {"status": "retired", "retired_reason": body.reason, "retired_at": now, "retired_by": actor}
        after = next_version(current, actor, retired, now)
        self.store.put(
            after,
            current.version if stored else None,
            self._audit(after, actor, "question_bank.retire", {"reason": body.reason}, source_ip),
        )
        return after

    def _writable(self, question_id: str, version: int) -> tuple[Question, bool]:
        current, stored = self._current(question_id)
        if current.status == "retired":
            raise Conflict(
                f"question {question_id} is retired ({current.retired_reason}); add a new question instead",
                [{"field": "question_id", "message": "retired"}],
            )
        if version != current.version:
            raise Conflict(
                f"question {question_id} is at version {current.version}, not {version}; reload and retry",
                [{"field": "version", "message": f"stale: the current version is {current.version}"}],
            )
        return current, stored

    @staticmethod
    def _audit(q: Question, actor: str, action: str, details: Mapping[str, object], ip: str | None) -> AuditEntry:
        return AuditEntry(
            subject=f"question:{q.question_id}",
            actor=actor,
            action=action,
            details={
                "role_family": q.role_family.value,
                "dimension": q.dimension.value,
                "version": q.version,
                **details,
            },
            source_ip=ip,
        )


def _content(q: Question) -> dict[str, str]:
    return {f: getattr(q, f) for f in _CONTENT}
