"""Local-stack-only adjustment of moto's SQS backend (moto 5.2.5), applied in-process.

moto finds the message a receipt handle names by asking every message of the queue whether it ever
had that handle, twice per delete (``Queue.delete_message``): draining a queue of n messages costs
O(n²) — 15,000 shortlist invitations are over 200 million such questions. A receipt handle now
names its message directly (a weak map filled when moto hands out the handle); the delete itself
is what moto does (the message leaves the queue and its pending set, every handle it had is
remembered as deleted; a repeated delete is a no-op, an unknown handle ``ReceiptHandleIsInvalid``),
and a handle moto issued before ``apply()`` falls back to moto's own search
(``tests/unit/test_sqsfix.py``).
"""

from __future__ import annotations

import weakref
from typing import Any

_ORIGINALS: dict[str, Any] = {}
_RECEIPTS: weakref.WeakValueDictionary[str, Any] = weakref.WeakValueDictionary()


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


def revert() -> None:
    """Undo ``apply`` (tests that share the process with other moto users)."""
    if not _ORIGINALS:
        return
    from moto.sqs.models import Message, Queue

    Message.mark_received = _ORIGINALS.pop("Message.mark_received")  # type: ignore[method-assign]
    Queue.delete_message = _ORIGINALS.pop("Queue.delete_message")  # type: ignore[method-assign]
    _RECEIPTS.clear()
