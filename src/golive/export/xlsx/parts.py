"""The parts of an xlsx package around its sheets' rows: what workbook.Workbook.save zips.

Why a file of its own: these are fixed ECMA-376 (transitional) templates filled once per workbook,
apart from the per-cell hot path in workbook.py. The parts, every one of them required for Excel,
LibreOffice and openpyxl to open the file: `[Content_Types].xml`, `_rels/.rels`, `docProps/core.xml`
and `docProps/app.xml` (title, creator, created time), `xl/workbook.xml` (sheets, and the defined
names for filters and print titles), `xl/_rels/workbook.xml.rels`, `xl/styles.xml` (fonts, fills with
the two that must come first, none and gray125, one empty border, number formats, the cell formats),
`xl/sharedStrings.xml` and `xl/worksheets/sheetN.xml`. Elements are in the schema's order (Excel
refuses a file whose elements are out of order).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from typing import TYPE_CHECKING

from golive.export.xlsx.cells import column_letter, escape_attribute, escape_text

if TYPE_CHECKING:
    from golive.export.xlsx.workbook import Sheet, Style, Workbook

HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument."
FIRST_CUSTOM_FORMAT = 164  # ids below are Excel's built-in number formats
_DIGIT_PIXELS = 7  # the width of a digit in Calibri 11, Excel's unit for column widths


def package(book: Workbook) -> Iterator[tuple[str, str]]:
    """(name, text) of every part of the package, in a conventional order."""
    sheets = book.sheets
    names = [f"xl/worksheets/sheet{i}.xml" for i in range(1, len(sheets) + 1)]
    overrides = [
        ("/xl/workbook.xml", CT + "spreadsheetml.sheet.main+xml"),
        *((f"/{n}", CT + "spreadsheetml.worksheet+xml") for n in names),
        ("/xl/styles.xml", CT + "spreadsheetml.styles+xml"),
        ("/xl/sharedStrings.xml", CT + "spreadsheetml.sharedStrings+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", CT + "extended-properties+xml"),
    ]
    yield (
        "[Content_Types].xml",
        (
            f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
            + "</Types>"
        ),
    )
    yield "_rels/.rels", _relationships([
        (f"{DOC_REL}/officeDocument", "xl/workbook.xml"),
        (f"{PKG_REL}/metadata/core-properties", "docProps/core.xml"),
        (f"{DOC_REL}/extended-properties", "docProps/app.xml"),
    ])  # fmt: skip
    created = ""
    if book.created is not None:
        when = book.created.astimezone(UTC) if book.created.tzinfo else book.created
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        created = (f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
                   f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>')  # fmt: skip
    yield (
        "docProps/core.xml",
        (
            f"{HEAD}<cp:coreProperties"
            ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape_text(book.title)}</dc:title><dc:creator>{escape_text(book.creator)}</dc:creator>"
            f"<cp:lastModifiedBy>{escape_text(book.creator)}</cp:lastModifiedBy>{created}</cp:coreProperties>"
        ),
    )
    yield (
        "docProps/app.xml",
        (
            f'{HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{escape_text(book.creator or 'golive')}</Application></Properties>"
        ),
    )
    yield "xl/workbook.xml", _workbook(book)
    yield "xl/_rels/workbook.xml.rels", _relationships([
        *((f"{DOC_REL}/worksheet", n.removeprefix("xl/")) for n in names),
        (f"{DOC_REL}/styles", "styles.xml"),
        (f"{DOC_REL}/sharedStrings", "sharedStrings.xml"),
    ])  # fmt: skip
    yield "xl/styles.xml", _styles(book.styles)
    count = len(book.string_xml)
    yield (
        "xl/sharedStrings.xml",
        (f'{HEAD}<sst xmlns="{MAIN}" uniqueCount="{count}">' + "".join(book.string_xml) + "</sst>"),
    )
    for name, sheet in zip(names, sheets, strict=True):
        yield name, sheet.xml()


def _relationships(targets: list[tuple[str, str]]) -> str:
    return (
        f'{HEAD}<Relationships xmlns="{PKG_REL}">'
        + "".join(f'<Relationship Id="rId{i}" Type="{t}" Target="{p}"/>' for i, (t, p) in enumerate(targets, 1))
        + "</Relationships>"
    )


def quoted(sheet_name: str) -> str:
    """A sheet's name as a formula refers to it: `'Sign-offs'` (always quoted; a quote doubled)."""
    return "'" + sheet_name.replace("'", "''") + "'"


