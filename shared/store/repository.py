"""The talent archive in one DynamoDB table (single-table design): the kernel and a store per aggregate.

``Repository`` is the table (``shared/store/table.py``: reads, conditional writes, the versioned write
with its audit record, paging, failure mapping) with one store per aggregate, each documenting the
key layout of its items:

=====================  ====================================  ===========================================
aggregate              store                                 partitions
=====================  ====================================  ===========================================
requisitions           ``repo.requisitions`` (requisitions)  ``REQ#<id>``; gsi1 ``REQDEPT#``, gsi2 ``REQALL``
applications           ``repo.applications`` (applications)  ``APP#<id>``, ``REQ#<req>#NID#…``, gsi1–3
imports                ``repo.imports`` (imports)            ``IMPORT#<id>``
audit trail            ``repo.audit`` (audit)                ``AUDIT#<subject>``
=====================  ====================================  ===========================================

The later sections of an application and the employees' partitions have stores of their own
(``offers``, ``assessments``, ``background``, ``results``, ``videos``, ``employees``, ``onboarding``,
``probation``, ``performance``, …), built on the same kernel. Every list is a Query on a partition
or an index: no Scan on any path.
"""

from __future__ import annotations

from functools import cached_property

from shared.store.applications import ApplicationStore
from shared.store.audit import AuditLog
from shared.store.imports import ImportStore
from shared.store.requisitions import RequisitionStore
from shared.store.table import Table


class Repository(Table):
    # each aggregate's store, made on first use and kept with the repository
    requisitions = cached_property(RequisitionStore)
    applications = cached_property(ApplicationStore)
    imports = cached_property(ImportStore)
    audit = cached_property(AuditLog)
