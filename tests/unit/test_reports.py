"""Spreadsheet output: headers, frozen panes, and formulas never live."""
import io
from datetime import date

import pandas as pd
from openpyxl import load_workbook

from inventory.reports import Table, csv_bytes, xlsx_bytes


def table():
    return Table(title="库存", columns=["物资", "数量", "有效期"],
                 rows=[["=HYPERLINK(\"http://x\")", 5, date(2027, 1, 1)], ["+cmd", -3, None]])


def test_xlsx_reads_back_with_pandas_and_keeps_formulas_as_text():
    data = xlsx_bytes(table())
    frame = pd.read_excel(io.BytesIO(data))
    assert list(frame.columns) == ["物资", "数量", "有效期"]
    assert frame.iloc[0, 0] == '=HYPERLINK("http://x")'
    assert frame.iloc[1, 1] == -3
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.freeze_panes == "A2"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["A1"].font.bold


def test_csv_prefixes_formula_text_and_carries_a_bom():
    text = csv_bytes(table()).decode("utf-8")
    assert text.startswith("\ufeff物资,数量,有效期")
    assert "'=HYPERLINK" in text and "'+cmd" in text
    assert ",-3," in text  # numbers are numbers, not neutralised text


def test_a_long_table_keeps_every_row_past_the_width_sample():
    rows = ([n, f"lot-{n}"] for n in range(1, 1203))
    data = xlsx_bytes(Table(title="ledger", columns=["id", "lot"], rows=rows))
    frame = pd.read_excel(io.BytesIO(data))
    assert list(frame["id"]) == list(range(1, 1203))

