"""Console views of the personal links: the mail-merge file and the printable QR cards."""

from flask import Response, abort, flash, redirect, render_template, request, url_for

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
    """Printable QR cards: everyone's, a group's, one participant's or those still to print, a
    batch at a time."""
    group, public_id, unprinted = _chosen_cards(workshop, request.args)
    number = found_or_404(page_number(request.args.get("batch")))
    begin_writing()
    # The count beside the link to the cards still to print: none when those are the cards
    # shown, or when one participant's card is.
    to_print = None if public_id or unprinted else invitations.unprinted_cards(workshop, group)
    batch = found_or_404(
        invitations.cards(
            workshop,
            links_base(),
            group=group,
            public_id=public_id,
            unprinted=unprinted,
            batch=number,
        )
    )
    db.session.commit()  # before the QR codes are drawn, as the page is rendered
    return render_template(
        "organise/cards.html",
        workshop=workshop,
        batch=batch,
        group=group,
        public_id=public_id,
        unprinted=unprinted,
        to_print=to_print,
    )


@bp.post("/<slug>/cards/printed")
@workshop_role_required(Role.ORGANISER)
def cards_printed(workshop: Workshop):
    """Mark the cards of a batch printed; back to the cards chosen (those still to print: the
    next ones)."""
    group, public_id, unprinted = _chosen_cards(workshop, request.form)
    # Back to the same batch, but to the first of those still to print: the next ones.
    batch = None if unprinted else found_or_404(page_number(request.form.get("batch")))
    shown = invitations.batch_links(request.form.get("invitations"))
    if shown is None:
        abort(400)  # not a batch the cards page showed
    begin_writing()
    marked = invitations.mark_printed(workshop, shown)
    db.session.commit()
    flash(
        f"{marked} card{'' if marked == 1 else 's'} marked printed."
        if marked
        else "These cards were already marked printed."
    )
    return redirect(
        url_for(
            "organise.cards",
            slug=workshop.slug,
            group=group,
            participant=public_id,
            unprinted=1 if unprinted else None,
            batch=batch if batch != 1 else None,
        )
    )


def _chosen_cards(workshop: Workshop, values) -> tuple[str | None, str | None, bool]:
    """The cards an address or form chose: (group, participant, still to print only); 404 for a
    group or participant the workshop does not have."""
    group = values.get("group") or None
    public_id = values.get("participant") or None
    if group is not None and workshop.group(group) is None:
        abort(404)
    if public_id is not None:  # unknown: 404, as for a group; withdrawn: the page says so
        found_or_404(participants.participant_by_public_id(workshop, public_id))
    return group, public_id, values.get("unprinted") == "1"
