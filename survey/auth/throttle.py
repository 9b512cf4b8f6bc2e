"""Brakes on password guessing, on top of the per-address limit on the sign-in route.

Two counters of failed sign-ins live in the rate limiter's storage (memory, or Redis when
several hosts share the work, so every host sees the same counts):

- per account, from any address: once it is spent the account refuses sign-ins until the
  window passes, so a guesser spread over many addresses gets no further than one;
- per address: each failure after the first few is answered more slowly, doubling up to a cap.

Unknown e-mail addresses are counted like known ones, so the answers never reveal which
accounts exist.
"""

import time

from flask import current_app
from limits import RateLimitItem, parse

from survey.extensions import limiter
from survey.net import client_address

ACCOUNT = "login-failed-account"
ADDRESS = "login-failed-address"
FREE_FAILURES = 2  # typos: the first failures from an address are answered at full speed


def _account_limit() -> RateLimitItem:
    return parse(current_app.config["FAILED_LOGIN_ACCOUNT_LIMIT"])


def _address_limit() -> RateLimitItem:
    return parse(current_app.config["FAILED_LOGIN_LIMIT"])


def account_blocked(email: str) -> bool:
    """Whether the account has used up its failed sign-ins for the current window."""
    return not limiter.limiter.test(_account_limit(), ACCOUNT, email)


def failure_delay(failures: int) -> float:
    """Seconds to hold the answer to the n-th failure in a row from one address."""
    if failures <= FREE_FAILURES:
        return 0.0
    base = current_app.config["LOGIN_SLOWDOWN_SECONDS"]
    cap = current_app.config["LOGIN_SLOWDOWN_MAX_SECONDS"]
    return min(cap, base * 2 ** (failures - FREE_FAILURES - 1))


def note_failure(email: str) -> float:
    """Count a failed sign-in for the account and the address; return the pause it earns."""
    limiter.limiter.hit(_account_limit(), ACCOUNT, email)
    address_limit = _address_limit()
    limiter.limiter.hit(address_limit, ADDRESS, client_address())
    remaining = limiter.limiter.get_window_stats(address_limit, ADDRESS, client_address()).remaining
    return failure_delay(address_limit.amount - remaining)


def slow_down(seconds: float) -> None:
    """Hold the answer; bounded by the cap and by the per-address limit on attempts."""
    if seconds > 0:
        time.sleep(seconds)


def forget_failures(email: str) -> None:
    """A successful sign-in clears the account's count (never the address's)."""
    limiter.limiter.clear(_account_limit(), ACCOUNT, email)
