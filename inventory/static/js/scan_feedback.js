/* Scan page: feedback on each scan and booking: colour and text in the feedback box, a
 * beep, and a vibration where the device allows. scan.js calls
 * window.inventoryScanFeedback(box, kind, text). */
(function () {
  "use strict";

  var audio = null;
  // ok: booked (high, short); warn: saved on the phone, not booked yet; error: not booked.
  var SOUNDS = { ok: [880, 0.12, 80], warn: [440, 0.2, [80, 60, 80]], error: [220, 0.35, [200, 80, 200]] };
  function audioReady() {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    if (audio.state === "suspended") { audio.resume(); }
    return audio;
  }
  // Some browsers (Safari on iPhones) start sound only inside a tap or key press: get it ready
  // on the first one, so the beep after a scan's answer (which comes later) is heard.
  ["click", "keydown"].forEach(function (type) {
    document.addEventListener(type, function () { try { audioReady(); } catch (e) { /* no audio */ } }, { once: true });
  });
  function beep(sound) {
    try {
      var context = audioReady(), osc = context.createOscillator(), gain = context.createGain();
      osc.frequency.value = sound[0];
      gain.gain.value = 0.15;
      osc.connect(gain); gain.connect(context.destination);
      osc.start(); osc.stop(context.currentTime + sound[1]);
    } catch (e) { /* no audio: colour and text still tell */ }
  }
  // `kind`: ok, warn, error (each with its sound and vibration), busy or idle (silent).
  window.inventoryScanFeedback = function (box, kind, text) {
    var sound = SOUNDS[kind];
    box.setAttribute("data-state", kind);
    box.textContent = text;
    if (sound) {
      beep(sound);
      if (navigator.vibrate) { navigator.vibrate(sound[2]); }
    }
  };
})();
