"""Password sign-in for the console (``POST /auth/session``), throttled: failed attempts are counted
per user name and per source address in a fixed window (``shared/store/signin.py``); past the limit
the answer is 429 with ``Retry-After`` until the window ends, and Cognito is not asked at all, so a
password cannot be guessed through our API faster than the limit however many containers run. The
password goes to Cognito only (``shared/store/directory.py``)."""

from __future__ import annotations

from collections.abc import Callable

from shared.clock import wall
from shared.errors import TooManyRequests, Unauthenticated
from shared.settings import get_settings
from shared.store import directory
from shared.store.repository import Repository
from shared.store.signin import SignInAttempts


class SignIn:
    def __init__(self, repo: Repository | None = None, clock: Callable[[], float] = wall) -> None:
        self.attempts = SignInAttempts(repo or Repository())
        self.clock = clock

    def session(self, username: str, password: str, source_ip: str | None) -> directory.SignedIn:
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
            signed_in = directory.sign_in(username, password)
        except Unauthenticated:
            self.attempts.count_failure(list(limits), window, int((window + 1) * width))
            raise
        if counted.get(user):
            self.attempts.forget(user, window)
        return signed_in
