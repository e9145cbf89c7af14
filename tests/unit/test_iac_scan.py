"""The IaC scan's explanations (infra/scan.py, infra/checkov-accepted.json): a finding is accepted
only with a reason, and an explanation that matches no finding is stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.scan import load_accepted, unexplained

ACCEPTED = [
    {"check": "CKV_AWS_117", "resources": ["AWS::Lambda::Function.*"], "reason": "no VPC resources"},
    {"check": "CKV_AWS_18", "resources": ["AWS::S3::Bucket.DocumentBucket"], "reason": "audited through the API"},
]


def test_findings_are_explained_by_check_and_resource_pattern() -> None:
    # Given findings: two explained, one of an explained check on another resource, one unknown check
    found = [
        ("CKV_AWS_117", "AWS::Lambda::Function.APIHandler", "VPC"),
        ("CKV_AWS_18", "AWS::S3::Bucket.DocumentBucket", "access logging"),
        ("CKV_AWS_18", "AWS::S3::Bucket.Other", "access logging"),
        ("CKV_AWS_999", "AWS::SQS::Queue.Q", "new"),
    ]

    # When matched against the explanations
    left, stale = unexplained(found, ACCEPTED)

    # Then only the two without an explanation are left, and no explanation is stale
    assert left == [found[2], found[3]]
    assert stale == []


def test_an_explanation_that_matches_nothing_is_stale() -> None:
    # Given only a VPC finding / When matched / Then the bucket's explanation is reported stale
    _, stale = unexplained([("CKV_AWS_117", "AWS::Lambda::Function.X", "VPC")], ACCEPTED)
    assert [e["check"] for e in stale] == ["CKV_AWS_18"]


def test_an_explanation_needs_a_reason(tmp_path: Path) -> None:
    # Given an entry without a reason / When loaded / Then it is refused
    path = tmp_path / "accepted.json"
    path.write_text(json.dumps({"accepted": [{"check": "CKV_AWS_1", "resources": ["*"], "reason": " "}]}))
    with pytest.raises(ValueError, match="CKV_AWS_1"):
        load_accepted(path)


def test_the_committed_explanations_all_give_reasons() -> None:
    # Given the project's file / Then it loads (each entry has resources and a reason)
    assert {e["check"] for e in load_accepted()} >= {"CKV_AWS_117", "CKV_AWS_116"}
