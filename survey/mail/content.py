"""The messages' words: the shipped defaults, a workshop's own templates, their checks, and
rendering one message for one participant as plain text and HTML in their language.

Templates are plain text with named placeholders ({link}, {wave}, …), never a template
language: an organiser's text cannot run code or reach anything but the values given here. The
HTML is built from the same text by an autoescaping Jinja template; it loads nothing remote and
carries no tracking of any kind.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from babel.dates import format_date, format_time
from flask import current_app
from markupsafe import Markup
from sqlalchemy import select

from survey.audit import record
from survey.extensions import db
from survey.i18n import text_direction
from survey.mail.addresses import mailto
from survey.models import MessageKind, MessageTemplate, Workshop
from survey.text import one_line, without_direction_controls

SHIPPED = Path(__file__).parent / "shipped" / "messages.yaml"
SUBJECT_PLACEHOLDERS = frozenset({"workshop", "wave"})
BODY_PLACEHOLDERS = frozenset({"greeting", "name", "workshop", "wave", "link", "closes"})
SUBJECT_MAX = 200
BODY_MAX = 5000
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class TemplateError(ValueError):
    """A template the organiser wrote cannot be used, with every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Template:
    kind: MessageKind
    language: str
    subject: str
    body: str
    customised: bool  # the workshop's own, not the shipped default
    review_note: str | None  # the shipped text awaits a native speaker's review


class Isolated(str):
    """A value put into the text (a name, a title, a time): the HTML isolates its direction
    (<bdi>), so a Latin title inside an Urdu sentence keeps its own order."""

    isolated = True


@dataclass(frozen=True)
class Link:
    """A link in a message: the only thing the HTML version turns into an anchor. It reads as
    its address, or as `text` (an e-mail address, whose link is encoded)."""

    url: str
    text: str | None = None

    @property
    def shown(self) -> str:
        return self.text or self.url


Segment = str | Isolated | Link
Line = tuple[Segment, ...]


@dataclass(frozen=True)
class MessageValues:
    """What one participant's message says, besides the template's words."""

    language: str
    name: str | None
    workshop: str
    wave: str  # the wave's title in the participant's language
    link: str  # the personal link (recomputed, never stored)
    closes: datetime | None
    timezone: str
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    optout_link: str


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str  # the whole HTML document
    body_html: Markup  # its body alone, for the console's preview
    language: str


@cache
def shipped() -> dict:
    """The shipped defaults and fixed parts (survey/mail/shipped/messages.yaml)."""
    with SHIPPED.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def shipped_language(language: str) -> str:
    """The language whose shipped words a participant reading `language` gets."""
    return language if language in shipped()["languages"] else "en"


def template_languages(workshop: Workshop) -> list[str]:
    """The languages a workshop's messages are written in: its questionnaire's."""
    return list(workshop.instrument.languages)


def message_template(workshop: Workshop, kind: MessageKind, language: str) -> Template:
    """The workshop's own template of this kind and language, else the shipped default."""
    own = _own(workshop, kind, language)
    if own is not None:
        return Template(kind, language, own.subject, own.body, customised=True, review_note=None)
    words = shipped()["languages"][shipped_language(language)][kind.value]
    return Template(
        kind,
        language,
        words["subject"],
        words["body"],
        customised=False,
        review_note=shipped()["review"].get(language),
    )


def _own(workshop: Workshop, kind: MessageKind, language: str) -> MessageTemplate | None:
    """The workshop's own template of this kind and language, if it has written one."""
    return db.session.scalar(
        select(MessageTemplate).where(
            MessageTemplate.workshop_id == workshop.id,
            MessageTemplate.kind == kind,
            MessageTemplate.language == language,
        )
    )


def template_problems(subject: str, body: str) -> list[str]:
    """Why a subject and body cannot be used (empty when they can)."""
    return subject_problems(subject) + body_problems(body)


def subject_problems(subject: str) -> list[str]:
    """Why a subject cannot be used (empty when it can)."""
    problems = []
    if not subject.strip():
        problems.append("the subject is empty")
    if "\n" in subject or "\r" in subject:
        problems.append("the subject must be one line")
    if len(subject) > SUBJECT_MAX:
        problems.append(f"the subject is longer than {SUBJECT_MAX} characters")
    return problems + _unknown_placeholders("subject", subject, SUBJECT_PLACEHOLDERS)


def body_problems(body: str) -> list[str]:
    """Why a message's body cannot be used (empty when it can)."""
    problems = []
    if len(body) > BODY_MAX:
        problems.append(f"the message is longer than {BODY_MAX} characters")
    problems += _unknown_placeholders("message", body, BODY_PLACEHOLDERS)
    if "{link}" not in body:
        problems.append("the message must contain {link}, the participant's personal link")
    return problems


def _unknown_placeholders(where: str, text: str, allowed: frozenset[str]) -> list[str]:
    known = ", ".join("{" + n + "}" for n in sorted(allowed))
    return [
        f"the {where} names {{{name}}}, which is not one of {known}"
        for name in _PLACEHOLDER.findall(text)
        if name not in allowed
    ]


