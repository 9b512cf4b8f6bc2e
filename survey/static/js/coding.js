// The coding screen's keyboard shortcuts. Without JavaScript the forms work as they are.
// One answer at a time: 1–9 tick a theme, 0 "no theme", s save, n skip, p previous.
// A list: j / k go to the next / previous answer, then the same keys act on that answer.
// Ticking a theme clears "no theme" and the other way round, in both.
(function () {
  "use strict";
  var one = document.querySelector("[data-coding-one]");
  var list = document.querySelector("[data-coding-list]");
  if (!one && !list) { return; }

  function boxes(scope) {
    var themes = Array.prototype.slice.call(
      scope.querySelectorAll(".theme-box:not(.no-theme) input[type=checkbox]"));
    return { themes: themes, none: scope.querySelector(".no-theme input[type=checkbox]") };
  }

  function exclusive(event) {
    var box = event.target;
    if (box.type !== "checkbox" || !box.checked) { return; }
    var found = boxes(box.closest(".theme-boxes"));
    if (box === found.none) {
      found.themes.forEach(function (theme) { theme.checked = false; });
    } else if (found.none) {
      found.none.checked = false;
    }
  }

  function toggle(scope, key) {
    var found = boxes(scope);
    var box = key === "0" ? found.none : found.themes[parseInt(key, 10) - 1];
    if (!box) { return; }
    box.checked = !box.checked;
    exclusive({ target: box });
    box.focus();
  }

  function typing(target) {
    var tag = target.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" ||
      (tag === "INPUT" && target.type !== "checkbox") || target.isContentEditable;
  }

  function submit(form) {
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  var answers = list ? Array.prototype.slice.call(list.querySelectorAll(".coded-answer")) : [];
  var current = -1;

  function move(step) {
    if (!answers.length) { return; }
    current = Math.max(0, Math.min(answers.length - 1, current + step));
    answers.forEach(function (answer, i) { answer.classList.toggle("current", i === current); });
    answers[current].focus();
    answers[current].scrollIntoView({ block: "center" });
  }

  document.addEventListener("change", exclusive);
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var key = event.key;
    var form = one || list;
    if (/^[0-9]$/.test(key)) {
      var scope = one || (current >= 0 ? answers[current] : null);
      if (scope) { toggle(scope, key); event.preventDefault(); }
    } else if (key === "s") {
      submit(form);
      event.preventDefault();
    } else if (one && (key === "n" || key === "p")) {
      var link = one.querySelector("a[data-key='" + key + "']");
      if (link) { window.location.assign(link.href); event.preventDefault(); }
    } else if (list && (key === "j" || key === "k")) {
      move(key === "j" ? 1 : -1);
      event.preventDefault();
    }
  });
  if (list) {
    list.addEventListener("focusin", function (event) {
      var answer = event.target.closest(".coded-answer");
      var index = answers.indexOf(answer);
      if (index >= 0 && index !== current) {
        current = index;
        answers.forEach(function (a, i) { a.classList.toggle("current", i === current); });
      }
    });
  }
})();
