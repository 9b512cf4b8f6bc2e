"""The dashboards' data: a workshop's submitted answers as analysis records, read in a constant
number of statements whatever the number of responses, with the filters and the funnel."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
from sqlalchemy import and_, case, cast, distinct, func, literal, null, or_, select, union_all
from sqlalchemy.orm import aliased, joinedload

from survey.analysis import AnalysisSpec, Respondent, ScoreSpec
from survey.analysis.records import FILTER_KEYS
from survey.analysis.results import Matching
from survey.analysis.suppression import complement_too_small, too_small
from survey.database import begin_read
from survey.extensions import db
from survey.instruments import Instrument, Question, QuestionKind, fill_placeholders
from survey.models import Answer, Participant, Response, ResponseStatus, Wave, Workshop

# The profile question behind the `experience` filter (DESIGN §3); `sector` is stored on the
# participant and `language` on the response.
EXPERIENCE = "experience"
# How mirror-worded texts ("{other} keeps the commitments it makes to {own}") read in a chart
# that shows both groups at once.
NEUTRAL_FORMS = {
    "other": "the other side",
    "own": "their side",
    "own_public": "their own country",
    "name": "their side",
}
LANGUAGE_NAMES = {"en": "English", "ur": "Urdu", "fr": "French"}


class FilterError(ValueError):
    """A filter value the workshop's instrument does not know."""


@dataclass(frozen=True)
class Filters:
    """Restrict the statistics to one sector, experience band and/or response language."""

    sector: str | None = None
    experience: str | None = None
    language: str | None = None

    def applied(self) -> dict[str, str]:
        """The filters in use, as the analysis and the query string take them."""
        return {key: value for key in FILTER_KEYS if (value := getattr(self, key))}

    def __bool__(self) -> bool:
        return bool(self.applied())


@dataclass(frozen=True)
class Labels:
    """Names for charts and tables, in the instrument's default language (raw, unescaped)."""

    groups: Mapping[str, str]  # group code -> the workshop's label ("NATO")
    waves: Mapping[str, str]  # wave code -> title ("Before the workshop")
    scores: Mapping[str, str]  # score name -> title
    items: Mapping[str, str]  # ranking item code -> label
    questions: Mapping[str, str]  # question code -> text, placeholders filled neutrally
    options: Mapping[str, tuple[tuple[int, str], ...]]  # scale question -> (code, label)

    def group(self, code: str) -> str:
        return self.groups.get(code, code)

    def wave(self, code: str) -> str:
        return self.waves.get(code, code)

    def cell(self, group: str, wave: str) -> str:
        return f"{self.group(group)} · {self.wave(wave)}"

    def short_wave(self, code: str) -> str:
        """A wave's name for chart axes, where titles are too long for a phone: "Pre"."""
        return code.replace("_", " ").capitalize()

    def short_cell(self, group: str, wave: str) -> str:
        return f"{self.group(group)} · {self.short_wave(wave)}"


@dataclass(frozen=True)
class Setting:
    """What every dashboard view needs to know about the workshop, read once per request."""

    workshop_id: int
    slug: str
    title: str
    min_cell: int
    instrument: Instrument
    spec: AnalysisSpec
    labels: Labels
    group_ids: Mapping[int, str]  # database id -> code
    wave_ids: Mapping[int, str]
    numeric: tuple[str, ...]  # scale and integer questions, the columns of Dataset.values

    @property
    def language(self) -> str:
        return self.instrument.default_language

    def scale_range(self, score: str) -> tuple[int, int]:
        spec = self.spec.scores[score]
        return spec.scale_min, spec.scale_max

    def score_items(self) -> frozenset[str]:
        return frozenset(code for s in self.spec.scores.values() for code in s.items)

    def scale_questions(self) -> tuple[Question, ...]:
        """Every scale question (not the profile), in instrument order."""
        return tuple(
            q for q in self.instrument.questions if q.kind is QuestionKind.SCALE and not q.profile
        )

    def thermometers(self) -> tuple[Question, ...]:
        return tuple(
            q
            for q in self.instrument.questions
            if q.kind is QuestionKind.INTEGER and q.widget == "thermometer"
        )

    def text_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.instrument.questions if q.kind is QuestionKind.TEXT)


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

    def mask(self, filters: Filters) -> np.ndarray:
        """Respondents inside the filters."""
        keep = np.ones(len(self.respondents), dtype=bool)
        for key, value in filters.applied().items():
            keep &= getattr(self, key) == value
        return keep


