T = {
    'The camera could not be started. Use a handheld scanner or type the code.': '无法启动摄像头。请使用扫码枪或手动输入编码。',
    'This device has no camera the page can use. Use a handheld scanner or type the code.': '本设备没有可供页面使用的摄像头。请使用扫码枪或手动输入编码。',
    'The camera is in use by another app. Close that app (or its camera), then tap the camera button again.': '摄像头正被其他应用占用。请关闭该应用（或其摄像头）后，再点一次摄像头按钮。',
}
