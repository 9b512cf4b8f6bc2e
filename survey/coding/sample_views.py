"""Views of double coding: assigning a sample of a question's answers to a second coder."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from survey.auth.access import workshop_role_required
from survey.coding import samples
from survey.coding.forms import SampleForm
from survey.coding.queue import free_text_questions
from survey.coding.routes import bp, question_texts
from survey.extensions import db
from survey.models import Role, StaffUser, Workshop
from survey.text import quantity


@bp.route("/samples", methods=["GET", "POST"])
@workshop_role_required(Role.RESEARCHER)
def sample_list(workshop: Workshop):
    """The samples with their progress, and a new one."""
    coders = samples.workshop_coders(workshop)
    form = SampleForm()
    texts = question_texts(workshop)
    form.question.choices = [(q.code, texts[q.code]) for q in free_text_questions(workshop)]
    form.coder.choices = [(user.id, user.email) for user in coders]
    if form.validate_on_submit():
        coder = db.session.get(StaffUser, form.coder.data)
        try:
            sample = samples.assign_sample(
                workshop, form.question.data, coder, form.share.data, by=current_user
            )
        except samples.SampleError as error:
            db.session.rollback()
            form.share.errors.append(str(error))
        else:
            db.session.commit()
            assigned = quantity(len(sample.answers), "answer is", "answers are")
            flash(
                f"{assigned} assigned to {coder.email}, who codes them without seeing anyone "
                "else's codes."
            )
            return redirect(url_for(".sample_list", slug=workshop.slug))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "coding/samples.html",
        workshop=workshop,
        form=form,
        rows=samples.workshop_samples(workshop),
        questions=dict(form.question.choices),
    ), status
