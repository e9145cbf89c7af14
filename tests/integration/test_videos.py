"""Interview videos: presigned upload, linking on the S3 event, quarantine, vendor URL copies, audited reads."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from chalice.test import Client

from shared.models.videos import QuarantinedVideo
from shared.services import videos as video_service
from shared.settings import reset_settings
from shared.store.repository import Repository
from shared.store.videos import VideoStore
from tests.support.api import Api
from tests.support.archive import update_application
from tests.support.events import s3_object_created, sqs_event
from tests.support.hiring import make
from tests.support.ids import person
from tests.support.spreadsheets import Importer
from tests.support.stack import REGION

MP4 = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4
WEBM = b"\x1a\x45\xdf\xa3" + b"webm" * 100
HEX32 = re.compile(r"^[0-9a-f]{32}$")


class Videos(Importer):
    """Drives the video flows: the API, S3 puts and their events, and the intake queue."""

    def application(self, n: int = 1) -> dict[str, Any]:
        req_id = make(self.api).data["id"]
        created = self.api.call("POST", f"/requisitions/{req_id}/applications", body=person(n))
        assert created.status_code == 201, created.data
        return dict(created.data)

    def start_upload(self, app_id: str, filename: str = "面试录像.mp4") -> dict[str, Any]:
        response = self.api.call("POST", f"/applications/{app_id}/videos", body={"filename": filename})
        assert response.status_code == 201, response.data
        return dict(response.data)

    def put(self, key: str, data: bytes, content_type: str, **extra: Any) -> dict[str, Any]:
        etag = self.s3.put_object(
            Bucket=self.env["BUCKET_NAME"], Key=key, Body=data, ContentType=content_type, **extra
        )["ETag"]
        return s3_object_created(self.env["BUCKET_NAME"], key, etag, len(data))

    def object_created(self, event: dict[str, Any]) -> dict[str, Any]:
        return dict(self.client.lambda_.invoke("object_created", event).payload)

    def upload_video(
        self, app_id: str, data: bytes = MP4, filename: str = "面试录像.mp4"
    ) -> tuple[dict[str, Any], dict]:
        started = self.start_upload(app_id, filename)
        fields = started["upload"]["fields"]
        event = self.put(fields["key"], data, fields["Content-Type"])
        return started, self.object_created(event)

    def list(self, app_id: str, role: str = "hr") -> Any:
        return self.api.call("GET", f"/applications/{app_id}/videos", role=role)

    def exists(self, key: str) -> bool:
        return "Contents" in self.s3.list_objects_v2(Bucket=self.env["BUCKET_NAME"], Prefix=key)

    def send_copy(self, app_id: str, url: str, webhook_id: str) -> None:
        body = {"kind": "video_copy", "application_id": app_id, "video_url": url, "webhook_id": webhook_id}
        boto3.client("sqs", region_name=REGION).send_message(
            QueueUrl=self.env["IMPORT_QUEUE_URL"], MessageBody=json.dumps(body)
        )

    def copy_event(self, app_id: str, webhook_id: str, ext: str = "mp4") -> dict[str, Any]:
        """The S3 event AWS would send for the worker's copy of a vendor video."""
        key = f"videos/{app_id}/{hashlib.sha256(webhook_id.encode()).hexdigest()[:32]}.{ext}"
        head = self.s3.head_object(Bucket=self.env["BUCKET_NAME"], Key=key)
        return s3_object_created(self.env["BUCKET_NAME"], key, head["ETag"], head["ContentLength"])


@pytest.fixture
def videos(api: Api, client: Client) -> Videos:
    return Videos(api, client)


