"""Chinese for the strings added on the fix-reports branch (issue 7 audit)."""
T = {
    "Awaiting write-off": "待核销",
    "Written off": "已核销",
    "Reversed": "已冲销",
    "No loss or scrap booked yet.": "尚无损耗或报废记录。",
}
