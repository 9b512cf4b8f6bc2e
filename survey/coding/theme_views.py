"""Views of the theme codebook: the list with a new theme, a theme's edit page and its
deletion, and the import of a codebook file."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from survey.auth.access import workshop_role_required
from survey.coding import themes
from survey.coding.forms import ThemeForm, ThemeUploadForm
from survey.coding.routes import CODERS, bp
from survey.coding.theme_file import import_themes
from survey.extensions import db
from survey.models import Theme, Workshop
from survey.organise.forms import ActionForm


def _theme(workshop: Workshop, theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.workshop_id != workshop.id:
        abort(404)
    return theme


def _saved(workshop: Workshop, form: ThemeForm, change: Callable[..., object], done: str) -> bool:
    """Validate the form and make the change with its fields (code, label, description,
    parent), committed; False (with the problem on the form) when it cannot be made."""
    if not form.validate_on_submit():
        return False
    code = form.code.data.strip()
    parent = _theme(workshop, form.parent.data) if form.parent.data else None
    try:
        change(code, form.label.data, form.description.data or "", parent)
    except themes.ThemeError as error:
        db.session.rollback()
        form.code.errors.append(str(error))
        return False
    db.session.commit()
    flash(f"The theme {code} is {done}.")
    return True


@bp.route("/themes", methods=["GET", "POST"])
@workshop_role_required(*CODERS)
def theme_list(workshop: Workshop):
    """The codebook, and a new theme."""
    current = themes.workshop_themes(workshop)
    form = ThemeForm(current)
    if _saved(workshop, form, lambda *fields: themes.create_theme(workshop, *fields), "added"):
        return redirect(url_for(".theme_list", slug=workshop.slug))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "coding/themes.html",
        workshop=workshop,
        entries=themes.theme_tree(current),
        form=form,
        upload=ThemeUploadForm(formdata=None),
    ), status


@bp.route("/themes/<int:theme_id>", methods=["GET", "POST"])
@workshop_role_required(*CODERS)
def theme(workshop: Workshop, theme_id: int):
    """Change a theme's code, label, description or parent."""
    found = _theme(workshop, theme_id)
    current = themes.workshop_themes(workshop)
    form = ThemeForm(current, obj=found, exclude=found)
    if request.method == "GET":
        form.parent.data = found.parent_id or 0
    if _saved(workshop, form, lambda *fields: themes.update_theme(found, *fields), "saved"):
        return redirect(url_for(".theme_list", slug=workshop.slug))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "coding/theme.html",
        workshop=workshop,
        theme=found,
        form=form,
        used=themes.theme_in_use(found),
        delete=ActionForm(formdata=None),
    ), status


@bp.post("/themes/<int:theme_id>/delete")
@workshop_role_required(*CODERS)
def delete_theme(workshop: Workshop, theme_id: int):
    """Delete a theme that no coding gives."""
    found = _theme(workshop, theme_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    code = found.code
    try:
        themes.delete_theme(found)
    except themes.ThemeError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".theme", slug=workshop.slug, theme_id=theme_id))
    db.session.commit()
    flash(f"The theme {code} is deleted.")
    return redirect(url_for(".theme_list", slug=workshop.slug))


@bp.post("/themes/import")
@workshop_role_required(*CODERS)
def themes_import(workshop: Workshop):
    """Add and update themes from a codebook file (all or nothing)."""
    form = ThemeUploadForm()
    if not form.validate_on_submit():
        flash("Choose a CSV file to import.", "error")
        return redirect(url_for(".theme_list", slug=workshop.slug))
    result = import_themes(workshop, form.file.data.read(), actor=current_user)
    if not result.ok:
        db.session.rollback()
        current = themes.workshop_themes(workshop)
        return render_template(
            "coding/themes.html",
            workshop=workshop,
            entries=themes.theme_tree(current),
            form=ThemeForm(current, formdata=None),
            upload=ThemeUploadForm(formdata=None),
            problems=result.problems,
        ), 422
    db.session.commit()
    flash(f"Codebook imported: {result.summary()}.")
    return redirect(url_for(".theme_list", slug=workshop.slug))
