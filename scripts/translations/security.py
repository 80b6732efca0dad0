"""Chinese for the strings added by the fix-security branch."""
T = {
    "No users found.": "没有找到用户。",
    "User %(name)s is outside your area.": "用户 %(name)s 不在您的辖区内。",
    "User name or display name": "用户名或姓名",
    "A number is too large or out of range; nothing was saved.": "数值过大或超出范围，未保存任何内容。",
}
