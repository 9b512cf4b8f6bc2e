"""Results ready when a server starts: kept in the database, read by a new process without
computing, shown marked as updating after a new submission while a thread recomputes them, one
process at a time (docs/operations.md, "Statistics kept in the database"); and
`survey stats refresh`. On SQLite and PostgreSQL."""

import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from survey.dashboard.keeping import decode, take_lease
from survey.dashboard.refresh import refreshes
from survey.extensions import db
from survey.models import StatsResult
from tests.conftest import sign_in
from tests.dashboard_helpers import populate

UPDATING = "the statistics are being updated"
CACHE = "dashboard_cache"  # app.extensions key of the per-process cache
FULL_READ = "ORDER BY response.id"  # survey.dashboard.reads.responses.load_raw


@pytest.fixture
def ws(make, client):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 7, seed=5, post_share=1.0)
    sign_in(client, make.user(grants={ws: "organiser"}))
    return ws


def overview(client, ws, query=""):
    response = client.get(f"/workshops/{ws.slug}/dashboard{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def funnel_count(html, group="NATO"):
    return int(re.search(rf'<th scope="row">{group}</th><td class="num">(\d+)</td>', html)[1])


def findings(html):
    return html.split('id="findings-title"')[1].split("</section>")[0]


def kept_row(ws, key=""):
    db.session.rollback()
    return db.session.scalar(
        select(StatsResult).where(StatsResult.workshop_id == ws.id, StatsResult.filter_key == key)
    )


def test_a_first_render_computes_and_keeps_every_page_for_every_process(
    app, client, ws, count_statements
):
    app.config["STATS_DRAW_AHEAD"] = True
    first = overview(client, ws)
    row = kept_row(ws)
    assert row.signature and row.payload and row.computed_at and row.lease_holder is None
    figures = decode(row.payload).figures
    assert {"trust-cells-trust", "perception-gap", "priorities-ranks", "item-optimism"} <= set(
        figures
    )
    # A freshly started process: nothing in memory, everything read from the database.
    for page in ("", "/trust", "/perception", "/priorities", "/obstacles"):
        app.extensions.pop(CACHE, None)
        db.session.remove()
        with count_statements() as seen:
            html = overview(client, ws, page)
        assert not any(FULL_READ in s for s in seen.statements), page
        assert UPDATING not in html
    app.extensions.pop(CACHE, None)
    assert findings(overview(client, ws)) == findings(first)
    assert refreshes(app).started == 1  # only the first render left work behind


def test_a_new_submission_shows_kept_results_marked_then_the_new_ones(
    app, client, make, ws, count_statements
):
    before = overview(client, ws)
    assert UPDATING not in before
    computed_at = kept_row(ws).computed_at
    populate(ws, {"nato": 3}, seed=6, prefix="N", post_share=1.0)
    started = refreshes(app).started
    with count_statements() as seen:
        updating = overview(client, ws)
    # The page itself reads no responses: kept results, marked, while a thread recomputes.
    assert not any(FULL_READ in s or "answer.response_id" in s for s in seen.statements)
    assert UPDATING in updating and "before the newest responses" in updating
    # When, on the workshop's clock (the factory's workshop is in Asia/Karachi, UTC+5).
    local = computed_at.astimezone(ZoneInfo("Asia/Karachi")).strftime("%Y-%m-%d %H:%M PKT")
    assert f'computed\n<span class="when">{local}</span>, before' in updating
    assert findings(updating) == findings(before)
    assert funnel_count(updating) == 10  # counts are read live, never kept
    assert refreshes(app).started == started + 1
    after = overview(client, ws)
    assert UPDATING not in after
    assert findings(after) != findings(before)  # NATO's three newcomers changed the numbers
    assert kept_row(ws).computed_at > computed_at


def test_another_process_holding_the_lease_keeps_this_one_from_recomputing(app, client, ws):
    overview(client, ws)
    kept = kept_row(ws)
    signature = kept.signature
    populate(ws, {"pakistan": 2}, seed=7, prefix="P")
    db.session.rollback()
    assert take_lease(ws.id, "", "another-host")
    assert UPDATING in overview(client, ws)
    assert UPDATING in overview(client, ws)  # still the kept ones: the other host computes
    row = kept_row(ws)
    assert (row.signature, row.lease_holder) == (signature, "another-host")


def test_filters_are_kept_apart(client, ws):
    overview(client, ws, "?sector=media")
    overview(client, ws)
    keys = {r.filter_key for r in db.session.scalars(select(StatsResult))}
    assert keys == {"", "sector=media"}


def test_refresh_command_recomputes_what_moved(app, client, runner, ws):
    result = runner.invoke(args=["stats", "refresh", ws.slug])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"{ws.slug}: computed in \d+ ms\n", result.output)
    overview(client, ws, "?language=ur")  # a filter someone looked at is kept too
    db.session.rollback()
    again = runner.invoke(args=["stats", "refresh"]).output
    assert f"{ws.slug}: current\n" in again and f"{ws.slug}?language=ur: current\n" in again
    populate(ws, {"nato": 2}, seed=8, prefix="R")
    db.session.rollback()
    moved = runner.invoke(args=["stats", "refresh", ws.slug]).output
    assert re.search(rf"^{ws.slug}: computed in \d+ ms$", moved, re.M)
    assert re.search(rf"^{ws.slug}\?language=ur: computed in \d+ ms$", moved, re.M)
    # A new process reads them as current: no recomputation, nothing marked.
    app.extensions.pop(CACHE, None)
    assert UPDATING not in overview(client, ws)
    forced = runner.invoke(args=["stats", "refresh", ws.slug, "--force"]).output
    assert f"{ws.slug}: computed in " in forced
    db.session.rollback()
    assert take_lease(ws.id, "", "another-host")
    busy = runner.invoke(args=["stats", "refresh", ws.slug, "--force"]).output
    assert f"{ws.slug}: another process is computing it\n" in busy
    missing = runner.invoke(args=["stats", "refresh", "nowhere"])
    assert missing.exit_code == 1 and "no workshop 'nowhere'" in missing.output


def test_show_is_still_the_default_command(runner, ws):
    shown = runner.invoke(args=["stats", ws.slug, "--json"])
    named = runner.invoke(args=["stats", "show", ws.slug, "--json"])
    assert shown.exit_code == named.exit_code == 0
    assert shown.output == named.output
