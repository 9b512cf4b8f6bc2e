"""The coding pages of a workshop, for its organisers and researchers (docs/coding.md): the
overview, the coding screen (a list or one answer at a time), the disagreements and their
settling, the agreement between coders. The codebook's and the samples' views live in their
own modules and register on `bp` when this module imports them (at its end). Views translate
HTTP to the domain modules of this package and back."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from survey.auth.access import workshop_role_required
from survey.coding import agreement as agreements
from survey.coding import queue
from survey.coding.codings import code_answers, my_themes
from survey.coding.forms import CodesInvalid, CodingForm, read_codes
from survey.coding.settling import SettleError, disagreements, reopen, settle
from survey.coding.themes import theme_tree, workshop_themes
from survey.dashboard.labels import workshop_labels
from survey.exports.spec import question_or_none
from survey.extensions import db
from survey.models import Role, Workshop
from survey.security import posted_id
from survey.text import quantity

bp = Blueprint("coding", __name__, url_prefix="/workshops/<slug>/coding")

CODERS = (Role.ORGANISER, Role.RESEARCHER)
MAX_PAGE = 100_000


def _question(workshop: Workshop, code: str):
    question = queue.free_text_question(workshop, code)
    if question is None:
        abort(404)
    return question


def _filter(workshop: Workshop) -> queue.QueueFilter:
    """The coder's filter from the query string; unknown values mean no filter."""
    group = request.args.get("group") or None
    wave = request.args.get("wave") or None
    try:
        show = queue.Show(request.args.get("show", queue.Show.ALL.value))
    except ValueError:
        show = queue.Show.ALL
    return queue.QueueFilter(
        group=group if group and workshop.group(group) else None,
        wave=wave if wave and workshop.wave(wave) else None,
        show=show,
    )


def question_texts(workshop: Workshop) -> dict[str, str]:
    """Each question's text as the dashboards write it for both groups at once."""
    return dict(workshop_labels(workshop, workshop.instrument).questions)


def _context(workshop: Workshop, question, chosen: queue.QueueFilter) -> dict:
    """What every coding screen shows beside the answers."""
    themes = workshop_themes(workshop)
    instrument = workshop.instrument
    language = instrument.default_language
    sector = question_or_none(instrument, "sector")
    return {
        "workshop": workshop,
        "question": question,
        "question_text": question_texts(workshop)[question.code],
        "chosen": chosen,
        "entries": theme_tree(themes),
        "theme_ids": {t.id for t in themes},
        "progress": queue.progress(workshop, question.code, current_user),
        "group_labels": {g.code: g.label for g in workshop.groups},
        "sector_labels": {str(o.code): o.label(language) for o in sector.options} if sector else {},
        "shows": SHOWS,
    }


SHOWS = (
    (queue.Show.ALL, "all answers"),
    (queue.Show.NOT_MINE, "not coded by me"),
    (queue.Show.UNCODED, "coded by nobody"),
    (queue.Show.MINE, "coded by me"),
    (queue.Show.SAMPLE, "my double-coding sample"),
)


@bp.get("")
@workshop_role_required(*CODERS)
def home(workshop: Workshop):
    """The free-text questions with the coding's progress, and the ways to the other pages."""
    questions = [
        (q, queue.progress(workshop, q.code, current_user))
        for q in queue.free_text_questions(workshop)
    ]
    return render_template(
        "coding/home.html",
        workshop=workshop,
        questions=questions,
        texts=question_texts(workshop),
        themes=workshop_themes(workshop),
    )


@bp.route("/<question>", methods=["GET", "POST"])
@workshop_role_required(*CODERS)
def answers(workshop: Workshop, question: str):
    """The chosen answers of a question as a list, each with its own theme boxes."""
    asked = _question(workshop, question)
    chosen = _filter(workshop)
    number = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    form = CodingForm()
    context = _context(workshop, asked, chosen)
    if form.validate_on_submit():
        posted = map(posted_id, request.form.getlist("shown")[: queue.PER_PAGE])
        shown = [a for a in posted if a is not None and queue.queued_answer(workshop, a)]
        changed = _save(workshop, shown, context["theme_ids"])
        if changed is not None:
            flash(f"Saved: {quantity(changed, 'answer')} changed.")
            return redirect(
                url_for(
                    ".answers", slug=workshop.slug, question=question, page=number, **chosen.args()
                )
            )
    page = queue.coding_queue(workshop, question, current_user, chosen, number)
    mine = my_themes([a.id for a in page.answers], current_user)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "coding/answers.html", form=form, page=page, mine=mine, **context
    ), status


def _save(workshop: Workshop, shown: list[int], theme_ids: set[int]) -> int | None:
    """Save the posted codes of the shown answers; None (and a message) when they are wrong."""
    try:
        posted = read_codes(request.form, shown, theme_ids)
    except CodesInvalid as error:
        flash(str(error), "error")
        return None
    themes = {t.id: t for t in workshop_themes(workshop)}
    codes = {
        answer: ([themes[i] for i in sorted(p.themes)] if p.coded else None)
        for answer, p in posted.items()
    }
    try:
        changed = code_answers(workshop, current_user, codes)
        db.session.commit()
    except IntegrityError:  # the same answer saved at the same moment in another tab
        db.session.rollback()
        flash(
            "These answers were saved elsewhere at the same moment; check them and save again.",
            "error",
        )
        return None
    return changed


