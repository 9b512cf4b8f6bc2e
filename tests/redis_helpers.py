"""Redis for the tests that need one: production's shared storage of rate-limit counters."""

import pytest

REDIS = "redis://127.0.0.1:6379/15"


def redis_client():
    """A client of the tests' Redis database; skips the test when no Redis answers."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    return client
