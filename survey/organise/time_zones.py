"""A workshop's time zone: the names offered, and wall-clock times typed in it."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

#: Names the time zone database holds that are no place's time: "localtime" follows each
#: server's own setting (servers behind one address could disagree), "Factory" is a placeholder.
NOT_PLACES = frozenset({"localtime", "Factory"})


@cache
def place_zones() -> frozenset[str]:
    """Every IANA time zone name of a place."""
    return frozenset(available_timezones() - NOT_PLACES)


def time_zone_names() -> list[str]:
    """Every IANA time zone name of a place, sorted."""
    return sorted(place_zones())


def exists_in_zone(local: datetime, timezone: str) -> bool:
    """Whether a wall-clock time is one the zone's clocks show: not one they skip when they go
    forward (02:30 on the last Sunday of March in Europe/Paris)."""
    zone = ZoneInfo(timezone)
    back = local.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    return back.replace(tzinfo=None) == local


def to_utc(local: datetime | None, timezone: str) -> datetime | None:
    """A wall-clock time in the workshop's zone (naive, as typed) as an aware UTC datetime."""
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def in_zone(moment: datetime | None, timezone: str) -> datetime | None:
    """An aware datetime shown in the workshop's zone."""
    return None if moment is None else moment.astimezone(ZoneInfo(timezone))
