"""Interface strings of the participant pages exist in Urdu and French, and the compiled
catalogues (committed .mo files) say what the .po sources say."""

import gettext
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "survey" / "translations"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}


def participant_strings() -> set[str]:
    """Every string the participant pages translate: their templates, base.html (which they
    extend) and the respond package."""
    sources = [("jinja2", path) for path in (ROOT / "templates" / "respond").glob("*.html")]
    sources.append(("jinja2", ROOT / "templates" / "base.html"))
    sources += [("python", path) for path in (ROOT / "survey" / "respond").glob("*.py")]
    strings = set()
    for method, path in sources:
        for _line, message, _comments, _context in extract_from_file(
            method, str(path), keywords=KEYWORDS
        ):
            strings.add(message if isinstance(message, str) else message[0])
    return strings


@pytest.mark.parametrize("language", ["ur", "fr"])
def test_every_participant_string_is_translated(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    missing = sorted(
        s for s in participant_strings() if not (catalog.get(s) and catalog.get(s).string)
    )
    assert missing == []


@pytest.mark.parametrize("language", ["ur", "fr"])
def test_the_compiled_catalogue_matches_its_source(language):
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as f:
        catalog = read_po(f)
    with (folder / "messages.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for message in catalog:
        if message.id and message.string:
            assert compiled.gettext(message.id) == message.string, message.id


def test_placeholders_survive_translation():
    for language in ("ur", "fr"):
        with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
            for message in read_po(f):
                if message.id and message.string:
                    for name in (
                        "%(wave)s",
                        "%(when)s",
                        "%(count)d",
                        "{count}",
                        "{item}",
                        "{limit}",
                    ):
                        assert (name in message.id) == (name in message.string), (
                            language,
                            message.id,
                        )
