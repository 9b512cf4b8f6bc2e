// Live monitor: polls the counts as JSON and replaces the numbers in place (no reload).
// Every element with data-count="path.to.value" shows that value of the JSON answer.
(function () {
  "use strict";
  var root = document.getElementById("monitor");
  if (!root || !window.fetch) { return; }
  var source = root.getAttribute("data-source");
  var interval = parseInt(root.getAttribute("data-interval"), 10) || 5000;
  var status = document.getElementById("monitor-status");
  // The match report costs more: ask for it every sixth poll (every half minute, as the page
  // says).
  var MATCHING_EVERY = 6;
  var polls = 0;
  var timer = null;

  function lookup(data, path) {
    var parts = path.split(".");
    for (var i = 0; i < parts.length; i++) {
      if (data === null || typeof data !== "object" || !(parts[i] in data)) { return undefined; }
      data = data[parts[i]];
    }
    return data;
  }

  function show(data) {
    var cells = root.querySelectorAll("[data-count]");
    for (var i = 0; i < cells.length; i++) {
      var path = cells[i].getAttribute("data-count");
      if (path.indexOf("matching.") === 0 && !("matching" in data)) { continue; }
      var value = lookup(data, path);
      if (value === undefined || value === null) { continue; }
      var text = String(value);
      if (cells[i].textContent !== text) {
        cells[i].textContent = text;
        cells[i].classList.add("changed");
        flashOff(cells[i]);
      }
    }
    // The server's time, in the workshop's zone as the rest of the console (not the laptop's).
    status.textContent = "Counts as of " + data.as_of + ".";
  }

  function flashOff(cell) {
    window.setTimeout(function () { cell.classList.remove("changed"); }, 2500);
  }

  function stop(message) {
    status.textContent = message;
    if (timer) { window.clearInterval(timer); timer = null; }
  }

  function poll() {
    if (document.hidden) { return; }
    polls += 1;
    var url = source + (polls % MATCHING_EVERY === 0 ? "?matching=1" : "");
    fetch(url, {
      credentials: "same-origin",
      redirect: "manual",
      cache: "no-store",
      // Tells the server this is not the user's own activity (it must not extend the
      // idle time-out of the session).
      headers: { "Accept": "application/json", "X-Background-Refresh": "1" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
        stop("You are signed out. Reload the page to sign in again.");
        return null;
      }
      if (!response.ok || type.indexOf("application/json") === -1) {
        throw new Error("status " + response.status);
      }
      return response.json();
    }).then(function (data) {
      if (data) { show(data); }
    }).catch(function () {
      status.textContent = "Cannot reach the server; trying again…";
    });
  }

  timer = window.setInterval(poll, interval);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && timer) { poll(); }
  });
}());
