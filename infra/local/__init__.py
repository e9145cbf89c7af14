"""The local stack: moto in server mode, the template deployed through moto's CloudFormation, a
Cognito user pool with demo users, the Chalice HTTP API and an event pump, all in one process.

Start it with ``make run`` (``python -m infra.local``); get a fresh token with ``make token ROLE=hr``
(``python -m infra.local.token --role hr``); play the interview vendors with
``python -m infra.local.simulator --requisition <id> --count 10``.
"""
