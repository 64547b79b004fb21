"""golive's own xlsx writer (golive.export.xlsx) alone: cell references, text made safe, values, layout.

Every workbook written here is read back by two independent readers: Python's XML parser on each
part of the zip (well-formed, in the spreadsheet's namespaces), and openpyxl (what a cell holds and
shows). No time is asserted: the writer's speed is measured in bench/bench_export.py.
"""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from golive.export.xlsx import Style, Workbook
from golive.export.xlsx.cells import column_letter, escape_attribute, escape_text, excel_serial, text_element
from golive.export.xlsx.parts import column_width

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REQUIRED = {
    "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml", "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml",
}  # fmt: skip


def parts_of(path: Path) -> dict[str, ElementTree.Element]:
    """Every part of the package, parsed: a part that is not well-formed XML fails here."""
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        return {name: ElementTree.fromstring(z.read(name)) for name in z.namelist()}


@pytest.mark.parametrize(
    ("column", "letters"),
    [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"), (702, "ZZ"), (703, "AAA"), (16_384, "XFD")],
)
def test_column_letters(column: int, letters: str) -> None:
    assert column_letter(column) == letters


@pytest.mark.parametrize("column", [0, -1, 16_385])
def test_a_column_outside_excel_is_refused(column: int) -> None:
    with pytest.raises(ValueError, match=r"outside 1\.\.16384"):
        column_letter(column)


def test_text_is_escaped_and_made_legal() -> None:
    assert escape_text("plain text, é, 日本") == "plain text, é, 日本"
    assert escape_text("a & b <c> \"d\" 'e'") == "a &amp; b &lt;c&gt; \"d\" 'e'"
    assert escape_attribute('say "hi" & <go>') == "say &quot;hi&quot; &amp; &lt;go&gt;"
    # XML 1.0 cannot carry these at all: each becomes U+FFFD; tab, newline and CR stay
    assert (
        escape_text("bell\x07 nul\x00 esc\x1b[0m \ud800 \ufffe\uffff")
        == "bell\ufffd nul\ufffd esc\ufffd[0m \ufffd \ufffd\ufffd"
    )
    assert escape_text("tab\there\nline\r") == "tab\there\nline\r"
    # Excel decodes _xHHHH_ as a character: a literal one is escaped, so it shows as typed
    assert escape_text("id _x0041_ and _xyz_") == "id _x005F_x0041_ and _xyz_"
    assert text_element("x") == "<t>x</t>"
    assert text_element(" padded") == '<t xml:space="preserve"> padded</t>'
    assert text_element("line\n") == '<t xml:space="preserve">line\n</t>'
    assert text_element("in the middle kept") == "<t>in the middle kept</t>"


def test_dates_are_excel_serial_days() -> None:
    assert excel_serial(datetime(1899, 12, 31)) == 1.0
    assert excel_serial(datetime(1900, 3, 1)) == 61.0  # Excel's serial past its phantom 1900-02-29
    assert excel_serial(datetime(2026, 12, 5, 18, 0)) == 46361.75
    assert excel_serial(datetime(2026, 12, 5, 18, 0, tzinfo=UTC)) == 46361.75  # the wall clock as given


def test_column_widths_are_stored_as_excel_does() -> None:
    assert column_width(26) == 26.7109375
    assert column_width(8.43) == 9.140625  # Excel's default column
    assert column_width(0) == 0.0


def test_values_read_back_as_written(tmp_path: Path) -> None:
    book = Workbook(title="T & <t>", creator="golive", created=datetime(2026, 12, 6, 14, 0, tzinfo=UTC))
    when = book.style(Style(number_format="yyyy-mm-dd hh:mm:ss"))
    sheet = book.add_sheet("Data")
    tricky = " a & b <c> \"d\" 'e'\nsecond line\x07 "
    sheet.row(["text", 42, 2.5, -0.125, True, False, datetime(2026, 12, 5, 22, 10, 30), date(2026, 12, 6)],
              [0, 0, 0, 0, 0, 0, when, when])  # fmt: skip
    sheet.row([tricky, "=SUM(A1:A9)", "", None, float("nan"), "_x0041_", "text", 10**15])
    sheet.row([])  # an empty row
    path = tmp_path / "v.xlsx"
    book.save(path)

    parts = parts_of(path)
    assert REQUIRED | {"xl/worksheets/sheet1.xml"} == set(parts)
    ws = load_workbook(path)["Data"]
    first = [c.value for c in ws[1]]
    assert first[:6] == ["text", 42, 2.5, -0.125, True, False]
    assert first[6] == datetime(2026, 12, 5, 22, 10, 30) and ws["G1"].is_date
    assert first[7] == datetime(2026, 12, 6)
    assert ws["A2"].value == " a & b <c> \"d\" 'e'\nsecond line\ufffd "
    assert ws["B2"].value == "=SUM(A1:A9)" and ws["B2"].data_type == "s"  # a text, never a formula
    assert ws["C2"].value is None and ws["D2"].value is None and ws["E2"].value is None  # '' None NaN: no cell
    assert ws["F2"].value == "_x0041_"
    assert ws["H2"].value == 10**15
    # "text" is stored once and shared by both cells
    strings = [si.findtext(f"{MAIN}t") for si in parts["xl/sharedStrings.xml"]]
    assert strings.count("text") == 1
    cells = parts["xl/worksheets/sheet1.xml"].iter(f"{MAIN}c")
    assert sum(1 for _ in cells) == 8 + 5  # row 2: no cell for "", None and NaN
    wb = load_workbook(path)
    assert wb.properties.title == "T & <t>" and wb.properties.creator == "golive"
    assert wb.properties.created == datetime(2026, 12, 6, 14, 0)


def test_layout_styles_and_print_setup(tmp_path: Path) -> None:
    book = Workbook()
    header = book.style(Style(bold=True, fill="D9E1EA", wrap=True, top=True))
    banner = book.style(Style(bold=True, color="FFFFFF", size=12, fill="C00000"))
    red = book.style(Style(fill="F4C7C3"))
    assert book.style(Style(fill="F4C7C3")) == red  # one style, shared
    plain = book.add_sheet("Plain")
    plain.row(["just text"])
    sheet = book.add_sheet("Sign-offs")  # a name a formula must quote
    sheet.set_width(0, 7)
    sheet.set_width(2, 40)
    sheet.row(["UNVERIFIED EXPORT"], [banner])
    sheet.freeze(sheet.row(["Seq", "Who", "Comment"], [header] * 3))
    sheet.autofilter(2, 4, 3)
    sheet.repeat_rows(2)
    sheet.print_landscape_fit_width()
    sheet.row([1, "AR", ""], [red] * 3, blanks=True)  # a filled row: its empty cell is written, with the fill
    sheet.row([2, "", "ok"], [red] * 3)
    path = tmp_path / "l.xlsx"
    book.save(path)

    parts_of(path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Plain", "Sign-offs"]
    ws = wb["Sign-offs"]
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:C4"
    assert ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["A"].width == 7.7109375 and ws.column_dimensions["C"].width == 40.7109375
    title = ws["A1"]
    assert title.font.b and title.font.sz == 12 and title.font.color.rgb == "FFFFFFFF"
    assert title.fill.fgColor.rgb == "FFC00000"
    assert all(c.font.b and c.fill.fgColor.rgb == "FFD9E1EA" and c.alignment.wrap_text for c in ws[2])
    assert ws["B2"].alignment.vertical == "top"
    assert ws["C3"].value is None and ws["C3"].fill.fgColor.rgb == "FFF4C7C3"  # the blank carries the fill
    assert ws["B4"].fill.fill_type is None  # without `blanks`, an empty cell is not written at all
    assert ws["A4"].fill.fgColor.rgb == "FFF4C7C3"
    assert wb["Plain"].freeze_panes is None and wb["Plain"].auto_filter.ref is None
    assert wb["Plain"].sheet_view.tabSelected and not ws.sheet_view.tabSelected


def test_an_empty_sheet_and_a_header_only_sheet(tmp_path: Path) -> None:
    book = Workbook()
    book.add_sheet("Empty")
    header_only = book.add_sheet("Header")
    header_only.freeze(header_only.row(["Seq", "Time"]))
    header_only.autofilter(1, 1 + max(0, 1), 2)
    path = tmp_path / "e.xlsx"
    book.save(path)

    parts = parts_of(path)
    assert parts["xl/worksheets/sheet1.xml"].find(f"{MAIN}sheetData") is not None
    assert parts["xl/sharedStrings.xml"].get("uniqueCount") == "2"
    wb = load_workbook(path)
    assert wb["Empty"].max_row == 1 and wb["Empty"]["A1"].value is None
    ws = wb["Header"]
    assert [c.value for c in ws[1]] == ["Seq", "Time"] and ws.max_row == 1
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:B2"


def test_the_same_workbook_is_the_same_bytes(tmp_path: Path) -> None:
    def make(path: Path) -> bytes:
        book = Workbook(title="t", creator="golive", created=datetime(2026, 12, 6, 14, 0, tzinfo=UTC))
        book.add_sheet("S").row(["a", 1, datetime(2026, 1, 1)])
        book.save(path)
        return path.read_bytes()

    assert make(tmp_path / "1.xlsx") == make(tmp_path / "2.xlsx")


def test_what_excel_cannot_hold_is_refused(tmp_path: Path) -> None:
    book = Workbook()
    with pytest.raises(ValueError, match="a workbook needs at least one sheet"):
        book.save(tmp_path / "none.xlsx")
    for bad in ("", "x" * 32, "a/b", "what?", "[x]", "'quoted'"):
        with pytest.raises(ValueError, match="cannot name a sheet"):
            book.add_sheet(bad)
    book.add_sheet("Journal")
    with pytest.raises(ValueError, match="two sheets named 'journal'"):
        book.add_sheet("journal")
    with pytest.raises(ValueError, match="more than 16,384 columns"):
        book.sheets[0].row([1] * 16_385)
