"""Chinese for the strings added by the fix-security branch."""
T = {
    "No users found.": "没有找到用户。",
    "User %(name)s is outside your area.": "用户 %(name)s 不在您的辖区内。",
    "User name or display name": "用户名或姓名",
}