def start_reading() -> None:
    """End the request's transaction, keeping what it loaded, and begin a reader.

    The sign-in check opened the session's transaction, on SQLite an IMMEDIATE one that holds
    the write lock; computing the statistics of a large workshop takes a while and must not
    keep participants' saves waiting. Anything added to the session is committed here.
    """
    session = db.session()
    session.expire_on_commit = False  # the user and workshop stay loaded: no second select
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    begin_read()


def workshop_setting(workshop: Workshop) -> Setting:
    """The workshop's groups, waves, instrument, analysis spec and labels (one statement)."""
    workshop = (
        db.session.scalars(
            select(Workshop)
            .where(Workshop.id == workshop.id)
            .options(
                joinedload(Workshop.groups),
                joinedload(Workshop.waves).joinedload(Wave.instrument_version),
            )
            .execution_options(populate_existing=True)
        )
        .unique()
        .one()
    )
    # Waves share their items (a check enforces it); the newest definition names everything.
    version = max((w.instrument_version for w in workshop.waves), key=lambda v: v.version)
    instrument = version.instrument
    labels = workshop_labels(workshop, instrument)
    return Setting(
        workshop_id=workshop.id,
        slug=workshop.slug,
        title=workshop.title,
        min_cell=workshop.min_cell,
        instrument=instrument,
        spec=analysis_spec(instrument, [w.code for w in workshop.waves], labels, workshop.min_cell),
        labels=labels,
        group_ids={g.id: g.code for g in workshop.groups},
        wave_ids={w.id: w.code for w in workshop.waves},
        numeric=tuple(
            q.code
            for q in instrument.questions
            if q.kind in (QuestionKind.SCALE, QuestionKind.INTEGER) and not q.profile
        ),
    )


def analysis_spec(
    instrument: Instrument, waves: list[str], labels: Labels, min_cell: int
) -> AnalysisSpec:
    """What survey.analysis computes for a workshop using this instrument."""
    ranking = instrument.question(instrument.ranking_question)
    return AnalysisSpec(
        groups=tuple(g.code for g in instrument.groups),
        waves=tuple(waves),
        scores={
            name: ScoreSpec(
                name=name,
                items=score.items,
                reversed=frozenset(score.reversed),
                min_answered=score.min_answered,
                scale_min=score.scale_min,
                scale_max=score.scale_max,
            )
            for name, score in instrument.scores.items()
        },
        alpha_score=instrument.alpha_score,
        perception=tuple(instrument.perception),
        ranking_items=tuple(str(item.code) for item in ranking.items),
        group_labels=dict(labels.groups),
        min_cell=min_cell,
        non_response=instrument.non_response_code,
    )


def workshop_labels(workshop: Workshop, instrument: Instrument) -> Labels:
    language = instrument.default_language
    ranking = instrument.question(instrument.ranking_question)
    return Labels(
        groups={g.code: g.label for g in workshop.groups},
        waves={
            w.code: instrument.wave_titles.get(w.code, {}).get(language, w.code)
            for w in workshop.waves
        },
        scores={name: score.title(language) for name, score in instrument.scores.items()},
        items={str(item.code): item.label(language) for item in ranking.items},
        questions={q.code: _neutral(q.text(language)) for q in instrument.questions},
        options={
            q.code: tuple((int(o.code), o.label(language)) for o in q.options)
            for q in instrument.questions
            if q.kind is QuestionKind.SCALE
        },
    )


def _neutral(text: str) -> str:
    """A mirror-worded text for both groups at once, as a sentence."""
    filled = fill_placeholders(text, NEUTRAL_FORMS)
    return filled[:1].upper() + filled[1:]


def filter_choices(instrument: Instrument) -> dict[str, list[tuple[str, str]]]:
    """The allowed values of each filter with their labels."""
    language = instrument.default_language

    def options(code: str) -> list[tuple[str, str]]:
        try:
            question = instrument.question(code)
        except KeyError:
            return []
        return [(str(o.code), o.label(language)) for o in question.options]

    return {
        "sector": options("sector"),
        "experience": options(EXPERIENCE),
        "language": [(code, LANGUAGE_NAMES.get(code, code)) for code in instrument.languages],
    }