@bp.get("/<question>/next")
@workshop_role_required(*CODERS)
def first(workshop: Workshop, question: str):
    """One answer at a time: the first of the chosen answers."""
    _question(workshop, question)
    chosen = _filter(workshop)
    ids = queue.chosen_ids(workshop, question, current_user, chosen)
    if not ids:
        flash("No answer is left to show with this filter.")
        return redirect(url_for(".answers", slug=workshop.slug, question=question, **chosen.args()))
    return redirect(
        url_for(".answer", slug=workshop.slug, question=question, answer_id=ids[0], **chosen.args())
    )


@bp.route("/<question>/answers/<int:answer_id>", methods=["GET", "POST"])
@workshop_role_required(*CODERS)
def answer(workshop: Workshop, question: str, answer_id: int):
    """One answer with its theme boxes; saving goes on to the next chosen answer."""
    asked = _question(workshop, question)
    found = queue.queued_answer(workshop, answer_id)
    if found is None or found.question != question:
        abort(404)
    chosen = _filter(workshop)
    ids = queue.chosen_ids(workshop, question, current_user, chosen)
    position, previous, following = queue.neighbours(
        ids, answer_id, back=request.args.get("back", type=int)
    )
    form = CodingForm()
    context = _context(workshop, asked, chosen)
    if form.validate_on_submit() and _save(workshop, [answer_id], context["theme_ids"]) is not None:
        target = posted_id(form.next.data)
        if target is not None:
            address = url_for(
                ".answer",
                slug=workshop.slug,
                question=question,
                answer_id=target,
                back=answer_id,
                **chosen.args(),
            )
            return redirect(address)
        flash("That was the last answer of this filter.")
        return redirect(url_for(".answers", slug=workshop.slug, question=question, **chosen.args()))
    if request.method == "GET":
        form.next.data = str(following) if following else ""
    mine = my_themes([answer_id], current_user)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "coding/answer.html",
        form=form,
        answer=found,
        mine=mine,
        previous=previous,
        following=following,
        position=position,
        count=len(ids),
        **context,
    ), status


@bp.get("/agreement")
@workshop_role_required(*CODERS)
def agreement(workshop: Workshop):
    """Each pair of coders' agreement, per question and theme."""
    pairs = agreements.workshop_agreement(workshop)
    themes = {t.code: t for t in workshop_themes(workshop)}
    return render_template(
        "coding/agreement.html",
        workshop=workshop,
        pairs=pairs,
        themes=themes,
        questions=question_texts(workshop),
    )


@bp.get("/<question>/disagreements")
@workshop_role_required(*CODERS)
def disagreements_list(workshop: Workshop, question: str):
    """The answers the coders coded differently, to settle, and those settled."""
    asked = _question(workshop, question)
    context = _context(workshop, asked, queue.QueueFilter())
    return render_template(
        "coding/disagreements.html",
        open_items=disagreements(workshop, question, current_user),
        settled_items=disagreements(workshop, question, current_user, settled=True),
        form=CodingForm(),
        **context,
    )


@bp.post("/<question>/answers/<int:answer_id>/settle")
@workshop_role_required(*CODERS)
def settle_answer(workshop: Workshop, question: str, answer_id: int):
    """Set the final coding of an answer the coders disagreed on (or reopen it)."""
    _question(workshop, question)
    found = queue.queued_answer(workshop, answer_id)
    if found is None or found.question != question:
        abort(404)
    back = url_for(".disagreements_list", slug=workshop.slug, question=question)
    if not CodingForm().validate_on_submit():
        flash("The form had expired; try again.", "error")
        return redirect(back)
    if request.form.get("action") == "reopen":
        try:
            reopen(workshop, found, current_user)
        except SettleError as error:
            flash(str(error), "error")
            return redirect(back)
        db.session.commit()
        flash("Reopened: its coders' themes count again (it waits here while they differ).")
        return redirect(back)
    themes = {t.id: t for t in workshop_themes(workshop)}
    try:
        posted = read_codes(request.form, [answer_id], set(themes))[answer_id]
    except CodesInvalid as error:
        flash(str(error), "error")
        return redirect(back)
    if not posted.coded:
        flash("Choose the final themes, or “no theme”.", "error")
        return redirect(back)
    settle(workshop, found, [themes[i] for i in sorted(posted.themes)], current_user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash("Settled elsewhere at the same moment; check it and settle again.", "error")
        return redirect(back)
    flash("Settled: that is now the answer's final coding.")
    return redirect(back)


# The views of the codebook, the samples and the files register on `bp` when imported.
from survey.coding import file_views, sample_views, theme_views  # noqa: E402, F401
