"""Console view of the organisers' contact for participants (shown on the privacy notice, the
cards, the thank-you page and every e-mail)."""

from flask import flash, redirect, render_template, url_for

from survey.auth.access import workshop_role_required
from survey.extensions import db
from survey.models import Role, Workshop
from survey.organise import workshops
from survey.organise.forms import ContactForm
from survey.organise.routes import bp


@bp.route("/<slug>/contact", methods=["GET", "POST"])
@workshop_role_required(Role.ORGANISER)
def contact(workshop: Workshop):
    """Edit the name, e-mail and phone participants are told to contact."""
    form = ContactForm(obj=workshop)
    if form.validate_on_submit():
        changed = workshops.set_contact(
            workshop, form.contact_name.data, form.contact_email.data, form.contact_phone.data
        )
        db.session.commit()
        flash("The contact for participants is saved." if changed else "Nothing changed.")
        return redirect(url_for(".workshop", slug=workshop.slug))
    status = 422 if form.errors else 200
    return render_template("organise/contact.html", workshop=workshop, form=form), status
