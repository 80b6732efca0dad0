"""Chinese translations added on the reliability branch (scripts/i18n_fill.py reads T)."""
T = {
    "A value is too long or out of range; nothing was saved.": "有数值过长或超出范围，未保存任何内容。",
    "Contains a character that is not allowed.": "含有不允许的字符。",
    "Movement %(id)s changed no quantity; there is nothing to reverse.":
        "流水 %(id)s 未改变数量，无需冲销。",
    "Choose a unit in your area.": "请选择您辖区内的单位。",
    "Subject or detail": "对象或详情",
    "User (who acted or was acted on)": "用户(操作人或被操作对象)",
    "Since": "起始日期",
    "Until": "截止日期",
}
