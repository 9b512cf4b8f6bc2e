"""What every dashboard view needs to know about a workshop: its instrument, what the analysis
computes for it, its labels, and the database ids of its groups and waves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from survey.analysis import AnalysisSpec, ScoreSpec
from survey.dashboard.labels import Labels, workshop_labels
from survey.dashboard.wordings import instrument_wordings
from survey.instruments import Instrument, Question
from survey.models import Workshop

#: What a process keeps a workshop's data and results under: its id and when it was created,
#: since SQLite gives a deleted workshop's id to the next one.
WorkshopKey = tuple[int, str]


@dataclass(frozen=True)
class Setting:
    """A workshop as the dashboards see it, built once per request."""

    workshop_id: int
    created_at: str  # when the workshop was created (ISO 8601): part of its WorkshopKey
    slug: str
    title: str
    timezone: str  # the workshop's, for the times the pages give
    min_cell: int
    instrument: Instrument
    spec: AnalysisSpec
    labels: Labels
    group_ids: Mapping[int, str]  # database id -> code
    wave_ids: Mapping[int, str]
    numeric: tuple[str, ...]  # scale and integer questions, the columns of Dataset.values

    @property
    def workshop_key(self) -> WorkshopKey:
        """What a process keeps this workshop's data and results under."""
        return self.workshop_id, self.created_at

    @property
    def language(self) -> str:
        """The instrument's default language, the one charts and tables are written in."""
        return self.instrument.default_language

    def scale_range(self, score: str) -> tuple[int, int]:
        """The lowest and highest value of a score."""
        spec = self.spec.scores[score]
        return spec.scale_min, spec.scale_max

    def score_items(self) -> frozenset[str]:
        """The questions that make up any score."""
        return frozenset(code for s in self.spec.scores.values() for code in s.items)

    def analysed_items(self) -> frozenset[str]:
        """The questions the statistics read: the scores' items and the perception pair's."""
        return self.score_items() | frozenset(self.spec.perception or ())

    def single_item_score(self, item: str) -> str | None:
        """The score made of `item` alone, if the instrument declares one."""
        return next((n for n, s in self.spec.scores.items() if s.items == (item,)), None)

    @property
    def ranking(self) -> str | None:
        """The ranking question behind the priorities, when the instrument declares one."""
        return self.instrument.ranking_question

    def declares(self, page: str) -> bool:
        """Whether the instrument declares what a dashboard page shows (docs/statistics.md,
        "What an instrument does not declare"): perception needs its pair, priorities its
        ranking; the other pages always apply."""
        if page == "perception":
            return self.spec.perception is not None
        if page == "priorities":
            return bool(self.spec.ranking_items)
        return True

    def scale_questions(self) -> tuple[Question, ...]:
        """Every scale question (not the profile), in instrument order."""
        return tuple(
            q for q in self.instrument.questions if q.kind.labelled_scale and not q.profile
        )

    def thermometers(self) -> tuple[Question, ...]:
        """The 0–100 questions, in instrument order."""
        return tuple(q for q in self.instrument.questions if q.widget == "thermometer")

    def text_questions(self) -> tuple[Question, ...]:
        """The free-text questions, in instrument order."""
        return tuple(q for q in self.instrument.questions if q.free_text)


def setting_of(workshop: Workshop) -> Setting:
    """The Setting of a workshop whose groups and waves with their versions are loaded."""
    # Waves share their items (a check enforces it); the newest definition names everything.
    version = max((w.instrument_version for w in workshop.waves), key=lambda v: v.version)
    instrument = version.instrument
    labels = workshop_labels(workshop, instrument)
    return Setting(
        workshop_id=workshop.id,
        created_at=workshop.created_at.isoformat(),
        slug=workshop.slug,
        title=workshop.title,
        timezone=workshop.timezone,
        min_cell=workshop.min_cell,
        instrument=instrument,
        spec=analysis_spec(instrument, [w.code for w in workshop.waves], labels, workshop.min_cell),
        labels=labels,
        group_ids={g.id: g.code for g in workshop.groups},
        wave_ids={w.id: w.code for w in workshop.waves},
        numeric=tuple(q.code for q in instrument.questions if q.scored and not q.profile),
    )


def analysis_spec(
    instrument: Instrument, waves: list[str], labels: Labels, min_cell: int
) -> AnalysisSpec:
    """What survey.analysis computes for a workshop using this instrument: what it declares,
    nothing else."""
    ranking = instrument.ranking_question
    return AnalysisSpec(
        groups=tuple(g.code for g in instrument.groups),
        waves=tuple(waves),
        scores={name: ScoreSpec.of(score) for name, score in instrument.scores.items()},
        alpha_score=instrument.alpha_score,
        perception=tuple(instrument.perception) if instrument.perception else None,
        ranking_items=tuple(str(item.code) for item in instrument.question(ranking).items)
        if ranking
        else (),
        group_labels=dict(labels.groups),
        min_cell=min_cell,
        non_response=instrument.non_response_code,
        wordings=instrument_wordings(instrument, labels.groups),
    )
