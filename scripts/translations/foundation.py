"""Chinese translations for shared input rules (scripts/i18n_fill.py reads T)."""
T = {
    "Use a date between 1900-01-01 and 2199-12-31.": "请填写 1900-01-01 至 2199-12-31 之间的日期。",
}
T.update({
    "Days without update": "未更新天数",
    "Period (days)": "时段(天)",
    "Wall display": "大屏模式",
    "Language": "语言",
})
T.update({
    "Mode": "方式",
    "Partner": "协议企业",
    "Day": "日期",
    "Status": "状态",
    "Disaster event": "灾情事件",
    "Action": "操作",
    "User": "用户",
})
