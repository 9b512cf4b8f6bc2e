"""The rate limit: at most MAIL_MAX_PER_MINUTE messages handed to the server in any minute,
counting those of earlier batches too (relays refuse, or quietly drop, faster senders).

Only one batch sends at a time (survey.mail.lock), so the send log's recent hand-overs and this
batch's own are all the messages there are.
"""

import time
from collections import deque
from datetime import timedelta

from sqlalchemy import select

from survey.extensions import db
from survey.models import MailMessage
from survey.models._types import utcnow

WINDOW = 60.0  # seconds

# Module-level so that tests can run the clock without waiting for it.
clock = time.monotonic
pause = time.sleep


class Pacer:
    """Says how long to wait before the next message so that no minute holds more than
    `limit` of them."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        now, wall = clock(), utcnow()
        since = wall - timedelta(seconds=WINDOW)
        earlier = db.session.scalars(
            select(MailMessage.handed_at)
            .where(MailMessage.handed_at > since)
            .order_by(MailMessage.handed_at)
        )
        self.handed = deque(now - (wall - at).total_seconds() for at in earlier)

    def delay(self) -> float:
        """Seconds to wait before handing out the next message (0 when it may go now)."""
        now = clock()
        while self.handed and self.handed[0] <= now - WINDOW:
            self.handed.popleft()
        if len(self.handed) < self.limit:
            return 0.0
        return self.handed[-self.limit] + WINDOW - now

    def wait(self) -> None:
        """Wait until the next message may go."""
        delay = self.delay()
        if delay > 0:
            pause(delay)

    def handed_out(self) -> None:
        """Count a message handed to the server now."""
        self.handed.append(clock())
