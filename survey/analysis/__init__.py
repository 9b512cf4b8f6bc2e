"""Pure statistics for the dashboards, the report and the API: answers in, numbers out."""

from survey.analysis.records import AnalysisSpec, Respondent, ScoreSpec
from survey.analysis.results import WorkshopStats
from survey.analysis.workshop import workshop_stats

__all__ = ["AnalysisSpec", "Respondent", "ScoreSpec", "WorkshopStats", "workshop_stats"]
