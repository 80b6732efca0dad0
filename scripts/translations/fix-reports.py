"""Chinese for the strings added on the fix-reports branch (issue 7 audit)."""
T = {
    "Awaiting write-off": "待核销",
    "Written off": "已核销",
    "Reversed": "已冲销",
    "No loss or scrap booked yet.": "尚无损耗或报废记录。",
    "Own reserve": "本级",
    "Pieces of the reserve each unit owns (its whole subtree, wherever the stock sits), as of %(day)s. The first row is the unit with its whole subtree; the rows below (its own reserve, then each unit under it) add up to it.":
        "各单位所拥有的储备件数（含其全部下级，不论存放在何处），截至%(day)s。第一行为本单位及全部下级；其下各行（本级储备及各下级单位）相加等于第一行。",
}
