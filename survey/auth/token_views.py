"""A staff member's tokens for scripts that read the JSON API (survey.auth.api_tokens): the
list, a new one (shown once), and deleting one."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from survey.auth import api_tokens
from survey.auth.access import staff_required
from survey.auth.forms import TokenForm
from survey.auth.routes import bp
from survey.extensions import db


@bp.route("/tokens", methods=["GET", "POST"])
@staff_required
def tokens():
    """The signed-in staff member's tokens, and a new one, whose secret is shown only now."""
    form = TokenForm()
    new = None
    if form.validate_on_submit():
        new = api_tokens.create_token(current_user, form.name.data)
        db.session.commit()
        form = TokenForm(formdata=None)
    status = 422 if form.errors else 200
    return render_template(
        "auth/tokens.html", form=form, tokens=api_tokens.tokens_of(current_user), new=new
    ), status


@bp.post("/tokens/<int:token_id>/delete")
@staff_required
def delete_token(token_id: int):
    """Delete one of the signed-in staff member's tokens: scripts using it are refused."""
    if FlaskForm().validate_on_submit():
        token = api_tokens.delete_token(current_user, token_id)
        if token is None:
            abort(404)
        db.session.commit()
        flash(f"The token {token.name} is deleted: scripts using it are refused from now on.")
    return redirect(url_for(".tokens"))
