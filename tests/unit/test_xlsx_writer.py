"""The xlsx export's own part of the writing (golive.export.xlsx_export over XlsxWriter): text made safe,
each kind of value in its kind of cell, a table sheet's layout and marks, and the working files.

Every workbook written here is read back by two independent readers: Python's XML parser on each
part of the zip (well-formed), and openpyxl (what a cell holds and shows). The whole export, run by
run, is tested in tests/functional/test_export.py.
"""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from xlsxwriter import Workbook

from golive.export import xlsx_export
from golive.export.model import gather
from golive.export.xlsx_export import AMBER, CELL_LIMIT, DATE, FREE, MAX_ROWS, NUMBER, RED, TEXT, text
from golive.problems import GoliveError
from golive.progress.events import Actor, Kind
from golive.runbook.load import parse_runbook
from golive.store import runs
from golive.store.cutover import Cutover
from golive.store.db import close_all, open_engine

from ..conftest import VALID, in_window, passed

ANA = Actor("Ana Ruiz", "AR", "net")


def parts_of(path: Path) -> dict[str, ElementTree.Element]:
    """Every part of the package, parsed: a part that is not well-formed XML fails here."""
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        return {name: ElementTree.fromstring(z.read(name)) for name in z.namelist() if name.endswith(".xml")}


def book_at(path: Path) -> Workbook:
    return Workbook(str(path), {"constant_memory": True})


def test_text_is_made_legal() -> None:
    assert text("plain text, é, 日本, tab\there\nline\r") == "plain text, é, 日本, tab\there\nline\r"
    # XML 1.0 cannot carry these at all: each becomes U+FFFD
    assert (
        text("bell\x07 nul\x00 esc\x1b[0m \ud800 \ufffe\uffff")
        == "bell\ufffd nul\ufffd esc\ufffd[0m \ufffd \ufffd\ufffd"
    )


def test_text_is_cut_to_what_excel_holds_in_utf16() -> None:
    assert text("x" * CELL_LIMIT) == "x" * CELL_LIMIT  # exactly the limit: kept whole
    long = text("x" * 70_000)
    assert len(long) <= CELL_LIMIT and long.endswith("more characters: see the jsonl export]")
    assert f"[... {70_000 - long.index(' [...')} more characters" in long
    # each emoji is two UTF-16 units: 20,000 of them are 40,000 units, above the limit though 20,000 characters
    faces = text("\U0001f600" * 20_000)
    units = len(faces.encode("utf-16-le")) // 2
    assert units <= CELL_LIMIT and faces.endswith("see the jsonl export]")
    kept = faces.index(" [...")
    assert faces[:kept] == "\U0001f600" * kept  # never half a surrogate pair
    assert f"[... {20_000 - kept} more characters" in faces


