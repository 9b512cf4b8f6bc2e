"""The findings shared with participants (docs/domain.md, "Findings shared with participants"):
the organisers choose to show the dashboard's headline and findings, for the whole workshop
and in each participant's language, to those who have nothing left to answer."""

from __future__ import annotations

from survey.audit import record
from survey.dashboard.cache import current_results
from survey.dashboard.filters import Filters
from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.views.overview import WrittenFindings, written_findings
from survey.models import StaffUser, Workshop
from survey.models._types import utcnow


def set_sharing(workshop: Workshop, shared: bool, actor: StaffUser) -> bool:
    """Share the findings with the participants, or stop; audited. False when nothing changes."""
    if (workshop.findings_shared_at is not None) == shared:
        return False
    workshop.findings_shared_at = utcnow() if shared else None
    action = "workshop.findings_shared" if shared else "workshop.findings_unshared"
    record(action, workshop=workshop, actor=actor, detail={})
    return True


def shared_findings(workshop: Workshop, language: str) -> WrittenFindings:
    """The headline and findings of every submitted response, with no filter and the groups
    smaller than the workshop's minimum withheld as on the dashboard, in `language` where the
    instrument has it. Call inside a read transaction (survey.dashboard.reads.transaction)."""
    setting = workshop_setting(workshop)
    results, _signature = current_results(setting, workshop, Filters())
    return written_findings(setting, results, language)
