T = {
    "Skip to content": "跳到正文",
}