def _workbook(book: Workbook) -> str:
    sheets = "".join(
        f'<sheet name="{escape_attribute(s.name)}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(book.sheets, 1)
    )
    defined = []
    for index, s in enumerate(book.sheets):
        if s.filter is not None:
            header, last, columns = s.filter
            ref = f"{quoted(s.name)}!$A${header}:${column_letter(columns)}${last}"
            defined.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
                           f"{escape_text(ref)}</definedName>")  # fmt: skip
        if s.title_rows is not None:
            first, last = s.title_rows
            ref = f"{quoted(s.name)}!${first}:${last}"
            defined.append(
                f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">{escape_text(ref)}</definedName>'
            )
    names = f"<definedNames>{''.join(defined)}</definedNames>" if defined else ""
    return (
        f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{DOC_REL}"><workbookPr/>'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>{names}</workbook>'
    )


def _styles(styles: list[Style]) -> str:
    fonts: dict[tuple[bool, float, str], int] = {}
    fills: dict[str, int] = {}
    formats: dict[str, int] = {}
    xfs = []
    for st in styles:
        font = fonts.setdefault((st.bold, st.size, st.color), len(fonts))
        fill = fills.setdefault(st.fill, len(fills) + 2) if st.fill else 0  # 0 and 1: none and gray125
        number = formats.setdefault(st.number_format, len(formats) + FIRST_CUSTOM_FORMAT) if st.number_format else 0
        applied = (
            (' applyNumberFormat="1"' if number else "") + (' applyFont="1"' if font else "")
            + (' applyFill="1"' if fill else "") + (' applyAlignment="1"' if st.wrap or st.top else "")
        )  # fmt: skip
        align = (
            "<alignment" + (' vertical="top"' if st.top else "") + (' wrapText="1"' if st.wrap else "") + "/>"
            if st.wrap or st.top
            else ""
        )
        xf = f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"{applied}'
        xfs.append(f"{xf}>{align}</xf>" if align else f"{xf}/>")
    font_xml = "".join(
        "<font>" + ("<b/>" if bold else "") + f'<sz val="{size:g}"/>'
        + (f'<color rgb="FF{color.upper()}"/>' if color else "") + '<name val="Calibri"/><family val="2"/></font>'
        for (bold, size, color) in fonts
    )  # fmt: skip
    fill_xml = (
        '<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
        + "".join(
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{c.upper()}"/><bgColor indexed="64"/>'
            "</patternFill></fill>"
            for c in fills
        )
    )
    num_xml = "".join(f'<numFmt numFmtId="{i}" formatCode="{escape_attribute(code)}"/>' for code, i in formats.items())
    return (
        f'{HEAD}<styleSheet xmlns="{MAIN}">'
        + (f'<numFmts count="{len(formats)}">{num_xml}</numFmts>' if formats else "")
        + f'<fonts count="{len(fonts)}">{font_xml}</fonts><fills count="{len(fills) + 2}">{fill_xml}</fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )


def column_width(characters: float) -> float:
    """Excel's stored width for a column `characters` digits wide: the pixels (digits plus 5 of padding)
    back in digit widths, cut to 1/256 (26 -> 26.7109375)."""
    if characters <= 0:
        return 0.0
    padding = 5 if characters >= 1 else round(characters * 5)
    pixels = int(characters * _DIGIT_PIXELS + 0.5) + padding
    return int(pixels / _DIGIT_PIXELS * 256) / 256


def worksheet(sheet: Sheet, rows: str) -> str:
    """A sheet's XML around its rows' XML."""
    head = ['<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'] if sheet.landscape_fit else []
    last = f"{column_letter(sheet.columns)}{sheet.rows}" if sheet.rows and sheet.columns else ""
    head.append(f'<dimension ref="A1:{last}"/>' if last and last != "A1" else '<dimension ref="A1"/>')
    selected = ' tabSelected="1"' if sheet is sheet.book.sheets[0] else ""
    pane = ""
    if sheet.frozen_rows:
        top = f"A{sheet.frozen_rows + 1}"
        pane = (f'<pane ySplit="{sheet.frozen_rows}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
                f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>')  # fmt: skip
    head.append(f'<sheetViews><sheetView{selected} workbookViewId="0">{pane}</sheetView></sheetViews>')
    head.append('<sheetFormatPr defaultRowHeight="15"/>')
    if sheet.widths:
        head.append("<cols>" + "".join(
            f'<col min="{c + 1}" max="{c + 1}" width="{column_width(w)!r}" customWidth="1"/>'
            for c, w in sorted(sheet.widths.items())
        ) + "</cols>")  # fmt: skip
    tail = []
    if sheet.filter is not None:
        header, last_row, columns = sheet.filter
        tail.append(f'<autoFilter ref="A{header}:{column_letter(columns)}{last_row}"/>')
    tail.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    if sheet.landscape_fit:
        tail.append('<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
    data = f"<sheetData>{rows}</sheetData>" if rows else "<sheetData/>"
    return f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{DOC_REL}">{"".join(head)}{data}{"".join(tail)}</worksheet>'
