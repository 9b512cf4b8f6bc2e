"""Rate-limit counters in Redis (production's shared storage), as several app hosts use it."""

import uuid

import pytest

from survey import create_app
from survey.extensions import db
from tests.redis_helpers import REDIS, redis_client


@pytest.fixture
def redis_app(database_url):
    redis = redis_client()
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
    for key in redis.scan_iter(f"*{prefix}*"):
        redis.delete(key)


def test_failed_lookups_are_counted_in_redis(redis_app):
    client = redis_app.test_client()
    assert [client.get(f"/s/unknown-{i}").status_code for i in range(3)] == [404] * 3
    assert client.get("/s/unknown-3").status_code == 429
    assert client.get("/join/unknown-4").status_code == 429  # one budget for both lookups
    prefix = redis_app.config["RATELIMIT_KEY_PREFIX"]
    # The counter lives in Redis, where every app host behind the load balancer reads it.
    assert list(redis_client().scan_iter(f"*{prefix}*"))
