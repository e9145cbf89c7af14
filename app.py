"""The Chalice app: creates it, registers blueprints and middleware, nothing else."""

from chalice import Chalice

from functions import (
    applications,
    archive,
    assessments,
    auth,
    background_checks,
    candidates,
    console,
    courses,
    employees,
    imports,
    insights,
    offers,
    onboarding,
    openapi,
    privacy,
    probation,
    question_bank,
    requisitions,
    second_interview,
    selection,
    system,
    videos,
    webhooks,
)
from functions.http import http_middleware

app = Chalice(app_name="talent-lifecycle")
app.register_middleware(http_middleware, "http")
BLUEPRINTS = (
    auth,
    system,
    openapi,
    requisitions,
    applications,
    candidates,
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
    insights,
    probation,
    privacy,
)
for module in BLUEPRINTS:
    app.register_blueprint(module.bp)
