"""Filters are checked against the workshop's instrument."""

import pytest

from survey.dashboard.filters import FilterError, Filters, filter_choices, parse_filters
from survey.dashboard.reads.setting import workshop_setting


def test_filters_are_checked_against_the_instrument(make):
    ws = make.workshop()
    instrument = workshop_setting(ws).instrument
    choices = filter_choices(instrument)
    assert ("media", "Media") in choices["sector"]
    assert [code for code, _ in choices["experience"]] == ["none", "lt2", "2to4", "5to9", "10plus"]
    assert [code for code, _ in choices["language"]] == ["en", "ur", "fr"]
    assert parse_filters({"sector": "media", "language": ""}, instrument) == Filters(sector="media")
    assert not parse_filters({}, instrument)
    for bad in ({"sector": "spies"}, {"experience": "lots"}, {"language": "de"}):
        with pytest.raises(FilterError):
            parse_filters(bad, instrument)
