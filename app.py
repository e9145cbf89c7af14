"""The Chalice app: creates it, registers blueprints and middleware, nothing else."""

from chalice import Chalice

from functions import applications, auth, imports, requisitions, system, webhooks
from functions.http import http_middleware

app = Chalice(app_name="talent-lifecycle")
app.register_middleware(http_middleware, "http")
for blueprint in (auth.bp, system.bp, requisitions.bp, applications.bp, imports.bp, webhooks.bp):
    app.register_blueprint(blueprint)
