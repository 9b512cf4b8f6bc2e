"""Recomputing kept results outside the request (docs/operations.md, "Statistics kept in the
database").

A render that finds the kept results stale shows them, marked as updating, and asks for a
recomputation after its response has been sent: a thread of the same worker (it holds the
workshop's dataset, which it extends with the new responses alone) takes the database lease,
computes (the 2000-draw bootstrap included), draws every figure and stores. The lease makes one
process recompute at a time on every host; nothing else schedules anything, so correctness never
depends on a scheduler: `survey stats refresh` (for cron) runs the same computation in the
foreground.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from urllib.parse import parse_qsl

from flask import Flask, after_this_request, current_app
from sqlalchemy import select

from survey.analysis.records import FILTER_KEYS
from survey.dashboard.filters import Filters
from survey.dashboard.keeping import (
    KeptResults,
    filter_key,
    lease_holder,
    release_lease,
    result_signature,
    store,
    take_lease,
)
from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.reads.signature import data_signature
from survey.dashboard.reads.transaction import start_reading
from survey.dashboard.results import Results
from survey.dashboard.setting import Setting
from survey.extensions import db
from survey.models import StatsResult, Workshop
from survey.models._types import utcnow

log = logging.getLogger(__name__)
EXTENSION = "stats_refreshes"  # the app.extensions key


class Refreshes:
    """The recomputations running in this process, one per workshop and filter at a time."""

    def __init__(self) -> None:
        self._running: dict[tuple[int, str], threading.Thread] = {}
        self._lock = threading.Lock()
        self.started = 0  # recomputations started in this process so far

    def start(self, key: tuple[int, str], work: Callable[[], None]) -> bool:
        """Run `work` in a thread unless this process already recomputes `key`."""
        with self._lock:
            running = self._running.get(key)
            if running is not None and running.is_alive():
                return False
            thread = threading.Thread(target=work, name=f"stats-refresh-{key[0]}", daemon=True)
            self._running[key] = thread
            self.started += 1
        thread.start()
        return True

    def wait(self, timeout: float = 60.0) -> None:
        """Wait for every recomputation started so far (tests, and a worker that stops)."""
        with self._lock:
            threads = list(self._running.values())
        for thread in threads:
            thread.join(timeout)


def refreshes(app: Flask | None = None) -> Refreshes:
    """The application's recomputations."""
    app = app or current_app
    return app.extensions.setdefault(EXTENSION, Refreshes())


def recompute(setting: Setting, workshop: Workshop, filters: Filters) -> KeptResults | None:
    """Take the lease and compute, draw and store the results of the current data; None when
    another process holds the lease. Runs in the caller's session (a read transaction)."""
    from survey.dashboard.cache import keep_in_process, workshop_results

    key, holder = filter_key(filters), lease_holder()
    if not take_lease(setting.workshop_id, key, holder):
        return None
    try:
        signature = data_signature(setting, key)
        started = time.perf_counter()
        results = workshop_results(setting, workshop, filters, signature)
        draw_every_figure(setting, results)
        kept = KeptResults(
            results=results,
            signature=result_signature(setting, signature, filters),
            computed_at=utcnow(),
            compute_ms=round((time.perf_counter() - started) * 1000),
        )
        store(setting.workshop_id, key, holder, kept)
        keep_in_process(setting.workshop_key, key, kept)
        return kept
    except BaseException:
        release_lease(setting.workshop_id, key, holder)
        raise


def store_computed(setting: Setting, filters: Filters, kept: KeptResults) -> None:
    """Keep results computed in a request (nothing was kept yet), with every figure drawn."""
    key, holder = filter_key(filters), lease_holder()
    if take_lease(setting.workshop_id, key, holder):
        try:
            draw_every_figure(setting, kept.results)
            store(setting.workshop_id, key, holder, kept)
        except BaseException:
            release_lease(setting.workshop_id, key, holder)
            raise


def draw_every_figure(setting: Setting, results: Results) -> None:
    """Draw the figures of every page into the results, so that a process that reads them
    draws nothing (unless STATS_DRAW_AHEAD is off: then each process draws what it shows)."""
    from survey.dashboard.views.report import every_page_view

    if current_app.config["STATS_DRAW_AHEAD"]:
        every_page_view(setting, results)


def after_response(workshop_id: int, filters: Filters, kept: KeptResults | None) -> None:
    """Once this response is sent, in a thread: store `kept` (computed by this request) or,
    without it, recompute the stale kept results."""
    app = current_app._get_current_object()

    def work() -> None:
        with app.app_context():
            try:
                start_reading()
                workshop = db.session.get(Workshop, workshop_id)
                if workshop is None:
                    return
                setting = workshop_setting(workshop)
                if kept is not None:
                    store_computed(setting, filters, kept)
                else:
                    recompute(setting, workshop, filters)
            except Exception:
                log.exception("recomputing the statistics of workshop %s failed", workshop_id)
            finally:
                db.session.remove()

    @after_this_request
    def later(response):
        response.call_on_close(
            lambda: refreshes(app).start((workshop_id, filter_key(filters)), work)
        )
        return response


# What `refresh_workshop` did for one filter.
COMPUTED, CURRENT, BUSY = "computed", "current", "busy"


def refresh_workshop(
    workshop: Workshop, *, force: bool = False
) -> list[tuple[str, str, int | None]]:
    """Recompute the kept results of a workshop, unfiltered and under every filter kept so
    far, where the data has moved since (or always, with `force`): (filter key, COMPUTED,
    CURRENT or BUSY, milliseconds) per filter. For `survey stats refresh`, in the foreground."""
    start_reading()
    setting = workshop_setting(workshop)
    keys = db.session.scalars(
        select(StatsResult.filter_key).where(StatsResult.workshop_id == workshop.id)
    ).all()
    outcomes = []
    for key in dict.fromkeys(["", *sorted(keys)]):
        filters = Filters(**{k: v for k, v in parse_qsl(key) if k in FILTER_KEYS})
        signature = data_signature(setting, key)
        kept = signature.kept
        current = kept is not None and kept.signature == result_signature(
            setting, signature, filters
        )
        if current and not force:
            outcomes.append((key, CURRENT, None))
            continue
        computed = recompute(setting, workshop, filters)
        if computed is None:
            outcomes.append((key, BUSY, None))
        else:
            outcomes.append((key, COMPUTED, computed.compute_ms))
    return outcomes
