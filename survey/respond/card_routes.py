"""The card codes' short address: `/c/<code>` as printed on a card, and `/c`, a form to type
the code (docs/domain.md, "Card code"). Like a personal link, a valid code puts the participant
into the session and leaves the code's URL at once; failed look-ups count against the address
(survey.respond.lookups)."""

from flask_babel import gettext as _

from survey.respond.forms import CardCodeForm
from survey.respond.lookups import invitation_for_card
from survey.respond.routes import bp, enter
from survey.respond.screens import render, use_language
from survey.tokens import InvitationInvalid


@bp.get("/c/<code>")
def redeem_card(code: str):
    """A card's short address: the participant's personal link, typed."""
    return enter(invitation_for_card(code))


@bp.route("/c", methods=["GET", "POST"])
def card_code():
    """A form to type the code printed on a card."""
    use_language(None)
    form = CardCodeForm()
    if form.validate_on_submit():
        try:
            invitation = invitation_for_card(form.code.data)
        except InvitationInvalid:
            form.code.errors.append(
                _("This code does not work. Check it against your card, or ask the organisers.")
            )
        else:
            return enter(invitation)
    status = 422 if form.errors else 200
    return render("card.html", status, form=form)
