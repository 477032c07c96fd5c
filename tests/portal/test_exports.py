import pytest

from portal.foundation.exports import from_spreadsheet_safe, spreadsheet_safe


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://evil")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=1"],
)
def test_cells_starting_like_a_formula_are_shown_as_text(cell):
    assert spreadsheet_safe(cell) == f"'{cell}"


@pytest.mark.parametrize("cell", ["Almaty", "-12", "+77011234567", "3.5", 42, None, "", "a=b"])
def test_other_cells_are_left_alone(cell):
    assert spreadsheet_safe(cell) == cell


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("http://evil")', "-2+3", "@SUM(A1)", "\t=1", "Almaty", "-12", "'quoted", "", None, 42]
)
def test_an_import_reads_back_what_the_export_wrote(cell):
    assert from_spreadsheet_safe(spreadsheet_safe(cell)) == cell
