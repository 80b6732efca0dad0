"""Chinese for the fix-readiness branch (norm import, seasons, alerts, benchmark pages)."""
T = {
    "New, cold season": "新寒季标准",
    "This is not a CSV text file (save it from Excel as CSV, UTF-8 or GBK).":
        "这不是 CSV 文本文件（请在 Excel 中另存为 CSV，UTF-8 或 GBK 编码）。",
    "This line cannot be read as CSV (a field longer than 128 KB, or a quotation mark that is "
    "never closed); nothing after it was checked.":
        "此行无法按 CSV 读取（某个字段超过 128 KB，或引号未闭合）；其后的内容未检查。",
    "Without a per_person_cold column, the seasonal notes of the default norm table (name_en, "
    "basis) set the cold-season figures, as in the default catalogue. UTF-8 and GBK files are "
    "both read.":
        "文件没有 per_person_cold 列时，按默认储备标准表中的季节说明（name_en、basis 列）设定寒季标准，"
        "与默认物资目录相同。UTF-8 和 GBK 编码的文件均可读取。",
}
