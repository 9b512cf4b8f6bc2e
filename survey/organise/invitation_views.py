"""Console views of the personal links: the mail-merge file and the printable QR cards."""

from flask import Response, abort, render_template, request

from survey.auth.access import workshop_role_required
from survey.database import begin_writing
from survey.extensions import db
from survey.models import Role, Workshop
from survey.organise import invitations, participants
from survey.organise.routes import bp, found_or_404, links_base
from survey.paging import page_number


@bp.get("/<slug>/invitations.csv")
@workshop_role_required(Role.ORGANISER)
def invitations_csv(workshop: Workshop):
    """The mail-merge file of every participant's personal link (recorded in the audit log)."""
    begin_writing()
    body, _ = invitations.export_invitations(workshop, links_base())
    db.session.commit()
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{workshop.slug}-invitations.csv"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/<slug>/cards")
@workshop_role_required(Role.ORGANISER)
def cards(workshop: Workshop):
    """Printable QR cards: everyone's, a group's or one participant's, a batch at a time."""
    group = request.args.get("group") or None
    public_id = request.args.get("participant") or None
    number = found_or_404(page_number(request.args.get("batch")))
    if group is not None and workshop.group(group) is None:
        abort(404)
    if public_id is not None:  # unknown: 404, as for a group; withdrawn: the page says so
        found_or_404(participants.participant_by_public_id(workshop, public_id))
    begin_writing()
    batch = found_or_404(
        invitations.cards(workshop, links_base(), group=group, public_id=public_id, batch=number)
    )
    db.session.commit()  # before the QR codes are drawn, as the page is rendered
    return render_template(
        "organise/cards.html", workshop=workshop, batch=batch, group=group, public_id=public_id
    )
