"""The scan page's camera in headless Chromium, fed a label by its fake video capture: it
stops and starts again with one button, gives the camera back while the page is hidden,
offers the phone's light where the camera has one, keeps the screen on while it runs, and
reads a few frames a second, not every frame."""
import pytest

from tests.browser.conftest import launch, screenshot
from tests.browser.test_scan import _label_png, open_scan_page, write_y4m

# Where a phone's camera has a light, Chrome lists `torch` among the track's capabilities and
# turns it on with applyConstraints; Chromium's fake camera has none, so the test gives it one.
FAKE_TORCH = """
  window.torchCalls = [];
  const capabilities = MediaStreamTrack.prototype.getCapabilities;
  MediaStreamTrack.prototype.getCapabilities = function () {
    return Object.assign({}, capabilities.call(this), { torch: true });
  };
  MediaStreamTrack.prototype.applyConstraints = function (constraints) {
    window.torchCalls.push(constraints.advanced[0].torch);
    return Promise.resolve();
  };
"""

# Screen Wake Lock, recorded: each lock asked for, and whether it was let go. `refuse` stands
# for a phone in battery saver mode, which refuses it.
FAKE_WAKE_LOCK = """
  window.wakeLocks = [];
  Object.defineProperty(Navigator.prototype, 'wakeLock', {configurable: true, get: () => ({
    request(type) {
      if (window.refuseWakeLock) { return Promise.reject(new DOMException('saver', 'NotAllowedError')); }
      const lock = {type, released: false, release() { this.released = true; return Promise.resolve(); }};
      window.wakeLocks.push(lock);
      return Promise.resolve(lock);
    }})});
"""


@pytest.fixture
def camera_page(live_server, playwright, tmp_path):
    video = tmp_path / "label.y4m"
    write_y4m(_label_png(live_server, "Q1"), video)
    browser = launch(playwright, f"--use-file-for-fake-video-capture={video}")
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    browser.close()


def start_camera(page) -> None:
    page.click("#camera-start")
    page.wait_for_selector("#camera-status[data-state=scanning]", state="attached")


def camera_on(page) -> bool:
    return page.evaluate("""(() => { const v = document.getElementById('camera-video');
        return !v.hidden && !!v.srcObject && v.srcObject.getVideoTracks()[0].readyState === 'live'; })()""")


def test_the_camera_stops_and_starts_again_with_its_button(camera_page, live_server):
    page = camera_page
    open_scan_page(page, live_server)
    start_camera(page)
    assert camera_on(page) and page.inner_text("#camera-start") == "关闭摄像头"
    assert page.get_attribute("#camera-start", "aria-pressed") == "true"
    assert page.is_hidden("#camera-torch")  # this camera has no light
    page.evaluate("window.cameraTrack = document.getElementById('camera-video').srcObject.getVideoTracks()[0]")
    page.click("#camera-start")
    assert not camera_on(page) and page.is_hidden("#camera-video")
    assert page.evaluate("window.cameraTrack.readyState") == "ended"  # given back, not left running
    assert page.inner_text("#camera-start") == "用摄像头扫码"
    start_camera(page)
    page.wait_for_selector("#lot-card:not([hidden])")
    assert "Q1" in page.inner_text("#lot-code")


def test_the_camera_is_given_back_while_the_page_is_hidden(camera_page, live_server):
    page = camera_page
    open_scan_page(page, live_server)
    start_camera(page)

    def show(state: str) -> None:
        page.evaluate(f"""Object.defineProperty(document, 'visibilityState', {{value: '{state}', configurable: true}});
            document.dispatchEvent(new Event('visibilitychange'))""")

    show("hidden")
    assert not camera_on(page)
    show("visible")
    page.wait_for_selector("#camera-status[data-state=scanning]", state="attached")
    assert camera_on(page)