def parse_filters(args: Mapping[str, str], instrument: Instrument) -> Filters:
    """Filters from query arguments; an empty value means no filter, an unknown one is an error."""
    choices = filter_choices(instrument)
    chosen: dict[str, str] = {}
    for key in FILTER_KEYS:
        value = (args.get(key) or "").strip()
        if not value:
            continue
        allowed = [code for code, _ in choices[key]]
        if value not in allowed:
            raise FilterError(f"unknown {key} {value!r}; expected one of: {', '.join(allowed)}")
        chosen[key] = value
    return Filters(**chosen)


def _included():
    """The responses that count: submitted, of participants who have not withdrawn."""
    return and_(
        Participant.withdrawn_at.is_(None),
        Response.status == ResponseStatus.SUBMITTED,
    )


@dataclass(frozen=True)
class Signature:
    """A summary of a workshop's responses and participants that changes whenever the dataset or
    the response funnel would, read in one statement from indexes (no row of a table is read)."""

    # (wave id, status, count, greatest id) per wave and status.
    responses: tuple[tuple, ...]
    # (group id, sector, count, sum of ids, latest withdrawn_at) per group and sector: a
    # participant who changes group or sector (roster import) or withdraws moves it.
    participants: tuple[tuple, ...]

    @property
    def data(self) -> tuple:
        """The part the statistics read: submitted responses and participants."""
        submitted = tuple(r for r in self.responses if r[1] == ResponseStatus.SUBMITTED)
        return submitted, self.participants

    def submitted(self) -> dict[int, int]:
        """Submitted responses per wave id."""
        return {r[0]: r[2] for r in self.responses if r[1] == ResponseStatus.SUBMITTED}

    def newest(self) -> int:
        """The greatest response id of the workshop, whatever its status (0 if none)."""
        return max((r[3] for r in self.responses), default=0)

    def last_withdrawal(self):
        return max((p[4] for p in self.participants if p[4] is not None), default=None)


def data_signature(setting: Setting) -> Signature:
    """The workshop's Signature (one statement over ix_response_wave_status and
    ix_participant_summary, however many responses there are)."""
    people = (
        select(
            literal("p").label("kind"),
            Participant.group_id.label("a"),
            Participant.sector.label("b"),
            func.count().label("c"),
            func.sum(Participant.id).label("d"),
            func.max(Participant.withdrawn_at).label("e"),
        )
        .where(Participant.workshop_id == setting.workshop_id)
        .group_by(Participant.group_id, Participant.sector)
    )
    responses = (
        select(
            literal("r"),
            Response.wave_id,
            Response.status,
            func.count(),
            func.max(Response.id),
            cast(null(), Participant.withdrawn_at.type),
        )
        .where(Response.wave_id.in_(list(setting.wave_ids)))
        .group_by(Response.wave_id, Response.status)
    )
    both = union_all(people, responses).subquery()
    rows = db.session.execute(select(both).order_by(both.c.kind, both.c.a, both.c.b)).all()
    return Signature(
        responses=tuple(
            (a, ResponseStatus[b], c, d) for kind, a, b, c, d, _ in rows if kind == "r"
        ),
        participants=tuple((a, b, c, d, e) for kind, a, b, c, d, e in rows if kind == "p"),
    )


def data_version(setting: Setting) -> tuple:
    """A cheap summary that changes whenever the dataset would (one statement)."""
    return data_signature(setting).data


@dataclass(frozen=True)
class Loaded:
    """The raw material of a Dataset: what survey.dashboard.datasets keeps between requests and
    extends with new responses."""

    ids: np.ndarray  # response ids, ascending
    responses: tuple[tuple, ...]  # (participant id, wave id, language, experience) per id
    matrix: np.ndarray  # ids x (Setting.numeric + ranking items), NaN where unanswered
    people: Mapping[int, tuple]  # participant id -> (public id, group id, sector)

    def __len__(self) -> int:
        return len(self.ids)


def load_dataset(setting: Setting, links: Mapping[int, int] | None = None) -> Dataset:
    """Every included response and its numeric answers, in two statements.

    `links` maps a participant id to the id of the participant they are the same person as
    (the linking code's pairs, see `matching`): their responses count as that participant's,
    so that paired change includes people who lost their personal link.
    """
    return build_dataset(setting, load_raw(setting), links)


