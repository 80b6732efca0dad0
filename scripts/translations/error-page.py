T = {
    "Correct what is listed below and try again.": "请更正下列各项后重试。",
}
