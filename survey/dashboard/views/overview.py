"""The overview page: the headline, the findings, the response funnel and the linking code's
match report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from survey.analysis.findings import all_findings
from survey.analysis.headline import headline
from survey.analysis.results import Matching
from survey.dashboard.charts.embedding import figure_data
from survey.dashboard.charts.funnel import funnel_chart
from survey.dashboard.reads.funnel import FunnelRow
from survey.dashboard.results import Results
from survey.dashboard.setting import Setting
from survey.dashboard.views.parts import Chart


@dataclass(frozen=True)
class WrittenFindings:
    """The headline and the findings, in one language (also what participants are shown when
    the organisers share them: survey.dashboard.sharing)."""

    headline: Sequence[str]
    findings: Sequence[str]
    language: str  # of the sentences
    direction: str  # "rtl" or "ltr", the language's


def written_findings(setting: Setting, results: Results, language: str | None) -> WrittenFindings:
    """The results' headline and findings in `language` (the instrument's default when None or
    not one of its languages)."""
    spec = setting.spec
    found = all_findings(results.stats, spec, language)
    language = spec.wording(language).language
    return WrittenFindings(
        headline=headline(found, spec),
        findings=[finding.sentence for finding in found],
        language=language,
        direction="rtl" if setting.instrument.is_rtl(language) else "ltr",
    )


@dataclass(frozen=True)
class OverviewView:
    """The headline and findings (in one language), the response funnel and the match
    report."""

    written: WrittenFindings
    funnel_chart: Chart
    funnel: Sequence[FunnelRow]
    matching: Matching


def overview_view(
    setting: Setting, results: Results, funnel: Sequence[FunnelRow], language: str | None = None
) -> OverviewView:
    """Headline and findings in `language` (the instrument's default when None), the response
    funnel (not kept with the results: it moves with every started response), matching."""
    return OverviewView(
        written=written_findings(setting, results, language),
        funnel_chart=Chart(
            "overview-funnel",
            "Responses by group and wave",
            figure_data(funnel_chart(funnel, setting.labels)),
        ),
        funnel=funnel,
        matching=results.stats.matching,
    )