def save_template(
    workshop: Workshop, kind: MessageKind, language: str, subject: str, body: str
) -> MessageTemplate:
    """Keep a workshop's own template (checked), recorded in the audit log."""
    body = body.replace("\r\n", "\n").strip("\n")
    subject = subject.strip()
    problems = template_problems(subject, body)
    if problems:
        raise TemplateError(problems)
    own = _own(workshop, kind, language)
    if own is None:
        own = MessageTemplate(workshop_id=workshop.id, kind=kind, language=language)
        db.session.add(own)
    own.subject, own.body = subject, body
    record("mail.template", workshop=workshop, detail={"kind": kind.value, "language": language})
    return own


def reset_template(workshop: Workshop, kind: MessageKind, language: str) -> None:
    """Go back to the shipped default, recorded in the audit log."""
    own = _own(workshop, kind, language)
    if own is not None:
        db.session.delete(own)
        detail = {"kind": kind.value, "language": language, "reset": True}
        record("mail.template", workshop=workshop, detail=detail)


def closing_time(moment: datetime, timezone: str, language: str) -> str:
    """A wave's closing time in the workshop's zone, written the way `language` writes it."""
    local = moment.astimezone(ZoneInfo(timezone))
    locale = language if language in ("en", "ur", "fr") else "en"
    date = format_date(local, "full", locale=locale)
    time = f"{format_time(local, 'short', locale=locale)} ({timezone})"
    if text_direction(language) == "rtl":
        # The time and the zone's Latin name read left to right inside the sentence: an
        # isolate (LRI … PDI) keeps "9:00 AM (Asia/Karachi)" in one piece.
        return f"{date}، \u2066{time}\u2069"
    return f"{date}, {time}"


def render_message(template: Template, values: MessageValues) -> RenderedMessage:
    """One participant's message: subject, plain text and HTML, in their language."""
    words = shipped()["languages"][shipped_language(values.language)]
    # Typed values reach the subject and the plain text, which have nothing to isolate them.
    name, workshop, wave = (
        without_direction_controls(value or "")
        for value in (values.name, values.workshop, values.wave)
    )
    closes = (
        closing_time(values.closes, values.timezone, values.language) if values.closes else None
    )
    greeting = words["greeting"].replace("{name}", name) if name else words["greeting_unnamed"]
    fields: dict[str, Segment] = {
        "greeting": Isolated(greeting),
        "name": Isolated(name),
        "workshop": Isolated(workshop),
        "wave": Isolated(wave),
        "link": Link(values.link),
        "closes": Isolated(closes or ""),
    }
    # One line whatever the values hold (a title with a line break would forge a header).
    subject = one_line(
        "".join(str(s) for s in _fill(template.subject, fields) if not isinstance(s, Link))
    )
    paragraphs = _paragraphs(template.body, fields, drop_closes=closes is None)
    footer = _footer(words, values)
    text = _text(paragraphs) + "\n\n-- \n" + _text([footer])
    # The environment's own template, not render_template: no request or user is needed (the
    # command line sends too), and no context processor adds anything to a message.
    environment = current_app.jinja_env
    direction = text_direction(values.language)

    def body(inline_styles: bool) -> Markup:
        return Markup(  # noqa: S704 (rendered by an autoescaping template)
            environment.get_template("mail/_message_body.html").render(
                language=values.language,
                direction=direction,
                paragraphs=paragraphs,
                footer=footer,
                inline_styles=inline_styles,
            )
        )

    html = environment.get_template("mail/message.html").render(
        subject=subject, language=values.language, direction=direction, body=body(True)
    )
    body_html = body(False)  # for the preview, whose policy refuses inline styles
    return RenderedMessage(
        subject=subject,
        text=text + "\n",
        html=html,
        body_html=body_html,
        language=values.language,
    )


def _fill(text: str, fields: dict[str, Segment]) -> Line:
    """A line of template text with its placeholders replaced (unknown ones kept as typed)."""
    segments: list[Segment] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        segments.append(text[position : match.start()])
        value = fields.get(match.group(1))
        segments.append(match.group(0) if value is None else value)
        position = match.end()
    segments.append(text[position:])
    return tuple(s for s in segments if s != "")


def _paragraphs(body: str, fields: dict[str, Segment], *, drop_closes: bool) -> list[list[Line]]:
    paragraphs = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [
            _fill(line.strip(), fields)
            for line in block.split("\n")
            if line.strip() and not (drop_closes and "{closes}" in line)
        ]
        if lines:
            paragraphs.append(lines)
    return paragraphs


def _footer(words: dict, values: MessageValues) -> list[Line]:
    """The fixed end of every message: the organisers' contact, and the opt-out link."""
    lines: list[Line] = []
    if values.contact_name or values.contact_email or values.contact_phone:
        lines.append((words["contact"],))
        if values.contact_name:
            lines.append((Isolated(without_direction_controls(values.contact_name)),))
        if values.contact_email:
            lines.append((Link(mailto(values.contact_email), values.contact_email),))
        if values.contact_phone:
            # A phone number reads left to right in every language (LRI … PDI).
            lines.append((f"{words['phone']}: \u2066{values.contact_phone}\u2069",))
    lines.append(_fill(words["optout"], {"optout_link": Link(values.optout_link)}))
    return lines


def _text(paragraphs: list[list[Line]]) -> str:
    def line_text(line: Line) -> str:
        return "".join(_plain(segment) for segment in line)

    return "\n\n".join("\n".join(line_text(line) for line in p) for p in paragraphs)


def _plain(segment: Segment) -> str:
    if isinstance(segment, Link):
        return segment.shown
    return str(segment)
