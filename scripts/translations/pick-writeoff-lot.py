"""Chinese for the pick page, the write-off page and the lot page's booking form
(scripts/i18n_fill.py)."""
T = {
    "Select at least one loss or scrap.": "请至少选择一笔损耗或报废。",
    "Booked: lot %(lot)s counted at %(quantity)s %(unit)s.":
        "已登记：批次 %(lot)s 盘点数 %(quantity)s %(unit)s。",
    "Booked: %(kind)s of %(quantity)s %(unit)s of lot %(lot)s.":
        "已登记：批次 %(lot)s %(kind)s %(quantity)s %(unit)s。",
    "Confirm the count": "请确认盘点数",
    "The count %(counted)s differs from the book figure %(book)s by %(diff)s. Book it?":
        "盘点数 %(counted)s 与账面 %(book)s 相差 %(diff)s，确认登记？",
    "Yes, book the count of %(n)s": "确认登记盘点数 %(n)s",
}
