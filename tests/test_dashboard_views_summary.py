from survey.analysis.results import Matching
from survey.dashboard.filters import Filters
from survey.dashboard.formatting import suppressed_note
from survey.dashboard.loading import load_dataset
from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.results import compute_results
from survey.dashboard.views.summary import summary_lines
from tests.dashboard_helpers import populate


def test_an_empty_workshop_reads_without_numbers(make):
    ws = make.workshop(open_waves=("pre", "post"))
    setting = workshop_setting(ws)
    lines = list(
        summary_lines(
            setting, compute_results(setting, load_dataset(setting), Filters(), Matching())
        )
    )
    assert "  NATO · Before the workshop: – (n = 0)" in lines
    assert "  change, NATO: – (n = 0 pairs)" in lines
    assert lines[-2:] == ["Findings", "  - (none)"]


def test_numbers_match_the_statistics(make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 8, seed=4, post_share=1.0)
    setting = workshop_setting(ws)
    data = load_dataset(setting)
    lines = list(summary_lines(setting, compute_results(setting, data, Filters(), Matching())))
    cell = compute_results(setting, data, Filters(), Matching()).stats.scores["warmth"].cells[0]
    expected = f"{cell.mean:.2f} [{cell.ci_low:.2f}, {cell.ci_high:.2f}] (n = {cell.n})"
    warmth = lines.index("Warmth (warmth): mean [95 % CI] (n)")
    assert lines[warmth + 1] == f"  NATO · Before the workshop: {expected}"
    # Experience cycles over two values: 4 of 8, under min_cell.
    filtered = compute_results(setting, data, Filters(experience="lt2"), Matching())
    lines = list(summary_lines(setting, filtered))
    assert lines[1] == "Minimum cell size 5; filters: experience = lt2"
    assert "  NATO · Before the workshop: suppressed (n < 5) (n = 4)" in lines


def test_the_note_of_a_withheld_number_says_why():
    assert suppressed_note(5) == "suppressed (n < 5)"
    assert suppressed_note(5, 4) == "suppressed (n < 5)"
    assert suppressed_note(5, 5) == "suppressed (would reveal n < 5)"
