"""Background-check vendors' webhook secrets: the same Parameter Store layout as the interview vendors
(``<VENDOR_SECRETS_PATH><vendor_id>/webhook-secrets``), but only these vendors' keys are accepted
at ``POST /webhooks/background-checks`` (and theirs are not accepted for interview results)."""

from __future__ import annotations

from aws_lambda_powertools.utilities import parameters

from shared.domain.background import BACKGROUND_VENDORS
from shared.errors import ServiceUnavailable
from shared.security.vendor_keys import CACHE_SECONDS, PLACEHOLDER, parameter_name


def background_vendor_secrets() -> list[tuple[str, str]]:
    """``(vendor_id, secret)`` pairs of every configured background-check vendor."""
    names = {parameter_name(v): v for v in BACKGROUND_VENDORS}
    values = parameters.get_parameters_by_name(
        parameters={name: {} for name in names}, decrypt=True, max_age=CACHE_SECONDS, raise_on_error=False
    )
    pairs = [
        (names[name], secret)
        for name, raw in values.items()
        if name in names and isinstance(raw, str) and raw != PLACEHOLDER
        for secret in raw.split()
    ]
    if not pairs:
        raise ServiceUnavailable("no background-check vendor webhook secret is configured", retry_after=60)
    return pairs
