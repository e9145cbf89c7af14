"""Local-stack-only adjustment of moto's SQS backend (moto 5.2.5), applied in-process.

moto finds the message a receipt handle names by asking every message of the queue whether it ever
had that handle, twice per delete (``Queue.delete_message``): draining a queue of n messages costs
O(n²) — 15,000 shortlist invitations are over 200 million such questions. A receipt handle now
names its message directly (a weak map filled when moto hands out the handle); the delete itself
is what moto does (the message leaves the queue and its pending set, every handle it had is
remembered as deleted; a repeated delete is a no-op, an unknown handle ``ReceiptHandleIsInvalid``),
and a handle moto issued before ``apply()`` falls back to moto's own search.

moto also reads the clock twice per message whenever it lists a queue's visible messages (every
receive) or counts them, and every ``SendMessage`` builds the queue's whole attribute map — the
three message counts included — to read one flag: queueing n messages costs O(n²) clock reads
(15,000 invitations queued by one shortlist confirmation took minutes). Listing and counting now
read the clock once per pass, and a send does not count what it does not read. The answers are
moto's own (``tests/unit/test_emulator_sqs.py``).
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

_ORIGINALS: dict[str, Any] = {}
_RECEIPTS: weakref.WeakValueDictionary[str, Any] = weakref.WeakValueDictionary()
_SENDING = threading.local()  # set while moto's send_message runs (it reads no message count)
COUNTS = ("approximate_number_of_messages_delayed", "approximate_number_of_messages_not_visible")


def apply() -> None:
    """Patch moto's SQS messages and queues of this process (idempotent)."""
    if _ORIGINALS:
        return
    from moto.sqs.exceptions import ReceiptHandleIsInvalid
    from moto.sqs.models import Message, Queue

    mark_received, delete_message = Message.mark_received, Queue.delete_message
    _ORIGINALS["Message.mark_received"], _ORIGINALS["Queue.delete_message"] = mark_received, delete_message

    def received(self: Any, visibility_timeout: int | None = None) -> None:
        mark_received(self, visibility_timeout)
        _RECEIPTS[self.receipt_handle] = self

    def delete(self: Any, receipt_handle: str) -> None:
        if receipt_handle in self.deleted_messages:
            return  # deleted before: moto answers a repeated delete with success
        message = _RECEIPTS.get(receipt_handle)
        if message is None:
            delete_message(self, receipt_handle)  # a handle from before apply(), or none at all
            return
        remaining = list(self._messages)
        try:
            remaining.remove(message)  # identity: moto's Message defines no equality
        except ValueError:
            raise ReceiptHandleIsInvalid() from None  # a handle of another queue's message
        self.pending_messages.discard(message)
        self.deleted_messages.update(message.all_receipt_handles)
        self._messages = remaining

    Message.mark_received = received  # type: ignore[method-assign]
    Queue.delete_message = delete  # type: ignore[method-assign]
    _patch_clock_reads()


def _patch_clock_reads() -> None:
    from moto.sqs import models

    queue_class, backend_class = models.Queue, models.SQSBackend
    for name in ("messages", "approximate_number_of_messages", *COUNTS):
        _ORIGINALS[f"Queue.{name}"] = vars(queue_class)[name]
    send_message = _ORIGINALS["SQSBackend.send_message"] = backend_class.send_message

    def sending() -> bool:
        return bool(getattr(_SENDING, "active", False))

    def messages(self: Any) -> list[Any]:
        now = models.unix_time_millis()  # (looked up per call: a test may freeze moto's clock)
        return [m for m in self._messages if now > m.visible_at and not now < m.delayed_until]

    def visible(self: Any) -> int:
        return 0 if sending() else len(messages(self))

    def delayed(self: Any) -> int:
        if sending():
            return 0
        now = models.unix_time_millis()
        return sum(1 for m in self._messages if now < m.delayed_until)

    def not_visible(self: Any) -> int:
        if sending():
            return 0
        now = models.unix_time_millis()
        return sum(1 for m in self._messages if not now > m.visible_at)

    def send(self: Any, *args: Any, **kwargs: Any) -> Any:
        outer = sending()
        _SENDING.active = True
        try:
            return send_message(self, *args, **kwargs)
        finally:
            _SENDING.active = outer

    queue_class.messages = property(messages)  # type: ignore[assignment,method-assign]
    queue_class.approximate_number_of_messages = property(visible)  # type: ignore[assignment,method-assign]
    queue_class.approximate_number_of_messages_delayed = property(delayed)  # type: ignore[assignment,method-assign]
    queue_class.approximate_number_of_messages_not_visible = property(not_visible)  # type: ignore[assignment,method-assign]
    backend_class.send_message = send  # type: ignore[method-assign]


def revert() -> None:
    """Undo ``apply`` (tests that share the process with other moto users)."""
    if not _ORIGINALS:
        return
    from moto.sqs.models import Message, Queue, SQSBackend

    Message.mark_received = _ORIGINALS.pop("Message.mark_received")  # type: ignore[method-assign]
    Queue.delete_message = _ORIGINALS.pop("Queue.delete_message")  # type: ignore[method-assign]
    SQSBackend.send_message = _ORIGINALS.pop("SQSBackend.send_message")  # type: ignore[method-assign]
    for name in ("messages", "approximate_number_of_messages", *COUNTS):
        setattr(Queue, name, _ORIGINALS.pop(f"Queue.{name}"))
    _RECEIPTS.clear()
