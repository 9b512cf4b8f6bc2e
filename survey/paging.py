"""Long lists of the console shown a page at a time (the QR cards, the participants): which
page an address asks for, and where each page starts and ends among all of them."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

_T = TypeVar("_T")


def page_number(text: str | None) -> int | None:
    """The 1-based page an address asks for, the first when it names none; None for anything
    but a number from 1 (whether the list fills that page is for `Page.exists` to say)."""
    if not text:
        return 1
    # isdigit() alone takes "²" and other digits that int() refuses; six digits are plenty.
    if not (text.isascii() and text.isdigit() and len(text) <= 6):
        return None
    return int(text) or None


@dataclass(frozen=True)
class Page(Generic[_T]):
    number: int  # 1-based
    total: int  # the items on all pages
    size: int  # the most items a page holds
    items: Sequence[_T] = ()  # this page's: read once `exists` has said the page is there

    @property
    def pages(self) -> int:
        """At least 1: with nothing to show the page still shows, and says why."""
        return max(1, -(-self.total // self.size))

    @property
    def exists(self) -> bool:
        """Whether the list reaches this page."""
        return 1 <= self.number <= self.pages

    @property
    def offset(self) -> int:
        """The items on the pages before this one."""
        return (self.number - 1) * self.size

    @property
    def first(self) -> int:
        """The position of the page's first item among all of them, 1-based."""
        return self.offset + 1

    @property
    def last(self) -> int:
        """The position of the page's last item."""
        return self.offset + len(self.items)

    def span(self, number: int) -> tuple[int, int]:
        """The positions of page `number`'s first and last items."""
        return (number - 1) * self.size + 1, min(number * self.size, self.total)

    def nearby(self, reach: int = 2) -> list[int | None]:
        """The pages to link to: every one when they are few, else the first, the last and
        those within `reach` of this one, with None where pages are left out."""
        if self.pages <= 2 * reach + 5:  # leaving pages out would hardly shorten the list
            return list(range(1, self.pages + 1))
        shown = {1, self.pages, *range(self.number - reach, self.number + reach + 1)}
        numbers: list[int | None] = []
        for n in sorted(n for n in shown if 1 <= n <= self.pages):
            if numbers and n - numbers[-1] == 2:  # one page left out: link it, not "…"
                numbers.append(n - 1)
            elif numbers and n - numbers[-1] > 2:
                numbers.append(None)
            numbers.append(n)
        return numbers
