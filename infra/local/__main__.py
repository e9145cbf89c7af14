"""``python -m infra.local [--port 8000] [--moto-port 5000] [--persist DIR] ...`` (``--help`` lists every option)

Starts the local stack, prints where everything is and a token per demo role, then
``READY http://127.0.0.1:<port>``. Ctrl-C (SIGINT) or SIGTERM stops everything and exits 0.
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType
from typing import NoReturn

from infra.local.stack import DEFAULT_TEMPLATE, LocalStack, Options
from infra.local.state import DEFAULT_STATE_DIR

STALL_DUMP_SECONDS = 15.0  # a stop that takes longer prints every thread's stack to stderr
IDLE_NAP_SECONDS = 1.0  # how soon the main thread notices a signal another thread received


def parse_args(argv: list[str] | None = None) -> tuple[Options, bool]:
    parser = argparse.ArgumentParser(
        prog="python -m infra.local",
        description="The whole product on 127.0.0.1: moto, Cognito demo users, the API and the event pump.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="HTTP API port (default 8000)")
    parser.add_argument("--moto-port", type=int, default=5000, help="moto server port (default 5000)")
    parser.add_argument("--admin-port", type=int, default=None, help="pump admin port (default: port + 1)")
    parser.add_argument("--persist", type=Path, default=None, help="keep tables and objects in DIR across restarts")
    parser.add_argument(
        "--clock-seconds", type=float, default=None, help="fire every scheduled function every N seconds"
    )
    parser.add_argument(
        "--days-ahead",
        type=float,
        default=0,
        help="start with the business clock N days ahead (later: POST /clock on the admin port)",
    )
    parser.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR, help="where state.json is written")
    parser.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE, help=argparse.SUPPRESS)
    parser.add_argument("--sqs-pollers", type=int, default=2, help="concurrent pollers per SQS handler (default 2)")
    parser.add_argument(
        "--retry-delay", type=int, default=1, help="seconds before a failed SQS record is redelivered (default 1)"
    )
    parser.add_argument(
        "--bgc-vendor-port", type=int, default=None, help="simulated background-check vendor port (default: port + 2)"
    )
    parser.add_argument(
        "--esign-vendor-port", type=int, default=None, help="simulated e-signature vendor port (default: port + 3)"
    )
    parser.add_argument("--sign-in-port", type=int, default=None, help="hosted sign-in pages port (default: port + 4)")
    parser.add_argument(
        "--no-demo-data", action="store_true", help="start without the demo hires, cycles and analytics history"
    )
    parser.add_argument(
        "--mfa-required-groups",
        default="",
        help="groups that must enrol an authenticator app, e.g. hr,it (the template's MfaRequiredGroups; default none)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging of the local stack")
    args = parser.parse_args(argv)
    if args.clock_seconds is not None and args.clock_seconds <= 0:
        parser.error("--clock-seconds must be positive")
    if not 0 <= args.days_ahead <= 3 * 366:
        parser.error("--days-ahead must be between 0 and 1098 (the clock only moves forward)")
    if args.sqs_pollers < 1:
        parser.error("--sqs-pollers must be at least 1")
    same_name = "host port moto_port admin_port clock_seconds days_ahead persist state_dir template sqs_pollers"
    same_name += " bgc_vendor_port esign_vendor_port sign_in_port"
    options = Options(
        **{name: getattr(args, name) for name in same_name.split()},
        retry_delay_seconds=max(0, args.retry_delay),
        demo_data=not args.no_demo_data,
        mfa_required_groups=args.mfa_required_groups,
    )
    return options, bool(args.verbose)


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> NoReturn:
    options, verbose = parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("botocore", "boto3", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    stack = LocalStack(options)
    try:
        stack.start()
        stack.print_banner()
        print(f"READY {stack.info.api_url}", flush=True)
        # The kernel may hand Ctrl-C to any of the stack's threads; Python then runs the handler in
        # the main thread only when it next runs code. Short naps keep that within a second (one long
        # sleep left a loaded machine's stack deaf to SIGINT).
        while True:
            time.sleep(IDLE_NAP_SECONDS)
    except KeyboardInterrupt:
        print("stopping the local stack…", file=sys.stderr, flush=True)
    finally:
        # A second Ctrl-C during shutdown should not leave a traceback behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        # Should stopping stall, every thread's stack goes to stderr so the log says where.
        faulthandler.dump_traceback_later(STALL_DUMP_SECONDS, exit=False)
        stack.stop()
    # Everything the stack owns is stopped and saved. Threads of moto's interpreter and of the HTTP
    # servers are daemons that may still sit in a call; leave without waiting on interpreter teardown.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