def test_each_value_in_its_kind_of_cell(tmp_path: Path) -> None:
    path = tmp_path / "v.xlsx"
    book = book_at(path)
    formats = xlsx_export._Formats(book)
    rows = xlsx_export._Rows(book.add_worksheet("Data"))
    date = formats.cell(None, DATE)
    red = formats.cell(RED, TEXT)
    rows.write(["text", 42, 2.5, True, datetime(2026, 12, 5, 22, 10, 30), Kind.SIGNED_OFF, "", None, float("nan")],
               [None, None, None, None, date, None, None, None, None])  # fmt: skip
    # text that a spreadsheet would run as a formula stays text, as typed
    guarded = ["=SUM(A1:A9)", "+1", "-2", "@cmd", "<r>x & y</r>", " a & b <c> 'd' "]
    rows.write(guarded, [None] * len(guarded))
    rows.write([1, "", None, "x"], [red] * 4, blanks=True)  # a filled row: its empty cells carry the fill
    assert rows.write([1, "", None, "x"], [red] * 4) == 4  # without `blanks` an empty cell is not written
    book.close()

    parts_of(path)
    ws = load_workbook(path)["Data"]
    first = [c.value for c in ws[1]]
    assert first[:6] == ["text", 42, 2.5, True, datetime(2026, 12, 5, 22, 10, 30), "signed_off"]
    assert ws["E1"].is_date and ws["E1"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert ws.max_column == 6  # "", None and NaN: no cell at all
    assert [c.value for c in ws[2]] == guarded
    assert all(c.data_type == "s" for c in ws[2])  # text cells: never a formula
    third = ws[3][:4]
    assert [c.value for c in third] == [1, None, None, "x"]
    assert all(c.fill.fgColor.rgb == "FFF4C7C3" for c in third)
    fourth = ws[4][:4]
    assert fourth[0].fill.fgColor.rgb == "FFF4C7C3" and fourth[1].fill.fill_type is None
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert sheet.count('<c r="B4"') == 0 and sheet.count('<c r="B3"') == 1
    assert "<f>" not in sheet  # no formula anywhere


def test_a_table_sheet_is_frozen_filtered_sized_printable_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    book = book_at(path)
    formats = xlsx_export._Formats(book)
    columns = [("Seq", 7, NUMBER), ("Time", 19, DATE), ("Flag", 12, TEXT), ("Details", 60, FREE)]
    table = xlsx_export._Table(book, formats, "Sign-offs", columns, 3, "UNVERIFIED EXPORT: not verified")
    table.row([1, datetime(2026, 12, 5, 22, 0), "", "started"])
    table.row([2, datetime(2026, 12, 5, 22, 5), "CHECK FAIL", "down"], RED)
    table.row([3, datetime(2026, 12, 5, 22, 9), "OVERRIDE", ""], AMBER)
    empty = xlsx_export._Table(book, formats, "Empty", columns[:2], 0, "")
    assert empty.rows.next == 1
    book.close()

    parts_of(path)
    wb = load_workbook(path)
    ws = wb["Sign-offs"]
    banner = ws["A1"]
    assert banner.value == "UNVERIFIED EXPORT: not verified"
    assert banner.font.b and banner.font.sz == 12 and banner.font.color.rgb == "FFFFFFFF"
    assert banner.fill.fgColor.rgb == "FFC00000"
    assert [c.value for c in ws[2]] == ["Seq", "Time", "Flag", "Details"]
    assert all(c.font.b and c.fill.fgColor.rgb == "FFD9E1EA" and c.alignment.wrap_text for c in ws[2])
    assert ws["B2"].alignment.vertical == "top"
    assert ws.freeze_panes == "A3"  # the banner and the header stay in view
    assert ws.auto_filter.ref == "A2:D5"
    assert ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # widths stored as Excel stores them: the characters' pixels plus padding, back in characters
    assert ws.column_dimensions["A"].width == 7.7109375 and ws.column_dimensions["D"].width == 60.7109375
    plain, failed, overridden = ws[3], ws[4], ws[5]
    assert plain[1].is_date and plain[1].value == datetime(2026, 12, 5, 22, 0)
    assert all(c.fill.fill_type is None for c in plain) and plain[2].value is None
    assert failed[2].value == "CHECK FAIL" and all(c.fill.fgColor.rgb == "FFF4C7C3" for c in failed)
    assert failed[1].is_date and failed[1].number_format == "yyyy-mm-dd hh:mm:ss"  # a date keeps its format filled
    assert overridden[2].value == "OVERRIDE" and all(c.fill.fgColor.rgb == "FFFCE8B2" for c in overridden)
    header_only = wb["Empty"]
    assert header_only.freeze_panes == "A2" and header_only.auto_filter.ref == "A1:B2" and header_only.max_row == 1
    assert wb.active.title == "Sign-offs"  # the first sheet is the one that opens


def test_more_rows_than_a_sheet_holds_is_one_line(tmp_path: Path) -> None:
    book = book_at(tmp_path / "big.xlsx")
    formats = xlsx_export._Formats(book)
    with pytest.raises(GoliveError, match=r"Journal: 1,048,576 rows do not fit in a sheet"):
        xlsx_export._Table(book, formats, "Journal", [("Seq", 7, NUMBER)], MAX_ROWS, "")
    rows = xlsx_export._Rows(book.add_worksheet("Rows"))
    rows.next = MAX_ROWS
    with pytest.raises(GoliveError, match=r"Rows: more than 1,048,576 rows; use the csv or jsonl export"):
        rows.write([1], [None])
    book.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "s.db"
    runs.load(open_engine(path), parse_runbook(VALID, "rb.yaml"), rehearsal=False, actor=ANA, machine="t")
    c = Cutover.open(path)
    c.clock = in_window
    c.start("uplink", ANA)
    c.record_check("uplink", ANA, passed("uplink"))
    c.note(ANA, '=HYPERLINK("http://example.invalid") typed as a note')
    c.sign_off("uplink", ANA, "ok")
    close_all()
    return path


def test_the_working_files_go_whatever_happens(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    data = gather(db, None, now=datetime(2026, 12, 6, 14, 0, tzinfo=UTC))
    out = tmp_path / "ok.xlsx"
    xlsx_export.write(data, out)
    assert list(scratch.iterdir()) == []
    wb = load_workbook(out)
    assert wb.sheetnames == ["Summary", "Tasks", "Checks", "Sign-offs", "Journal"]
    note = next(r for r in wb["Journal"].iter_rows(min_row=2) if r[2].value == "note")
    assert note[6].value == '=HYPERLINK("http://example.invalid") typed as a note' and note[6].data_type == "s"

    def broken(*_: object) -> None:
        raise RuntimeError("the journal sheet fails")

    monkeypatch.setattr(xlsx_export, "_journal", broken)
    with pytest.raises(RuntimeError, match="the journal sheet fails"):
        xlsx_export.write(data, tmp_path / "failed.xlsx")
    assert list(scratch.iterdir()) == []  # four sheets' rows were on disk: gone
    assert not (tmp_path / "failed.xlsx").exists()


def test_a_file_that_cannot_be_written_is_an_os_error(db: Path, tmp_path: Path) -> None:
    """XlsxWriter's own wrapper is unwrapped: the exporter turns an OSError into its one line."""
    data = gather(db, None)
    with pytest.raises(FileNotFoundError):
        xlsx_export.write(data, tmp_path / "no such directory" / "x.xlsx")
