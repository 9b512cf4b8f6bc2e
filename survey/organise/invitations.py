"""Invitation links for mail merge, printable QR cards and the groups' join posters (the links
themselves are survey.links')."""

import csv
import io
from dataclasses import dataclass, replace

from markupsafe import Markup
from sqlalchemy import Select, exists, func, select, update
from sqlalchemy.orm import joinedload, selectinload

from survey.audit import record
from survey.exports.spreadsheet import BOM, safe_row
from survey.extensions import db
from survey.links import card_link, invitation_link, join_link, qr_svg
from survey.models import Group, Invitation, Participant, StaffUser, Workshop
from survey.models._types import utcnow
from survey.paging import Page
from survey.respond.headings import Details, workshop_details
from survey.security import posted_id
from survey.tokens import card_code_to_print, current_invitation, join_code, refresh_join_code

# The participant's public id first: it tells apart those who joined by a group's link, who
# have no external id, name or address.
CSV_COLUMNS = ("participant", "external_id", "name", "email", "group", "language", "link")

# Printed on each card in the participant's language. The Urdu and French texts are the
# platform's own and, like the instrument's translations, want a native speaker's review.
CARD_INSTRUCTIONS = {
    "en": "Scan the code with your phone's camera, or type the link, to answer the "
    "questionnaire. This link is yours alone: please do not share it.",
    "fr": "Scannez le code avec l'appareil photo de votre téléphone, ou saisissez le lien, "
    "pour répondre au questionnaire. Ce lien est personnel : merci de ne pas le partager.",
    "ur": "سوالنامے کا جواب دینے کے لیے اپنے فون کے کیمرے سے کوڈ اسکین کریں یا لنک ٹائپ کریں۔ "
    "یہ لنک صرف آپ کے لیے ہے: براہ کرم اسے کسی اور کو نہ دیں۔",
}
POSTER_INSTRUCTIONS = {
    "en": "Scan this code with your phone's camera to answer the questionnaire. You will get "
    "a personal link: keep it for the questionnaire after the workshop.",
    "fr": "Scannez ce code avec l'appareil photo de votre téléphone pour répondre au "
    "questionnaire. Vous recevrez un lien personnel : gardez-le pour le questionnaire "
    "d'après l'atelier.",
    "ur": "سوالنامے کا جواب دینے کے لیے اپنے فون کے کیمرے سے یہ کوڈ اسکین کریں۔ آپ کو ایک ذاتی "
    "لنک ملے گا: اسے ورکشاپ کے بعد والے سوالنامے کے لیے محفوظ رکھیں۔",
}
# Before the organisers' contact on each card (the privacy notice tells participants to use it).
CARD_CONTACT = {"en": "Questions:", "fr": "Questions :", "ur": "سوالات:"}
RTL = frozenset({"ur"})
# The most cards one page holds (25 A4 sheets): a workshop's 3,000 cards in one page took 12 s,
# most of it drawing QR codes, past a proxy's patience on a slower machine and more than a
# laptop's browser prints in one go (docs/benchmarks.md, "QR cards").
CARDS_PER_BATCH = 200


@dataclass(frozen=True)
class InvitationRow:
    public_id: str
    external_id: str | None
    name: str | None
    email: str | None
    opted_out: bool  # of e-mail: the mail-merge file leaves the address out
    group: str  # the group's code
    group_label: str
    language: str | None  # None: not given (their pages follow the browser)
    link: str
    card_link: str  # the short address with the card code, to type (docs/domain.md)
    invitation_id: int  # the link's, to mark its card printed
    card_printed: bool  # marked printed by an organiser


@dataclass(frozen=True)
class Card:
    row: InvitationRow
    language: str  # the participant's, else the questionnaire's default
    instructions: str
    direction: str  # "rtl" for Urdu
    contact_label: str
    details: Details  # the workshop's place and dates, in the card's language

    @property
    def qr(self) -> Markup:
        """The personal link's QR code, drawn when the card is shown: about 4 ms a card, so
        after the request has committed what it wrote."""
        return qr_svg(self.row.link, f"QR code of the personal link for {self.row.public_id}")


@dataclass(frozen=True)
class Poster:
    group: Group
    link: str
    qr: Markup
    instructions: list[tuple[str, str, str]]  # (language, direction, text)


