"""Chinese for the label sheet: depot labels, downloads, too many labels (scripts/i18n_fill.py)."""
T = {
    "%(total)s labels are more than %(max)s at once: choose fewer copies or lots.":
        "共 %(total)s 张标签，超过一次最多 %(max)s 张：请减少份数或批次。",
    "Depot label: %(name)s": "仓库标签：%(name)s",
    "All lots listed": "全选所列批次",
    "Download SVG": "下载 SVG",
    "Only the first lots of this depot are listed: print a lot missing here from its own page.":
        "仅列出本仓库的前一部分批次：此处没有的批次，请在该批次页面打印标签。",
    "Download PNG": "下载 PNG",
}
