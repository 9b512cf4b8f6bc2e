"""The response funnel: participants, started and submitted responses per group and wave."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from survey.dashboard.setting import Setting
from survey.response_counts import response_counts


@dataclass(frozen=True)
class FunnelRow:
    """One group's way from participant to submitted response, wave by wave."""

    group: str
    participants: int  # not withdrawn
    withdrawn: int
    started: Mapping[str, int]  # wave -> responses begun (submitted or not)
    submitted: Mapping[str, int]


def response_funnel(setting: Setting) -> list[FunnelRow]:
    """Participants, started and submitted responses per group and wave (one statement, the
    live monitor's)."""
    counts = response_counts(setting.workshop_id)
    waves = list(setting.wave_ids.values())
    return [
        FunnelRow(
            group=group,
            participants=counts.participants.get(group, 0),
            withdrawn=counts.withdrawn.get(group, 0),
            started={w: counts.cell(group, w).started for w in waves},
            submitted={w: counts.cell(group, w).submitted for w in waves},
        )
        for group in setting.spec.groups
    ]
