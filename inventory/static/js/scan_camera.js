/* Scan page: the in-page camera. scan.js calls window.inventoryScanCamera(page) with
 * page.$, page.msg and page.saw(text), called with each label the camera reads. */
(function () {
  "use strict";

  window.inventoryScanCamera = function (page) {
    var $ = page.$, msg = page.msg;
    var camera = { stream: null, resume: false, lastDecode: 0, awake: null };
    var DECODE_EVERY_MS = 120;  // about 8 reads a second: quick enough, and spares a cheap phone's battery
    var toggle = $("camera-start"), torch = $("camera-torch"), startLabel = toggle.textContent;

    function status(stateName, text) {
      var element = $("camera-status");
      element.setAttribute("data-state", stateName);
      element.textContent = text || "";
    }
    function available() {
      return navigator.mediaDevices && navigator.mediaDevices.getUserMedia && typeof window.jsQR === "function";
    }
    function track() { return camera.stream && camera.stream.getVideoTracks()[0]; }

    function start() {
      if (camera.stream) { return; }
      if (!available()) { status("unavailable", msg("no-camera")); return; }
      status("starting", "…");
      toggle.disabled = true;
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (stream) {
          camera.stream = stream;
          var video = $("camera-video");
          video.srcObject = stream; video.hidden = false;
          toggle.textContent = msg("camera-stop"); toggle.setAttribute("aria-pressed", "true");
          offerTorch();
          keepAwake(stream);
          return video.play().then(function () { status("scanning", ""); requestAnimationFrame(reader(stream)); });
        })
        .catch(function (error) {
          stop();
          status("error", failure(error && error.name));
        })
        .then(function () { toggle.disabled = false; });
    }
    // What the keeper can do about it, by the browser's error name; the name itself only
    // where no advice fits (it helps whoever is asked for help).
    var ADVICE = { NotAllowedError: "camera-refused", SecurityError: "camera-refused",
                   NotFoundError: "camera-none", OverconstrainedError: "camera-none",
                   NotReadableError: "camera-busy", AbortError: "camera-busy" };
    function failure(name) {
      return ADVICE[name] ? msg(ADVICE[name]) : msg("camera-error") + " (" + (name || "?") + ")";
    }
    function stop() {
      if (camera.stream) { camera.stream.getTracks().forEach(function (t) { t.stop(); }); }
      camera.stream = null;
      var video = $("camera-video");
      video.srcObject = null; video.hidden = true;
      toggle.textContent = startLabel; toggle.setAttribute("aria-pressed", "false");
      torch.hidden = true; torch.setAttribute("aria-pressed", "false");
      letSleep();
      status("idle", "");
    }

    // Scanning with the camera touches no button, and the phone would dim and lock its
    // screen mid-scan: keep it on while the camera runs (Screen Wake Lock, where offered).
    // The browser lets go of the lock when the page is hidden; the camera stops then too,
    // and asks again when it starts.
    function keepAwake(stream) {
      if (!navigator.wakeLock || !navigator.wakeLock.request) { return; }
      navigator.wakeLock.request("screen").then(function (lock) {
        if (camera.stream !== stream) { lock.release(); return; }  // stopped meanwhile
        camera.awake = lock;
      }, function () { /* refused (battery saver): the screen may dim, scanning still works */ });
    }
    function letSleep() {
      var lock = camera.awake;
      camera.awake = null;
      if (lock) { lock.release().catch(function () { /* already let go */ }); }
    }

    // The phone's light, where the browser offers it (Chrome on Android): labels in a dark
    // corner of the depot.
    function offerTorch() {
      var t = track(), capabilities = t && t.getCapabilities ? t.getCapabilities() : {};
      torch.hidden = !capabilities.torch;
    }
    function switchTorch() {
      var t = track(), on = torch.getAttribute("aria-pressed") !== "true";
      if (!t) { return; }
      t.applyConstraints({ advanced: [{ torch: on }] }).then(function () {
        torch.setAttribute("aria-pressed", on ? "true" : "false");
      }, function () { torch.hidden = true; });
    }

    // Reads labels from the video for as long as `stream` is the camera's.
    function reader(stream) {
      return function read(now) {
        if (camera.stream !== stream) { return; }
        var video = $("camera-video");
        if (now - camera.lastDecode >= DECODE_EVERY_MS && video.readyState >= 2 && video.videoWidth) {
          camera.lastDecode = now;
          var code = decode(video);
          if (code && code.data) { page.saw(code.data); }
        }
        requestAnimationFrame(read);
      };
    }
    function decode(video) {
      var canvas = $("camera-canvas"), scale = Math.min(1, 640 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      return window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    }

    // A phone put in a pocket, or switched to another app, gives the camera back; it starts
    // again when the page is shown.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && camera.stream) { camera.resume = true; stop(); }
      else if (document.visibilityState === "visible" && camera.resume) { camera.resume = false; start(); }
    });
    toggle.addEventListener("click", function () { if (camera.stream) { stop(); } else { start(); } });
    torch.addEventListener("click", switchTorch);
    if (!available()) { status("unavailable", msg("no-camera")); }
  };
})();
