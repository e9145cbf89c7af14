"""The Chalice app: creates it, registers blueprints and middleware, nothing else."""

from chalice import Chalice

from functions import (
    analytics,
    applications,
    archive,
    assessments,
    auth,
    background_checks,
    candidates,
    console,
    courses,
    desk,
    employees,
    imports,
    insights,
    offers,
    onboarding,
    openapi,
    performance,
    persons,
    privacy,
    probation,
    question_bank,
    requisitions,
    second_interview,
    selection,
    system,
    videos,
    vocabulary,
    webhooks,
)
from functions.consumers import (
    background_check_queue,
    esign_queue,
    import_queue,
    notification_queue,
    object_events,
    onboarding_queue,
    schedules,
    table_stream,
)
from functions.http import http_middleware
from functions.observability import observe
from shared.domain.exports import XLSX
from shared.settings import check_at_cold_start

check_at_cold_start()  # in AWS Lambda a missing setting fails the function's start, naming it
app = Chalice(app_name="talent-lifecycle")
app.register_middleware(observe, "all")  # the Lambda context and correlation id on every log line
app.register_middleware(http_middleware, "http")
app.api.binary_types.append(XLSX)  # analytics exports
BLUEPRINTS = (
    auth,
    system,
    openapi,
    requisitions,
    applications,
    candidates,
    persons,
    selection,
    imports,
    webhooks,
    videos,
    archive,
    question_bank,
    second_interview,
    assessments,
    onboarding,
    employees,
    courses,
    background_checks,
    offers,
    console,
    vocabulary,
    insights,
    probation,
    performance,
    analytics,
    desk,
    privacy,
)
CONSUMERS = (
    notification_queue,
    import_queue,
    onboarding_queue,
    esign_queue,
    background_check_queue,
    table_stream,
    object_events,
    schedules,
)
for module in (*BLUEPRINTS, *CONSUMERS):
    app.register_blueprint(module.bp)
