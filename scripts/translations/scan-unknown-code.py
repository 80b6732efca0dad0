"""Chinese for a scanned code that nothing has (scripts/i18n_fill.py)."""
T = {
    "No lot, depot or dispatch order has the code %(code)s.": "没有批次、仓库或调拨单的编码是 %(code)s。",
}
