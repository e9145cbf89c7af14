"""Offers and the mails HR's decisions send, through the handlers: the offer's probation period and
development path, distinct second-interview slots from interviewers' availability with a calendar
entry each, the rejection notice sent only when HR decides, HR's notice of an assessment request,
and every address from the one directory."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import boto3
from chalice.test import Client

from shared import clock
from tests.support.api import Api
from tests.support.bodies import ASSESSMENT_REASON, NEGOTIATION
from tests.support.events import deliver_notifications
from tests.support.hiring import at_background_check, at_stage, new_app, offer_body, scored_apps
from tests.support.mail import mail_to, sent_mail
from tests.support.probation import FAST, awaiting, hire, until
from tests.support.stack import REGION, Stack

INTERVIEWER = "interviewer.demo"


def slots(*hours: int, days: int = 7) -> list[dict[str, Any]]:
    """Slots of 45 minutes in a week's time, at these Beijing hours."""
    day = clock.today() + timedelta(days=days)
    return [{"starts_at": f"{day.isoformat()}T{h:02d}:00:00+08:00", "minutes": 45} for h in hours]


# -- the offer --------------------------------------------------------------------------------------
def test_the_offer_and_its_letter_carry_the_probation_period_and_a_development_path(
    api: Api, stack: Stack, req_id: str
) -> None:
    # Given an application at background_check (AI scores logic 80, customer orientation 80)
    app_id = at_background_check(api, req_id)
    # When HR makes an offer with a probation of 7 months
    refused = api.call("POST", f"/applications/{app_id}/offers", body=offer_body(probation_months=7))
    # Then it is refused naming the field, and no offer exists
    assert refused.status_code == 400 and refused.data["error"]["details"][0]["field"] == "probation_months"
    assert api.call("GET", f"/applications/{app_id}/offers").data["items"] == []
    # When HR makes it with 6 months
    offer = api.call("POST", f"/applications/{app_id}/offers", body=offer_body(probation_months=6)).data
    # Then the offer carries the period and a path from the profile: logic 80 is 10 above its bar 70 (a
    # strength, it sets the track); customer orientation 80 is at its bar (neither)
    assert offer["probation_months"] == 6
    path = offer["development_path"]
    assert path["strengths"] == ["logic"] and path["track_zh"] == "专业技术通道"
    assert "logical thinking 80" in path["basis_en"] and "逻辑思维 80" in path["basis_zh"]
    # And the letter says both
    s3 = boto3.client("s3", region_name=REGION)
    letter = s3.get_object(Bucket=stack.env["BUCKET_NAME"], Key=f"offers/{app_id}/{offer['id']}.html")
    html = letter["Body"].read().decode("utf-8")
    assert "试用期" in html and "6 个月" in html and "发展路径" in html and "专业技术通道" in html


def test_weak_dimensions_become_first_year_training(api: Api, req_id: str) -> None:
    # Given an application scored 70 on logic and customer orientation (bars 70 and 80)
    app_id = at_background_check(api, req_id, score=70)
    # When HR makes an offer
    path = api.call("POST", f"/applications/{app_id}/offers", body=offer_body()).data["development_path"]
    # Then customer orientation (below its bar) gets first-year training from the course catalogue
    assert path["weak_dimensions"] == ["customer_orientation"]
    assert [c["dimension"] for c in path["first_year_training"]] == ["customer_orientation"]
    assert path["first_year_training"][0]["title_zh"]


# -- second-interview slots --------------------------------------------------------------------------
def test_availability_is_entered_by_hr_and_bad_slots_are_refused(api: Api) -> None:
    path = f"/interviewers/{INTERVIEWER}/availability"
    # When a manager enters it, or HR enters a slot in the past or two that overlap
    assert api.call("PUT", path, role="manager", body={"slots": slots(9)}).status_code == 403
    past = api.call("PUT", path, body={"slots": slots(9, days=-1)})
    overlapping = api.call("PUT", path, body={"slots": [*slots(9), {**slots(9)[0], "minutes": 30}]})
    # Then each is refused naming the slot, and nothing is stored
    assert past.status_code == 400 and past.data["error"]["details"][0]["field"] == "slots.0.starts_at"
    assert overlapping.status_code == 400 and overlapping.data["error"]["details"][0]["field"] == "slots.1.starts_at"
    assert api.call("GET", path).data["slots"] == []
    # When HR enters two slots
    stored = api.call("PUT", path, body={"slots": slots(9, 10)})
    # Then they are kept, free
    assert stored.status_code == 200 and [s["booked_by"] for s in stored.data["slots"]] == [None, None]


