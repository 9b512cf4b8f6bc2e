"""Rate-limit counters in Redis (production's shared storage), as several app hosts use it."""

import uuid

import pytest

from survey import create_app
from survey.extensions import db

REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_app(database_url):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url,
        RATELIMIT_STORAGE_URI=REDIS,
        RATELIMIT_KEY_PREFIX=prefix,
        FAILED_LOOKUP_LIMIT="3 per minute",
    )
    yield app
    with app.app_context():
        db.engine.dispose()  # close this app's pooled connections now, not at garbage collection
    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


def test_failed_lookups_are_counted_in_redis(redis_app):
    import redis

    client = redis_app.test_client()
    assert [client.get(f"/s/unknown-{i}").status_code for i in range(3)] == [404] * 3
    assert client.get("/s/unknown-3").status_code == 429
    assert client.get("/join/unknown-4").status_code == 429  # one budget for both lookups
    prefix = redis_app.config["RATELIMIT_KEY_PREFIX"]
    # The counter lives in Redis, where every app host behind the load balancer reads it.
    assert list(redis.Redis.from_url(REDIS).scan_iter(f"*{prefix}*"))
