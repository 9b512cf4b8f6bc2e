"""What importing a roster would do: each valid row with its action and matched participant,
the problems that stop the import and the notes that do not (survey.organise.roster makes the
plan, survey.organise.roster_import carries it out)."""

import enum
import hashlib
import json
from dataclasses import asdict, dataclass, field

COLUMNS = ("external_id", "name", "email", "group", "sector", "language")
# Other spellings of a column's header, as read (lower case, spaces and hyphens as "_"): the
# console itself writes "E-mail".
HEADER_SPELLINGS = {"e_mail": "email", "email_address": "email", "e_mail_address": "email"}
MAX_LENGTHS = {"external_id": 100, "name": 200, "email": 254, "sector": 50}


class RowAction(enum.StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"  # the row matches a participant who has withdrawn


@dataclass(frozen=True)
class RosterProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class RosterLine:
    """One valid row of the file and what importing it would do."""

    line: int
    action: RowAction
    group: str  # the group's code
    external_id: str | None = None
    name: str | None = None
    email: str | None = None
    sector: str | None = None
    language: str | None = None
    participant_id: int | None = None  # the matched participant
    public_id: str | None = None
    matched_by: str | None = None  # "external_id", "email" or "name and group"
    changes: tuple[str, ...] = ()


@dataclass
class RosterPlan:
    """The dry-run result: the rows with their actions, the problems and the notes."""

    lines: list[RosterLine] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)
    notes: list[RosterProblem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def count(self, action: RowAction) -> int:
        return sum(1 for line in self.lines if line.action is action)

    def counts(self) -> dict[str, int]:
        return {action.value: self.count(action) for action in RowAction}

    @property
    def listed(self) -> list[RosterLine]:
        """The lines the check lists, those that would do something or are skipped: a roster
        imported again holds mostly unchanged lines, which only the count mentions."""
        return [line for line in self.lines if line.action is not RowAction.UNCHANGED]

    @property
    def fingerprint(self) -> str:
        """A digest of what the import would do, to check that a confirmation still applies."""
        rows = [asdict(line) for line in self.lines]
        return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


class RosterError(ValueError):
    """The roster cannot be imported; `problems` says where and why."""

    def __init__(self, problems: list[RosterProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
