"""The rate limiter's counters, as the brakes on failed sign-ins (survey.auth.throttle) and on
failed look-ups of links and codes (survey.respond.lookups) keep them: in Flask-Limiter's
storage, Redis when several hosts share the work (docs/operations.md).

When that storage cannot be reached, they count in this process's memory, as Flask-Limiter's own
route limits do (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED), until its checks of later requests find
the storage again: a Redis restart during the workshop turns no mistyped code into an error page
and locks no organiser out of the console. With the limiter switched off (RATELIMIT_ENABLED =
False) nothing is counted.
"""

from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from limits.strategies import RateLimiter

from survey.extensions import limiter

Counted = TypeVar("Counted")


def counted(count: Callable[[RateLimiter], Counted], *, off: Counted) -> Counted:
    """What `count` reads or writes with the limiter's counters; `off` when it is switched off."""
    if not limiter.enabled:
        return off
    try:
        return count(limiter.limiter)
    except Exception as error:  # whatever the storage's client raises (redis, memcached...)
        fallback = limiter._in_memory_fallback_enabled and not limiter._storage_dead
        if not fallback or limiter.storage.check():
            raise  # nothing to fall back to, or the storage answers: not the storage's fault
        current_app.logger.warning(
            "rate-limit storage unreachable (%s): counting in this process until it is back",
            type(error).__name__,
        )
        # Flask-Limiter's own switch to its in-memory counters, which its checks of later
        # requests switch back once the storage answers (tests/test_counters.py holds to it).
        limiter._storage_dead = True
        return count(limiter.limiter)


def storage_state() -> str:
    """Whether the counters' storage answers now: "ok", "unreachable" (each process counts in
    its own memory meanwhile) or "off" (the limiter is switched off); for the health check."""
    if not limiter.enabled:
        return "off"
    return "ok" if limiter.storage.check() else "unreachable"
