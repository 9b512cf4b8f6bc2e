"""A trial of a message sent to the organiser who writes it, to see it in a real mail program
(an Urdu message's direction, a long title's line breaks) before participants get it. It is
the participant's message as a batch would send it (survey.mail.sending.compose) but for two
things: the subject says it is a trial, and its personal link and its opt-out link lead
nowhere, so that forwarding it gives nobody a participant's place. The send log is untouched."""

from dataclasses import replace

from survey.audit import record
from survey.links import optout_link, personal_link
from survey.mail import smtp
from survey.mail.content import MessageValues, Template, render_message
from survey.models import Participant, Wave

# The end of the trial's links: no personal link or opt-out token has this form.
NOWHERE = "trial-message-link"


def send_trial(
    template: Template, wave: Wave, to: str, base: str, participant: Participant | None = None
) -> None:
    """Send the template's message about `wave` to the address `to`, as `participant` (their
    name; none: the greeting without a name) would get it; recorded in the audit log.
    MailError when it cannot go."""
    workshop = wave.workshop
    language = template.language
    values = MessageValues(
        language=language,
        name=participant.contact.name if participant and participant.contact else None,
        workshop=workshop.title,
        wave=wave.instrument_version.instrument.wave_title(wave.code, language),
        link=personal_link(base, NOWHERE),
        closes=wave.closes_at,
        timezone=workshop.timezone,
        contact_name=workshop.contact_name,
        contact_email=workshop.contact_email,
        contact_phone=workshop.contact_phone,
        optout_link=optout_link(base, NOWHERE),
    )
    rendered = render_message(template, values)
    rendered = replace(rendered, subject=f"[Trial] {rendered.subject}")
    smtp.send_one(
        lambda connection: smtp.build_email(
            rendered,
            to,
            reply_to=workshop.contact_email,
            unsubscribe=values.optout_link,
            connection=connection,
        )
    )
    record(
        "mail.trial",
        workshop=workshop,
        detail={"kind": template.kind.value, "language": language, "wave": wave.code, "to": to},
    )
