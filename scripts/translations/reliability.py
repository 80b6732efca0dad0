"""Chinese translations added on the reliability branch (scripts/i18n_fill.py reads T)."""
T = {
    "A value is too long or out of range; nothing was saved.": "有数值过长或超出范围，未保存任何内容。",
    "Contains a character that is not allowed.": "含有不允许的字符。",
    "Movement %(id)s changed no quantity; there is nothing to reverse.":
        "流水 %(id)s 未改变数量，无需冲销。",
}
