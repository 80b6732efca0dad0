/* Scan page: bookings that could not be sent wait on the phone and are sent once they can be.
 * scan.js calls window.inventoryScanWaiting(page) with the page's own helpers. */
(function () {
  "use strict";

  window.inventoryScanWaiting = function (page) {
    var msg = page.msg, $ = page.$, USER = page.app.dataset.user;
    var stored = window.inventoryWaitingBookings;  // app.js: where they are kept, and how
    // Kept in localStorage as {user, body}: on a shared phone a keeper's waiting bookings are
    // sent only while that keeper is signed in, so each keeps its author. They are sent
    // oldest first, one at a time; the request id makes a repeat of one that did get
    // through (its answer lost) book nothing twice.

    // Answers after which a booking may yet get through: none, signed out, an expired page
    // (CSRF), a timeout, overload, a gateway or a restarting server. Any other answer is final.
    function retryable(result) {
      return [401, 408, 429, 502, 503, 504].indexOf(result.status) >= 0 ||
        (result.status === 400 && /csrf$/.test((result.body && result.body.type) || ""));
    }
    function entries() { return stored.entries(USER); }
    function waiting() { return stored.mine(USER); }
    // False when the browser refuses to store (storage full, or disabled in private mode).
    function saveEntries(items) {
      try { localStorage.setItem(stored.key, JSON.stringify(items)); return true; } catch (e) { return false; }
    }
    function enqueue(body) {
      var saved = saveEntries(entries().concat([{ user: USER, body: body }]));
      showWaiting(null);
      return saved;
    }
    function dequeue(id) { saveEntries(entries().filter(function (e) { return e.body.request_id !== id; })); }

    // Why bookings wait, in words, and what the keeper can do about it.
    function waitReason(result) {
      if (!result) { return { text: msg("queued") }; }
      if (result.status === 401) {
        return { text: msg("kept-signed-out"), action: msg("sign-in"), href: page.app.dataset.loginUrl };
      }
      if (result.status === 400) {
        return { text: msg("kept-expired-page"), action: msg("reload"), href: location.pathname + location.search };
      }
      return { text: msg("kept-server") };
    }
    // The bar: how many wait, and a link to what would let them through (null: the network).
    // Another keeper's waiting bookings are only counted: they wait for that keeper.
    function showWaiting(result) {
      var n = waiting().length, others = entries().length - n;
      var reason = waitReason(result), action = $("waiting-action");
      $("waiting").hidden = !n && !others;
      $("waiting-count").textContent = [n ? msg("waiting").replace("{n}", n) : "",
        others ? msg("waiting-others").replace("{n}", others) : ""].join(" ").trim();
      $("waiting-send").hidden = !n;
      action.hidden = !n || !reason.action;
      action.textContent = reason.action || "";
      action.href = reason.href || "#";
    }

    function keep(body, result) {
      if (!enqueue(body)) { page.feedback("error", msg("not-kept")); return; }
      page.addRecent(body, true);
      showWaiting(result);
      page.feedback("warn", waitReason(result).text);
    }

    // `watching`: a keeper tapped and waits for this run's answer. `refused`: the run had a
    // refusal, which a later success must not paper over.
    var run = { flushing: false, watching: false, refused: false };
    // Send the oldest waiting booking, then the next, one at a time.
    function flushQueue(watching) {
      var next = waiting()[0];
      if (!next) { return; }
      run.watching = run.watching || watching;
      if (run.flushing) { return; }
      run.flushing = true;
      page.post(page.app.dataset.bookUrl, next.body).then(function (result) {
        run.flushing = false;
        if (retryable(result)) { showWaiting(result); stopRun(waitReason(result).text); return; }
        dequeue(next.body.request_id);
        showWaiting(null);
        settle(next.body, result);
        flushQueue(false);
      }, function () { run.flushing = false; stopRun(msg("queued")); });
    }
    function stopRun(text) {
      if (run.watching) { page.feedback("warn", text); }
      run.watching = run.refused = false;
    }

    // A waiting booking got its final answer: its row says so, and a refusal is loud.
    function settle(body, result) {
      var row = $("recent").querySelector('[data-request-id="' + body.request_id + '"]') ||
        page.addRecent(body, false);
      var text = row.querySelector("span");
      row.classList.remove("pending");
      if (!result.ok) {
        var why = page.problemText(result.body, String(result.status));
        run.refused = true;
        row.classList.add("refused");
        text.textContent = page.recentText(body, msg("refused") + ": " + why);
        page.feedback("error", msg("refused-waiting").replace("{lot}", body.lot_code) + " " + why);
      } else {
        text.textContent = page.recentText(body, msg("sent"));
        page.applyBalances(result.body.balances, body.depot_code);
      }
      if (waiting().length) { return; }  // more to send
      if (result.ok && run.watching && !run.refused) { page.booked(body, result.body, row); }
      else if (result.ok && !run.refused) { page.feedback("ok", msg("all-sent")); }
      run.watching = run.refused = false;
    }

    function restoreWaiting() {
      waiting().forEach(function (e) { page.addRecent(e.body, true); });
      showWaiting(null);
    }

    return { waiting: waiting, enqueue: enqueue, keep: keep, retryable: retryable,
             flush: flushQueue, restore: restoreWaiting };
  };
})();
