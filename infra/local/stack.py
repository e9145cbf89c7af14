"""The whole product on 127.0.0.1, in one process, with no AWS account.

1. moto in server mode (``ThreadedMotoServer``); every boto3 client of the process points at it
   through ``AWS_ENDPOINT_URL``.
2. A Cognito user pool with one demo user per role (moto's CloudFormation skips ``AWS::Cognito::*``).
3. ``infra/template.json`` deployed through moto's CloudFormation; its resolved Outputs become the
   environment (``infra.outputs.env_from_outputs``), exactly as in AWS.
4. The Chalice app served by chalice's own ``LocalDevServer`` (what ``chalice local`` runs).
5. The event pump (``infra.local.pump``) and a small admin endpoint (``infra.local.admin``).
6. The hosted sign-in pages (``infra.local.hosted_ui``: authorization code + PKCE, what Cognito's
   managed login is in AWS), where the console signs in.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from infra.local import cognito
from infra.local.cognito import UserPool
from infra.local.state import DEFAULT_STATE_DIR, PROJECT_DIR, REGION, STATE_FILE, aws_environment, write_state
from infra.local.vendors import (
    LOCAL_BACKGROUND_VENDOR_SECRETS,
    LOCAL_ESIGN_SECRETS,
    LOCAL_VENDOR_SECRETS,
    seed_esign_secrets,
    seed_vendor_secrets,
)
from shared import clock as shared_clock

log = logging.getLogger("infra.local")

DEFAULT_TEMPLATE = PROJECT_DIR / "infra" / "template.json"
STACK_NAME = "talent-local"
STAGE = "dev"
API_LISTEN_BACKLOG = 256  # pending connections the local API queues (socketserver's default is 5)
SLOW_STOP_SECONDS = 3.0  # a part of the stack that takes longer than this to stop is logged at WARNING
MOTO_START_SECONDS = 30.0  # moto's server is up within this, or its port was taken


@dataclass
class Options:
    host: str = "127.0.0.1"
    port: int = 8000
    moto_port: int = 5000
    admin_port: int | None = None  # default: port + 1
    clock_seconds: float | None = None
    days_ahead: float = 0  # start with the business clock this many days ahead (infra/local/clock.py)
    persist: Path | None = None
    state_dir: Path = DEFAULT_STATE_DIR
    template: Path = DEFAULT_TEMPLATE
    sqs_pollers: int = 2
    retry_delay_seconds: int = 1
    bgc_vendor_port: int | None = None  # the simulated background-check vendor; default: port + 2
    esign_vendor_port: int | None = None  # the simulated e-signature vendor; default: port + 3
    sign_in_port: int | None = None  # the hosted sign-in pages; default: port + 4
    demo_data: bool = True  # a small demo history for the console (infra/local/demo.py)
    # The template's MfaRequiredGroups: none by default, so the demo people sign in with a password
    # alone; e.g. "hr,it" to try the enforcement (they are then asked to enrol an authenticator app).
    mfa_required_groups: str = ""

    def ports(self) -> dict[str, int]:
        """Every port the stack listens on, by what listens: as given, or the default the README names
        (moto 5000; the API's port, then admin + 1, background-check vendor + 2, e-sign vendor + 3,
        sign-in pages + 4)."""
        return {
            "moto": self.moto_port,
            "API": self.port,
            "admin": self.admin_port if self.admin_port is not None else self.port + 1,
            "background-check vendor": self.bgc_vendor_port if self.bgc_vendor_port is not None else self.port + 2,
            "e-sign vendor": self.esign_vendor_port if self.esign_vendor_port is not None else self.port + 3,
            "sign-in pages": self.sign_in_port if self.sign_in_port is not None else self.port + 4,
        }

    @property
    def console_url(self) -> str:
        """The console's address: the app client's callback and sign-out URL."""
        return f"http://{self.host}:{self.port}/console/"


def ensure_port_free(host: str, port: int, what: str) -> None:
    """Fail fast with a clear message (moto's server thread would otherwise die silently)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise SystemExit(f"{what} port {host}:{port} is not free ({exc.strerror}); choose another") from exc


@dataclass
class StackInfo:
    api_url: str = ""
    moto_endpoint: str = ""
    admin_url: str = ""
    pool: UserPool | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


class LocalStack:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.info = StackInfo()
        self._moto: Any = None
        self._api: Any = None
        self._api_thread: threading.Thread | None = None
        self._pump: Any = None
        self._admin: Any = None
        self._session: Any = None
        self._physical: dict[str, str] = {}  # logical id -> physical id of the deployed stack
        self._bgc_vendor: Any = None
        self._esign: Any = None  # the simulated e-signature vendor (infra/local/esign_vendor.py)
        self._sign_in: Any = None  # the hosted sign-in pages (infra/local/hosted_ui.py)

    # -- start ----------------------------------------------------------------------------------

    def start(self) -> StackInfo:
        opts = self.options
        ports = opts.ports()
        started = time.monotonic()
        # a vendor stand-in on its default port moves to any free one if that is taken (its URL is in
        # the settings); every other port, and a vendor's port given by its flag, must be free
        given = {"background-check vendor": opts.bgc_vendor_port, "e-sign vendor": opts.esign_vendor_port}
        for what, port in ports.items():
            if given.get(what, port) is not None:
                ensure_port_free(opts.host, port, what)
        if not opts.template.is_file():
            raise SystemExit(f"template {opts.template} does not exist")

        self._start_bgc_vendor()
        os.environ.update(aws_environment(opts.host, opts.moto_port))
        self.info.moto_endpoint = os.environ["AWS_ENDPOINT_URL"]
        self._start_moto()
        self._mark("moto", started)

        import boto3

        self._session = boto3.session.Session(region_name=REGION)
        pool = cognito.create_demo_pool(self._client("cognito-idp"), REGION, console_url=opts.console_url)
        self.info.pool = pool
        self._mark("cognito", started)

        outputs = self._deploy(pool)
        self._mark("cloudformation", started)
        self._configure_environment(pool, outputs)
        self._start_sign_in(pool)
        self._seed_secrets(outputs)
        self._start_esign_vendor()
        self._enable_bucket_events()
        if opts.persist:
            from infra.local import persist

            persist.restore(opts.persist, self._session, STACK_NAME)
        self._start_clock()
        if opts.demo_data:
            from infra.local import demo

            demo.seed()
            self._mark("demo data", started)

        app, config = self._load_app()
        self._mark("app import", started)
        self._start_api(app, config)
        self._start_pump(app, config)
        from infra.local.admin import AdminServer
        from infra.local.operations import view

        operations = view(self._client, STACK_NAME, outputs["ProbationStateMachineArn"], self._pump.status)
        self._admin = AdminServer(self._pump, opts.host, ports["admin"], operations)
        self._admin.start()
        self.info.admin_url = self._admin.url

        cognito_client = self._client("cognito-idp")
        self.info.tokens = {
            u.key: cognito.id_token(cognito_client, pool.pool_id, pool.client_id, u.username, u.password)
            for u in pool.users
        }
        self._write_state()
        self._mark("ready", started)
        return self.info

    def _start_clock(self) -> None:
        """The business clock every function reads: kept with ``--persist``, else real time; then moved
        ``--days-ahead`` forward."""
        from infra.local import clock

        kept = self.options.persist
        clock.use((kept or self.options.state_dir) / clock.FILE_NAME, keep=kept is not None)
        if self.options.days_ahead:
            clock.move({"days": self.options.days_ahead})
        self.info.env[shared_clock.CLOCK_FILE_ENV] = os.environ[shared_clock.CLOCK_FILE_ENV]

    def _mark(self, step: str, started: float) -> None:
        self.info.timings[step] = round(time.monotonic() - started, 3)

    def _client(self, service: str) -> Any:
        return self._session.client(service, region_name=REGION)

    def _start_moto(self) -> None:
        # The recorder and other moto settings are read from the environment at import time.
        from moto.server import ThreadedMotoServer

        from infra.local import emulator

        emulator.apply_all()  # the project's fixes of moto and chalice local (infra/local/emulator)
        emulator.enable_execution()  # the template's state machine runs in moto's ASL interpreter
        # moto's interpreter calls SQS / DynamoDB back through http://localhost:$MOTO_PORT
        os.environ["MOTO_PORT"] = str(self.options.moto_port)
        # authenticator (TOTP) codes are checked, as Cognito checks them (the hosted sign-in pages ask
        # an enrolled user for one)
        os.environ["MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP"] = "true"
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto logs every request otherwise
        self._moto = ThreadedMotoServer(ip_address=self.options.host, port=self.options.moto_port, verbose=False)
        # moto's server thread exits when its port was taken after the check above, and start() then
        # waits for ever: wait for it here with a bound, and say which port it was.
        starting = threading.Thread(target=self._moto.start, name="moto-start", daemon=True)
        starting.start()
        starting.join(MOTO_START_SECONDS)
        if starting.is_alive():
            raise SystemExit(
                f"moto did not start on port {self.options.moto_port} within {MOTO_START_SECONDS:g} s: "
                "is the port in use? Pass another with --moto-port"
            )

    def _deploy(self, pool: UserPool) -> dict[str, str]:
        from infra.outputs import deployable_template_body, stack_outputs

        cfn = self._client("cloudformation")
        cfn.create_stack(
            StackName=STACK_NAME,
            TemplateBody=deployable_template_body(self.options.template),
            Parameters=[
                {"ParameterKey": "UserPoolId", "ParameterValue": pool.pool_id},
                {"ParameterKey": "UserPoolClientId", "ParameterValue": pool.client_id},
                {"ParameterKey": "MfaRequiredGroups", "ParameterValue": self.options.mfa_required_groups},
            ],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
        )
        waiter = cfn.get_waiter("stack_create_complete")
        waiter.wait(StackName=STACK_NAME, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
        stack = cfn.describe_stacks(StackName=STACK_NAME)["Stacks"][0]
        if stack["StackStatus"] != "CREATE_COMPLETE":
            raise SystemExit(f"stack {STACK_NAME} is {stack['StackStatus']}: {stack.get('StackStatusReason')}")
        outputs = stack_outputs(stack)
        self.info.outputs = outputs
        # describe_stack_resource trips over resources moto skipped (e.g. AWS::S3::BucketPolicy);
        # list_stack_resources lists them with empty ids.
        for page in cfn.get_paginator("list_stack_resources").paginate(StackName=STACK_NAME):
            for res in page["StackResourceSummaries"]:
                if res.get("LogicalResourceId") and res.get("PhysicalResourceId"):
                    self._physical[res["LogicalResourceId"]] = res["PhysicalResourceId"]
        return outputs

    def _configure_environment(self, pool: UserPool, outputs: dict[str, str]) -> None:
        from infra.outputs import env_from_outputs

        env = env_from_outputs(outputs)
        env.update(
            {
                "USER_POOL_ID": pool.pool_id,
                "USER_POOL_CLIENT_ID": pool.client_id,
                "COGNITO_JWKS_URL": pool.jwks_url(self.info.moto_endpoint),
                # the console enrols authenticator apps at the local pool (moto's cognito-idp API)
                "COGNITO_IDP_URL": f"{self.info.moto_endpoint.rstrip('/')}/",
                # The vendor simulator serves interview videos on 127.0.0.1.
                "VIDEO_FETCH_ALLOW_PRIVATE": "true",
                # The simulated background-check vendor (infra.local.bgc_vendor).
                "BACKGROUND_VENDOR_URL": self._bgc_vendor.url,
            }
        )
        os.environ.update(env)
        self.info.env = env

    def _seed_secrets(self, outputs: dict[str, str]) -> None:
        """The template's secrets (moto's CloudFormation skips them), created from their definitions;
        then the README's vendor secrets and, with ``--persist``, the kept PII hash key put in."""
        from infra.outputs import load_template
        from infra.secrets import create_secrets

        secretsmanager = self._client("secretsmanager")
        refs = {"DataKey.Arn": outputs["KmsKeyId"]}
        create_secrets(secretsmanager, load_template(self.options.template), STACK_NAME, refs)
        if self.options.persist:
            secretsmanager.put_secret_value(SecretId=outputs["PiiHashKeySecret"], SecretString=self._pii_hash_key())
        seed_vendor_secrets(secretsmanager, outputs["VendorSecretsPath"])
        seed_esign_secrets(secretsmanager, outputs["VendorSecretsPath"])
        self._client("ses").verify_email_identity(EmailAddress=outputs["MailFrom"])

    def _vendor(self, start: Callable[[int], Any], what: str, given: int | None) -> Any:
        """A simulated vendor on its port (``--<vendor>-port`` or the default); on any free port if the
        default is taken (the stack's settings name its URL)."""
        port = self.options.ports()[what]
        try:
            return start(port)
        except OSError:
            if given is not None:
                raise
            return start(0)

    def _start_esign_vendor(self) -> None:
        """The simulated e-signature vendor: it signs each offer a moment after receiving it."""
        from infra.local.esign_vendor import EsignVendorSimulator

        opts = self.options
        api = f"http://{opts.host}:{opts.port}"
        self._esign = self._vendor(
            lambda port: EsignVendorSimulator(api, opts.host, port), "e-sign vendor", opts.esign_vendor_port
        )
        os.environ["ESIGN_VENDOR_URL"] = self.info.env["ESIGN_VENDOR_URL"] = self._esign.start()
        from shared.settings import reset_settings

        reset_settings()

    def _start_sign_in(self, pool: UserPool) -> None:
        """The hosted sign-in pages, throttled as in ``shared/services/sign_in.py``; the API's
        ``GET /auth/config`` points the console at them."""
        from infra.local.hosted_ui import HostedSignIn
        from shared.services.sign_in import SignIn

        opts = self.options
        self._sign_in = HostedSignIn(
            self._client("cognito-idp"),
            pool.pool_id,
            pool.client_id,
            opts.host,
            opts.ports()["sign-in pages"],
            throttle=SignIn().attempt,
        ).start()
        os.environ["SIGN_IN_URL"] = self.info.env["SIGN_IN_URL"] = self._sign_in.url
        from shared.settings import reset_settings

        reset_settings()

    def _pii_hash_key(self) -> str:
        """With ``--persist``, the same key every run (hashes in the tables stay valid)."""
        assert self.options.persist is not None
        path = self.options.persist / "pii-hash-key"
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
        self.options.persist.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(32)
        path.touch(mode=0o600)
        path.write_text(key, encoding="utf-8")
        return key

    def _enable_bucket_events(self) -> None:
        """moto's CloudFormation ignores a bucket's ``NotificationConfiguration``: apply the
        ``EventBridgeConfiguration`` of the template's buckets through the S3 API."""
        from infra.outputs import load_template

        template = load_template(self.options.template)
        s3 = self._client("s3")
        for logical_id, resource in template.get("Resources", {}).items():
            if resource.get("Type") != "AWS::S3::Bucket":
                continue
            notifications = resource.get("Properties", {}).get("NotificationConfiguration", {})
            if "EventBridgeConfiguration" not in notifications:
                continue
            bucket = self._physical[logical_id]
            s3.put_bucket_notification_configuration(
                Bucket=bucket, NotificationConfiguration={"EventBridgeConfiguration": {}}
            )
            log.info("S3 → EventBridge notifications enabled on %s (%s)", bucket, logical_id)

    def _load_app(self) -> tuple[Any, Any]:
        """Load the app exactly as ``chalice local`` does (config.json, stage, environment)."""
        from chalice.cli.factory import CLIFactory
        from chalice.deploy.validate import validate_routes

        factory = CLIFactory(str(PROJECT_DIR), environ=os.environ)
        config = factory.create_config_obj(chalice_stage_name=STAGE)
        app = config.chalice_app
        validate_routes(app.routes)
        return app, config

    def _start_api(self, app: Any, config: Any) -> None:
        from chalice.local import create_local_server

        self._api = create_local_server(app, config, self.options.host, self.options.port)
        # socketserver listens with a backlog of 5: many vendors connecting at once would be reset
        # before the server accepts them (API Gateway has no such queue); listen again with a deep one
        self._api.server.socket.listen(API_LISTEN_BACKLOG)
        self._api_thread = threading.Thread(target=self._api.server.serve_forever, name="api", daemon=True)
        self._api_thread.start()
        self.info.api_url = f"http://{self.options.host}:{self.options.port}"

    def _start_bgc_vendor(self) -> None:
        """The simulated background-check vendor. It sends its results to the API's URL, served a
        moment later."""
        from infra.local.bgc_vendor import SimulatedBackgroundVendor

        opts = self.options
        api_url = f"http://{opts.host}:{opts.port}"
        vendor = self._vendor(
            lambda port: SimulatedBackgroundVendor(api_url, host=opts.host, port=port),
            "background-check vendor",
            opts.bgc_vendor_port,
        )
        self._bgc_vendor = vendor.start()

    def _start_pump(self, app: Any, config: Any) -> None:
        from chalice.app import DynamoDBEventConfig, SQSEventConfig

        from functions.consumers.table_stream import STREAM_FILTERS
        from infra.local.pump import EventPump, FunctionSettings
        from infra.local.streams import MotoStreamTail, sqs_on_failure

        sqs = self._client("sqs")

        def resolve_queue(source: SQSEventConfig) -> str:
            """``queue`` is the template's logical id of the queue (or, failing that, a queue name)."""
            if source.queue_arn:
                return str(sqs.get_queue_url(QueueName=source.queue_arn.rsplit(":", 1)[-1])["QueueUrl"])
            logical = source.queue or ""
            if logical in self._physical:
                return self._physical[logical]  # an SQS queue's physical id is its URL
            if f"{logical}Url" in self.info.outputs:
                return self.info.outputs[f"{logical}Url"]
            return str(sqs.get_queue_url(QueueName=logical)["QueueUrl"])

        def function_settings(name: str) -> FunctionSettings:
            scoped = config.scope(chalice_stage=STAGE, function_name=name)
            return FunctionSettings(
                timeout_seconds=int(scoped.lambda_timeout or 60), memory_mb=int(scoped.lambda_memory_size or 128)
            )

        def stream_tail(source: DynamoDBEventConfig) -> MotoStreamTail:
            """Every stream handler reads the talent table's stream (the deployment does the same),
            here from the moto server this process runs."""
            return MotoStreamTail(self.info.outputs["TableName"], REGION)

        self._pump = EventPump(
            app,
            sqs=sqs,
            events=self._client("events"),
            region=REGION,
            stage=STAGE,
            resolve_queue=resolve_queue,
            function_settings=function_settings,
            retry_delay_seconds=self.options.retry_delay_seconds,
            stream_tail=stream_tail,
            stream_filters=STREAM_FILTERS,
            stream_failure=sqs_on_failure(sqs, self.info.outputs["StreamDeadLetterQueueUrl"]),
        )
        self._pump.setup()
        self._pump.start(pollers_per_queue=self.options.sqs_pollers, clock_seconds=self.options.clock_seconds)

    def _write_state(self) -> None:
        pool = self.info.pool
        assert pool is not None
        state = {
            "pid": os.getpid(),
            "api_url": self.info.api_url,
            "admin_url": self.info.admin_url,
            "moto_endpoint": self.info.moto_endpoint,
            "moto_port": self.options.moto_port,
            "region": REGION,
            "stack_name": STACK_NAME,
            **pool.to_state(),
            "outputs": self.info.outputs,
        }
        write_state(self.options.state_dir, state)

    # -- banner ---------------------------------------------------------------------------------

    def print_banner(self, out: TextIO = sys.stdout) -> None:
        info, pool = self.info, self.info.pool
        assert pool is not None
        state_dir = self.options.state_dir
        lines = [
            "",
            "Talent lifecycle — local stack",
            f"  API            {info.api_url}",
            f"  moto endpoint  {info.moto_endpoint}   (AWS_ENDPOINT_URL; credentials: testing/testing)",
            f"  pump admin     {info.admin_url}   (GET /status, GET /operations, POST /schedules/<name>,"
            " GET|POST /clock)",
            f"  business day   {shared_clock.today()}   (moved {shared_clock.offset_seconds() / 86400:g} days ahead)",
            f"  user pool      {pool.pool_id}   client {pool.client_id}",
            f"  JWKS           {pool.jwks_url(info.moto_endpoint)}",
            f"  sign-in pages  {self._sign_in.url if self._sign_in else '-'}   (/oauth2/authorize, /oauth2/token,"
            " /logout: authorization code + PKCE)",
            f"  state file     {state_dir / STATE_FILE}",
            "",
            "Stack outputs:",
            *(f"  {k:<26} {v}" for k, v in info.outputs.items()),
            "",
            "Demo users (password for all: " + pool.users[0].password + "):",
            *(
                f"  {u.key:<12} {u.username:<18} group={u.group:<12} department={u.department or '-'}"
                for u in pool.users
            ),
            "",
            "Event sources pumped:",
            *(f"  {s['kind']:<7} {s['name']:<24} {s['queue_url']}" for s in self._pump.status()["sources"]),
            *(f"  schedule {n:<22} {e}" for n, e in self._pump.status()["schedules"].items()),
            "",
            "Vendor webhook secrets (Standard Webhooks; POST /webhooks/interview-results):",
            *(f"  {vendor:<10} {' '.join(keys)}" for vendor, keys in LOCAL_VENDOR_SECRETS.items()),
            f"  {'esign':<10} {' '.join(LOCAL_ESIGN_SECRETS)}   (POST /webhooks/esign)",
            f"  simulated e-sign vendor: {self._esign.url if self._esign else '-'} (signs each offer after 2 s)",
            "  simulated vendors: python -m infra.local.simulator --requisition <id> --count 10"
            + ("" if info.api_url == "http://127.0.0.1:8000" else f" --api {info.api_url}")
            + ("" if state_dir == DEFAULT_STATE_DIR else f" --state-dir {state_dir}"),
            "",
            "Background-check vendor (simulated; results to POST /webhooks/background-checks):",
            f"  {self._bgc_vendor.url if self._bgc_vendor else '-'}   (POST /down, POST /up, GET /status)",
            *(f"  {vendor:<10} {' '.join(keys)}" for vendor, keys in LOCAL_BACKGROUND_VENDOR_SECRETS.items()),
            "",
            "Bearer tokens (ID tokens, valid 1 hour):",
            *(f"  {key}: {token}" for key, token in info.tokens.items()),
            "",
            "A fresh token: make token ROLE=hr   (python -m infra.local.token --role hr"
            + ("" if state_dir == DEFAULT_STATE_DIR else f" --state-dir {state_dir}")
            + ")",
            f'  curl -H "Authorization: Bearer $(make -s token ROLE=hr)" {info.api_url}/requisitions',
            "Startup: " + ", ".join(f"{k} {v:.2f}s" for k, v in info.timings.items()),
            "",
        ]
        out.write("\n".join(lines) + "\n")
        out.flush()

    # -- stop -----------------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop everything that was started, in reverse order. Safe after a partial start.

        Each part's stop time is logged; a part that takes longer than it should is named in the log
        at WARNING, so a slow shutdown says where it spent its time.
        """
        phases: list[tuple[str, Any]] = []
        if self._pump is not None:
            phases.append(("pump", self._pump.stop))
        if self._admin is not None:
            phases.append(("admin", self._admin.stop))
        if self._bgc_vendor is not None:
            phases.append(("background-check vendor", self._bgc_vendor.stop))
        if self._esign is not None:
            phases.append(("e-sign vendor", self._esign.stop))
        if self._sign_in is not None:
            phases.append(("sign-in pages", self._sign_in.stop))
        if self._api is not None:
            phases.append(("api", self._stop_api))
        if self.options.persist and self._session is not None and self.info.outputs:
            phases.append(("persist", self._save_state))
        if self._moto is not None:
            phases.append(("moto", self._moto.stop))
        for name, stop in phases:
            started = time.monotonic()
            stop()
            took = time.monotonic() - started
            log.log(logging.WARNING if took > SLOW_STOP_SECONDS else logging.INFO, "stopped %s in %.2fs", name, took)
        state = self.options.state_dir / STATE_FILE
        if self.info.pool is not None and state.is_file():
            try:
                if json.loads(state.read_text(encoding="utf-8")).get("pid") == os.getpid():
                    state.unlink()
            except (OSError, ValueError):
                pass

    def _stop_api(self) -> None:
        assert self._api is not None
        self._api.shutdown()
        self._api.server.server_close()
        if self._api_thread is not None:
            self._api_thread.join(5)

    def _save_state(self) -> None:
        from infra.local import persist

        assert self.options.persist is not None and self._session is not None
        try:
            persist.save(self.options.persist, self._session, STACK_NAME)
        except Exception:
            log.exception("could not save the local state to %s", self.options.persist)
