"""The linking code's match report as the dashboards use it: counts for the overview and the
statistics, and the pairs that make two participants one."""

from __future__ import annotations

from survey.analysis.results import Matching
from survey.linking.report import match_report
from survey.models import Workshop


def matching(workshop: Workshop) -> tuple[Matching, dict[int, int]]:
    """The linking-code match report of the first two waves (docs/linking.md, one statement):
    its counts, and the later participant -> earlier participant of each pair that the linking
    code made (someone who lost their link and enrolled again)."""
    report = match_report(workshop)
    links = {second: first for first, second in report.linked}
    return report.counts(), links
