/* Small progressive enhancements; every page works without JavaScript. */
(function () {
  "use strict";
  // Confirm destructive actions: <form data-confirm="Question?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);
  // Scan bookings waiting on this phone (scan_waiting.js sends them), stored as {user, body}.
  // `entries(user)`: all of them, those saved before entries carried their user counted as
  // `user`'s; `mine(user)`: only that user's.
  var waitingBookings = window.inventoryWaitingBookings = {
    key: "inventory.scan.queue",
    entries: function (user) {
      var items;
      try { items = JSON.parse(localStorage.getItem(this.key) || "[]"); } catch (e) { items = []; }
      return items.map(function (item) { return item.body ? item : { user: user, body: item }; });
    },
    mine: function (user) {
      return this.entries(user).filter(function (e) { return e.user === user; });
    }
  };
  // Signing out while this user's scan bookings wait on this phone: they stay and are sent
  // after the next sign-in here, but the keeper should know before leaving.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-waiting-confirm");
    if (!question || event.defaultPrevented) { return; }
    var n = waitingBookings.mine(form.getAttribute("data-user")).length;
    if (n && !window.confirm(question.replace("{n}", n))) { event.preventDefault(); }
  }, true);
  // Signing out forgets the scan page kept on the phone for opening offline (sw.js), so the
  // next user of a shared phone does not see it; the sign-out waits for that, at most a second.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-sign-out") || event.defaultPrevented || !window.caches) { return; }
    event.preventDefault();
    var done = false, go = function () { if (!done) { done = true; form.submit(); } };
    caches.keys().then(function (keys) { return Promise.all(keys.map(function (key) { return caches.delete(key); })); })
      .then(go, go);
    setTimeout(go, 1000);
  });
  // Long work: <form data-busy="Importing…"> disables its buttons and says so while waiting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var text = form.getAttribute && form.getAttribute("data-busy");
    if (!text || event.defaultPrevented) { return; }
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      button.textContent = text;
    });
    form.setAttribute("aria-busy", "true");
    form.querySelectorAll("[data-busy-status]").forEach(function (note) { note.hidden = false; });
  });
  // "Go back" links fall back to their href when there is no history.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-back]");
    if (link && window.history.length > 1) { event.preventDefault(); window.history.back(); }
  });
  // On a phone the navigation is one row scrolled sideways: show the page's own link.
  var nav = document.querySelector(".mainnav");
  var active = nav && nav.querySelector("a.active");
  if (active && nav.scrollWidth > nav.clientWidth) {
    nav.scrollLeft = active.offsetLeft - (nav.clientWidth - active.offsetWidth) / 2;
  }
  // A handheld scanner ends each label with Enter. With a Chinese input method on, that Enter
  // only ends the input method's composition (keydown with isComposing, key code 229) and
  // nothing is sent: act on its keyup then, once the text is in the field. Fields marked
  // <input data-scanner> submit their form.
  window.inventoryOnScannerEnter = function (input, act) {
    var composing = false;  // the last key went to the input method
    input.addEventListener("keydown", function (event) {
      composing = event.isComposing || event.keyCode === 229;
      if (event.key === "Enter" && !composing) { event.preventDefault(); act(); }
    });
    input.addEventListener("keyup", function (event) {
      if (event.key === "Enter" && composing && input.value.trim()) { composing = false; act(); }
    });
  };
  // The scanned text is selected first: should the form not be sent, the next scan replaces
  // it instead of being appended to it.
  Array.prototype.forEach.call(document.querySelectorAll("input[data-scanner]"), function (input) {
    window.inventoryOnScannerEnter(input, function () { input.select(); input.form.requestSubmit(); });
  });
  // Print buttons: <button data-print>.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
  });
  // Same-origin fetch helper for pages that call the JSON API with the session cookie.
  window.inventoryFetch = function (url, options) {
    options = options || {};
    var meta = document.querySelector('meta[name="csrf-token"]');
    options.headers = Object.assign({"Accept": "application/json"}, options.headers || {});
    if (options.body && typeof options.body !== "string") {
      options.body = JSON.stringify(options.body);
      options.headers["Content-Type"] = "application/json";
    }
    if (meta) { options.headers["X-CSRFToken"] = meta.getAttribute("content"); }
    options.credentials = "same-origin";
    return fetch(url, options);
  };
})();
