"""Results kept in the database (models.StatsResult), per workshop, filter and data signature,
shared by every worker and host (docs/operations.md, "Statistics kept in the database").

A kept result is the statistics, the item distributions and the drawn figures of one workshop
under one filter, as compressed JSON (never pickle: the database must not be able to run code
in the app), with the signature of what it was computed from. One row per workshop and filter
holds the newest result and the lease that lets one process recompute it at a time: a process
takes the lease with one conditional write, and only the holder may store.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import threading
import zlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from survey.analysis.results import WorkshopStats
from survey.dashboard.distributions import Category, CellDistribution, Distribution
from survey.dashboard.filters import Filters
from survey.dashboard.reads.signature import Signature
from survey.dashboard.results import Results
from survey.dashboard.setting import Setting
from survey.database import SQLITE_BEGIN
from survey.extensions import db
from survey.models import StatsResult
from survey.models._types import utcnow

# Bumped whenever the payload's shape, or how its numbers are computed, changes: a row of another
# format is recomputed, not read. 2: group × time's Mann–Whitney U ranks equal changes as ties,
# the agreement's bootstrap draws over respondents in public-id order, a withheld convergence
# names its waves, the priorities chart rules its rows off, the answer bars' labels and ticks.
# 3: the perception chart's values on the far side of their markers, without their n; combined
# filters withheld against every combination of fewer of them; a cell of equal answers has no
# interval.
# 4: the themes in the codebook's order, each theme's sub-themes right after it; an empty cell
# under a filter undefined, not withheld; the bootstrap's draws over a linked response in the
# order of its own public id.
# 5: an item's answer bars withheld by the count of its answers other than "prefer not to
# answer" as well; quotes in the charts' labels as they are, not as &quot;.
# 6: the priorities chart's rules nearer the dots above them, clear of a two-line label below,
# and its items' labels on white.
# 7: under a filter, a sibling that would give away a withheld value withheld too; a withheld
# number whose n is not small noted "suppressed (would reveal n < k)" in the charts; the
# thermometers' panels drawn when they have no bars, and titled on two lines; the theme chart's
# notes at its right edge; the priorities' missing group under its panel's title.
# 8: with filters combined, a cell the other cells of the table and their totals would give
# away withheld too (the table rule).
FORMAT = 8
# How long a lease holds when its holder dies before releasing it (a recomputation at 100k
# participants takes well under a minute).
LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class KeptResults:
    """Results with the signature of what they were computed from."""

    results: Results
    signature: str
    computed_at: datetime
    compute_ms: int | None = None


def filter_key(filters: Filters) -> str:
    """The filters as a row key: a query string in key order, "" for none."""
    return urlencode(sorted(filters.applied().items()))


def result_signature(setting: Setting, signature: Signature, filters: Filters) -> str:
    """What results depend on, as a digest: the data, the instrument, the setting's labels and
    minimum cell size, the filters and the payload's format. Equal digests, equal results."""
    parts = (
        FORMAT,
        setting.workshop_id,
        setting.instrument.checksum,
        setting.min_cell,
        sorted(setting.labels.groups.items()),
        setting.spec.waves,
        repr(signature.data),
        filter_key(filters),
    )
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def lease_holder() -> str:
    """Who holds a lease: this host, process and thread."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{threading.get_ident() % 10**6}"


# ---- the payload


def encode(results: Results) -> bytes:
    """Results as compressed JSON: statistics, distributions and the figures drawn so far."""
    document = {
        "format": FORMAT,
        "filters": results.filters.applied(),
        "stats": results.stats.as_dict(),
        "distributions": {code: asdict(d) for code, d in results.distributions.items()},
        "figures": dict(results.figures),
    }
    text = json.dumps(document, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 6)


def decode(payload: bytes) -> Results | None:
    """The Results of a payload; None for a payload of another format."""
    document = json.loads(zlib.decompress(payload))
    if document.get("format") != FORMAT:
        return None
    return Results(
        filters=Filters(**document["filters"]),
        stats=WorkshopStats.from_dict(document["stats"]),
        distributions={code: _distribution(d) for code, d in document["distributions"].items()},
        figures=document["figures"],
    )


def _distribution(data: Mapping[str, Any]) -> Distribution:
    return Distribution(
        question=data["question"],
        categories=tuple(Category(**c) for c in data["categories"]),
        cells=tuple(
            CellDistribution(**{**c, "counts": None if c["counts"] is None else tuple(c["counts"])})
            for c in data["cells"]
        ),
    )


# ---- reading and writing rows


def read_kept(row_id: int) -> tuple[str | None, bytes | None, int | None]:
    """The signature, payload and computing time of a kept row (one statement)."""
    found = db.session.execute(
        select(StatsResult.signature, StatsResult.payload, StatsResult.compute_ms).where(
            StatsResult.id == row_id
        )
    ).first()
    return tuple(found) if found else (None, None, None)


def _writing():
    """A connection of its own for one short write (never the request's read transaction)."""
    connection = db.engine.connect()
    if connection.dialect.name == "sqlite":
        connection = connection.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
    return connection


def take_lease(workshop_id: int, key: str, holder: str, now: datetime | None = None) -> bool:
    """Whether `holder` now holds the recomputation lease of the workshop's results under
    filter `key` (taken when free or expired; the row is created when there is none)."""
    now = now or utcnow()
    row = and_(StatsResult.workshop_id == workshop_id, StatsResult.filter_key == key)
    free = or_(StatsResult.leased_until.is_(None), StatsResult.leased_until < now)
    with _writing() as connection, connection.begin():
        taken = connection.execute(
            update(StatsResult)
            .where(row, free)
            .values(lease_holder=holder, leased_until=now + LEASE)
        ).rowcount
        if taken:
            return True
        if connection.execute(select(StatsResult.id).where(row)).first():
            return False  # held by someone else
    try:
        with _writing() as connection, connection.begin():
            connection.execute(
                insert(StatsResult).values(
                    workshop_id=workshop_id,
                    filter_key=key,
                    lease_holder=holder,
                    leased_until=now + LEASE,
                )
            )
    except IntegrityError:
        return False  # another process created it first, and holds it
    return True


def store(workshop_id: int, key: str, holder: str, kept: KeptResults) -> bool:
    """Keep results and release the lease, if `holder` still holds it; whether it did."""
    with _writing() as connection, connection.begin():
        stored = connection.execute(
            update(StatsResult)
            .where(
                StatsResult.workshop_id == workshop_id,
                StatsResult.filter_key == key,
                StatsResult.lease_holder == holder,
            )
            .values(
                signature=kept.signature,
                payload=encode(kept.results),
                computed_at=kept.computed_at,
                compute_ms=kept.compute_ms,
                lease_holder=None,
                leased_until=None,
            )
        ).rowcount
    return bool(stored)


def release_lease(workshop_id: int, key: str, holder: str) -> None:
    """Give the lease back without storing (the computation failed)."""
    with _writing() as connection, connection.begin():
        connection.execute(
            update(StatsResult)
            .where(
                StatsResult.workshop_id == workshop_id,
                StatsResult.filter_key == key,
                StatsResult.lease_holder == holder,
            )
            .values(lease_holder=None, leased_until=None)
        )
