"""The self-generated linking code: the codes themselves (pure) and the match report (read from
the database)."""

from survey.linking.codes import (
    PARTS,
    Candidate,
    LinkingCodeError,
    linking_hashes,
    match_codes,
    normalise,
    part_hash,
)
from survey.linking.report import MatchReport, match_report

__all__ = [
    "PARTS",
    "Candidate",
    "LinkingCodeError",
    "MatchReport",
    "linking_hashes",
    "match_codes",
    "match_report",
    "normalise",
    "part_hash",
]
