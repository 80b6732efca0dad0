"""Spreadsheets at the edge: tables in, xlsx or csv bytes out. No business rules here.

Every register and report of the app (purchase plan, daily event report, exports) is a
`Table`: translated column titles plus rows of plain values. Text that a spreadsheet
would read as a formula is written as text (xlsx: a string cell, never a formula;
csv: prefixed with an apostrophe when it starts with = + - @, tab or CR), so a name
typed into the app can never run in a bureau's Excel.
"""
from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from inventory.services.errors import N_

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_COLUMN_WIDTH = 60


@dataclass
class Table:
    """A sheet: a title (the sheet name), column titles and rows of values."""

    title: str
    columns: Sequence[str]
    rows: Iterable[Sequence[Any]]
    # Optional lines about the table (area, period, date); xlsx puts them on a sheet of
    # their own after the data, so the first sheet is records under one header row.
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

    Written in openpyxl's streaming mode (a 100,000-row ledger stays small in memory);
    column widths come from the first WIDTH_SAMPLE rows. Cells are values with explicit
    types, never formulas.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for table in tables:
        _write_sheet(workbook, table)
    notes = [(table.title, note) for table in tables for note in table.notes]
    if notes:
        about = workbook.create_sheet("说明 About")
        about.column_dimensions["A"].width = 20
        about.column_dimensions["B"].width = MAX_COLUMN_WIDTH
        for title, note in notes:
            about.append([_text_cell(about, title), _text_cell(about, note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WIDTH_SAMPLE = 500


def _write_sheet(workbook, table: Table) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(_sheet_name(table.title))
    rows = iter(table.rows)
    sample = [[_cell(v) for v in row] for row in itertools.islice(rows, WIDTH_SAMPLE)]
    widths = [_width(title) for title in table.columns]
    for values in sample:
        for index, value in enumerate(values[:len(widths)]):
            widths[index] = max(widths[index], _width(value))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    header = []
    for title in table.columns:
        cell = _text_cell(sheet, str(title))
        cell.font, cell.fill = bold, fill
        header.append(cell)
    sheet.append(header)
    for values in sample:
        sheet.append(_row(sheet, values))
    for row in rows:
        sheet.append(_row(sheet, [_cell(v) for v in row]))


def _text_cell(sheet, value: str):
    """A cell that holds `value` as text even when it starts with '='."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _row(sheet, values: list[Any]) -> list[Any]:
    # openpyxl would store a string starting with '=' as a formula.
    return [_text_cell(sheet, v) if isinstance(v, str) and v.startswith("=") else v
            for v in values]


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


# --- reading uploads ------------------------------------------------------------------------

class UnreadableFile(ValueError):
    """The upload is not a spreadsheet we can read; the message says why (an N_ msgid)."""

    params: dict = {}


class TooManyRows(UnreadableFile):
    """More data rows than `limit`; the message takes the limit as %(n)s."""

    def __init__(self, limit: int) -> None:
        super().__init__(N_("The file has more than %(n)s rows."))
        self.params = {"n": f"{limit:,}"}


def read_table(data: bytes, filename: str, *, max_rows: int = 100_000) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the first sheet of an xlsx or csv upload, every cell as text.

    Codes stay as typed (leading zeros kept); blank cells are ''. Raises UnreadableFile.
    """
    import pandas as pd

    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            if not data.startswith(b"PK"):
                raise UnreadableFile(N_("The file is not a valid .xlsx workbook."))
            frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False,
                                  engine="openpyxl", nrows=max_rows + 1)
        elif name.endswith(".csv"):
            frame = pd.read_csv(io.StringIO(_decode(data)), dtype=str, keep_default_na=False,
                                nrows=max_rows + 1, skip_blank_lines=True)
        else:
            raise UnreadableFile(N_("Upload an .xlsx or .csv file."))
    except UnreadableFile:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure means "cannot read it"
        raise UnreadableFile(N_("The file could not be read as a spreadsheet.")) from error
    if len(frame) > max_rows:
        raise TooManyRows(max_rows)
    headers = [str(h).strip() for h in frame.columns]
    rows = [[_as_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    return headers, rows


def csv_text(data: bytes) -> str | None:
    """The text of an uploaded CSV, or None when it is not text: UTF-8 (with or without
    BOM), UTF-16 with BOM, or GB 18030 (what a Chinese Excel writes)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            data, encodings = data[len(bom):], (encoding,)
            break
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    return None


def _decode(data: bytes) -> str:
    text = csv_text(data)
    if text is None:
        raise UnreadableFile(N_("The CSV file is neither UTF-8 nor GB18030 encoded."))
    return text


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    text_value = str(value).strip()
    # Excel stores whole numbers typed into a text-less column as floats ("12.0").
    return text_value[:-2] if text_value.endswith(".0") and text_value[:-2].isdigit() else text_value
