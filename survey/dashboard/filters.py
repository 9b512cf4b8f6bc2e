"""The dashboards' filters: one sector, experience band and/or response language, checked
against the workshop's instrument."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from survey.analysis.records import FILTER_KEYS
from survey.i18n import language_name
from survey.instruments import Instrument

# The profile question behind the `experience` filter (docs/instrument-format.md, "The shipped
# instrument `nato-pakistan-2014`"); `sector` is stored on the participant and `language` on
# the response.
EXPERIENCE = "experience"
#: The filters' names in the console: the filter form's labels, and the report's filter line.
FILTER_LABELS = {
    "sector": "Sector",
    "experience": "Years of experience with the other side",
    "language": "Language of the answers",
}


class FilterError(ValueError):
    """A filter value the workshop's instrument does not know."""


@dataclass(frozen=True)
class Filters:
    """Restrict the statistics to one sector, experience band and/or response language."""

    sector: str | None = None
    experience: str | None = None
    language: str | None = None

    def applied(self) -> dict[str, str]:
        """The filters in use, as the analysis and the query string take them."""
        return {key: value for key in FILTER_KEYS if (value := getattr(self, key))}

    def __bool__(self) -> bool:
        return bool(self.applied())


def filter_choices(instrument: Instrument) -> dict[str, list[tuple[str, str]]]:
    """The allowed values of each filter with their labels."""
    language = instrument.default_language

    def options(code: str) -> list[tuple[str, str]]:
        try:
            question = instrument.question(code)
        except KeyError:
            return []
        return [(str(o.code), o.label(language)) for o in question.options]

    return {
        "sector": options("sector"),
        "experience": options(EXPERIENCE),
        "language": [(code, language_name(code)) for code in instrument.languages],
    }


def described_filters(filters: Filters, instrument: Instrument) -> list[tuple[str, str]]:
    """The filters in use as (the filter's name, the label of its value), in the filters'
    order, for a line that says what a page or a file is filtered by."""
    choices = filter_choices(instrument)
    return [
        (FILTER_LABELS[key], dict(choices[key]).get(value, value))
        for key, value in filters.applied().items()
    ]


def parse_filters(args: Mapping[str, str], instrument: Instrument) -> Filters:
    """Filters from query arguments; an empty value means no filter, an unknown one is an error,
    and so is an unknown argument (a misspelt filter must not return unfiltered numbers)."""
    unknown = sorted(set(args) - set(FILTER_KEYS))
    if unknown:
        raise FilterError(f"unknown filter {unknown[0]!r}; expected: {', '.join(FILTER_KEYS)}")
    choices = filter_choices(instrument)
    chosen: dict[str, str] = {}
    for key in FILTER_KEYS:
        value = (args.get(key) or "").strip()
        if not value:
            continue
        allowed = [code for code, _ in choices[key]]
        if value not in allowed:
            raise FilterError(f"unknown {key} {value!r}; expected one of: {', '.join(allowed)}")
        chosen[key] = value
    return Filters(**chosen)
