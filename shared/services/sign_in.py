"""The sign-in throttle of the local stack's hosted sign-in pages (``infra/local/hosted_ui.py``; in
AWS, Cognito's managed login counts and locks out failed attempts itself): failed attempts are
counted per user name and per source address in a fixed window (``shared/store/signin.py``); past the
limit the answer is 429 with ``Retry-After`` until the window ends, and the password is not checked
at all, so it cannot be guessed faster than the limit. The check itself is the caller's
``authenticate`` (it raises ``Unauthenticated`` for a wrong name or password)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from shared.clock import wall
from shared.errors import TooManyRequests, Unauthenticated
from shared.settings import get_settings
from shared.store.repository import Repository
from shared.store.signin import SignInAttempts

T = TypeVar("T")


class SignIn:
    def __init__(self, repo: Repository | None = None, clock: Callable[[], float] = wall) -> None:
        self.attempts = SignInAttempts(repo or Repository())
        self.clock = clock

    def attempt(self, username: str, source_ip: str | None, authenticate: Callable[[], T]) -> T:
        """``authenticate()`` unless the name or the address is locked (``TooManyRequests``); a failure
        (``Unauthenticated``) is counted, a success clears the name's count."""
        settings = get_settings()
        width = settings.sign_in_window_seconds
        now = self.clock()
        window = int(now // width)
        retry_after = max(1, int((window + 1) * width - now))
        user = f"user:{username.strip().lower()}"
        limits = {user: settings.sign_in_failures_per_user}
        if source_ip:
            limits[f"address:{source_ip}"] = settings.sign_in_failures_per_address
        counted = self.attempts.failures(list(limits), window)
        if any(counted.get(subject, 0) >= limit for subject, limit in limits.items()):
            raise TooManyRequests(
                "too many failed sign-in attempts; retry later",
                retry_after,
                [{"field": "username", "message": f"locked for {retry_after} s after repeated failures"}],
            )
        try:
            signed_in = authenticate()
        except Unauthenticated:
            self.attempts.count_failure(list(limits), window, int((window + 1) * width))
            raise
        if counted.get(user):
            self.attempts.forget(user, window)
        return signed_in
