"""Chinese for the scan page's quantity, count and receipt-owner checks (scripts/i18n_fill.py)."""
T = {
    "This lot is held here for another unit: first choose whose stock the receipt is":
        "此批次在本库为其他单位储备：请先选择本次入库归属哪个单位",
    "Whose stock is this receipt?": "本次入库归属哪个单位？",
    "The count %(counted)s differs from the book figure %(book)s by %(diff)s. Book it?":
        "盘点数 %(counted)s 与账面 %(book)s 相差 %(diff)s，确认登记？",
}
