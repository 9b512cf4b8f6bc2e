// Staff sessions end after STAFF_IDLE_MINUTES without activity. Typing a long correction or a
// message sends no request, so while someone works on a page this tells the server so, at most
// once every third of the idle time (data-every, in ms), from the first keystroke, click or
// touch after that time; an unattended page sends nothing and its session ends as it should.
// If the session has ended anyway, the page says so before anything more is typed in vain.
(function () {
  "use strict";
  var script = document.currentScript;
  var logout = document.querySelector('form[action$="/auth/logout"] input[name="csrf_token"]');
  if (!script || !logout || !window.fetch) { return; }
  var address = script.getAttribute("data-alive");
  var every = parseInt(script.getAttribute("data-every"), 10) || 600000;
  var last = Date.now(); // the page's own request counted as activity
  var ended = false;

  function signedOut() {
    ended = true;
    var note = document.createElement("p");
    note.className = "flash flash-error";
    note.setAttribute("role", "alert");
    note.textContent = "You have been signed out. Copy what you have typed on this page, " +
      "sign in again, and then enter it once more.";
    var main = document.getElementById("main");
    main.insertBefore(note, main.firstChild);
  }

  function active() {
    if (ended || Date.now() - last < every) { return; }
    last = Date.now();
    fetch(address, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": logout.value }
    }).then(function (response) {
      // A session that has ended is sent to the sign-in page.
      if (response.redirected || response.status === 400) { signedOut(); }
    }, function () { /* offline for a moment: the next activity tries again */ last = 0; });
  }

  ["keydown", "input", "pointerdown"].forEach(function (name) {
    document.addEventListener(name, active, { passive: true, capture: true });
  });
}());