class VendorFiles(BaseHTTPRequestHandler):
    """A vendor's file server: path → (status, content type, body, declare the length)."""

    routes: ClassVar[dict[str, tuple[int, str, bytes, bool]]] = {}
    hits: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        path = urlsplit(self.path).path
        if path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/interview.mp4")
            self.end_headers()
            return
        status, content_type, body, declare = self.routes.get(path, (404, "text/plain", b"no", True))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if declare:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.close_connection = True  # HTTP/1.0 style: the body ends when the connection closes
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def vendor() -> Iterator[str]:
    VendorFiles.hits = {}
    VendorFiles.routes = {
        "/interview.mp4": (200, "video/mp4", MP4, True),
        "/interview.webm": (200, "video/webm; codecs=vp9", WEBM, False),
        "/page.html": (200, "text/html; charset=utf-8", b"<html>login</html>", True),
        "/busy": (503, "text/plain", b"later", True),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), VendorFiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def private_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test vendor listens on 127.0.0.1, which the worker refuses unless allowed."""
    monkeypatch.setenv("VIDEO_FETCH_ALLOW_PRIVATE", "true")
    reset_settings()


def quarantined() -> list[QuarantinedVideo]:
    return VideoStore().list_quarantine(limit=100)[0]


def test_upload_form_pins_type_size_encryption_key_and_expiry(videos: Videos) -> None:
    # Given an application
    app = videos.application()
    # When HR asks to upload an .mp4 and a .WEBM
    started = videos.start_upload(app["id"], "面试录像.mp4")
    webm = videos.start_upload(app["id"], "round-2.WEBM")
    # Then each gets a new 32-hex video id and a key under the application
    fields = started["upload"]["fields"]
    assert HEX32.match(started["video_id"]) and started["video_id"] != webm["video_id"]
    assert started["application_id"] == app["id"]
    assert fields["key"] == f"videos/{app['id']}/{started['video_id']}.mp4"
    assert webm["upload"]["fields"]["key"].endswith(".webm")
    # And the SigV4 policy pins the exact type, 1 byte – 500 MiB, SSE-KMS with our key and ≤ 300 s
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert {"Content-Type": "video/mp4"} in conditions
    assert ["content-length-range", 1, 500 * 1_048_576] in conditions
    assert {"x-amz-server-side-encryption": "aws:kms"} in conditions
    assert {"x-amz-server-side-encryption-aws-kms-key-id": videos.env["KMS_KEY_ID"]} in conditions
    assert {"key": fields["key"]} in conditions
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert 0 < (expires - datetime.now(UTC)).total_seconds() <= 300
    assert started["upload"]["expires_in"] <= 300 and started["upload"]["max_bytes"] == 500 * 1_048_576
    webm_policy = json.loads(base64.b64decode(webm["upload"]["fields"]["policy"]))
    assert {"Content-Type": "video/webm"} in webm_policy["conditions"]
    # And who asked is audited
    actions = [(a["action"], a["actor"]) for a in Repository().audit.page(f"application:{app['id']}").items]
    assert ("video.upload_started", "hr.demo") in actions


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"filename": "interview.mov"}, "filename"),
        ({"filename": "../x.mp4/"}, "filename"),
        ({"filename": "a.mp4", "size": 1}, "size"),
        ({}, "filename"),
    ],
)
def test_invalid_upload_requests_are_400_naming_the_field(videos: Videos, body: dict[str, Any], field: str) -> None:
    app = videos.application()
    # When the body is not a valid video upload / Then 400 names the field
    response = videos.api.call("POST", f"/applications/{app['id']}/videos", body=body)
    assert response.status_code == 400, response.data
    assert response.data["error"]["details"][0]["field"] == field


def test_only_hr_starts_uploads_and_the_application_must_exist(videos: Videos) -> None:
    app = videos.application()
    for role in ("manager", "interviewer", "it"):
        response = videos.api.call("POST", f"/applications/{app['id']}/videos", role=role, body={"filename": "a.mp4"})
        assert response.status_code == 403, role
    missing = videos.api.call("POST", "/applications/nope/videos", body={"filename": "a.mp4"})
    assert missing.status_code == 404 and missing.data["error"]["code"] == "not_found"


def test_an_uploaded_video_is_linked_once(videos: Videos) -> None:
    # Given HR's upload of an .mp4 to the presigned key
    app = videos.application()
    started, outcome = videos.upload_video(app["id"])
    # Then the S3 event links it to the application with its size, type and source
    assert outcome == {"queued": False, "video": "linked"}
    listed = videos.list(app["id"]).data
    assert listed["next_token"] is None
    assert listed["items"] == [
        {
            "video_id": started["video_id"],
            "application_id": app["id"],
            "size": len(MP4),
            "content_type": "video/mp4",
            "source": "upload",
            "uploaded_at": listed["items"][0]["uploaded_at"],
        }
    ]
    assert listed["items"][0]["uploaded_at"].endswith("Z")
    # When S3 delivers the same event again
    key = started["upload"]["fields"]["key"]
    again = videos.object_created(s3_object_created(videos.env["BUCKET_NAME"], key, "x", len(MP4)))
    # Then nothing new is linked or audited twice
    assert again["video"] == "duplicate"
    assert len(videos.list(app["id"]).data["items"]) == 1
    links = [a for a in Repository().audit.page(f"application:{app['id']}").items if a["action"] == "video.link"]
    assert len(links) == 1 and links[0]["details"]["video_id"] == started["video_id"]


def test_videos_page_with_a_token(videos: Videos) -> None:
    app = videos.application()
    ids = {videos.upload_video(app["id"])[0]["video_id"] for _ in range(3)}
    first = videos.api.call("GET", f"/applications/{app['id']}/videos?limit=2").data
    second = videos.api.call("GET", f"/applications/{app['id']}/videos?limit=2&next_token={first['next_token']}").data
    assert {v["video_id"] for v in first["items"] + second["items"]} == ids
    other = videos.application(2)
    bad = videos.api.call("GET", f"/applications/{other['id']}/videos?next_token={first['next_token']}")
    assert bad.status_code == 400 and bad.data["error"]["details"][0]["field"] == "next_token"


def test_objects_that_belong_to_no_known_application_are_quarantined(videos: Videos) -> None:
    # Given an application and three objects under videos/ that must not be linked
    app = videos.application()
    stranger = f"videos/{'a' * 32}/{'b' * 32}.mp4"  # well formed, unknown application
    odd = "videos/holiday trip.mp4"  # not <application>/<id>.<ext>
    wrong_type = f"videos/{app['id']}/{'c' * 32}.mp4"  # declared text/html
    events = [
        videos.put(stranger, MP4, "video/mp4"),
        videos.put(odd, MP4, "video/mp4"),
        videos.put(wrong_type, b"<html/>", "text/html"),
    ]
    events[1]["detail"]["object"]["key"] = "videos/holiday+trip.mp4"  # event keys may come URL-encoded
    # When S3 reports them
    outcomes = [videos.object_created(e)["video"] for e in events]
    # Then each is moved to quarantine/<key> and recorded with the reason, and nothing is linked
    assert outcomes == ["quarantined"] * 3
    for key in (stranger, odd, wrong_type):
        assert not videos.exists(key)
        moved = videos.s3.head_object(Bucket=videos.env["BUCKET_NAME"], Key=f"quarantine/{key}")
        assert moved["ServerSideEncryption"] == "aws:kms"
    reasons = {q.key: q.reason for q in quarantined()}
    assert reasons[stranger] == f"application {'a' * 32} does not exist"
    assert "not videos/<application>/<id>" in reasons[odd]
    assert "'text/html' does not match .mp4" in reasons[wrong_type]
    assert all(q.quarantine_key == f"quarantine/{q.key}" for q in quarantined())
    assert videos.list(app["id"]).data["items"] == []
    # And a redelivered event finds nothing left to do and adds no record
    assert videos.object_created(events[0])["video"] == "missing"
    assert len(quarantined()) == 3


def test_quarantine_removes_the_version_it_inspected_from_a_versioned_bucket(videos: Videos) -> None:
    # Given the bucket's versioning on (as in the template) and an object for an unknown application
    bucket = videos.env["BUCKET_NAME"]
    videos.s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    key = f"videos/{'d' * 32}/{'e' * 32}.webm"
    event = videos.put(key, WEBM, "video/webm")
    # When it is quarantined
    assert videos.object_created(event)["video"] == "quarantined"
    # Then no version (and no delete marker) of the original key remains, only the quarantine copy
    versions = videos.s3.list_object_versions(Bucket=bucket, Prefix=key)
    assert not versions.get("Versions") and not versions.get("DeleteMarkers")
    copy = videos.s3.get_object(Bucket=bucket, Key=f"quarantine/{key}")
    assert copy["Body"].read() == WEBM


def test_a_second_object_with_a_linked_video_id_is_quarantined(videos: Videos) -> None:
    app = videos.application()
    started, _ = videos.upload_video(app["id"])
    twin = f"videos/{app['id']}/{started['video_id']}.webm"
    assert videos.object_created(videos.put(twin, WEBM, "video/webm"))["video"] == "quarantined"
    assert [v["content_type"] for v in videos.list(app["id"]).data["items"]] == ["video/mp4"]
    assert "is already" in next(q.reason for q in quarantined() if q.key == twin)


@pytest.mark.usefixtures("private_fetch")
def test_a_vendor_video_url_is_copied_once_then_linked_by_its_s3_event(videos: Videos, vendor: str) -> None:
    # Given an application and the vendor's message offering a video by URL (through a redirect)
    app = videos.application()
    videos.send_copy(app["id"], f"{vendor}/moved?token=secret", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W")
    # When the intake worker handles it
    videos.drain()
    # Then the video is in the bucket under the id derived from the webhook id, encrypted with our key
    event = videos.copy_event(app["id"], "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W")
    key = event["detail"]["object"]["key"]
    head = videos.s3.head_object(Bucket=videos.env["BUCKET_NAME"], Key=key)
    assert head["ContentType"] == "video/mp4" and head["ContentLength"] == len(MP4)
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == videos.env["KMS_KEY_ID"]
    assert head["Metadata"] == {"source": "vendor", "webhook-id": "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"}
    assert VendorFiles.hits == {"/moved?token=secret": 1, "/interview.mp4": 1}
    # And its S3 event links it as the vendor's
    assert videos.object_created(event)["video"] == "linked"
    [video] = videos.list(app["id"]).data["items"]
    assert video["source"] == "vendor" and video["video_id"] == key.split("/")[-1][:32]
    # When the same message is delivered again
    videos.send_copy(app["id"], f"{vendor}/moved?token=secret", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W")
    videos.drain()
    # Then the URL is not fetched again and there is still one video
    assert VendorFiles.hits["/interview.mp4"] == 1
    assert len(videos.list(app["id"]).data["items"]) == 1


@pytest.mark.usefixtures("private_fetch")
def test_a_copied_video_not_yet_linked_is_not_copied_again(videos: Videos, vendor: str) -> None:
    # Given a webm copied from a chunked (undeclared length) answer whose S3 event has not arrived yet
    app = videos.application()
    videos.send_copy(app["id"], f"{vendor}/interview.webm", "msg-webm")
    videos.drain()
    event = videos.copy_event(app["id"], "msg-webm", "webm")
    assert event["detail"]["object"]["size"] == len(WEBM)
    # When the message comes again / Then the object is found and the URL is not fetched again
    videos.send_copy(app["id"], f"{vendor}/interview.webm", "msg-webm")
    videos.drain()
    assert VendorFiles.hits["/interview.webm"] == 1


@pytest.mark.usefixtures("private_fetch")
def test_vendor_urls_that_cannot_be_accepted_are_recorded_in_quarantine(videos: Videos, vendor: str) -> None:
    # Given messages offering a web page, a missing file, a non-HTTP URL and an unknown application
    app = videos.application()
    videos.send_copy(app["id"], f"{vendor}/page.html?sig=abc", "w-html")
    videos.send_copy(app["id"], f"{vendor}/gone.mp4", "w-404")
    videos.send_copy(app["id"], "file:///etc/passwd", "w-file")
    videos.send_copy("f" * 32, f"{vendor}/interview.mp4", "w-unknown")
    # When the worker handles them
    videos.drain()
    # Then nothing is stored and each is recorded with its reason, the URL without its query string
    assert not videos.exists("videos/")
    records = {q.webhook_id: q for q in quarantined()}
    assert "'text/html' is not video/mp4 or video/webm" in records["w-html"].reason
    assert records["w-html"].video_url == f"{vendor}/page.html"
    assert records["w-404"].reason == "the server answered 404"
    assert "only http and https" in records["w-file"].reason
    assert records["w-unknown"].reason == f"application {'f' * 32} does not exist"
    assert all(q.source == "vendor" and q.key is None for q in records.values())
    assert "/interview.mp4" not in VendorFiles.hits
    # And the queue is empty: refusals are not retried
    sqs = boto3.client("sqs", region_name=REGION)
    assert "Messages" not in sqs.receive_message(QueueUrl=videos.env["IMPORT_QUEUE_URL"], VisibilityTimeout=0)


@pytest.mark.usefixtures("private_fetch")
def test_a_video_over_the_limit_is_refused_while_streaming(
    videos: Videos, vendor: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a limit smaller than the videos, one with a declared length and one without
    monkeypatch.setattr(video_service, "MAX_VIDEO_BYTES", 100)
    app = videos.application()
    videos.send_copy(app["id"], f"{vendor}/interview.mp4", "big-declared")
    videos.send_copy(app["id"], f"{vendor}/interview.webm", "big-streamed")
    # When the worker handles them / Then both are refused and nothing is stored
    videos.drain()
    records = {q.webhook_id: q.reason for q in quarantined()}
    assert records["big-declared"].startswith("the file is larger than 100 bytes")
    assert records["big-streamed"] == "the file is larger than 100 bytes"
    assert not videos.exists("videos/")


def test_a_vendor_url_on_a_private_address_is_refused_by_default(videos: Videos, vendor: str) -> None:
    # Given the default settings and a URL on the loopback address
    app = videos.application()
    videos.send_copy(app["id"], f"{vendor}/interview.mp4", "w-private")
    # When the worker handles it / Then it is never fetched and the refusal is recorded
    videos.drain()
    assert VendorFiles.hits == {}
    [record] = quarantined()
    assert record.reason == "127.0.0.1 resolves to a non-public address (127.0.0.1)"


@pytest.mark.usefixtures("private_fetch")
def test_a_vendor_server_error_is_retried_not_quarantined(videos: Videos, vendor: str) -> None:
    # Given a batch with a message whose URL answers 503 and one whose URL works
    app = videos.application()
    videos.send_copy(app["id"], f"{vendor}/busy", "w-busy")
    videos.send_copy(app["id"], f"{vendor}/interview.mp4", "w-fine")
    sqs = boto3.client("sqs", region_name=REGION)
    queue_url = videos.env["IMPORT_QUEUE_URL"]
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    messages = sqs.receive_message(QueueUrl=queue_url, AttributeNames=["All"], MaxNumberOfMessages=10)["Messages"]
    busy = next(m["MessageId"] for m in messages if "w-busy" in m["Body"])
    # When the worker handles the batch
    response = videos.client.lambda_.invoke("import_worker", sqs_event(messages, arn)).payload
    # Then only the 503 is reported failed (the queue retries it, then its dead-letter queue keeps it)
    assert response == {"batchItemFailures": [{"itemIdentifier": busy}]}
    assert quarantined() == []
    assert videos.copy_event(app["id"], "w-fine")["detail"]["object"]["size"] == len(MP4)


def test_who_may_list_and_read_videos_and_every_read_is_audited(videos: Videos) -> None:
    # Given a linked video of an application in 零售金融部
    app = videos.application()
    started, _ = videos.upload_video(app["id"])
    path = f"/applications/{app['id']}/videos/{started['video_id']}"
    # Then HR and the department's manager list it; another department's manager, IT and an
    # interviewer who is not assigned may not
    for role, status in (("hr", 200), ("manager", 200), ("manager2", 403), ("it", 403), ("interviewer", 403)):
        assert videos.list(app["id"], role).status_code == status, role
        assert videos.api.call("GET", path, role=role).status_code == status, role
    # When the interviewer is assigned / Then they may
    update_application(app["id"], interviewers=["interviewer.demo"])
    assert videos.list(app["id"], "interviewer").status_code == 200
    response = videos.api.call("GET", path, role="interviewer")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    # And the link is a SigV4 presigned GET of the object, valid ≤ 300 s, that fetches the video
    link = response.data
    assert link["expires_in"] <= 300
    query = parse_qs(urlsplit(link["url"]).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and int(query["X-Amz-Expires"][0]) <= 300
    assert urlsplit(link["url"]).path.endswith(started["upload"]["fields"]["key"])
    assert requests.get(link["url"], timeout=10).content == MP4
    # And every URL handed out is audited with who, which object and the source address
    reads = [a for a in Repository().audit.page(f"application:{app['id']}").items if a["action"] == "video.read"]
    assert [(r["actor"], r["details"]["video_id"]) for r in reads] == [
        ("interviewer.demo", started["video_id"]),
        ("manager.demo", started["video_id"]),
        ("hr.demo", started["video_id"]),
    ]
    assert reads[0]["details"]["fields"] == ["url"]
    assert all(r["source_ip"] == "127.0.0.1" and r["at"] for r in reads)


def test_an_unknown_video_is_404_and_not_audited(videos: Videos) -> None:
    app = videos.application()
    for video_id in ("0" * 32, "not-an-id"):
        response = videos.api.call("GET", f"/applications/{app['id']}/videos/{video_id}")
        assert response.status_code == 404 and "does not exist" in response.data["error"]["message"]
    assert videos.api.call("GET", f"/applications/nope/videos/{'0' * 32}").status_code == 404
    assert not [a for a in Repository().audit.page(f"application:{app['id']}").items if a["action"] == "video.read"]
