/* Service worker of the scan page: keeps the page and the files it loads on the phone, so
 * that a keeper can open it without a network (a tab the phone closed, a depot with no
 * signal). Bookings made then wait on the phone and are sent later (scan_waiting.js).
 *
 * Registered with the scan page as its scope, it controls no other page. It answers the
 * page and its static files from the network first, and from what it kept when there is
 * none or when only a proxy answers (502-504). A scan page the server no longer gives
 * (signed out) is forgotten, and signing out forgets everything kept (app.js): the next
 * user of a shared phone must not see it. */
"use strict";

var CACHE = "inventory-scan-v1";
var ROOT = new URL("./", self.location).pathname;  // where the app is served, e.g. "/"
var SCAN = ROOT + "scan", STATIC = ROOT + "static/";
// A reverse proxy's answers while the app behind it is down or restarting: the kept copy
// serves then as it does without a network.
var SERVER_AWAY = [502, 503, 504];

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== "GET") { return; }
  if (request.mode === "navigate" && url.pathname === SCAN) {
    event.respondWith(networkFirst(request, SCAN));
  } else if (url.pathname.indexOf(STATIC) === 0) {
    // Kept under the pathname, whatever its version (?v=…): offline, the last kept copy
    // serves. Online, a versioned file comes from the browser's cache, without a request.
    event.respondWith(networkFirst(request, url.pathname));
  }
});

// The scan page, once open, names the files it loaded: keep them (and the page) for the
// next time, as its first load happened before this worker answered anything. A file is
// kept under its pathname, as the fetch handler looks it up; a name with its version
// (?v=…) is fetched as named, which the browser's cache answers without the network.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep-scan-page") { return; }
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    var files = (data.files || []).map(function (file) { return new URL(file, self.location); })
      .filter(function (url) { return url.origin === self.location.origin && url.pathname.indexOf(STATIC) === 0; });
    var urls = [new URL(SCAN, self.location)].concat(files);
    return Promise.all(urls.map(function (url) {
      return cache.match(url.pathname).then(function (kept) {
        return kept || fetch(url.href, { credentials: "same-origin" }).then(function (response) {
          if (keepable(response)) { return cache.put(url.pathname, response); }
        });
      });
    }));
  }).catch(function () { /* offline or storage refused: nothing kept, nothing broken */ }));
});

function keepable(response) {
  return response.ok && !response.redirected && response.type === "basic";
}

function networkFirst(request, key) {
  return fetch(request).then(function (response) {
    if (keepable(response)) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(key, copy); })
        .catch(function () { /* storage full: served, not kept */ });
    } else if (key === SCAN && response.type === "opaqueredirect") {  // to the sign-in page
      caches.delete(CACHE);
    } else if (SERVER_AWAY.indexOf(response.status) >= 0) {  // the proxy answers, the app does not
      return keptCopy(key).then(function (kept) { return kept || response; });
    }
    return response;
  }, function (error) {
    return keptCopy(key).then(function (kept) { if (kept) { return kept; } throw error; });
  });
}

// What was kept under `key` (null if nothing), marked for the page: a Server-Timing entry
// named "kept", which the page reads to say that it is not fresh from the server.
function keptCopy(key) {
  return caches.open(CACHE).then(function (cache) { return cache.match(key); }).then(function (kept) {
    if (!kept) { return null; }
    var headers = new Headers(kept.headers);
    headers.set("Server-Timing", "kept");
    return new Response(kept.body, { status: kept.status, statusText: kept.statusText, headers: headers });
  });
}
