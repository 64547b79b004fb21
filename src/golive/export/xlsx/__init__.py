"""A small xlsx (SpreadsheetML, ECMA-376 transitional) writer: the few features golive's workbook uses.

Why golive has its own: a 20,000-event run must export in under 2 s, and a general library's
per-cell Python is above that budget on its own (see workbook.py). One purpose per module:
cells.py (column letters, escaping, date serials), workbook.py (sheets, rows, styles, saving),
parts.py (the package's fixed parts around the rows).
"""

from golive.export.xlsx.workbook import Sheet, Style, Workbook

__all__ = ["Sheet", "Style", "Workbook"]