def invitation_rows(
    workshop: Workshop,
    base: str,
    *,
    group: str | None = None,
    public_id: str | None = None,
    unprinted: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[InvitationRow]:
    """Every participant still taking part (or those whose card is still to print), with their
    current link, in roster order (or the `limit` of them after the first `offset`)."""
    query = (
        _taking_part(workshop, group, public_id, unprinted=unprinted)
        .options(
            joinedload(Participant.group),
            selectinload(Participant.contact),
            selectinload(Participant.invitations),
        )
        .order_by(Group.position, Participant.id)
        .offset(offset)
        .limit(limit)
    )
    # Issues a first link to anyone who has none yet (e.g. added by hand); written at once, so
    # that each has its id.
    current = [(p, current_invitation(p)) for p in db.session.scalars(query)]
    db.session.flush()
    rows = []
    for p, invitation in current:
        rows.append(
            InvitationRow(
                public_id=p.public_id,
                external_id=p.external_id,
                name=p.contact.name if p.contact else None,
                email=p.contact.email if p.contact else None,
                opted_out=p.mail_opt_out_at is not None,
                group=p.group.code,
                group_label=p.group.label,
                language=p.language,
                link=invitation_link(invitation, base),
                card_link=card_link(base, card_code_to_print(invitation)),
                invitation_id=invitation.id,
                card_printed=invitation.card_printed_at is not None,
            )
        )
    return rows


def _taking_part(
    workshop: Workshop, group: str | None, public_id: str | None, *, unprinted: bool = False
) -> Select:
    query = (
        select(Participant)
        .join(Participant.group)
        .where(Participant.workshop_id == workshop.id, Participant.withdrawn_at.is_(None))
    )
    if group:
        query = query.where(Group.code == group)
    if public_id:
        query = query.where(Participant.public_id == public_id)
    if unprinted:
        # A card to print: no live link yet (the card issues the first), or a live link whose
        # card nobody marked printed (a participant added since, or a link issued anew).
        printed = select(Invitation.id).where(
            Invitation.participant_id == Participant.id,
            Invitation.revoked_at.is_(None),
            Invitation.card_printed_at.is_not(None),
        )
        query = query.where(~exists(printed))
    return query


def _count(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def unprinted_cards(workshop: Workshop, group: str | None = None) -> int:
    """How many participants taking part (of the group) have a card still to print."""
    return _count(_taking_part(workshop, group, None, unprinted=True))


def batch_links(posted: str | None) -> list[int] | None:
    """The links of a batch of cards as its page posts them (ids separated by spaces); None
    for anything else."""
    ids = [posted_id(word) for word in (posted or "").split()]
    if not 0 < len(ids) <= CARDS_PER_BATCH or None in ids:
        return None
    return ids


def mark_printed(
    workshop: Workshop, invitation_ids: list[int], *, actor: StaffUser | str | None = None
) -> int:
    """Mark the cards of these links printed, recorded in the audit log; returns how many were
    not marked before. Links of another workshop, revoked since or unknown are left alone."""
    ours = select(Participant.id).where(Participant.workshop_id == workshop.id)
    marked = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id.in_(invitation_ids),
            Invitation.participant_id.in_(ours),
            Invitation.revoked_at.is_(None),
            Invitation.card_printed_at.is_(None),
        )
        .values(card_printed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    record("invitations.printed", workshop=workshop, actor=actor, detail={"cards": marked})
    return marked


def export_invitations(
    workshop: Workshop, base: str, *, actor: StaffUser | str | None = None, via: str = "web"
) -> tuple[str, int]:
    """The mail-merge CSV (UTF-8 with BOM, spreadsheet-safe) and its number of rows, recorded
    in the audit log."""
    rows = invitation_rows(workshop, base)
    detail = {"rows": len(rows), "via": via}
    record("invitations.export", workshop=workshop, actor=actor, detail=detail)
    return invitations_csv(rows), len(rows)


def invitations_csv(rows: list[InvitationRow]) -> str:
    """Serialize rows to the mail-merge columns."""
    out = io.StringIO()
    out.write(BOM)  # Excel reads the Urdu names right only with a BOM
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        # Who opted out of e-mail gets none from a mail merge either (their link stays, for a card).
        email = None if row.opted_out else row.email
        values = (
            row.public_id,
            row.external_id,
            row.name,
            email,
            row.group,
            row.language,
            row.link,
        )
        # Names come from rosters: one starting with "=" must not run as a formula in Excel.
        writer.writerow(safe_row([v or "" for v in values]))
    return out.getvalue()


def cards(
    workshop: Workshop,
    base: str,
    *,
    group: str | None = None,
    public_id: str | None = None,
    unprinted: bool = False,
    batch: int = 1,
    actor: StaffUser | str | None = None,
) -> Page[Card] | None:
    """One printable card per participant (or the chosen ones; or those still to print), in
    batches of CARDS_PER_BATCH: the given batch, recorded in the audit log; None when there is
    no such batch."""
    total = _count(_taking_part(workshop, group, public_id, unprinted=unprinted))
    page = Page(number=batch, total=total, size=CARDS_PER_BATCH)
    if not page.exists:
        return None
    # Only this batch's participants are read (and, being printed, have their card code stored).
    rows = invitation_rows(
        workshop,
        base,
        group=group,
        public_id=public_id,
        unprinted=unprinted,
        offset=page.offset,
        limit=page.size,
    )
    detail = {
        "cards": len(rows),
        "group": group,
        "participant": public_id,
        "batch": f"{batch} of {page.pages}",  # read in the audit log as "batch: 3 of 15"
    }
    if unprinted:
        detail["still_to_print"] = True
    record("invitations.cards", workshop=workshop, actor=actor, detail=detail)
    default = workshop.instrument.default_language
    return replace(page, items=[_card(workshop, row, row.language or default) for row in rows])


def _card(workshop: Workshop, row: InvitationRow, language: str) -> Card:
    return Card(
        row=row,
        language=language,
        instructions=CARD_INSTRUCTIONS.get(language, CARD_INSTRUCTIONS["en"]),
        direction="rtl" if language in RTL else "ltr",
        contact_label=CARD_CONTACT.get(language, CARD_CONTACT["en"]),
        details=workshop_details(workshop, language),
    )


def join_links(workshop: Workshop, base: str) -> dict[str, str]:
    """Each group's join link (a group that has no join code yet is given one)."""
    return {
        group.code: join_link(
            base, join_code(group) if group.join_hash else refresh_join_code(group)
        )
        for group in workshop.groups
    }


def posters(workshop: Workshop, base: str, languages: tuple[str, ...]) -> list[Poster]:
    """One join poster per group, with instructions in each of the instrument's languages."""
    links = join_links(workshop, base)
    instructions = [
        (lang, "rtl" if lang in RTL else "ltr", POSTER_INSTRUCTIONS[lang])
        for lang in languages
        if lang in POSTER_INSTRUCTIONS
    ]
    return [
        Poster(
            group=group,
            link=links[group.code],
            qr=qr_svg(links[group.code], f"QR code of the join link for {group.label}"),
            instructions=instructions,
        )
        for group in workshop.groups
    ]
