/* The scan page: choose the depot once, scan lot labels (camera or handheld scanner),
 * book with one tap. Every booking carries a client request id, so a retry after a lost
 * response books nothing twice. Bookings that could not be sent (no network, signed out,
 * server away) wait on the phone (scan_waiting.js). */
(function () {
  "use strict";
  var app = document.getElementById("scan-app");
  if (!app) { return; }
  var msg = function (key) { return app.getAttribute("data-msg-" + key) || key; };
  var $ = function (id) { return document.getElementById(id); };
  var DEPOT_KEY = "inventory.scan.depot";
  // A reverse proxy's answers while the app behind it is down or restarting: like no network.
  var SERVER_AWAY = [502, 503, 504];
  function serverAway(result) { return SERVER_AWAY.indexOf(result.status) >= 0; }
  var state = { lot: null, owner: null, lastPayload: "", lastPayloadAt: 0 };
  var fieldLabels = {};
  try { fieldLabels = JSON.parse(app.getAttribute("data-field-labels") || "{}"); } catch (e) { fieldLabels = {}; }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); });
    return hex.slice(0, 4).join("") + "-" + hex.slice(4, 6).join("") + "-" + hex.slice(6, 8).join("") +
      "-" + hex.slice(8, 10).join("") + "-" + hex.slice(10).join("");
  }

  /* ---- feedback: colour and text, a beep, a vibration (scan_feedback.js) ---- */
  function feedback(kind, text) { window.inventoryScanFeedback($("feedback"), kind, text); }
  // A problem+json answer in words: its field errors named by their translated labels
  // (never the raw field identifiers), else its detail.
  function problemText(body, fallback) {
    if (!body) { return fallback; }
    if (body.errors && Object.keys(body.errors).length) {
      return Object.keys(body.errors).map(function (k) {
        return fieldMessage(k, [].concat(body.errors[k]).join(" "));
      }).join("; ");
    }
    return body.detail || body.title || fallback;
  }
  function fieldMessage(field, text) {
    var name = field === "_schema" ? "" : (fieldLabels[field] || "");
    return name ? msg("field-message").replace("{field}", name).replace("{text}", text) : text;
  }

  /* ---- depot ---- */
  function depot() { return $("depot-select").value; }
  function setDepot(code) {
    var select = $("depot-select");
    select.value = code;
    if (select.value !== code) { return; }
    try { localStorage.setItem(DEPOT_KEY, code); } catch (e) { /* not remembered: still chosen */ }
  }

  /* ---- API ---- */
  function post(url, body) {
    return window.inventoryFetch(url, { method: "POST", body: body }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        return { status: response.status, ok: response.ok, body: data };
      });
    });
  }

  /* ---- scanning ---- */
  function cameraSaw(text) {
    // A label held in front of the camera is decoded many times a second: act once, and
    // again only after it has been out of sight for a moment.
    var now = Date.now(), repeat = text === state.lastPayload && now - state.lastPayloadAt < 3000;
    state.lastPayload = text; state.lastPayloadAt = now;
    if (!repeat) { handlePayload(text); }
  }

  function handlePayload(text) {
    text = (text || "").trim();
    if (!text) { return; }
    feedback("busy", "…");
    post(app.dataset.scanUrl, depot() ? { payload: text, depot_code: depot() } : { payload: text })
      .then(function (result) {
        if (serverAway(result)) { scannedOffline(text, "server"); return; }
        if (!result.ok) { feedback("error", problemText(result.body, String(result.status))); return; }
        if (result.body.kind === "order") {  // a dispatch order: its pick list or receipt form
          feedback("ok", result.body.name);
          window.location.href = result.body.url;
          return;
        }
        if (result.body.kind === "depot") {
          setDepot(result.body.code);
          feedback("ok", result.body.name);
          return;
        }
        if (!depot()) { feedback("error", msg("choose-depot")); }
        else { feedback("idle", ""); }
        labels.remember(result.body);
        showLot(result.body);
      }, function () { scannedOffline(text, "offline"); });
  }

  /* ---- labels scanned without a network ---- */
  // scan_labels.js: a scanned text read as the server reads it, and the lots looked up on
  // this phone (to show a label scanned without a network)
  var labels = window.inventoryScanLabels;
  function depotOption(code) {
    return Array.prototype.filter.call($("depot-select").options, function (o) { return o.value && o.value === code; })[0];
  }
  function depotCodes() {
    return Array.prototype.map.call($("depot-select").options, function (o) { return o.value; }).filter(Boolean);
  }
  function daysTo(isoDate) {
    var today = new Date(), midnight = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
    return Math.round((Date.parse(isoDate) - midnight) / 86400000);
  }
  // `why`: "offline" (no network) or "server" (the server is not answering).
  function scannedOffline(text, why) {
    var label = labels.read(text, depotCodes()), option = label && label.kind === "D" && depotOption(label.code);
    if (option) { setDepot(label.code); feedback("ok", option.textContent); return; }
    if (!label || label.kind !== "T") { feedback("error", msg("lookup-" + why)); return; }
    var lots = labels.remembered(), code = labels.sameCode(Object.keys(lots), label.code) || label.code;
    var known = lots[code], days = known && known.expiry_date ? daysTo(known.expiry_date) : null;
    showLot({ code: code, on_hand: null, owners: [], warnings: [],
              item: known ? known.item : { code: "", name: code, unit: "", pack_size: 1 },
              lot: { expiry_date: known ? known.expiry_date : null, expired: days !== null && days < 0, days_to_expiry: days } });
    feedback("warn", msg(why + (known ? "-known" : "-unknown")));
  }

  function showLot(lot) {
    state.lot = lot;
    state.owner = null;
    $("lot-card").hidden = false;
    $("lot-item").textContent = (document.documentElement.lang === "en" && lot.item.name_en) ? lot.item.name_en : lot.item.name;
    $("lot-code").textContent = lot.item.code ? lot.item.code + " · " + lot.code : "";  // offline: the code is the name
    var expiry = $("lot-expiry");
    expiry.className = "lot-expiry" + (lot.lot.expired ? " expired" : (lot.lot.days_to_expiry !== null && lot.lot.days_to_expiry <= 90 ? " expiring" : ""));
    expiry.textContent = lot.lot.expiry_date ? ((lot.lot.expired ? msg("expired") : msg("expires")) + " " + lot.lot.expiry_date) : "";
    if (/expiring/.test(expiry.className)) {  // said in words too, not in amber alone
      expiry.textContent += " · " + msg("days-left").replace("{n}", lot.lot.days_to_expiry);
    }
    $("lot-here").textContent = lot.on_hand === null || lot.on_hand === undefined ? "" :
      msg("here") + ": " + lot.on_hand + " " + lot.item.unit;
    var warnings = $("lot-warnings");
    warnings.textContent = "";
    (lot.warnings || []).forEach(function (w) {
      var p = document.createElement("p"); p.className = "warning"; p.textContent = w.message; warnings.appendChild(p);
    });
    showOwners();
    $("qty").value = lot.item.pack_size || 1;
    $("qty").step = 1;
    nameQuantityButtons(lot.item.pack_size || 1);
    announce([$("lot-item").textContent, $("lot-code").textContent, expiry.textContent, $("lot-here").textContent]
      .concat(Array.prototype.map.call(warnings.children, function (p) { return p.textContent; })));
  }
  // The lot card is not a live region: a screen reader hears what was scanned from here.
  function announce(parts) {
    $("scan-announce").textContent = parts.filter(Boolean).join(". ");
  }
  // − and + change the quantity by a pack: their names say by how much.
  function nameQuantityButtons(step) {
    $("qty-minus").setAttribute("aria-label", msg("qty-minus").replace("{n}", step));
    $("qty-plus").setAttribute("aria-label", msg("qty-plus").replace("{n}", step));
  }

  /* ---- whose stock: several units may own the same lot in one depot ---- */
  // The units that hold the lot here. A receipt stocks the depot's own unit unless the
  // keeper chooses another: when the lot here is held for another unit (pre-positioned
  // stock), the keeper is asked, with the depot's unit among the choices.
  function ownerChoices(kind) {
    var owners = (state.lot && state.lot.owners) || [], depot = (state.lot && state.lot.depot) || {};
    var own = depot.unit_code, others = owners.some(function (o) { return o.code !== own; });
    if (kind !== "receive" || !own || !others || owners.some(function (o) { return o.code === own; })) { return owners; }
    return owners.concat([{ code: own, name: depot.unit_name, quantity: 0 }]);
  }
  function severalOwners(kind) { return ownerChoices(kind).length > 1; }
  function showOwners(kind) {
    var box = $("owner-options"), legend = $("owner-legend");
    box.textContent = "";
    state.ownerKind = kind;
    $("owner-picker").hidden = !severalOwners(kind);
    legend.textContent = severalOwners() ? legend.getAttribute("data-several") : msg("receipt-owner");
    if (!severalOwners(kind)) { return; }
    ownerChoices(kind).forEach(function (owner) {
      var button = document.createElement("button");
      button.type = "button"; button.className = "owner-option";
      button.setAttribute("role", "radio");
      button.setAttribute("data-owner", owner.code);
      button.setAttribute("aria-checked", owner.code === state.owner ? "true" : "false");
      var name = document.createElement("span"), quantity = document.createElement("span");
      name.textContent = owner.name;
      quantity.textContent = owner.quantity + " " + state.lot.item.unit;
      button.appendChild(name); button.appendChild(quantity);
      button.addEventListener("click", function () {
        var focused = document.activeElement === button;
        state.owner = owner.code; showOwners(state.ownerKind);
        if (focused) { box.querySelector('[data-owner="' + owner.code + '"]').focus(); }
      });
      box.appendChild(button);
    });
  }
  function showHere() {
    $("lot-here").textContent = msg("here") + ": " + state.lot.on_hand + " " + state.lot.item.unit;
  }
  // Balances a booking or an undo left: this lot at this depot, per owner.
  function applyBalances(balances, depotCode) {
    if (!state.lot) { return; }
    var mine = (balances || []).filter(function (b) { return b.depot_code === depotCode && b.lot_code === state.lot.code; });
    if (!mine.length) { return; }
    var owners = state.lot.owners || [];
    mine.forEach(function (b) {
      var known = owners.filter(function (o) { return o.code === b.owner_code; })[0];
      var named = ownerChoices("receive").filter(function (o) { return o.code === b.owner_code; })[0];
      if (known) { known.quantity = b.quantity; } else { owners.push({ code: b.owner_code, name: named ? named.name : b.owner_code, quantity: b.quantity }); }
    });
    state.lot.owners = owners;
    state.lot.on_hand = owners.reduce(function (sum, o) { return sum + o.quantity; }, 0);
    showHere();
    showOwners();
  }

  /* ---- booking ---- */
  // A count that empties the pile, or moves it by more than half, is asked about first:
  // one zero too many or too few is easily typed. Not without the figure (scanned offline).
  function countConfirmed(counted) {
    var owner = state.owner && (state.lot.owners || []).filter(function (o) { return o.code === state.owner; })[0];
    var book = owner ? owner.quantity : state.lot.on_hand;
    if (book === null || book === undefined) { return true; }
    var difference = Math.abs(counted - book);
    if (!difference || (counted > 0 && difference * 2 <= book)) { return true; }
    return window.confirm(msg("confirm-count").replace("{counted}", counted).replace("{book}", book)
      .replace("{diff}", difference));
  }

  function book(kind) {
    if (!state.lot) { return; }
    if (!depot()) { feedback("error", msg("choose-depot")); return; }
    var typed = $("qty").value.trim();  // "1.5" is no quantity (parseInt read it as 1)
    if (!/^\d+$/.test(typed)) { feedback("error", fieldMessage("quantity", msg("whole-number"))); return; }
    var body = { request_id: uuid(), kind: kind, depot_code: depot(), lot_code: state.lot.code,
                 quantity: parseInt(typed, 10) };
    if (state.lot.item.code) { body.item_code = state.lot.item.code; }  // unknown when scanned offline
    if (severalOwners(kind)) {
      if (!ownerChoices(kind).some(function (o) { return o.code === state.owner; })) {
        showOwners(kind);
        feedback("error", msg(severalOwners() ? "choose-owner" : "choose-receipt-owner"));
        $("owner-picker").scrollIntoView({ block: "center" });
        return;
      }
      body.owner_code = state.owner;
    }
    if (kind === "count" && !countConfirmed(body.quantity)) { feedback("idle", ""); return; }
    if (kind === "transfer") {
      if (!$("target-select").value) { $("transfer-target").hidden = false; feedback("error", msg("choose-target")); return; }
      body.to_depot_code = $("target-select").value;
    }
    if ((kind === "loss" || kind === "scrap") && $("reason").value) { body.reason = $("reason").value; }
    if (waits.waiting().length) {  // behind bookings still waiting: sent after them, in order
      if (!waits.enqueue(body)) { feedback("error", msg("not-kept")); return; }
      addRecent(body, true); feedback("busy", "…"); waits.flush(true);
      return;
    }
    send(body);
  }

  function send(body) {
    feedback("busy", "…");
    return post(app.dataset.bookUrl, body).then(function (result) {
      if (result.status === 409 && result.body && /expired-lot$/.test(result.body.type || "")) {
        if (window.confirm(msg("confirm-expired"))) { body.confirm_expired = true; return send(body); }
        feedback("error", notBooked(problemText(result.body, "409")));
        return;
      }
      if (waits.retryable(result)) { waits.keep(body, result); return; }
      if (!result.ok) { feedback("error", notBooked(problemText(result.body, String(result.status)))); return; }
      booked(body, result.body, addRecent(body, false));
      waits.flush(false);  // the network is there: send what waits from earlier
    }, function () { waits.keep(body, null); });
  }

  // The booking went through: feedback, the balances it left, and undo on its row.
  function booked(body, result, row) {
    var movement = result.movements[result.movements.length - 1];
    applyBalances(result.balances, body.depot_code);
    var text = msg("booked") + ": " + kindLabel(body.kind) + " " + body.quantity;
    (result.warnings || []).forEach(function (w) { text += " · " + w.message; });
    feedback("ok", text);
    offerUndo(row, movement, body.depot_code);
  }

  // Red says "not booked"; so do the words, for whoever does not tell red from green.
  function notBooked(why) { return msg("not-booked").replace("{why}", why); }

  function kindLabel(kind) {
    var button = app.querySelector('button.book[data-kind="' + kind + '"]');
    return button ? button.textContent.trim() : kind;
  }

  function recentText(body, note) {
    return kindLabel(body.kind) + " · " + body.lot_code + " · " + body.quantity + (note ? " · " + note : "");
  }
  function addRecent(body, pending) {
    var list = $("recent");
    var item = document.createElement("li");
    item.setAttribute("data-request-id", body.request_id);
    var text = document.createElement("span");
    text.textContent = recentText(body, pending ? msg("pending") : "");
    item.appendChild(text);
    if (pending) { item.classList.add("pending"); }
    list.insertBefore(item, list.firstChild);
    while (list.children.length > 10) { list.removeChild(list.lastChild); }
    return item;
  }
  // Only the last booking can be undone here.
  function offerUndo(item, movement, depotCode) {
    Array.prototype.forEach.call($("recent").querySelectorAll("button.undo"), function (b) { b.remove(); });
    var undo = document.createElement("button");
    undo.type = "button"; undo.className = "undo small"; undo.textContent = msg("undo");
    undo.addEventListener("click", function () { reverse(movement, item, undo, depotCode); });
    item.appendChild(undo);
  }

  function reverse(movement, item, button, depotCode) {
    button.disabled = true;
    var url = app.dataset.reverseUrl.replace("/0/", "/" + movement.id + "/");
    post(url, { request_id: uuid(), reason: msg("undo-reason") }).then(function (result) {
      if (serverAway(result)) { button.disabled = false; feedback("error", msg("undo-server")); return; }
      if (!result.ok) { button.disabled = false; feedback("error", problemText(result.body, String(result.status))); return; }
      item.classList.add("undone");
      item.querySelector("span").textContent += " · " + msg("undone");  // not struck through alone
      button.remove();
      applyBalances(result.body.balances, depotCode);
      feedback("ok", msg("undone"));
    }).catch(function () { button.disabled = false; feedback("error", msg("undo-offline")); });
  }

  var waits = window.inventoryScanWaiting({
    app: app, msg: msg, $: $, post: post, feedback: feedback, problemText: problemText,
    addRecent: addRecent, recentText: recentText, booked: booked, applyBalances: applyBalances });

  // sw.js marks the copy it kept with a Server-Timing entry "kept"; without a network the
  // page can only be that copy, also in browsers that do not show the entry to the page.
  function openedFromKeptCopy() {
    var entry = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    var marked = entry && entry.serverTiming && Array.prototype.some.call(entry.serverTiming, function (t) { return t.name === "kept"; });
    return !!marked || navigator.onLine === false;
  }

  // Keep this page and its files on the phone, to open it without a network (sw.js). Browsers
  // offer service workers over https and on localhost only; elsewhere the page works online.
  function keepPageOnPhone() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register(app.dataset.swUrl, { scope: location.pathname })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var files = Array.prototype.map.call(document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=icon]"),
          function (element) {  // with its version (?v=): the browser's cache answers it
            var url = new URL(element.src || element.href, location.href); return url.pathname + url.search; });
        registration.active.postMessage({ type: "keep-scan-page", files: files });
      }).catch(function () { /* not kept: the page still works online */ });
  }

  /* ---- wiring ---- */
  var input = $("scan-input");
  window.inventoryOnScannerEnter(input, function () { var text = input.value; input.value = ""; handlePayload(text); });
  // Keep the scanner field focused (a handheld scanner types into whatever has focus),
  // except while the keeper is using another control. Pressed from the keyboard (no
  // pointer: detail 0), − / + and the owner choice keep the focus, so a keyboard or screen
  // reader user can press them again; a booking always gives it back to the scanner field.
  document.addEventListener("click", function (event) {
    var tag = event.target.tagName;
    if (event.detail === 0 && event.target.closest && event.target.closest(".qty-btn, .owner-option")) { return; }
    if (tag !== "INPUT" && tag !== "SELECT" && tag !== "TEXTAREA" && tag !== "SUMMARY") { input.focus(); }
  });
  $("keyboard-toggle").addEventListener("click", function () {
    var on = input.getAttribute("inputmode") === "none";
    input.setAttribute("inputmode", on ? "text" : "none");
    this.setAttribute("aria-pressed", on ? "true" : "false");
    input.blur(); input.focus();
  });
  $("depot-select").addEventListener("change", function () { setDepot(this.value); input.focus(); });
  window.inventoryScanCamera({ $: $, msg: msg, saw: cameraSaw });  // scan_camera.js
  $("qty-minus").addEventListener("click", function () {
    var step = (state.lot && state.lot.item.pack_size) || 1;
    $("qty").value = Math.max(0, (parseInt($("qty").value, 10) || 0) - step);
  });
  $("qty-plus").addEventListener("click", function () {
    var step = (state.lot && state.lot.item.pack_size) || 1;
    $("qty").value = (parseInt($("qty").value, 10) || 0) + step;
  });
  Array.prototype.forEach.call(app.querySelectorAll("button.book"), function (button) {
    button.addEventListener("click", function () {
      var kind = button.getAttribute("data-kind");
      $("transfer-target").hidden = kind !== "transfer" && !$("target-select").value;
      book(kind);
    });
  });
  $("waiting-send").addEventListener("click", function () { waits.flush(true); });
  window.addEventListener("online", function () { waits.flush(false); });
  setInterval(function () { waits.flush(false); }, 10000);

  var fromHash = (location.hash.match(/depot=([^&]+)/) || [])[1];
  setDepot(fromHash ? decodeURIComponent(fromHash) : (localStorage.getItem(DEPOT_KEY) || ""));
  waits.restore();
  if (openedFromKeptCopy()) { feedback("warn", msg(navigator.onLine === false ? "page-offline" : "page-server")); }
  waits.flush(false);
  keepPageOnPhone();
  input.focus();
})();
