"""Runtime settings, read from the environment once and cached.

The names of the environment variables are the single source of truth for physical resource
names: in AWS they are set from the CloudFormation template's Outputs (see infra/package.py),
on the local stack and in the tests from the same Outputs of the same template (see
infra/local/stack.py and tests/support/stack.py). An Output called ``TableName`` becomes the
variable ``TABLE_NAME``.

Every setting an Output provides is **required**: it has no default here, so a missing variable is
an error that names it (``MissingSettings``) rather than an empty name that fails later, deep
inside a request. In AWS the app reads its settings when a function starts (``check_at_cold_start``
in app.py): a function without one of them fails its cold start with the variable's name. The other
settings are tunables with defaults.
"""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field


class MissingSettings(RuntimeError):
    """Required settings absent from the environment (their variable names, in the message)."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    # -- from the template's Outputs: required -------------------------------------------------
    table_name: str
    idempotency_table_name: str
    bucket_name: str
    import_queue_url: str
    kms_key_id: str
    pii_hash_key_secret: str
    # The HMAC key of the page tokens the API hands out (shared/security/page_tokens.py).
    page_token_key_secret: str
    vendor_secrets_path: str
    notification_queue_url: str
    onboarding_queue_url: str
    background_check_queue_url: str
    background_vendor_url: str
    esign_queue_url: str
    esign_vendor_url: str
    mail_from: str
    user_pool_id: str
    user_pool_client_id: str
    # The hosted sign-in pages (Cognito managed login; the local stack's own on 127.0.0.1): the console's
    # authorize, token and logout endpoints are under it (``GET /auth/config``).
    sign_in_url: str
    # The probation cycle (Step Functions).
    probation_state_machine_arn: str
    # Field-level encryption of personal data (shared/security/fields.py): the KMS key of its data keys.
    field_key_arn: str
    # Retention per data kind, in days (template parameters; DynamoDB TTL on ``expires_at`` plus
    # filtering on read, see shared/store/retention.py).
    unsuccessful_applicant_retention_days: int
    delivery_record_retention_days: int
    parked_result_retention_days: int
    audit_retention_days: int
    # Groups whose members must have enrolled TOTP before the API answers them (template parameter
    # ``MfaRequiredGroups``, comma-separated, whose AllowedPattern admits only the pool's groups; empty:
    # none). The authorizer asks the pool (functions/auth.py).
    mfa_required_groups: str

    # -- tunables -------------------------------------------------------------------------------
    region: str = "us-east-1"
    background_vendor_timeout_seconds: float = 10.0
    esign_timeout_seconds: float = 10.0
    cognito_issuer: str = ""
    cognito_jwks_url: str = ""
    # The Cognito user pools API the console calls with the person's access token to enrol an
    # authenticator app (``GET /auth/config``); empty: the region's public endpoint (the local stack: moto).
    cognito_idp_url: str = ""
    # Inline JWKS JSON, for functions in a VPC without a route to Cognito (keys rotate rarely).
    cognito_jwks: str = ""
    max_body_bytes: int = 1_048_576
    # Sign-in throttle of the local stack's hosted sign-in pages (shared/services/sign_in.py): failed
    # attempts per user name and per source address in one fixed window; past either, 429 with
    # Retry-After until the window ends.
    sign_in_window_seconds: int = 900
    sign_in_failures_per_user: int = 5
    sign_in_failures_per_address: int = 30
    upload_max_bytes: int = 50 * 1_048_576
    presign_expiry_seconds: int = 300
    # Vendor video URLs are fetched only from public addresses unless this is set (tests, local stack).
    video_fetch_allow_private: bool = False
    # Analytics guards (docs/analytics.md gives the reason for each default): re-weighting needs this
    # many rated hires before HR may approve it, moves each weight at most ``step`` per approval, keeps
    # each at or above ``floor`` and shrinks toward the weights hiring used by n / (n + shrinkage_n).
    analytics_min_rated_hires: int = Field(default=100, ge=10)
    analytics_weight_step: float = Field(default=0.10, gt=0, le=1)
    analytics_weight_floor: float = Field(default=0.05, ge=0, le=0.125)
    analytics_shrinkage_n: int = Field(default=100, ge=0)
    analytics_cv_folds: int = Field(default=5, ge=2, le=20)
    # Below these sizes a result says "not enough data (n = …, needed …)" instead of a finding.
    analytics_min_conditional_n: int = Field(default=30, ge=1)
    analytics_min_high_potential_n: int = Field(default=50, ge=1)
    analytics_min_band_n: int = Field(default=20, ge=1)
    analytics_min_risk_hires: int = Field(default=200, ge=30)
    # Per-person attrition risk only when the lower end of the model's held-out AUC interval is above this.
    analytics_risk_auc_floor: float = Field(default=0.60, ge=0.5, le=1)

    @property
    def issuer(self) -> str:
        if self.cognito_issuer:
            return self.cognito_issuer
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def mfa_groups(self) -> frozenset[str]:
        return frozenset(g.strip() for g in self.mfa_required_groups.split(",") if g.strip())

    @property
    def idp_url(self) -> str:
        return self.cognito_idp_url or f"https://cognito-idp.{self.region}.amazonaws.com/"

    @property
    def jwks_url(self) -> str:
        return self.cognito_jwks_url or f"{self.issuer}/.well-known/jwks.json"


def env_name(field: str) -> str:
    return field.upper()


def required_settings() -> list[str]:
    """The settings without a default: each comes from an Output of the template."""
    return [name for name, field in Settings.model_fields.items() if field.is_required()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    values: dict[str, str] = {}
    for field in Settings.model_fields:
        raw = os.environ.get(env_name(field))
        if raw is not None:
            values[field] = raw
    if "region" not in values:
        values["region"] = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    missing = [env_name(name) for name in required_settings() if name not in values]
    if missing:
        raise MissingSettings(
            "missing settings (environment variables set from the stack's Outputs): " + ", ".join(missing)
        )
    return Settings.model_validate(values)


def check_at_cold_start() -> None:
    """In AWS Lambda, read the settings now: a function without one fails its cold start, naming it.
    Elsewhere (tests, tools that import the app to package or document it) nothing happens."""
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        get_settings()


def reset_settings() -> None:
    """Forget cached settings (tests change the environment between cases)."""
    get_settings.cache_clear()
