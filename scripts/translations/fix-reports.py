"""Chinese for the strings added on the fix-reports branch (issue 7 audit)."""
T = {
    "Awaiting write-off": "待核销",
    "Written off": "已核销",
    "Reversed": "已冲销",
    "No loss or scrap booked yet.": "尚无损耗或报废记录。",
    "Own reserve": "本级",
    "Pieces of the reserve each unit owns (its whole subtree, wherever the stock sits), as of %(day)s. The first row is the unit with its whole subtree; the rows below (its own reserve, then each unit under it) add up to it.":
        "各单位所拥有的储备件数（含其全部下级，不论存放在何处），截至%(day)s。第一行为本单位及全部下级；其下各行（本级储备及各下级单位）相加等于第一行。",
    "Not updated in (days)": "未更新天数",
    "The end of the period is before its start.": "期间的结束日期早于开始日期。",
    "The period applies to the ledger and registers; stock and completeness are as of today. The completeness report marks depots not updated in the given number of days (30 when blank).":
        "期间适用于台账和各类登记；库存和数据完整性以今天为准。数据完整性报告会标出超过所填天数未更新的储备库（留空为30天）。",
    "The file has more than %(n)s rows.": "文件超过 %(n)s 行。",
    "The page takes at most that many; import a larger file on the server with: %(command)s":
        "页面最多只能导入这么多行；更大的文件请在服务器上用以下命令导入：%(command)s",
    "At most %(mb)s MB and %(rows)s rows; import larger files on the server with flask --app wsgi import-data.":
        "最大 %(mb)s MB、%(rows)s 行；更大的文件请在服务器上用 flask --app wsgi import-data 导入。",
    "Checking every row: about a second per 1,000 rows. Keep this page open.":
        "正在逐行检查：每1000行约需1秒，请勿关闭本页。",
    "Importing every row: about a second per 1,000 rows. Keep this page open.":
        "正在逐行导入：每1000行约需1秒，请勿关闭本页。",
    "On %(day)s: %(physical)s people with physical stock, %(with)s with agreement reserves; target %(target)s.":
        "%(day)s：实物储备可保障 %(physical)s 人，含协议储备 %(with)s 人；目标 %(target)s 人。",
    "Dispatch register (orders: allocations, call-offs, unmet lines, timeliness)":
        "调拨登记（调拨单：库存调拨、协议调用、未满足需求、时效）",
}