def _columns(setting: Setting) -> dict[tuple[str, str], int]:
    """(question, item) -> column of Loaded.matrix: numeric questions, then ranking items."""
    width = len(setting.numeric)
    columns = {(code, ""): j for j, code in enumerate(setting.numeric)}
    ranking = setting.instrument.ranking_question
    for k, item in enumerate(setting.spec.ranking_items):
        columns[ranking, item] = width + k
    return columns


def load_raw(setting: Setting) -> Loaded:
    """Every included response and its numeric answers, in two statements.

    The first lists the responses (with the experience answer, if the response holds it); the
    second streams (response, column, value) triples, the column computed in SQL, which numpy
    scatters into a respondents x columns matrix. Pivoting with one MAX(CASE ...) per column
    in SQL was twice as slow on SQLite.
    """
    spec = setting.spec
    ranking, width = setting.instrument.ranking_question, len(setting.numeric)
    experience = aliased(Answer)
    rows = db.session.execute(
        select(
            Response.id,
            Participant.id,
            Participant.public_id,
            Participant.group_id,
            Response.wave_id,
            Response.language,
            Participant.sector,
            experience.text,
        )
        .join(Participant, Participant.id == Response.participant_id)
        .outerjoin(
            experience,
            and_(experience.response_id == Response.id, experience.question == EXPERIENCE),
        )
        .where(Participant.workshop_id == setting.workshop_id, _included())
        .order_by(Response.id)
    ).all()
    column = case(
        (
            Answer.question == ranking,
            width + case({item: k for k, item in enumerate(spec.ranking_items)}, value=Answer.item),
        ),
        else_=case({code: j for j, code in enumerate(setting.numeric)}, value=Answer.question),
    )
    # Core execution (no ORM row processing): this is the one statement that grows with the
    # number of answers.
    triples = (
        db.session.connection()
        .execute(
            select(Answer.response_id, column, Answer.number)
            .join(Response, Response.id == Answer.response_id)
            .join(Participant, Participant.id == Response.participant_id)
            .where(
                Participant.workshop_id == setting.workshop_id,
                _included(),
                Answer.question.in_([*setting.numeric, ranking]),
                Answer.number.is_not(None),
            )
        )
        .all()
    )
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    matrix = np.full((len(rows), width + len(spec.ranking_items)), np.nan)
    if triples:
        flat = (value for triple in triples for value in triple)
        found = np.fromiter(flat, dtype=np.int64, count=3 * len(triples)).reshape(-1, 3)
        found = found[found[:, 1] >= 0]  # an unknown ranking item has no column
        matrix[np.searchsorted(ids, found[:, 0]), found[:, 1]] = found[:, 2]
    return Loaded(
        ids=ids,
        responses=tuple((row[1], row[4], row[5], row[7]) for row in rows),
        matrix=matrix,
        people={row[1]: (row[2], row[3], row[6]) for row in rows},
    )


def new_responses(setting: Setting, after: int, since: datetime) -> list:
    """Included responses with an id above `after` or submitted at or after `since`, each with
    its participant and its numeric and experience answers: one row per answer (one
    statement, over the primary key and ix_response_submitted_at)."""
    wanted = [*setting.numeric, setting.instrument.ranking_question, EXPERIENCE]
    return (
        db.session.connection()
        .execute(
            select(
                Response.id,
                Participant.id,
                Participant.public_id,
                Participant.group_id,
                Response.wave_id,
                Response.language,
                Participant.sector,
                Answer.question,
                Answer.item,
                Answer.number,
                Answer.text,
            )
            .join(Participant, Participant.id == Response.participant_id)
            .outerjoin(Answer, and_(Answer.response_id == Response.id, Answer.question.in_(wanted)))
            .where(
                or_(Response.id > after, Response.submitted_at >= since),
                Response.wave_id.in_(list(setting.wave_ids)),
                _included(),
            )
        )
        .all()
    )


def extend_raw(setting: Setting, loaded: Loaded, rows: list, people: Mapping | None) -> Loaded:
    """`loaded` with the responses of `rows` (from new_responses) it does not hold yet, in id
    order, and the participants' current columns (`people`, else those `rows` carry)."""
    known = set(loaded.ids.tolist())
    columns = _columns(setting)
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


