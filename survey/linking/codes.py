"""The self-generated linking code (docs/linking.md): four answers that do not change, kept
only as keyed hashes, and the rules that pair a second-wave code with a first-wave one.

Pure: answers and hashes in, hashes and pairs out; survey.linking.report reads the database.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from survey.text import western_digits

if TYPE_CHECKING:
    from survey.models import Workshop

#: The four prompts, in the order they are asked; the column of each is `link_<part>`.
PARTS = ("mother", "day", "town", "siblings")
LETTER_PARTS = frozenset({"mother", "town"})
#: Left out of letters: marks written over or under a letter that NFKC does not compose with
#: it (Urdu's zabar, zer and pesh, which one may write one time and not the next) and invisible
#: formatting characters (a right-to-left mark, a zero-width non-joiner). A letter answer with
#: one among its first two characters was refused before, so no code accepted earlier changes.
UNWRITTEN = frozenset({"Mn", "Me", "Cf"})


class LinkingCodeError(ValueError):
    """An answer to a linking-code prompt that cannot be used; `part` names the prompt."""

    def __init__(self, part: str, message: str) -> None:
        super().__init__(message)
        self.part = part


def normalise(part: str, answer: str) -> str:
    """The canonical form of one answer: NFKC, case-folded, without spaces, then per prompt.

    Letters keep their first two letters (someone who types the whole name still matches),
    without the marks and invisible characters of UNWRITTEN;
    the day of birth is two digits ("7" and "07" are the same day); digits may be typed in any
    script (Western, Urdu ۰–۹, Arabic-Indic ٠–٩).
    """
    text = "".join(unicodedata.normalize("NFKC", answer or "").casefold().split())
    if part in LETTER_PARTS:
        text = "".join(ch for ch in text if unicodedata.category(ch) not in UNWRITTEN)
        if not text or not all(ch.isalpha() for ch in text[:2]):
            raise LinkingCodeError(part, "letters")
        return text[:2]
    digits = western_digits(text)
    number = int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 2 else None
    if part == "day":
        if number is None or not 1 <= number <= 31:
            raise LinkingCodeError(part, "day")
        return f"{number:02d}"
    if part == "siblings":
        if number is None or not 0 <= number <= 9:
            raise LinkingCodeError(part, "siblings")
        return str(number)
    raise KeyError(part)


def part_hash(key: str, part: str, normalised: str) -> str:
    # The prompt's name is part of the message, so equal answers to two prompts ("01" as a day
    # and as a sibling count) never give equal hashes.
    message = f"{part}\x1f{normalised}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def linking_hashes(workshop: Workshop, answers: Mapping[str, str]) -> dict[str, str]:
    """The keyed hash of each part, by column name (`link_mother`, ...); raises LinkingCodeError."""
    return {
        f"link_{part}": part_hash(
            workshop.linking_key, part, normalise(part, answers.get(part, ""))
        )
        for part in PARTS
    }


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Candidate:
    """A participant who answered one of the two waves only, with their linking code."""

    participant_id: int
    group_id: int
    code: tuple[str, str, str, str] | None  # the four hashes, None when incomplete


def match_codes(
    first: Iterable[Candidate], second: Iterable[Candidate]
) -> tuple[list[tuple[int, int]], set[int], set[int]]:
    """Pair first- and second-wave candidates by linking code (docs/linking.md, "Matching").

    Returns the pairs and the ids left ambiguous on each side. Exact matches (all four parts)
    come first, then pairs that agree on exactly three parts, accepted only when one-to-one;
    any tie is ambiguous and left unmatched, including ties at the exact stage, which do not
    take part in the three-part stage (their exact partner would otherwise be passed over).
    """
    pairs: list[tuple[int, int]] = []
    ambiguous_first: set[int] = set()
    ambiguous_second: set[int] = set()
    by_group: dict[int, tuple[list[Candidate], list[Candidate]]] = defaultdict(lambda: ([], []))
    for candidate in first:
        if candidate.code is not None:
            by_group[candidate.group_id][0].append(candidate)
    for candidate in second:
        if candidate.code is not None:
            by_group[candidate.group_id][1].append(candidate)

    for group_first, group_second in by_group.values():
        exact: dict[tuple, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        for candidate in group_first:
            exact[candidate.code][0].append(candidate.participant_id)
        for candidate in group_second:
            exact[candidate.code][1].append(candidate.participant_id)
        settled: set[int] = set()
        for firsts, seconds in exact.values():
            if not firsts or not seconds:
                continue
            if len(firsts) == 1 and len(seconds) == 1:
                pairs.append((firsts[0], seconds[0]))
            else:
                ambiguous_first.update(firsts)
                ambiguous_second.update(seconds)
            settled.update(firsts, seconds)

        rest_first = [c for c in group_first if c.participant_id not in settled]
        rest_second = [c for c in group_second if c.participant_id not in settled]
        near_first: dict[int, set[int]] = defaultdict(set)
        near_second: dict[int, set[int]] = defaultdict(set)
        for a in rest_first:
            for b in rest_second:
                if sum(x == y for x, y in zip(a.code, b.code, strict=True)) == 3:
                    near_first[a.participant_id].add(b.participant_id)
                    near_second[b.participant_id].add(a.participant_id)
        for a_id, partners in near_first.items():
            if len(partners) == 1:
                (b_id,) = partners
                if near_second[b_id] == {a_id}:
                    pairs.append((a_id, b_id))
                    continue
            ambiguous_first.add(a_id)
            ambiguous_second.update(partners)
        for b_id, partners in near_second.items():
            if len(partners) > 1:
                ambiguous_second.add(b_id)
                ambiguous_first.update(partners)
    return pairs, ambiguous_first, ambiguous_second
