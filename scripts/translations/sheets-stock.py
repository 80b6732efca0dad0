"""Chinese for the receiving note's expiry check and the pager past the last page
(scripts/i18n_fill.py)."""
T = {
    "%(date)s is already past.":
        "%(date)s 已过期。",
    "Goods past their expiry date are booked only if you tick “Receive expired batches”.":
        "已过有效期的物资，须勾选“接收已过期的批次”后才能入库。",
    "Receive expired batches":
        "接收已过期的批次",
    "There is no page %(asked)s; this is the last page, %(page)s.":
        "没有第 %(asked)s 页，现显示最后一页（第 %(page)s 页）。",
}
