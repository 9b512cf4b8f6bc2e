"""Paging of the console's long lists: the page an address asks for, and the pages linked."""

import pytest

from survey.paging import Page, page_number


@pytest.mark.parametrize(
    ("text", "number"),
    [(None, 1), ("", 1), ("1", 1), ("15", 15), ("007", 7), ("999999", 999999)],
)
def test_a_page_number_is_plain_digits_and_the_first_page_by_default(text, number):
    assert page_number(text) == number


@pytest.mark.parametrize(
    "text", ["0", "000", "-1", "two", "1.5", " 2", "\uff12", "\u00b2", "9" * 7]
)
def test_anything_else_is_no_page_number(text):
    assert page_number(text) is None


def test_a_page_knows_where_it_stands():
    page = Page(number=2, total=450, size=200, items=list(range(200)))
    assert (page.pages, page.offset, page.first, page.last) == (3, 200, 201, 400)
    assert page.span(3) == (401, 450)
    assert Page(number=3, total=450, size=200, items=list(range(50))).last == 450
    assert [Page(number=n, total=450, size=200).exists for n in (0, 1, 3, 4)] == [
        False,
        True,
        True,
        False,
    ]
    # An empty list still has its one page, which says there is nothing on it.
    assert Page(number=1, total=0, size=200).exists and Page(number=1, total=0, size=200).pages == 1


def test_few_pages_are_all_linked_and_many_only_near_this_one():
    assert Page(number=5, total=9, size=1).nearby() == list(range(1, 10))
    pages = {n: Page(number=n, total=50, size=1).nearby() for n in (1, 4, 25, 50)}
    assert pages[1] == [1, 2, 3, None, 50]
    assert pages[4] == [1, 2, 3, 4, 5, 6, None, 50]  # page 2 linked rather than "…"
    assert pages[25] == [1, None, 23, 24, 25, 26, 27, None, 50]
    assert pages[50] == [1, None, 48, 49, 50]