def included_people(setting: Setting) -> dict[int, tuple]:
    """Participant id -> (public id, group id, sector) of those who have not withdrawn (one
    statement)."""
    rows = db.session.execute(
        select(
            Participant.id, Participant.public_id, Participant.group_id, Participant.sector
        ).where(Participant.workshop_id == setting.workshop_id, Participant.withdrawn_at.is_(None))
    ).all()
    return {pid: (public_id, group_id, sector) for pid, public_id, group_id, sector in rows}


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
    # Each response as (public id, group, wave, language, sector, experience of the response)
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
            )
        )
    # The profile is asked once: a participant's experience holds for every wave (should two
    # responses carry one, the greatest wins, as in text_answers).
    experience_of: dict[str, str] = {}
    for row in rows:
        if row[5] is not None:
            experience_of[row[0]] = max(row[5], experience_of.get(row[0], row[5]))
    wanted = [numeric.index(code) for code in setting.score_items() if code in numeric]
    before = {}
    if previous is not None:
        before = dict(zip(previous.response_ids, previous.respondents, strict=True))
    respondents = []
    for index, (rid, row) in enumerate(zip(ids, rows, strict=True)):
        participant, group, wave, language, sector, _ = row
        experience = experience_of.get(participant)
        old = before.get(rid)
        if old is not None:
            same = (old.participant, old.group, old.wave, old.language, old.sector) == row[:5]
            if not same or old.experience != experience:
                old = replace(
                    old, participant=participant, group=group, sector=sector, experience=experience
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


@dataclass(frozen=True)
class FunnelRow:
    group: str
    participants: int  # not withdrawn
    withdrawn: int
    started: Mapping[str, int]  # wave -> responses begun (submitted or not)
    submitted: Mapping[str, int]


def response_funnel(setting: Setting) -> list[FunnelRow]:
    """Participants, started and submitted responses per group and wave (one statement).

    Response counts are not suppressed: the organisers' live monitor shows them anyway.
    """
    active = Participant.withdrawn_at.is_(None)
    columns = [
        Participant.group_id,
        func.count(distinct(case((active, Participant.id)))),
        func.count(distinct(case((~active, Participant.id)))),
    ]
    for wave_id in setting.wave_ids:
        in_wave = and_(active, Response.wave_id == wave_id)
        columns.append(func.count(distinct(case((in_wave, Response.id)))))
        submitted = and_(in_wave, Response.status == ResponseStatus.SUBMITTED)
        columns.append(func.count(distinct(case((submitted, Response.id)))))
    rows = db.session.execute(
        select(*columns)
        .select_from(Participant)
        .outerjoin(Response, Response.participant_id == Participant.id)
        .where(Participant.workshop_id == setting.workshop_id)
        .group_by(Participant.group_id)
    ).all()
    by_group = {setting.group_ids[row[0]]: row for row in rows}
    waves = list(setting.wave_ids.values())
    out = []
    for group in setting.spec.groups:
        row = by_group.get(group) or (None, 0, 0, *([0] * 2 * len(waves)))
        out.append(
            FunnelRow(
                group=group,
                participants=row[1],
                withdrawn=row[2],
                started={w: row[3 + 2 * i] for i, w in enumerate(waves)},
                submitted={w: row[4 + 2 * i] for i, w in enumerate(waves)},
            )
        )
    return out


def matching(workshop: Workshop) -> tuple[Matching, dict[int, int]]:
    """The linking-code match report of the first two waves (docs/linking.md, one statement):
    its counts, and the later participant -> earlier participant of each pair that the linking
    code made (someone who lost their link and enrolled again)."""
    from survey.linking import match_report

    report = match_report(workshop)
    links = {second: first for first, second in report.pairs if first != second}
    return report.counts(), links


@dataclass(frozen=True)
class CellSize:
    """Included responses in one group x wave cell: inside the filters and in the whole cell."""

    n: int
    whole: int
    suppressed: bool  # under min_cell, or (filtered) with a complement under min_cell


def _experience_of_participant():
    """The participant's experience answer, from any of their submitted responses."""
    return (
        select(func.max(Answer.text))
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.participant_id == Participant.id,
            Response.status == ResponseStatus.SUBMITTED,
            Answer.question == EXPERIENCE,
        )
        .scalar_subquery()
    )


