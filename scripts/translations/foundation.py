"""Chinese translations for shared input rules (scripts/i18n_fill.py reads T)."""
T = {
    "Use a date between 1900-01-01 and 2199-12-31.": "请填写 1900-01-01 至 2199-12-31 之间的日期。",
}
