"""The whole product in one process for benches and the simulation: the resources over in-process
moto (``tests.support.stack.moto_stack``), the Chalice test client, and the app's own output kept
out of the figures."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import TextIO

from chalice.test import Client

from tests.support.stack import Stack, moto_stack

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def app_output_discarded() -> Iterator[TextIO]:
    """The app's JSON logs and metrics (what Lambda ships to CloudWatch) go to /dev/null so that the
    figures stay readable; producing them is still part of what is measured. Yields the real stdout."""
    from functions.http import logger

    real = sys.stdout
    handler = logger.registered_handler
    with open(os.devnull, "w", encoding="utf-8") as devnull, redirect_stdout(devnull):
        previous = None
        if isinstance(handler, logging.StreamHandler):
            previous = handler.setStream(devnull)
        try:
            yield real
        finally:
            if previous is not None and isinstance(handler, logging.StreamHandler):
                handler.setStream(previous)


@contextmanager
def product() -> Iterator[tuple[Stack, Client, TextIO]]:
    """(the stack, a test client of the app, the real stdout), with the app's output discarded."""
    with moto_stack() as stack, app_output_discarded() as out:
        from app import app

        with Client(app, project_dir=str(ROOT)) as client:
            yield stack, client, out