def _inside(filters: Filters) -> list:
    """SQL conditions for the filters, as Dataset.mask applies them."""
    applied = filters.applied()
    conditions = []
    if "sector" in applied:
        conditions.append(Participant.sector == applied["sector"])
    if "language" in applied:
        conditions.append(Response.language == applied["language"])
    if "experience" in applied:
        conditions.append(_experience_of_participant() == applied["experience"])
    return conditions


def cell_sizes(setting: Setting, filters: Filters) -> dict[tuple[str, str], CellSize]:
    """Respondents per group x wave with the suppression rules applied (one statement)."""
    inside = _inside(filters)
    counted = case((and_(*inside), Response.id)) if inside else Response.id
    rows = db.session.execute(
        select(Participant.group_id, Response.wave_id, func.count(Response.id), func.count(counted))
        .join(Participant, Participant.id == Response.participant_id)
        .where(Participant.workshop_id == setting.workshop_id, _included())
        .group_by(Participant.group_id, Response.wave_id)
    ).all()
    counts = {(setting.group_ids[g], setting.wave_ids[w]): (whole, n) for g, w, whole, n in rows}
    k = setting.min_cell
    out = {}
    for group in setting.spec.groups:
        for wave in setting.spec.waves:
            whole, n = counts.get((group, wave), (0, 0))
            withheld = too_small(n, k) or (bool(inside) and complement_too_small(n, whole, k))
            out[group, wave] = CellSize(n, whole, withheld)
    return out


# Free-text answers shown per question x group x wave cell on one page of the text dashboard.
TEXT_PAGE = 100


@dataclass(frozen=True)
class TextAnswer:
    question: str
    group: str
    wave: str
    text: str


def text_answers(setting: Setting, filters: Filters, questions: list[str]) -> list[TextAnswer]:
    """The free-text answers of included responses inside the filters (one statement).

    Sorted by question, group, wave and text, so that the order says nothing about who wrote
    what or when.
    """
    return text_page(setting, filters, questions)[0]


def text_page(
    setting: Setting,
    filters: Filters,
    questions: list[str],
    page: int | None = None,
    per_page: int = TEXT_PAGE,
) -> tuple[list[TextAnswer], dict[tuple[str, str, str], int]]:
    """As text_answers, but with `page` (from 1) only that page of each question x group x
    wave cell; and the number of answers in each cell that has any (one statement).

    The database numbers and counts each cell's answers (window functions), so that a page
    transfers only its own answers, and the last answer of each cell, which carries the count.
    """
    if not questions:
        return [], {}
    cell = (Answer.question, Participant.group_id, Response.wave_id)
    numbered = (
        select(
            Answer.question,
            Participant.group_id,
            Response.wave_id,
            Answer.text,
            func.row_number()
            .over(partition_by=cell, order_by=(func.lower(Answer.text), Answer.text))
            .label("position"),
            func.count().over(partition_by=cell).label("total"),
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            Participant.workshop_id == setting.workshop_id,
            _included(),
            Answer.question.in_(questions),
            Answer.text.is_not(None),
            func.trim(Answer.text) != "",
            *_inside(filters),
        )
        .subquery()
    )
    statement = select(numbered)
    first, last = 1, None
    if page is not None:
        first, last = (page - 1) * per_page + 1, page * per_page
        statement = statement.where(
            or_(
                numbered.c.position.between(first, last),
                numbered.c.position == numbered.c.total,
            )
        )
    rows = db.session.execute(statement).all()
    order = {code: i for i, code in enumerate(questions)}
    groups = {code: i for i, code in enumerate(setting.spec.groups)}
    waves = {code: i for i, code in enumerate(setting.spec.waves)}
    totals: dict[tuple[str, str, str], int] = {}
    answers = []
    for question, group_id, wave_id, text, position, total in rows:
        key = (question, setting.group_ids[group_id], setting.wave_ids[wave_id])
        totals[key] = total
        if last is None or first <= position <= last:
            answers.append((order[question], groups[key[1]], waves[key[2]], position, key, text))
    answers.sort(key=lambda a: a[:4])
    return [TextAnswer(*key, text) for *_, key, text in answers], totals
