"""Spreadsheets at the edge: tables in, xlsx or csv bytes out. No business rules here.

Every register and report of the app (purchase plan, daily event report, exports) is a
`Table`: translated column titles plus rows of plain values. Text that a spreadsheet
would read as a formula is written as text (xlsx: a string cell, never a formula;
csv: prefixed with an apostrophe when it starts with = + - @, tab or CR), so a name
typed into the app can never run in a bureau's Excel.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_COLUMN_WIDTH = 60


@dataclass
class Table:
    """A sheet: a title (the sheet name), column titles and rows of values."""

    title: str
    columns: Sequence[str]
    rows: Iterable[Sequence[Any]]
    # Optional lines printed above the header (report period, unit, generated at).
    notes: list[str] = field(default_factory=list)


def safe_text(value: Any) -> Any:
    """CSV: prefix text a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    """A value as a spreadsheet cell: plain numbers and dates, everything else as text."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, (int, float, date, bool)):
        return value
    return str(value)


def xlsx_bytes(*tables: Table) -> bytes:
    """An xlsx workbook with one sheet per table: bold frozen header, sensible widths.

    Cells are written as values with explicit data types, never as formulas.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.title))
        for note in table.notes:
            sheet.append([_cell(note)])
        header_row = len(table.notes) + 1
        sheet.append([_cell(title) for title in table.columns])
        widths = [_width(title) for title in table.columns]
        for row in table.rows:
            values = [_cell(v) for v in row]
            sheet.append(values)
            for index, value in enumerate(values[:len(widths)]):
                widths[index] = max(widths[index], _width(value))
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE6F0")
        _force_text(sheet)
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_COLUMN_WIDTH)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _force_text(sheet) -> None:
    """openpyxl stores any string starting with '=' as a formula: store such cells as text."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def csv_bytes(table: Table) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel opens Chinese text correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_text(_cell(title)) for title in table.columns])
    for row in table.rows:
        writer.writerow(["" if v is None else safe_text(_cell(v)) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_name(title: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip() or "Sheet"
    return cleaned[:31]


def _width(value: Any) -> int:
    """Display width: CJK characters take two columns."""
    text = value.isoformat() if isinstance(value, (date, datetime)) else str(value or "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"
