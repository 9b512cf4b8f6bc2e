"""Loading a workshop's dataset: in full, or the one kept in the process extended with the
responses submitted since.

Reading every answer again after each new submission cost seconds at 100k participants.
Submitted responses never change, so the dataset is kept per workshop with a watermark (the
greatest response id it has seen and the time its read began) and, when the data's Signature
moves, only the responses submitted since are read. Anything else falls back to a full reload:
a withdrawal (it deletes responses), fewer submitted responses than before, or an extended
dataset whose size does not add up to the submitted count (a response the watermark missed).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from survey.analysis.results import Matching
from survey.dashboard.dataset import Dataset, build_dataset
from survey.dashboard.filters import EXPERIENCE
from survey.dashboard.reads.matching import matching
from survey.dashboard.reads.responses import (
    Loaded,
    answer_columns,
    included_people,
    load_raw,
    new_responses,
)
from survey.dashboard.reads.signature import Signature
from survey.dashboard.setting import Setting
from survey.models import Workshop
from survey.models._types import utcnow


def load_dataset(setting: Setting, links: Mapping[int, int] | None = None) -> Dataset:
    """Every included response and its numeric answers, in two statements.

    `links` maps a participant id to the id of the participant they are the same person as
    (the linking code's pairs, see `matching`): their responses count as that participant's,
    so that paired change includes people who lost their personal link.
    """
    return build_dataset(setting, load_raw(setting), links)


def extend_raw(setting: Setting, loaded: Loaded, rows: list, people: Mapping | None) -> Loaded:
    """`loaded` with the responses of `rows` (from new_responses) it does not hold yet, in id
    order, and the participants' current columns (`people`, else those `rows` carry)."""
    known = set(loaded.ids.tolist())
    columns = answer_columns(setting)
    fresh: dict[int, list] = {}
    matrix_rows: dict[int, np.ndarray] = {}
    updated = dict(people if people is not None else loaded.people)
    width = loaded.matrix.shape[1]
    for (
        rid,
        pid,
        public_id,
        group_id,
        wave_id,
        language,
        sector,
        question,
        item,
        number,
        text,
    ) in rows:
        if people is None:
            updated[pid] = (public_id, group_id, sector)
        if rid in known:
            continue
        if rid not in fresh:
            fresh[rid] = [pid, wave_id, language, None]
            matrix_rows[rid] = np.full(width, np.nan)
        if question == EXPERIENCE and text is not None:
            fresh[rid][3] = text
        elif number is not None and (j := columns.get((question, item or ""))) is not None:
            matrix_rows[rid][j] = number
    if not fresh:
        return Loaded(loaded.ids, loaded.responses, loaded.matrix, updated)
    added = sorted(fresh)
    ids = np.concatenate([loaded.ids, np.array(added, dtype=np.int64)])
    order = np.argsort(ids, kind="stable")
    responses = [*loaded.responses, *(tuple(fresh[rid]) for rid in added)]
    matrix = np.vstack([loaded.matrix, np.array([matrix_rows[rid] for rid in added])])
    return Loaded(
        ids=ids[order],
        responses=tuple(responses[i] for i in order.tolist()),
        matrix=matrix[order],
        people=updated,
    )


# A response counts as new when its id is above the watermark (created since: imports, and
# responses begun since) or it was submitted within this margin before the last read began:
# a submission's transaction may commit a little after its time was taken, on a host whose
# clock differs a little. The size check below catches anything later still.
MARGIN = timedelta(minutes=10)

_generations = itertools.count(1)


@dataclass(frozen=True)
class WorkshopData:
    """A workshop's dataset as of one Signature, with the match report it was built with."""

    shape: tuple  # what the dataset's columns and codes depend on (see _shape)
    signature: Signature
    loaded: Loaded
    dataset: Dataset
    generation: int  # changes exactly when the dataset's content does: the results cache key
    matching: Matching
    links: Mapping[int, int]
    since: datetime  # when the read behind it began
    excluded: int  # submitted responses not included (a participant withdrawn, answers kept)
    reloaded: bool  # read in full (False: extended)


def _shape(setting: Setting) -> tuple:
    return (
        setting.instrument.checksum,
        setting.numeric,
        setting.spec.ranking_items,
        tuple(setting.wave_ids.items()),
        tuple(setting.group_ids.items()),
    )


def _removed(before: Signature, now: Signature) -> bool:
    """Whether responses may have left the data since `before`: a withdrawal, or a wave with
    fewer submitted responses."""
    if before.last_withdrawal() != now.last_withdrawal():
        return True
    counts = now.submitted()
    return any(counts.get(wave, 0) < n for wave, n in before.submitted().items())


def _extended(setting: Setting, held: WorkshopData, signature: Signature) -> Loaded | None:
    """The held dataset with the responses submitted since; None when a full reload is needed."""
    loaded = held.loaded
    people = None
    if held.signature.participants != signature.participants:
        people = included_people(setting)  # a roster import may have moved someone
        if any(response[0] not in people for response in loaded.responses):
            return None
    rows = new_responses(setting, after=held.signature.newest(), since=held.since - MARGIN)
    loaded = extend_raw(setting, loaded, rows, people)
    if len(loaded) + held.excluded != sum(signature.submitted().values()):
        return None
    return loaded


def refresh(
    setting: Setting, workshop: Workshop, signature: Signature, held: WorkshopData | None
) -> WorkshopData:
    """The workshop's data for `signature`: `held` itself when the data has not moved, `held`
    extended with new responses when only responses were added, else read in full.

    Statements: none when the data has not moved; else the match report's, then two (the new
    responses, and the participants when one of them changed group or sector) or, for a full
    reload, two more.
    """
    shape = _shape(setting)
    if held is not None and held.shape == shape and held.signature.data == signature.data:
        return held
    since = utcnow()
    counts, links = matching(workshop)
    loaded = None
    if held is not None and held.shape == shape and not _removed(held.signature, signature):
        loaded = _extended(setting, held, signature)
    reloaded = loaded is None
    if reloaded:
        loaded = load_raw(setting)
    unchanged = (
        held is not None
        and not reloaded
        and loaded.ids is held.loaded.ids
        and links == held.links
        and all(
            loaded.people[pid] == held.loaded.people.get(pid)
            for pid in {response[0] for response in loaded.responses}
        )
    )
    if unchanged:
        dataset, generation = held.dataset, held.generation
    else:
        previous = held.dataset if held is not None and held.shape == shape else None
        dataset = build_dataset(setting, loaded, links, previous)
        generation = next(_generations)
    return WorkshopData(
        shape=shape,
        signature=signature,
        loaded=loaded,
        dataset=dataset,
        generation=generation,
        matching=counts,
        links=links,
        since=since,
        excluded=sum(signature.submitted().values()) - len(loaded),
        reloaded=reloaded,
    )
