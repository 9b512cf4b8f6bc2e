"""Roster check: parse and check a CSV file and plan what importing it would change.

Nothing is written unless the whole file is valid: `parse_roster` only reads, and
survey.organise.roster_import.apply_roster refuses a plan with problems. The web upload and
`survey roster import` share both steps, so the dry run shows exactly what the import will do.
"""

import re
import unicodedata
from dataclasses import replace

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey.extensions import db
from survey.mail.addresses import address_problem
from survey.models import (
    Group,
    Participant,
    Response,
    Workshop,
)
from survey.organise.roster_plan import (
    COLUMNS,
    HEADER_SPELLINGS,
    MAX_LENGTHS,
    RosterLine,
    RosterPlan,
    RosterProblem,
    RowAction,
)
from survey.text import (
    MalformedCsv,
    NotUtf8,
    csv_delimiter,
    csv_records,
    one_line,
    quantity,
    utf8_text,
)


def parse_roster(workshop: Workshop, data: bytes) -> RosterPlan:
    """Read and check a roster file and plan the import; writes nothing."""
    plan = RosterPlan()
    limit = current_app.config["ROSTER_MAX_BYTES"]
    if len(data) > limit:
        plan.problems.append(
            RosterProblem(1, f"the file is larger than {limit // 1024} KB; split it into parts")
        )
        return plan
    try:
        text = utf8_text(data)
    except NotUtf8 as error:
        plan.problems.append(RosterProblem(error.line, str(error)))
        return plan
    _Planner(workshop, plan).run(text)
    return plan


def _clean(value: str) -> str | None:
    value = unicodedata.normalize("NFC", value).strip()
    return value or None


def _key(value: str | None) -> str | None:
    return value.casefold() if value else None