def test_each_invitation_gets_a_distinct_slot_with_a_calendar_entry(api: Api, client: Client, req_id: str) -> None:
    # Given 10 scored applications (a shortlist of 3) and an interviewer with only two free slots
    scored_apps(api, req_id, 10)
    proposal = api.call("POST", f"/requisitions/{req_id}/shortlist").data
    assert api.call("PUT", f"/interviewers/{INTERVIEWER}/availability", body={"slots": slots(9, 10)}).status_code == 200
    confirm = {
        "proposal_id": proposal["proposal_id"],
        "interview": {"interviewers": [INTERVIEWER], "place": "总行 801 室"},
    }
    # When HR confirms the shortlist of three
    short = api.call("POST", f"/requisitions/{req_id}/shortlist/confirm", body=confirm)
    # Then it is refused before anyone moves: the slots do not go round
    assert short.status_code == 409 and short.data["error"]["details"][0] == {
        "field": "interview.interviewers",
        "needed": 3,
        "free": 2,
    }
    ids = [e["application_id"] for e in proposal["entries"]]
    assert {api.call("GET", f"/applications/{a}").data["stage"] for a in ids} == {"ai_interviewed"}

    # When HR adds a third slot and confirms again
    api.call("PUT", f"/interviewers/{INTERVIEWER}/availability", body={"slots": slots(9, 10, 11)})
    done = api.call("POST", f"/requisitions/{req_id}/shortlist/confirm", body=confirm)
    assert done.status_code == 200 and done.data["invitations_queued"] == 3, done.data
    deliver_notifications(client, api.stack)
    # Then each applicant got one invitation with a calendar entry, all at different times
    invitations = [m for m in sent_mail() if "复试邀请" in m.subject]
    assert len(invitations) == 3
    starts = []
    for m in invitations:
        [ics] = m.attachments
        assert ics["filename"] == "interview.ics" and ics["content_type"] == "text/calendar"
        content = ics["content"] if isinstance(ics["content"], str) else ics["content"].decode()
        starts.append(re.search(r"DTSTART:(\w+)", content).group(1))  # type: ignore[union-attr]
        assert "LOCATION:总行 801 室" in content and "约45分钟" in m.body
    assert len(set(starts)) == 3
    # And the interviewer's slots are booked by the three applications
    booked = api.call("GET", f"/interviewers/{INTERVIEWER}/availability").data["slots"]
    assert sorted(s["booked_by"] for s in booked) == sorted(ids)


# -- the rejection notice -----------------------------------------------------------------------------
def test_the_rejection_notice_is_sent_only_when_hr_decides(api: Api, client: Client, req_id: str) -> None:
    # Given two applicants at ai_interviewed
    first, second = (a["id"] for a in scored_apps(api, req_id, 2))
    # When a manager tries to reject one (refused), and the queue is delivered
    refused = api.call(
        "POST", f"/applications/{first}/transitions", role="manager", body={"to": "rejected", "reason": "x"}
    )
    deliver_notifications(client, api.stack)
    # Then nobody was told anything
    assert refused.status_code in (403, 409)
    assert [m for m in sent_mail() if "应聘结果通知" in m.subject] == []
    # When HR rejects the first
    assert (
        api.call(
            "POST", f"/applications/{first}/transitions", body={"to": "rejected", "reason": "表达能力不足"}
        ).status_code
        == 200
    )
    deliver_notifications(client, api.stack)
    deliver_notifications(client, api.stack)
    # Then that applicant gets one courteous notice in Chinese (no internal reason), the other none
    notices = [m for m in sent_mail() if "应聘结果通知" in m.subject]
    assert len(notices) == 1
    assert notices[0].destinations["ToAddresses"] == ["applicant100@example.com"]  # the first (person 100)
    assert "很遗憾" in notices[0].body and "表达能力不足" not in notices[0].body
    assert second not in notices[0].body


def test_hr_screening_rejections_are_told_too(api: Api, client: Client, req_id: str) -> None:
    # Given an applicant whose resume misses the required keywords (screening proposes to reject)
    app = new_app(api, req_id, 5, resume_text="无相关经历")
    deliver_notifications(client, api.stack)
    assert [m for m in sent_mail() if "应聘结果通知" in m.subject] == []  # never automatically
    # When HR decides to reject at screening
    body = {"decisions": [{"application_id": app["id"], "decision": "reject", "reason": "关键词不符"}]}
    assert api.call("POST", f"/requisitions/{req_id}/screening/decisions", body=body).status_code == 200
    deliver_notifications(client, api.stack)
    # Then the applicant is told
    assert len([m for m in sent_mail() if "应聘结果通知" in m.subject]) == 1


# -- HR's notice of an assessment request ---------------------------------------------------------------
def test_hr_is_told_of_each_managers_assessment_request(api: Api, client: Client, req_id: str) -> None:
    # Given an application at second_interview
    app_id = scored_apps(api, req_id, 1)[0]["id"]
    at_stage(api, app_id, "shortlisted", "second_interview")
    path = f"/applications/{app_id}/assessment-requests"
    # When HR asks for one itself
    assert api.call("POST", path, body={"reason": ASSESSMENT_REASON, "assessment": NEGOTIATION}).status_code == 201
    deliver_notifications(client, api.stack)
    # Then HR is not told of its own request
    assert [m for m in mail_to("hr.demo@example.com") if "补充测评申请待审批" in m.subject] == []
    # When the department's manager asks for another
    other = NEGOTIATION | {"name": "压力面试"}
    assert (
        api.call("POST", path, role="manager", body={"reason": ASSESSMENT_REASON, "assessment": other}).status_code
        == 201
    )
    deliver_notifications(client, api.stack)
    deliver_notifications(client, api.stack)
    # Then HR (from the directory) gets one notice naming the assessment and the reason
    [notice] = [m for m in mail_to("hr.demo@example.com") if "补充测评申请待审批" in m.subject]
    assert "压力面试" in notice.body and ASSESSMENT_REASON in notice.body


# -- one directory, no API instructions in mails ---------------------------------------------------------
def test_probation_mails_come_from_the_directory_and_name_no_api_call(api: Api, client: Client, stack: Any) -> None:
    # Given a probation whose final review waits for the manager
    hire("c1", start=clock.today() - timedelta(days=31))
    assert api.call("POST", "/employees/c1/probation/confirm", body={"durations": FAST}).status_code == 201
    until(awaiting(api, "c1"), client, stack)
    until(lambda: [m for m in sent_mail() if "转正评估" in m.subject], client, stack)
    # Then the review mail goes to the department's manager in the directory and points at the console
    [review] = [m for m in sent_mail() if "转正评估" in m.subject]
    assert review.destinations["ToAddresses"] == ["manager.demo@example.com"]
    assert "#/employees/c1" in review.body
    # And no mail of the product tells anyone to call the API
    assert [m.subject for m in sent_mail() if re.search(r"\b(POST|PUT|GET) /", m.body)] == []
