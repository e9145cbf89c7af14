"""The Chalice app: creates it and registers the middleware, every route and every event source.

Routes and event sources come from the route table (``functions/routing.py``,
``functions/route_table.json``): each handler module is imported on its route's first request or
its function's first event, not here, so that the API function's cold start imports no service,
store or model of the product.
"""

import os

from chalice import Chalice

from functions import routing
from shared.domain.exports import XLSX

if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):  # in AWS Lambda a missing setting fails the start, naming it
    from shared.settings import check_at_cold_start

    check_at_cold_start()
app = Chalice(app_name=routing.APP_NAME)
app.register_middleware(routing.observe, "all")  # the Lambda context and correlation id on every log line
app.register_middleware(routing.http_middleware, "http")
app.api.binary_types.append(XLSX)  # analytics exports
routing.register(app)