class _Planner:
    """Reads the rows, checks each against the workshop and matches it to a participant."""

    def __init__(self, workshop: Workshop, plan: RosterPlan) -> None:
        self.workshop = workshop
        self.plan = plan
        instrument = workshop.instrument
        self.languages = {code.casefold(): code for code in instrument.languages}
        self.groups: dict[str, Group] = {}
        for group in workshop.groups:
            self.groups[group.code.casefold()] = group
            self.groups[group.label.strip().casefold()] = group
        self.sectors: dict[str, str] | None = None
        sector = next((q for q in instrument.questions if q.code == "sector"), None)
        if sector is not None and sector.options:
            self.sectors = {}
            for option in sector.options:
                self.sectors[str(option.code).casefold()] = str(option.code)
                for label in option.labels.values():
                    self.sectors.setdefault(label.strip().casefold(), str(option.code))
        self._load_participants()
        self.claimed: dict[int, int] = {}  # participant id -> line that matched it
        self.external_ids: dict[str, int] = {}  # external_id -> the first line that gives it
        self.new_email: dict[str, tuple[int, bool]] = {}  # address -> line, has external_id
        self.new_name: dict[tuple[str, str], int] = {}

    def _load_participants(self) -> None:
        participants = db.session.scalars(
            select(Participant)
            .options(selectinload(Participant.contact))
            .where(Participant.workshop_id == self.workshop.id)
        ).all()
        answered = select(Response.participant_id).join(Participant)
        answered = set(
            db.session.scalars(answered.where(Participant.workshop_id == self.workshop.id))
        )
        self.answered = answered
        self.by_external: dict[str, Participant] = {}
        self.by_email: dict[str, list[Participant]] = {}
        self.by_name: dict[tuple[str, int], list[Participant]] = {}
        for p in participants:
            if p.external_id:
                self.by_external[p.external_id] = p
            if p.contact and p.contact.email:
                self.by_email.setdefault(p.contact.email.casefold(), []).append(p)
            if p.contact and p.contact.name:
                self.by_name.setdefault((p.contact.name.casefold(), p.group_id), []).append(p)

    def problem(self, line: int, message: str) -> None:
        self.plan.problems.append(RosterProblem(line, message))

    def note(self, line: int, message: str) -> None:
        self.plan.notes.append(RosterProblem(line, message))

    def run(self, text: str) -> None:
        header: list[str] | None = None
        end = 0  # the physical line where the last record read ended
        try:
            for start, end, row in csv_records(text, csv_delimiter(text)):
                if not any(cell.strip() for cell in row):
                    continue
                if header is None:
                    header = self.header(row, start)
                    if header is None:
                        return
                    continue
                self.row(header, row, start, end)
        except MalformedCsv as error:
            self.problem(error.line, f"the CSV cannot be read: {error}")
        if header is None:
            self.problem(1, "the file is empty; the first line must name the columns")
        elif not self.plan.lines and not self.plan.problems:
            self.problem(end or 1, "the file has a header but no participants")
        if not self.plan.problems:
            self.flag_shared_addresses()

    def header(self, row: list[str], line: int) -> list[str] | None:
        names = [re.sub(r"[\s-]+", "_", cell.strip().casefold()) for cell in row]
        names = [HEADER_SPELLINGS.get(name, name) for name in names]
        ok = True
        for name in dict.fromkeys(names):  # each name once: a repeated column is one problem
            if name and name not in COLUMNS:
                columns = ", ".join(COLUMNS)
                cell = row[names.index(name)].strip()  # as typed: "E-mail", not "e_mail"
                self.problem(line, f"unknown column “{cell}” (the columns are {columns})")
                ok = False
            elif name and names.count(name) > 1:
                self.problem(line, f"the column “{name}” appears twice")
                ok = False
        if "group" not in names:
            self.problem(line, "the column “group” is required")
            ok = False
        return names if ok else None

    def row(self, header: list[str], row: list[str], line: int, end: int) -> None:
        extra = [cell for cell in row[len(header) :] if cell.strip()]
        if extra:
            given, named = quantity(len(row), "value"), quantity(len(header), "column")
            self.problem(line, f"{given}, but the header names {named}")
            return
        values = {
            name: _clean(row[i]) if i < len(row) else None for i, name in enumerate(header) if name
        }
        where = f" (the record continues to line {end})" if end > line else ""
        errors = []
        for name, value in values.items():
            if value and "\x00" in value:  # PostgreSQL cannot store it
                errors.append(f"the {name} contains a NUL character")
        if values.get("name"):
            # A name is one line (a spreadsheet cell may hold a line break typed by mistake): it
            # heads cards and greets e-mails.
            values["name"] = one_line(values["name"])
        for name, limit in MAX_LENGTHS.items():
            if values.get(name) and len(values[name]) > limit:
                errors.append(f"the {name} is longer than {limit} characters")
        group = None
        if not values.get("group"):
            errors.append("the group is missing")
        else:
            group = self.groups.get(values["group"].casefold())
            if group is None:
                known = ", ".join(f"{g.code} ({g.label})" for g in self.workshop.groups)
                errors.append(f"unknown group “{values['group']}” (the groups are {known})")
        email = values.get("email")
        if email and (why := address_problem(email)):
            errors.append(f"“{email}” is not an e-mail address: {why}")
        sector = values.get("sector")
        if sector and self.sectors is not None:
            sector = self.sectors.get(sector.casefold())
            if sector is None:
                known = ", ".join(dict.fromkeys(self.sectors.values()))
                errors.append(f"unknown sector “{values['sector']}” (the sectors are {known})")
        language = values.get("language")
        if language:
            language = self.languages.get(language.casefold())
            if language is None:
                known = ", ".join(self.languages.values())
                errors.append(f"unknown language “{values['language']}” (use one of {known})")
        # Checked on every line, so that a repeated id is reported with the line's other problems.
        if (external_id := values.get("external_id")) is not None:
            if external_id in self.external_ids:
                errors.append(f"the same external_id as line {self.external_ids[external_id]}")
            else:
                self.external_ids[external_id] = line
        if errors:
            for message in errors:
                self.problem(line, message + where)
            return
        assert group is not None
        self.match(
            RosterLine(
                line=line,
                action=RowAction.ADDED,
                group=group.code,
                external_id=values.get("external_id"),
                name=values.get("name"),
                email=email,
                sector=sector,
                language=language,
            ),
            group,
        )

    def match(self, row: RosterLine, group: Group) -> None:
        """Find the row's participant: by external_id, else e-mail, else name and group."""
        line = row.line
        candidate, matched_by = None, None
        if row.external_id and row.external_id in self.by_external:
            candidate, matched_by = self.by_external[row.external_id], "external_id"
        elif row.email and _key(row.email) in self.by_email:
            found = self.by_email[_key(row.email)]
            if len(found) > 1:
                ids = ", ".join(p.public_id for p in found)
                self.problem(line, f"the e-mail {row.email} is shared by participants {ids}")
                return
            candidate, matched_by = found[0], "email"
        elif row.name and (_key(row.name), group.id) in self.by_name:
            found = self.by_name[(_key(row.name), group.id)]
            if len(found) > 1:
                self.problem(
                    line,
                    f"{len(found)} participants in {group.label} are called {row.name}; "
                    "add an external_id or e-mail to tell them apart",
                )
                return
            candidate, matched_by = found[0], "name and group"
        if candidate is None:
            self.add(row)
            return
        if candidate.external_id and row.external_id and candidate.external_id != row.external_id:
            self.problem(
                line,
                f"the {matched_by} matches participant {candidate.public_id}, whose external_id "
                f"is {candidate.external_id}, not {row.external_id}",
            )
            return
        if candidate.id in self.claimed:
            self.problem(
                line,
                f"matches the same participant ({candidate.public_id}) as line "
                f"{self.claimed[candidate.id]}",
            )
            return
        self.claimed[candidate.id] = line
        self.update(row, candidate, matched_by, group)

    def add(self, row: RosterLine) -> None:
        line = row.line
        email = _key(row.email)
        if email is not None:
            if email in self.new_email:
                earlier, earlier_has_id = self.new_email[email]
                # Two people may share an address (flag_shared_addresses says so), but a later
                # import tells them apart only by external_id.
                if not (earlier_has_id and row.external_id):
                    self.problem(
                        line,
                        f"the same e-mail as line {earlier}; participants who share an address "
                        "need an external_id each",
                    )
                    return
            else:
                self.new_email[email] = (line, row.external_id is not None)
        if not (row.external_id or row.email or row.name):
            self.note(
                line,
                "no external_id, e-mail or name, so the row cannot be matched to anyone: it is "
                "added as a new participant, and again at every import",
            )
        elif row.name and not (row.external_id or row.email):
            key = (_key(row.name), row.group)
            if key in self.new_name:
                self.note(
                    line,
                    f"the same name and group as line {self.new_name[key]}: added as a second "
                    "participant; add an external_id or e-mail so that a later import can tell "
                    "them apart",
                )
            self.new_name.setdefault(key, line)
        self.plan.lines.append(row)

    def flag_shared_addresses(self) -> None:
        """A note on each row whose e-mail address another participant will have too: their
        invitations and reminders all go to that one mailbox."""
        holders: dict[str, list[str]] = {}
        lines: dict[str, list[RosterLine]] = {}
        for row in self.plan.lines:
            if row.email and row.action is not RowAction.SKIPPED:
                holders.setdefault(_key(row.email), []).append(f"line {row.line}")
                lines.setdefault(_key(row.email), []).append(row)
        for people in self.by_email.values():
            for p in people:
                if p.id not in self.claimed and not p.withdrawn:
                    holders.setdefault(_key(p.contact.email), []).append(p.public_id)
        for email, rows in lines.items():
            for row in rows:
                others = [h for h in holders[email] if h != f"line {row.line}"]
                if others:
                    self.note(
                        row.line,
                        f"{row.email} is also the address of {', '.join(others)}: their "
                        "messages will all go to that one mailbox",
                    )
        self.plan.notes.sort(key=lambda note: note.line)

    def update(self, row: RosterLine, p: Participant, matched_by: str, group: Group) -> None:
        common = {"participant_id": p.id, "public_id": p.public_id, "matched_by": matched_by}
        if p.withdrawn:
            self.note(row.line, f"participant {p.public_id} has withdrawn: the row is not imported")
            self.plan.lines.append(replace(row, action=RowAction.SKIPPED, **common))
            return
        contact = p.contact
        changes = []
        if row.external_id and p.external_id != row.external_id:
            changes.append("external_id")
        if row.name and (contact is None or contact.name != row.name):
            changes.append("name")
        if row.email and (contact is None or _key(contact.email) != _key(row.email)):
            changes.append("email")
        if group.id != p.group_id:
            if p.id in self.answered:
                self.problem(
                    row.line,
                    f"participant {p.public_id} has already answered as {p.group.label}; "
                    "the group cannot change",
                )
                return
            changes.append("group")
        if row.sector and row.sector != p.sector:
            changes.append("sector")
        if row.language and row.language != p.language:
            changes.append("language")
        action = RowAction.UPDATED if changes else RowAction.UNCHANGED
        self.plan.lines.append(replace(row, action=action, changes=tuple(changes), **common))
