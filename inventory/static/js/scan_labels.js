/* Scan page: what label a scanned text names, read on the phone as the server reads it
 * (inventory/qr.py and services/scans.py), and the lots looked up on this phone: for
 * labels scanned without a network. */
(function () {
  "use strict";

  // What a Chinese input method makes of a handheld scanner's keys, undone as qr.clean
  // does: full-width signs (ＨＴＴＰ：／／), 、 for "/", 。 for ".", —— for "_".
  function clean(text) {
    return text.normalize("NFKC").replace(/\u2014\u2014/g, "_").replace(/\u3001/g, "/")
      .replace(/\u3002/g, ".").trim();
  }
  // The one of `codes` that `code` names: itself, or the only one that differs from it just
  // in case (a scanner typing with Caps Lock on); null when none or several do.
  function sameCode(codes, code) {
    if (codes.indexOf(code) >= 0) { return code; }
    var same = codes.filter(function (c) { return c.toUpperCase() === code.toUpperCase(); });
    return same.length === 1 ? same[0] : null;
  }
  // {kind: "T" lot | "D" depot | "O" order, code} for a URL or /q/ path, or a bare code (a
  // depot's when one of `depotCodes` matches it), or null. A depot's code comes back as
  // stored; a lot's as typed, for the caller to match against the lots it knows.
  function read(text, depotCodes) {
    text = clean(text);
    var path = text.indexOf("://") >= 0 ? text.replace(/^[a-z][a-z0-9+.\-]*:\/\/[^\/?#]*/i, "").split(/[?#]/)[0] : text;
    var match = /^\/q\/([TDO])\/([^\/?#]+)\/?$/i.exec(path), kind, code;
    if (match) {
      kind = match[1].toUpperCase();
      try { code = decodeURIComponent(match[2]); } catch (e) { return null; }
    } else if (/^[^\s\/]+$/.test(text)) {
      kind = sameCode(depotCodes, text) ? "D" : "T"; code = text;
    } else {
      return null;
    }
    return { kind: kind, code: kind === "D" ? sameCode(depotCodes, code) || code : code };
  }

  // Lots as last looked up on this phone (item, expiry; not stock, which changes), so a label
  // scanned without a network still shows what it is. A booking made then waits on the
  // phone and is checked by the server when it is sent.
  var LOTS_KEY = "inventory.scan.lots", LOTS_KEPT = 300;
  function remembered() {
    try { return JSON.parse(localStorage.getItem(LOTS_KEY) || "{}"); } catch (e) { return {}; }
  }
  function remember(lot) {
    var lots = remembered();
    lots[lot.code] = { item: lot.item, expiry_date: lot.lot.expiry_date, at: Date.now() };
    var codes = Object.keys(lots);
    if (codes.length > LOTS_KEPT) {  // forget the longest unseen
      codes.sort(function (a, b) { return lots[b].at - lots[a].at; }).slice(LOTS_KEPT)
        .forEach(function (code) { delete lots[code]; });
    }
    try { localStorage.setItem(LOTS_KEY, JSON.stringify(lots)); } catch (e) { /* full: not kept */ }
  }

  window.inventoryScanLabels = { clean: clean, sameCode: sameCode, read: read,
                                 remembered: remembered, remember: remember };
})();
