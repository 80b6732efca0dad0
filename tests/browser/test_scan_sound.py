"""The scan page's beep is heard on phones that start sound only inside a tap or key press
(Safari on iPhones): its AudioContext is made ready on the first one and resumed before
each beep. Chromium plays sound however its context was made, so the test gives the page an
AudioContext that behaves as Safari's does."""
from tests.browser.test_scan import open_scan_page, scan

# Starts suspended; resume() works only while the page has a tap or key press to show for
# (transient user activation), as in Safari. Each beep is recorded with the state it met.
SAFARI_AUDIO = """
  window.beeps = [];
  window.AudioContext = class {
    constructor() { this.state = 'suspended'; this.currentTime = 0; this.destination = {};
                    window.audioContext = this; }
    resume() {
      if (navigator.userActivation.isActive) { this.state = 'running'; }
      return Promise.resolve();
    }
    createOscillator() {
      const context = this;
      return { frequency: { value: 0 }, connect() {}, stop() {},
               start() { window.beeps.push([this.frequency.value, context.state]); } };
    }
    createGain() { return { gain: { value: 0 }, connect() {} }; }
  };
"""


def book_issue(phone) -> None:
    scan(phone, "/q/T/Q1")
    phone.wait_for_selector("#lot-card:not([hidden])")
    phone.click("button.book[data-kind=issue]")
    phone.wait_for_selector("#feedback[data-state=ok]")


def test_the_beep_is_heard_where_sound_needs_a_tap_first(phone, live_server):
    phone.add_init_script(SAFARI_AUDIO)
    open_scan_page(phone, live_server)
    book_issue(phone)
    assert phone.evaluate("window.beeps") == [[880, "running"]]  # the booked beep, heard


def test_the_beep_comes_back_after_the_phone_suspended_sound(phone, live_server):
    phone.add_init_script(SAFARI_AUDIO)
    open_scan_page(phone, live_server)
    book_issue(phone)
    phone.evaluate("window.audioContext.state = 'suspended'")  # a phone call, another app's sound
    phone.click("#qty-plus")  # the next tap
    phone.click("button.book[data-kind=issue]")
    for _ in range(50):
        if len(phone.evaluate("window.beeps")) == 2:
            break
        phone.wait_for_timeout(100)
    assert phone.evaluate("window.beeps")[1] == [880, "running"]
