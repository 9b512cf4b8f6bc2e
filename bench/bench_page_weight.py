"""Page weight: what each participant page and each dashboard page makes a browser download
(HTML + CSS + JS; fonts listed apart): uncompressed, and as the app sends it to a browser that
takes brotli (the pages as Flask-Compress compresses them, the assets as served) or only gzip,
against the participant pages' budget of 12 KB as sent (fonts excluded). With JavaScript a
participant's first page also fetches the wave's other steps once (steps.json), listed apart.

    python bench/bench_page_weight.py

Participant pages come from whole questionnaires in English and in Urdu (consent to thank-you)
on a fresh database in bench/out/, plus the pages outside the flow; dashboard pages from the
1k data set of bench_exports.py. Requests go through Flask's test client; assets are fetched
the way a browser would from each page's <link rel=stylesheet> and <script src>.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/bench_page_weight.py`
    sys.path.insert(0, str(ROOT))

from bench.browser import JSON_REQUEST, ClientBrowser  # noqa: E402
from bench.data import DATA_SLUG, dataset, enrol, staff_client  # noqa: E402
from bench.questionnaire import complete_questionnaire  # noqa: E402
from bench.server import TEST_INVITATION_KEY, TEST_SECRET_KEY  # noqa: E402
from bench.tables import table  # noqa: E402

BUDGET_KB = 12
BR_LEVEL = 4  # Flask-Compress's brotli level for pages (COMPRESS_BR_LEVEL)
OUT = ROOT / "bench" / "out"
STYLESHEET = re.compile(
    r"<link\b[^>]*rel=\"stylesheet\"[^>]*href=\"([^\"]+)\"|"
    r"<link\b[^>]*href=\"([^\"]+)\"[^>]*rel=\"stylesheet\""
)
SCRIPT = re.compile(r"<script\b[^>]*src=\"([^\"]+)\"")
FONT = re.compile(r"url\(['\"]?([^'\")]+\.woff2?)['\"]?\)")


class Weigher:
    """Sizes of pages and of the assets they load (each asset fetched once per encoding)."""

    def __init__(self, client) -> None:
        self.client = client
        self.assets: dict[tuple[str, str], bytes] = {}

    def asset(self, url: str, encoding: str = "identity") -> bytes:
        """The asset's bytes as the app sends them to a browser that takes `encoding`."""
        if (url, encoding) not in self.assets:
            response = self.client.get(url, headers={"Accept-Encoding": encoding})
            self.assets[url, encoding] = response.get_data() if response.status_code == 200 else b""
        return self.assets[url, encoding]

    def row(self, name: str, html: str, budget: bool) -> list:
        body = html.encode()
        urls = [a or b for a, b in STYLESHEET.findall(html)] + SCRIPT.findall(html)
        css = [self.asset(a or b) for a, b in STYLESHEET.findall(html)]
        js = [self.asset(src) for src in SCRIPT.findall(html)]
        fonts = {url for sheet in css for url in FONT.findall(sheet.decode(errors="replace"))}
        font_bytes = sum(len(self.asset(url)) for url in fonts)
        total = len(body) + sum(map(len, css)) + sum(map(len, js))
        as_br = len(brotli.compress(body, quality=BR_LEVEL))
        as_br += sum(len(self.asset(url, "br")) for url in urls)
        as_gzip = len(gzip.compress(body, 6)) + sum(len(self.asset(url, "gzip")) for url in urls)
        verdict = ("ok" if as_br <= BUDGET_KB * 1024 else "OVER") if budget else ""
        return [
            name,
            len(body) / 1024,
            sum(map(len, css)) / 1024,
            sum(map(len, js)) / 1024,
            total / 1024,
            as_br / 1024,
            as_gzip / 1024,
            font_bytes / 1024,
            verdict,
        ]


