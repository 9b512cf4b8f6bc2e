"""Console views of a workshop's groups: their labels, their join links and join posters."""

from flask import flash, redirect, render_template, request, url_for

from survey.auth.access import workshop_role_required
from survey.database import begin_writing
from survey.extensions import db
from survey.models import Role, Workshop
from survey.organise import invitations, workshops
from survey.organise.forms import ActionForm, group_labels_form
from survey.organise.routes import bp, found_or_404, links_base


@bp.route("/<slug>/groups", methods=["GET", "POST"])
@workshop_role_required(Role.ORGANISER)
def groups(workshop: Workshop):
    """The groups' labels (to rename them) and join links."""
    form = group_labels_form(workshop.groups, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        labels = {g.code: form[f"label_{g.code}"].data for g in workshop.groups}
        try:
            workshops.set_group_labels(workshop, labels)
        except workshops.WorkshopError as error:
            db.session.rollback()
            flash(str(error).capitalize() + ".", "error")
        else:
            db.session.commit()
            flash("The group labels are saved.")
            return redirect(url_for(".groups", slug=workshop.slug))
    begin_writing()  # a group without a join code is given one
    links = invitations.join_links(workshop, links_base())
    db.session.commit()
    return render_template("organise/groups.html", workshop=workshop, form=form, links=links)


@bp.route("/<slug>/groups/<group>/new-code", methods=["GET", "POST"])
@workshop_role_required(Role.ORGANISER)
def new_join_code(workshop: Workshop, group: str):
    """Replace a group's join link, once a page has said that the old link and its posters
    stop working."""
    group_ = found_or_404(workshop.group(group))
    if request.method == "GET":
        begin_writing()  # a group without a join code is given one
        link = invitations.join_links(workshop, links_base())[group_.code]
        db.session.commit()
        return render_template(
            "organise/new_join_code.html",
            workshop=workshop,
            group=group_,
            link=link,
            joined=workshops.joined_through(group_),
        )
    if ActionForm().validate_on_submit():
        workshops.replace_join_code(group_)
        db.session.commit()
        flash(f"{group_.label} has a new join link; the old link and posters no longer work.")
    return redirect(url_for(".groups", slug=workshop.slug))


@bp.get("/<slug>/posters")
@workshop_role_required(Role.ORGANISER)
def posters(workshop: Workshop):
    """One printable join poster per group."""
    begin_writing()  # a group without a join code is given one
    items = invitations.posters(workshop, links_base(), workshop.instrument.languages)
    db.session.commit()
    return render_template("organise/posters.html", workshop=workshop, posters=items)
