"""A workshop's dataset: its included responses as analysis records and as arrays, built from
the rows survey.dashboard.reads.responses reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from survey.analysis import Respondent
from survey.analysis.records import FILTER_KEYS
from survey.analysis.suppression import Selections
from survey.dashboard.filters import Filters
from survey.dashboard.reads.responses import Loaded
from survey.dashboard.setting import Setting


@dataclass(frozen=True)
class Dataset:
    """Submitted responses of participants who have not withdrawn: records and arrays."""

    respondents: tuple[Respondent, ...]
    values: np.ndarray  # respondents x Setting.numeric, NaN where unanswered, -9 kept
    group: np.ndarray  # group code per respondent
    wave: np.ndarray
    sector: np.ndarray
    experience: np.ndarray
    language: np.ndarray
    response_ids: tuple[int, ...] = ()  # the database id of each respondent's response

    def selections(self, filters: Filters) -> Selections:
        """The filters' selection (its `inside`: the respondents within them) and those the
        suppression rules compare it with."""
        attributes = {key: getattr(self, key) for key in FILTER_KEYS}
        return Selections(attributes, filters.applied())


def build_dataset(
    setting: Setting,
    loaded: Loaded,
    links: Mapping[int, int] | None = None,
    previous: Dataset | None = None,
) -> Dataset:
    """The Dataset of loaded responses; respondents of `previous` that have not changed are
    reused rather than built again."""
    spec, numeric = setting.spec, setting.numeric
    width = len(numeric)
    people = loaded.people
    responding = {response[0] for response in loaded.responses}
    links = {b: a for b, a in (links or {}).items() if a in responding}
    values, ranks = loaded.matrix[:, :width], loaded.matrix[:, width:]
    ids = loaded.ids.tolist()
    # Each response as (public id of the person, group, wave, language, sector, experience of
    # the response, its own public id where a link gives it the person's)
    rows = []
    for pid, wave_id, language, experience in loaded.responses:
        public_id, group_id, sector = people[pid]
        rows.append(
            (
                people[links[pid]][0] if pid in links else public_id,
                setting.group_ids[group_id],
                setting.wave_ids[wave_id],
                language,
                sector,
                experience,
                public_id if pid in links else None,
            )
        )
    # The profile is asked once: a participant's experience holds for every wave (should two
    # responses carry one, the greatest wins, as in text_answers).
    experience_of: dict[str, str] = {}
    for row in rows:
        if row[5] is not None:
            experience_of[row[0]] = max(row[5], experience_of.get(row[0], row[5]))
    wanted = [numeric.index(code) for code in setting.analysed_items() if code in numeric]
    before = {}
    if previous is not None:
        before = dict(zip(previous.response_ids, previous.respondents, strict=True))
    respondents = []
    for index, (rid, row) in enumerate(zip(ids, rows, strict=True)):
        participant, group, wave, language, sector, _, listed_as = row
        experience = experience_of.get(participant)
        old = before.get(rid)
        if old is not None:
            same = (old.participant, old.group, old.wave, old.language, old.sector) == row[:5]
            if not same or old.experience != experience or old.listed_as != listed_as:
                old = replace(
                    old,
                    participant=participant,
                    group=group,
                    sector=sector,
                    experience=experience,
                    listed_as=listed_as,
                )
            respondents.append(old)
            continue
        answered = values[index, wanted]
        ranked = ranks[index]
        respondents.append(
            Respondent(
                participant=participant,
                group=group,
                wave=wave,
                language=language,
                sector=sector,
                experience=experience,
                values={
                    numeric[j]: int(v)
                    for j, v in zip(wanted, answered, strict=True)
                    if not np.isnan(v)
                },
                ranking={
                    item: int(r)
                    for item, r in zip(spec.ranking_items, ranked, strict=True)
                    if not np.isnan(r)
                },
                listed_as=listed_as,
            )
        )

    def column(name: str) -> np.ndarray:
        return np.array([getattr(r, name) for r in respondents], dtype=object)

    return Dataset(
        respondents=tuple(respondents),
        values=values,
        group=column("group"),
        wave=column("wave"),
        sector=column("sector"),
        experience=column("experience"),
        language=column("language"),
        response_ids=tuple(ids),
    )
