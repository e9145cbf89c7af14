"""Names vulture (``make lint``) cannot see used: attributes that libraries read, records kept as data,
and parameters a protocol requires. Each line says where the name is defined."""

# ruff: noqa: B018
from typing import Any

_: Any = None

_.external_attr, _.compress_type  # infra/build.py: zip entries' attributes, read by zipfile
_.invoked_function_arn, _.log_group_name, _.log_stream_name  # infra/local/pump.py: the Lambda context
_.approximate_number_of_messages  # infra/local/emulator/sqs.py: moto's queue counters
_.approximate_number_of_messages_delayed
_.approximate_number_of_messages_not_visible
_.starting_sequence_number  # infra/local/streams.py: moto's shard
_.signer, _.pdf_bytes  # infra/local/esign_vendor.py: what the simulated vendor received, kept with the envelope
_.pearson_high, _.spearman_low, _.spearman_high  # shared/domain/analytics.py: validity rows, turned into JSON by asdict
_.base_n, _.base_rate_high, _.minimum_n  # shared/domain/analytics.py: conditional rows, turned into JSON by asdict
_.overridden_by, _.confirmed_by, _.confirmed_at  # shared/services/performance.py: model fields set, then stored
_.max_redirections  # shared/store/downloads.py: read by urllib's redirect handler
_.exc_type, _.tb  # shared/store/downloads.py: __exit__'s parameters
_.close_connection  # tests/integration/test_videos.py: read by http.server
_.console_dir, _.short_retention  # tests/integration: fixtures requested for their effect
_.ctx  # tests/support/fuzz.py: a schemathesis check's parameter
_.exitstatus  # tests/support/iam_record.py: a pytest hook's parameter, the session's status
_.audited  # shared/security/audited.py: used by the response models (shared/models/, which vulture leaves out)
