"""The findings the organisers share with participants (docs/domain.md, "Findings shared with
participants"): the dashboard's headline and findings for the whole workshop, in the
participant's language, for those who have nothing left to answer."""

from flask import abort
from flask_babel import gettext as _

from survey.dashboard.reads.transaction import start_reading
from survey.dashboard.sharing import shared_findings
from survey.respond.headings import heading
from survey.respond.routes import bp
from survey.respond.screens import render, use_language
from survey.respond.visits import may_read_findings, session_participant


@bp.get("/q/findings")
def findings():
    """What the participants answered, in sentences (404 until the participant may read it)."""
    participant, _invitation = session_participant()
    if not may_read_findings(participant):
        abort(404)
    workshop = participant.workshop
    instrument = workshop.instrument
    language = use_language(instrument, participant.language)
    start_reading()
    return render(
        "findings.html",
        page_title=_("What the participants answered"),
        instrument=instrument,
        heading=heading(workshop, instrument, language),
        written=shared_findings(workshop, language),
        workshop=workshop,
    )