def participant_rows() -> list[list]:
    from survey import create_app
    from survey.extensions import db
    from survey.models import Participant
    from survey.organise.workshops import create_workshop, open_wave
    from survey.tokens import refresh_join_code

    path = OUT / "weight.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    app = create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
        SECRET_KEY=TEST_SECRET_KEY,
        INVITATION_KEY=TEST_INVITATION_KEY,
    )
    with app.app_context():
        db.create_all()
        workshop = create_workshop("weight", "Page weight", instrument_key="nato-pakistan-2014")
        open_wave(workshop.wave("pre"))
        join = refresh_join_code(workshop.group("pakistan"))
        db.session.commit()
        english, urdu = enrol(workshop, 2)
        db.session.get(Participant, 2).language = "ur"  # from the roster: pages in Urdu
        db.session.commit()
    rows = []
    for language, token in (("en", english), ("ur", urdu)):
        browser = ClientBrowser(app.test_client())
        outcome = complete_questionnaire(browser, token, random.Random(1))
        assert outcome.acknowledged, "the questionnaire did not reach the thank-you page"
        weigher = Weigher(browser.client)
        seen = set()
        for method, page in browser.pages:
            if method == "GET" and page.path not in seen:
                seen.add(page.path)
                rows.append(weigher.row(f"{language} {page.path}", page.body, budget=True))
        rows.append(steps_row(app, workshop_token(app, language), language))
    client = app.test_client()
    weigher = Weigher(client)
    for name, url in (
        ("invalid link", "/s/not-a-token"),
        ("join link", f"/join/{join}"),
        ("privacy notice", "/privacy"),
    ):
        rows.append(weigher.row(name, client.get(url).get_data(as_text=True), budget=True))
    return rows


def workshop_token(app, language: str) -> str:
    """A new participant of the page-weight workshop, reading `language`."""
    from survey.extensions import db
    from survey.models import Participant, Workshop

    with app.app_context():
        workshop = db.session.query(Workshop).filter_by(slug="weight").one()
        [token] = enrol(workshop, 1)
        db.session.query(Participant).order_by(Participant.id.desc()).first().language = language
        db.session.commit()
    return token


def steps_row(app, token: str, language: str) -> list:
    """What the script fetches once per page load with JavaScript: the wave's other steps."""
    client = app.test_client()
    assert client.get(f"/s/{token}", follow_redirects=True).status_code == 200
    plain = client.get("/q/pre/steps.json", headers=JSON_REQUEST).get_data()
    sent = {}
    for encoding in ("br", "gzip"):
        response = client.get(
            "/q/pre/steps.json", headers={**JSON_REQUEST, "Accept-Encoding": encoding}
        )
        sent[encoding] = len(response.get_data())
    kb = len(plain) / 1024
    return [
        f"{language} steps.json (script)",
        kb,
        0.0,
        0.0,
        kb,
        sent["br"] / 1024,
        sent["gzip"] / 1024,
        0.0,
        "ok" if sent["br"] <= BUDGET_KB * 1024 else "OVER",
    ]


def dashboard_rows() -> list[list]:
    from survey import create_app

    app = create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{dataset(1000)}",
        SECRET_KEY=TEST_SECRET_KEY,
        LOG_LEVEL="ERROR",
    )
    client = staff_client(app)
    weigher = Weigher(client)
    rows = []
    base = f"/workshops/{DATA_SLUG}/dashboard"
    for page in ("", "/trust", "/perception", "/priorities", "/obstacles", "/text", "/report.html"):
        response = client.get(base + page)
        if response.status_code != 200:
            raise RuntimeError(f"{base}{page}: {response.status_code}")
        rows.append(
            weigher.row(
                f"dashboard{page or ' overview'}", response.get_data(as_text=True), budget=False
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    participant = participant_rows()
    rows = participant + dashboard_rows()
    print(
        table(
            [
                "page",
                "HTML KB",
                "CSS KB",
                "JS KB",
                "total KB",
                "as sent, br KB",
                "gzip only KB",
                "fonts KB (if used)",
                "br ≤ 12 KB",
            ],
            rows,
        )
    )
    return 1 if any(row[-1] == "OVER" for row in participant) else 0


if __name__ == "__main__":
    sys.exit(main())
