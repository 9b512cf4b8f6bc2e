"""The shape of the code that reviews rely on, checked so that it stays: modules of one concept
(none much over 400 lines), question kinds as the one seam (no branch on a kind outside the
instruments package), and contracts cited from the project's own docs/."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "survey"
MAX_LINES = 420  # "about 400"


def _modules():
    return sorted(path for path in PACKAGE.rglob("*.py") if "translations" not in path.parts)


def test_no_module_is_much_over_400_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in _modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_nothing_outside_the_instruments_package_branches_on_a_question_kind():
    branch = re.compile(r"QuestionKind\.[A-Z]|kinds?\.(code|name) *(==|!=|in\b)")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _modules()
        if "instruments" not in path.relative_to(PACKAGE).parts[:1]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if branch.search(line)
    ]
    assert found == []


def test_the_code_cites_only_documents_of_the_project():
    sources = [*_modules(), *(ROOT / "templates").rglob("*.html"), ROOT / "README.md"]
    cited, foreign = set(), []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        cited.update(re.findall(r"docs/[a-z0-9_-]+\.md", text))
        if re.search(r"DESIGN(\.md| ?§)", text):
            foreign.append(str(path.relative_to(ROOT)))
    assert foreign == []
    assert cited and all((ROOT / name).is_file() for name in cited), sorted(cited)