def test_the_light_is_offered_where_the_camera_has_one(camera_page, live_server):
    page = camera_page
    page.add_init_script(FAKE_TORCH)
    open_scan_page(page, live_server)
    start_camera(page)
    page.click("#camera-torch")
    page.wait_for_selector("#camera-torch[aria-pressed=true]")
    assert page.inner_text("#camera-torch") == "手电筒"
    assert page.locator("#camera-torch").bounding_box()["height"] >= 48  # a thumb-sized target
    screenshot(page, "scan-camera-light-phone")
    page.click("#camera-torch")
    page.wait_for_selector("#camera-torch[aria-pressed=false]")
    assert page.evaluate("window.torchCalls") == [True, False]
    page.click("#camera-start")
    assert page.is_hidden("#camera-torch")


def test_the_camera_reads_a_few_frames_a_second_not_every_frame(camera_page, live_server):
    page = camera_page
    open_scan_page(page, live_server)
    page.evaluate("""(() => { window.reads = 0;
        window.jsQR = function () { window.reads += 1; return null; }; })()""")
    start_camera(page)
    page.evaluate("window.reads = 0")
    page.wait_for_timeout(2000)
    assert 0 < page.evaluate("window.reads") <= 18  # at most one read every 120 ms


def locks(page) -> tuple[int, int]:
    """(wake locks asked for, wake locks held)"""
    return tuple(page.evaluate("[window.wakeLocks.length, window.wakeLocks.filter(l => !l.released).length]"))


def wait_for_locks(page, wanted: tuple[int, int]) -> None:
    for _ in range(50):  # the lock is granted after the camera, in a promise of its own
        if locks(page) == wanted:
            return
        page.wait_for_timeout(100)
    assert locks(page) == wanted


def test_the_screen_stays_on_while_the_camera_runs(camera_page, live_server):
    page = camera_page
    page.add_init_script(FAKE_WAKE_LOCK)
    open_scan_page(page, live_server)
    assert locks(page) == (0, 0)  # not before the camera runs
    start_camera(page)
    wait_for_locks(page, (1, 1))
    assert page.evaluate("window.wakeLocks[0].type") == "screen"
    page.click("#camera-start")  # stopped: the screen may sleep again
    assert locks(page) == (1, 0)
    start_camera(page)
    wait_for_locks(page, (2, 1))
    page.evaluate("""Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
        document.dispatchEvent(new Event('visibilitychange'))""")
    assert locks(page) == (2, 0)


def test_a_refused_wake_lock_leaves_the_camera_reading(camera_page, live_server):
    page = camera_page
    page.add_init_script(FAKE_WAKE_LOCK + "window.refuseWakeLock = true;")
    open_scan_page(page, live_server)
    start_camera(page)
    page.wait_for_selector("#lot-card:not([hidden])")
    assert "Q1" in page.inner_text("#lot-code") and locks(page) == (0, 0)


# getUserMedia refused the way a browser does it, by the DOMException's name.
REFUSING_CAMERA = """
  navigator.mediaDevices.getUserMedia = () =>
      Promise.reject(new DOMException('refused in the test', %r));
"""


@pytest.mark.parametrize("name, says", [
    ("NotAllowedError", "摄像头权限被拒绝。请在浏览器设置中允许"),
    ("NotFoundError", "本设备没有可供页面使用的摄像头。请使用扫码枪或手动输入编码。"),
    ("NotReadableError", "摄像头正被其他应用占用。请关闭该应用"),
    ("TypeError", "无法启动摄像头。请使用扫码枪或手动输入编码。 (TypeError)"),
])
def test_a_camera_that_cannot_start_says_what_to_do(page, live_server, name, says):
    page.add_init_script(REFUSING_CAMERA % name)
    open_scan_page(page, live_server)
    page.click("#camera-start")
    page.wait_for_selector("#camera-status[data-state=error]", state="attached")
    text = page.inner_text("#camera-status")
    assert says in text
    assert (name in text) == (name == "TypeError")  # the browser's name only where no advice fits
    assert page.is_enabled("#camera-start") and page.is_hidden("#camera-video")
