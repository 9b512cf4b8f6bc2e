"""Text as people type it and as their spreadsheets save it, read the same way wherever it
is typed."""

import csv
import io
import re
import unicodedata
from collections.abc import Iterator

#: Letters of the Arabic script, in which Urdu is written (its blocks and presentation forms).
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


_SPACES = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")

#: The characters that embed, override or isolate a direction until a matching one ends it.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def quantity(count: int, one: str, many: str | None = None) -> str:
    """A count with its noun, singular or plural: "1 participant", "3 participants" (`many`
    where the plural is not the singular plus "s": "3 addresses", "2 participants who have")."""
    if count == 1:
        return f"1 {one}"
    return f"{count} {many or one + 's'}"


def duration(seconds: float) -> str:
    """A time span as the console writes it: "under 1 min", "12 min", "3 h 05 min", "4 days"."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return "under 1 min"
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    return quantity(round(minutes / (24 * 60)), "day")


def one_line(text: str) -> str:
    """The text on one line: every run of spaces, line breaks and control characters becomes
    one space (a label within one line of a syntax file's command, an e-mail's subject, a
    title typed in a one-line field)."""
    return _SPACES.sub(" ", text).strip()


def stripped(text: str | None) -> str | None:
    """Text without the spaces around it (a form field's filter: no text stays none)."""
    return text.strip() if text else text


def without_direction_controls(text: str) -> str:
    """The text without the characters that set a direction for what follows (U+202A–U+202E,
    U+2066–U+2069): a name or title put into a sentence that has no markup to isolate it (an
    e-mail's subject, its plain text) cannot turn the rest of the line around."""
    return _DIRECTION_CONTROLS.sub("", text)


def western_digits(text: str) -> str:
    """Map the decimal digits of any script (Urdu ۰–۹, Arabic-Indic ٠–٩, ...) to 0–9."""
    return "".join(
        str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch
        for ch in text
    )


def in_arabic_script(text: str) -> bool:
    """Whether the text has letters of the Arabic script (Urdu's)."""
    return _ARABIC_SCRIPT.search(text) is not None


def csv_delimiter(text: str) -> str:
    """Comma, or the semicolon (Excel in French and other locales) or tab the header uses."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=lambda d: (header.count(d), d == ","))


#: What to tell whoever saved a file in another encoding (Excel's plain "CSV" is Windows-1252,
#: its "Unicode text" UTF-16).
NOT_UTF8 = (
    "the file is not UTF-8 text. In Excel use “Save as… CSV UTF-8”; "
    "in LibreOffice choose the character set “Unicode (UTF-8)”."
)


class NotUtf8(ValueError):
    """A file that is not UTF-8 text; `line` holds its first byte that is not."""

    def __init__(self, line: int) -> None:
        super().__init__(NOT_UTF8)
        self.line = line


def utf8_text(data: bytes) -> str:
    """An uploaded file's text (a byte-order mark dropped), or NotUtf8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotUtf8(data[: error.start].count(b"\n") + 1) from None


class MalformedCsv(ValueError):
    """A CSV file that cannot be read past a record: a quote left open, or a quoted cell that
    goes on after its closing quote. `line` is where that record starts."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line


def csv_records(text: str, delimiter: str = ",") -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, cells) of every record, blank ones too, read strictly: quoted
    line breaks make a record span lines; MalformedCsv for a record that cannot be read."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    end = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise MalformedCsv(end + 1, _csv_problem(error)) from None
        start, end = end + 1, reader.line_num
        yield start, end, row


def _csv_problem(error: csv.Error) -> str:
    """What a strict CSV reader's complaint means to the person who saved the file."""
    message = str(error)
    if message == "unexpected end of data":
        return 'a quoted cell is never closed (a " opens it and no " ends it)'
    if message.endswith("expected after '\"'"):
        return (
            'a quoted cell goes on after its closing quote (a " inside a quoted cell is '
            'written twice: "")'
        )
    return message
