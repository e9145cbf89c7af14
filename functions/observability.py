"""Logs and metrics of every function: one powertools ``Logger`` and one ``Metrics`` (CloudWatch
embedded metric format), created once, configured explicitly (importing this module reads no
environment).

Business metrics live in one namespace; their only dimension besides powertools' ``service`` is
``outcome``, a value of a short closed list (``BUSINESS_METRICS``): never an id, so the number of
metric series stays fixed however large the hiring event. The dashboard (``infra/monitoring.py``)
draws exactly this catalogue.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

SERVICE = "talent-lifecycle"
NAMESPACE = "TalentLifecycle"
OUTCOME = "outcome"  # the one business dimension

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)

# metric name -> the outcomes it is counted by (empty: counted without an outcome)
BUSINESS_METRICS: dict[str, tuple[str, ...]] = {
    # vendor deliveries (AI results, background checks, e-signature events) by what became of them
    "Deliveries": ("stored", "duplicate", "parked", "refused_signature", "refused_payload"),
    "ImportRows": ("accepted", "rejected", "duplicate"),  # rows of bulk imports
    "ShortlistSize": (),  # applications in a proposed shortlist
    "OffersSigned": (),
    "OnboardingMessages": ("sent", "skipped"),
    "DeadLetterMoves": (),  # messages a consumer failed on their last receive: next stop, the DLQ
}
