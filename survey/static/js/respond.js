/* Participant pages: progressive enhancement only. Every page works without this file.

   Widgets: a slider beside the thermometer's number box (no position until touched), move
   buttons and "Keep this order" for the ranking (nothing is ranked until the participant moves
   an item or keeps the order), live character counters. The form fields stay the source of
   truth, so what is posted is the same either way.

   The questionnaire (docs/background-saves.md): once the wave's other steps have arrived
   (one request), Next and Back show the next step at once, with its own address in the
   history; each page's answers go into a queue kept on this device (localStorage, no token)
   and are sent in the background as the page's own form POST, asking for JSON, with the
   page's revision; failed sends are retried with backoff, and whatever is unsent survives a
   reload or going offline. Submit waits until every page is saved. */
(function () {
  "use strict";

  var DIGITS = { "\u06f0": 0, "\u06f1": 1, "\u06f2": 2, "\u06f3": 3, "\u06f4": 4, "\u06f5": 5,
    "\u06f6": 6, "\u06f7": 7, "\u06f8": 8, "\u06f9": 9, "\u0660": 0, "\u0661": 1, "\u0662": 2,
    "\u0663": 3, "\u0664": 4, "\u0665": 5, "\u0666": 6, "\u0667": 7, "\u0668": 8, "\u0669": 9 };

  function westernDigits(text) {
    return text.replace(/[\u06f0-\u06f9\u0660-\u0669]/g, function (ch) { return String(DIGITS[ch]); });
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : all;
    });
  }

  function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text !== undefined) { made.textContent = text; }
    return made;
  }

  /* ------------------------------------------------------------------ widgets */

  /* Thermometer: a slider beside the number box, which stays the answer. The slider has no
     name and no position of its own: until the participant touches it (or types a number) its
     thumb is hidden and it reads "Not answered", so an untouched thermometer records nothing. */
  function initThermometer(entry) {
    var input = entry.querySelector("input[type=text]");
    var fieldset = entry.closest("fieldset");
    var declined = fieldset.querySelector("input[type=checkbox]");
    var legend = fieldset.querySelector("legend");
    var scale = element("div", "thermometer-scale");
    var slider = element("input");
    slider.type = "range";
    slider.min = input.dataset.min;
    slider.max = input.dataset.max;
    slider.step = "1";
    slider.setAttribute("aria-label", legend ? legend.textContent.trim() : input.id);
    [element("span", "end", slider.min), slider, element("span", "end", slider.max)]
      .forEach(function (part) { scale.appendChild(part); });

    function show(set) {
      slider.classList.toggle("unset", !set);
      if (set) { slider.removeAttribute("aria-valuetext"); } else {
        slider.setAttribute("aria-valuetext", entry.dataset.unset);
      }
    }
    function fromBox() {
      var value = westernDigits(input.value.trim());
      var set = /^\d+$/.test(value) && +value >= +slider.min && +value <= +slider.max;
      slider.value = set ? value : String(Math.round((+slider.min + +slider.max) / 2));
      show(set);
    }
    function fromSlider() {
      input.value = slider.value;
      show(true);
      if (declined) { declined.checked = false; }
    }
    slider.addEventListener("input", fromSlider);
    // A tap on the track where the hidden thumb sits changes no value: it still sets it.
    slider.addEventListener("pointerup", fromSlider);
    input.addEventListener("input", function () {
      fromBox();
      if (declined && input.value.trim()) { declined.checked = false; }
    });
    if (declined) {
      declined.addEventListener("change", function () {
        if (declined.checked) { input.value = ""; fromBox(); }
      });
    }
    fieldset.addEventListener("survey:filled", fromBox);
    fromBox();
    entry.appendChild(scale);
  }

  /* Ranking: listed in the order drawn for the participant, unranked. Moving an item ("move up",
     "move down": keyboard and touch) or pressing "Keep this order" numbers every item by its
     place; choosing a number in a select swaps it with the item that had it. */
  function initRanking(fieldset) {
    var list = fieldset.querySelector(".ranking-items");
    var status = fieldset.querySelector("[data-ranking-status]");
    var hint = fieldset.querySelector(".hint");
    var items = function () { return Array.prototype.slice.call(list.children); };
    var count = items().length;

    function label(item) { return item.querySelector("label").textContent.trim(); }
    function select(item) { return item.querySelector("select"); }
    function announce(text) { status.textContent = text; }
    function announceRank(item) {
      announce(fill(fieldset.dataset.status, { item: label(item), rank: select(item).value, count: count }));
    }
    function renumber() {
      items().forEach(function (item, index) { select(item).value = String(index + 1); });
    }
    function sortIfComplete() {
      var ranks = items().map(function (item) { return +select(item).value; });
      var complete = ranks.every(function (rank) { return rank > 0; }) &&
        new Set(ranks).size === ranks.length;
      if (complete) {
        items().sort(function (a, b) { return select(a).value - select(b).value; })
          .forEach(function (item) { list.appendChild(item); });
      }
    }
    function move(item, step, button) {
      var target = step < 0 ? item.previousElementSibling : item.nextElementSibling;
      if (!target) { return; }
      list.insertBefore(item, step < 0 ? target : target.nextElementSibling);
      renumber();
      items().forEach(function (other) { other.classList.remove("moved"); });
      item.classList.add("moved");
      var keep = (step < 0 ? item.previousElementSibling : item.nextElementSibling) ? button :
        item.querySelector(step < 0 ? ".move-down" : ".move-up");
      keep.focus();
      announceRank(item);
    }
    if (hint && fieldset.dataset.hint) { hint.textContent = fieldset.dataset.hint; }
    items().forEach(function (item) {
      var moves = element("span", "moves");
      item.appendChild(moves);
      [["move-up", "\u2191", fieldset.dataset.moveUp, -1],
       ["move-down", "\u2193", fieldset.dataset.moveDown, 1]].forEach(function (spec) {
        var button = element("button", "move secondary " + spec[0], spec[1]);
        button.type = "button";
        button.setAttribute("aria-label", spec[2] + ": " + label(item));
        button.addEventListener("click", function () { move(item, spec[3], button); });
        moves.appendChild(button);
      });
      var sel = select(item);
      sel.dataset.previous = sel.value;
      sel.addEventListener("focus", function () { sel.dataset.previous = sel.value; });
      sel.addEventListener("change", function () {
        var taken = items().filter(function (other) {
          return other !== item && select(other).value === sel.value && sel.value !== "";
        });
        taken.forEach(function (other) { select(other).value = sel.dataset.previous || ""; });
        sel.dataset.previous = sel.value;
        sortIfComplete();
        sel.focus();
        if (sel.value) { announceRank(item); }
      });
    });
    var keep = element("button", "secondary keep-order", fieldset.dataset.keep);
    keep.type = "button";
    keep.addEventListener("click", function () {
      renumber();
      announce(fieldset.dataset.kept);
    });
    list.parentNode.insertBefore(keep, list.nextSibling);
    fieldset.addEventListener("survey:filled", sortIfComplete);
    sortIfComplete();
  }

  /* Character counters: "120 of 2000 characters used", as the browser counts for maxlength. */
  function initCounter(counter) {
    var area = document.getElementById(counter.dataset.counterFor);
    if (!area) { return; }
    var limit = area.getAttribute("maxlength");
    function update() {
      counter.textContent = fill(counter.dataset.template, { count: area.value.length, limit: limit });
    }
    area.addEventListener("input", update);
    area.closest("[data-question]").addEventListener("survey:filled", update);
    update();
  }

  function initWidgets(root) {
    all(root, "[data-thermometer]").forEach(initThermometer);
    all(root, "[data-ranking]").forEach(initRanking);
    all(root, "[data-counter-for]").forEach(initCounter);
  }

  document.documentElement.dataset.script = "on";
  initWidgets(document);
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  /* ------------------------------------------------------------------ the questionnaire */

  var status = document.querySelector(".save-status[data-steps]");
  var main = document.getElementById("main");
  if (!status || !main || !window.fetch || !window.history.pushState) { return; }
  var own = main.querySelector("section.step");
  var TOKENS = "input[name=csrf_token], input[name=ticket]";
  var tokens = all(own, TOKENS).map(function (input) {
    return [input.name, input.value];
  });
  // Step code -> section
  var sections = {};
  // The step codes in order
  var order = [];
  var current = own.dataset.step;
  // "loading" the other steps; "steps": shown here; "native": they did not come, and pages
  // are posted as without the script.
  var mode = "loading";
  // A press that came before them: [form, button]
  var held = null;
  var storeKey = null;
  // Step code -> unsent save {page, url, fields, nav, revision}
  var saves = {};
  // Step code -> the save being sent
  var inFlight = {};
  // Step code -> the latest revision given to a save of the page
  var revisions = {};
  // Step code -> the page's answers need a change (shown at its fields)
  var problems = {};
  // A message that stops sending (another link, session ended, closed)
  var blocked = null;
  var failures = 0;
  var retryTimer = null;
  var submitting = false;
  // A language switch waiting for its page's save: {page, here}
  var switching = null;
  var savedOnce = false;
  var MAX_IN_FLIGHT = 4;
  // What the status says, in the page's language (with the other steps)
  var words = {};
  // Something to say once (newer answers shown)
  var note = "";
  // The timer that clears "Saved"
  var quiet = null;

  var FIELDS = "input[name], select[name], textarea[name]";

  function formOf(section) { return section.querySelector("form"); }

  function fieldsOf(form) {
    var fields = [];
    all(form, FIELDS).forEach(function (input) {
      if (input.name === "csrf_token" || input.name === "ticket" || input.disabled) { return; }
      if ((input.type === "checkbox" || input.type === "radio") && !input.checked) { return; }
      fields.push([input.name, input.value]);
    });
    return fields;
  }

  /* Put values ([name, value] pairs, as the form posts them) into a form, clearing the rest. */
  function fillForm(form, values) {
    var byName = {};
    values.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
    all(form, FIELDS).forEach(function (input) {
      if (input.type === "hidden" || input.type === "submit") { return; }
      var given = byName[input.name] || [];
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = given.indexOf(input.value) >= 0;
      } else {
        input.value = given.length ? given[0] : "";
      }
    });
    all(form, "[data-question]").forEach(function (question) {
      question.dispatchEvent(new CustomEvent("survey:filled"));
    });
  }

  function hidden(pair) {
    var input = element("input");
    input.type = "hidden";
    input.name = pair[0];
    input.value = pair[1];
    return input;
  }

  function addTokens(form) {
    all(form, TOKENS).forEach(function (input) { input.remove(); });
    tokens.forEach(function (pair) { form.insertBefore(hidden(pair), form.firstChild); });
  }

  function codeOfUrl(url) {
    var path = new URL(url, location.href).pathname;
    return order.filter(function (code) {
      return new URL(sections[code].dataset.url, location.href).pathname === path;
    })[0];
  }

  /* ----------------------------------------- the queue, kept on this device */

  // Shared with other tabs of the link: a page's entry is replaced by a newer revision only,
  // and removed by the save that sent it.
  function persist(sent) {
    if (!storeKey) { return; }
    try {
      var kept = restore();
      Object.keys(saves).forEach(function (code) {
        if (!((kept[code] || {}).revision > saves[code].revision)) { kept[code] = saves[code]; }
      });
      if (sent && !saves[sent.page] && !((kept[sent.page] || {}).revision > sent.revision)) {
        delete kept[sent.page];
      }
      if (Object.keys(kept).length) {
        localStorage.setItem(storeKey, JSON.stringify(kept));
      } else {
        // Nothing of anyone's answers stays behind
        localStorage.removeItem(storeKey);
      }
    } catch (error) { /* private mode or full: the queue lives in this page only */ }
  }

  function restore() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}") || {}; } catch (error) { return {}; }
  }

  function enqueue(code, nav, extra) {
    var section = sections[code];
    var form = formOf(section);
    if (!form || code === "review") { return; }
    var save = { page: code, url: section.dataset.url, fields: fieldsOf(form).concat(extra || []),
      nav: nav };
    if (code !== "consent") {
      revisions[code] = (revisions[code] || 0) + 1;
      save.revision = revisions[code];
    }
    saves[code] = save;
    delete problems[code];
    persist();
    drain();
  }

  function drain() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (blocked) { return showStatus(); }
    var busy = Object.keys(inFlight).length;
    // Consent first: the other pages need it
    if (saves.consent || inFlight.consent) {
      if (!busy && saves.consent) { send(saves.consent); }
      return showStatus();
    }
    Object.keys(saves).forEach(function (code) {
      if (!inFlight[code] && busy < MAX_IN_FLIGHT) {
        busy += 1;
        send(saves[code]);
      }
    });
    showStatus();
    if (!busy && submitting) { submit(); }
  }

  function post(url, fields) {
    var body = new URLSearchParams();
    fields.concat(tokens).forEach(function (pair) { body.append(pair[0], pair[1]); });
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        data.code = response.status;
        return data;
      });
    });
  }

  function send(save) {
    inFlight[save.page] = save;
    var fields = save.fields.concat([["nav", save.nav]]);
    if (save.revision) { fields.push(["revision", String(save.revision)]); }
    post(save.url, fields).then(function (data) {
      delete inFlight[save.page];
      answered(save, data);
    }, function () {
      delete inFlight[save.page];
      retryLater();
    });
  }

  function done(save) {
    // Not if the page was saved again since
    if (saves[save.page] === save) {
      delete saves[save.page];
      persist(save);
    }
  }

  function answered(save, data) {
    var kind = data.status;
    // Changed again since sent
    var newer = saves[save.page] && saves[save.page] !== save;
    if (switching && switching.page === save.page && !newer && /saved|stale/.test(kind)) {
      done(save);
      return location.replace(switching.here);
    }
    if (kind === "saved") {
      failures = 0;
      savedOnce = true;
      done(save);
    } else if (kind === "stale") {
      revisions[save.page] = Math.max(revisions[save.page] || 0, data.revision);
      done(save);
      if (!newer) {
        fillForm(formOf(sections[save.page]), data.values);
        note = words.stale;
      }
    } else if (kind === "invalid") {
      done(save);
      switching = null;
      if (!newer) { showProblem(save.page, data.section); }
    } else if (kind === "consent") {
      if (!sections.consent) { blocked = words.retry; } else if (!saves.consent) {
        enqueue("consent", "next");
      }
    } else if (kind === "submitted") {
      return leave(data);
    } else if (kind === "closed") {
      // Nothing more can be saved: the page the server gives without the script says so in
      // full. What is unsent is already on this device (enqueue), sent if the wave opens again.
      blocked = data.message || words.retry;
      return location.reload();
    } else if (kind === "not-saved" || kind === "session-ended") {
      blocked = data.message || words.retry;
    } else if (data.code >= 500 || data.code === 429 || !data.code) {
      return retryLater();
    } else {
      // Refused as it stands (400, 404): sending it again would not help
      done(save);
    }
    drain();
  }

  function retryLater() {
    failures += 1;
    showStatus();
    if (!retryTimer) {
      var delay = Math.min(30000, 1000 * Math.pow(2, failures - 1)) * (0.75 + Math.random() / 2);
      retryTimer = setTimeout(drain, delay);
    }
  }

  /* The response is submitted: nothing left to send. Show the thank-you page that came with
     the submit (its own address in the history), or go to it. */
  function leave(data) {
    saves = {};
    try { localStorage.removeItem(storeKey); } catch (error) { /* as persist */ }
    if (!data.page) { return location.assign(data.next); }
    mode = status.dataset.mode = "done";
    main.innerHTML = data.page;
    document.title = data.title;
    status.textContent = "";
    history.pushState({ step: "thanks" }, "", data.next);
    focusTop(main);
  }

  function showProblem(code, html) {
    problems[code] = true;
    var section = sections[code];
    var template = element("template");
    template.innerHTML = html;
    var fresh = template.content.querySelector("section.step");
    var old = formOf(section);
    fresh.hidden = section.hidden;
    if (old && old.id) { formOf(fresh).id = old.id; }
    section.replaceWith(fresh);
    sections[code] = fresh;
    addTokens(formOf(fresh));
    initWidgets(fresh);
    if (code === current) { focusTop(fresh, fresh.querySelector(".error-summary")); }
  }

  function showStatus() {
    var pending = Object.keys(saves).length + Object.keys(inFlight).length;
    var text = "";
    status.textContent = "";
    if (blocked) {
      text = blocked;
    } else if (Object.keys(problems).length) {
      status.textContent = words.problem + " ";
      Object.keys(problems).forEach(function (code) {
        var link = element("a", "", sections[code].querySelector("h1").textContent);
        link.href = sections[code].dataset.url;
        status.appendChild(link);
        status.appendChild(document.createTextNode(" "));
      });
      status.dataset.pending = String(pending);
      return;
    } else if (pending && failures) {
      text = navigator.onLine === false ? words.offline : words.retry;
    } else if (pending) {
      text = submitting ? words.waiting : words.saving;
    } else if (note) {
      text = note;
      note = "";
    } else if (savedOnce) {
      text = words.saved;
    }
    status.textContent = text;
    status.classList.toggle("trouble", Boolean(blocked || (pending && failures)));
    status.dataset.pending = String(pending);
    // "Saved" makes way after a moment: the bar would take a phone's screen for nothing.
    clearTimeout(quiet);
    if (text === words.saved) {
      quiet = setTimeout(function () { status.textContent = ""; }, 4000);
    }
  }

  /* ----------------------------------------- showing a step */

  function focusTop(section, target) {
    window.scrollTo(0, 0);
    (target || section.querySelector("h1")).focus();
  }

  function show(code, options) {
    options = options || {};
    var section = sections[code];
    if (!section) { return; }
    sections[current].hidden = true;
    section.hidden = false;
    current = code;
    // Leaving the review calls off a submit waiting for the saves
    if (code !== "review" && submitting === true) { callOff(); }
    document.title = section.dataset.title;
    var next = section.querySelector("button[data-return]");
    if (next) {
      next.value = options.returning ? "review" : "next";
      next.textContent = options.returning ? next.dataset.return : next.dataset.next;
    }
    if (code === "review") { describeAnswers(section); }
    if (!options.fromHistory) { history.pushState({ step: code }, "", options.url || section.dataset.url); }
    var anchor = options.hash && document.getElementById(options.hash.slice(1));
    if (anchor && section.contains(anchor)) {
      anchor.scrollIntoView();
      (anchor.matches("input, select, textarea") ? anchor : anchor.querySelector("input, select, textarea") || anchor).focus();
    } else {
      // A page the server refused opens on what to put right, as the page without the script.
      focusTop(section, problems[code] && section.querySelector(".error-summary"));
    }
    showStatus();
  }

  function neighbour(code, step) {
    var index = order.indexOf(code) + step;
    return order[Math.max(0, Math.min(index, order.length - 1))];
  }

  /* The review shows what the forms hold now: saved or still in the queue. */
  function describeAnswers(review) {
    var unanswered = review.querySelector("form").dataset.unanswered;
    all(review, ".review-row dd").forEach(function (cell) {
      var change = cell.querySelector(".change");
      // The question the "Change" link leads to
      var code = change.hash.replace(/^#q-/, "");
      var question = null;
      order.forEach(function (step) {
        question = question || sections[step].querySelector("[data-question=\"" + code + "\"]");
      });
      while (cell.firstChild !== change) { cell.removeChild(cell.firstChild); }
      var answer = question ? describe(question) : [];
      var shown;
      if (!answer.length) {
        shown = element("span", "muted", unanswered);
      } else if (question.hasAttribute("data-ranking")) {
        shown = element("ol");
        answer.forEach(function (line) { shown.appendChild(element("li", "", line)); });
      } else {
        shown = element("span", "answer", answer.join(", "));
        shown.dir = "auto";  // a typed answer in its own direction, as the server shows it
      }
      cell.insertBefore(shown, change);
    });
  }

  function describe(question) {
    if (question.hasAttribute("data-ranking")) {
      var items = all(question, ".ranking-item");
      var ranked = items.every(function (item) { return item.querySelector("select").value; });
      return !ranked ? [] : items.slice().sort(function (a, b) {
        return a.querySelector("select").value - b.querySelector("select").value;
      }).map(function (item) { return item.querySelector("label").textContent.trim(); });
    }
    var parts = [];
    all(question, "input, textarea").forEach(function (input) {
      if (input.type === "checkbox" || input.type === "radio") {
        if (input.checked) { parts.push(input.closest("label").textContent.trim()); }
      } else if (input.type !== "range" && input.value.trim()) {
        parts.push(input.dataset.min ? westernDigits(input.value.trim()) : input.value.trim());
      }
    });
    return parts;
  }

  /* ----------------------------------------- checks before leaving a page */

  /* The message joins what already describes the field (its hint, the server's message) and
     leaves with it: the field never points at a message that is gone. */
  function describedBy(input, id, present) {
    var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
      return x && x !== id;
    }).concat(present ? [id] : []);
    input[ids.length ? "setAttribute" : "removeAttribute"]("aria-describedby", ids.join(" "));
  }

  function fieldError(holder, input, message) {
    var shown = holder.querySelector(".error-message.client");
    if (!message) {
      if (shown) { describedBy(input, shown.id, false); shown.remove(); }
      holder.classList.remove("has-error");
      input.removeAttribute("aria-invalid");
      return true;
    }
    if (!shown) {
      shown = element("p", "error-message client");
      shown.id = input.id + "-client-error";
      var legend = holder.querySelector("legend");
      holder.insertBefore(shown, legend ? legend.nextSibling : holder.firstChild);
      describedBy(input, shown.id, true);
    }
    shown.textContent = message;
    holder.classList.add("has-error");
    input.setAttribute("aria-invalid", "true");
    return false;
  }

  function checked(form, code) {
    var wrong = null;
    if (code === "consent") {
      var agree = form.querySelector("input[name=agree]");
      if (!fieldError(agree.closest(".question"), agree, agree.checked ? "" : form.dataset.required)) {
        wrong = agree;
      }
    }
    all(form, "input[data-invalid]").forEach(function (input) {
      var value = westernDigits(input.value.replace(/\s+/g, "")).replace("\u2212", "-");
      var fine = !value || (/^-?\d{1,6}$/.test(value) && +value >= +input.dataset.min &&
        +value <= +input.dataset.max);
      if (!fieldError(input.closest("fieldset"), input, fine ? "" : input.dataset.invalid) && !wrong) {
        wrong = input;
      }
    });
    if (wrong) { wrong.focus(); }
    return !wrong;
  }

  /* ----------------------------------------- what the participant does */

  function press(form, button) {
    // A language button held until the steps came
    if (button && button.name === "language") { return switchLanguage(button); }
    var section = form.closest("section.step");
    var code = section.dataset.step;
    var nav = button ? button.value : "next";
    if (code === "review") {
      submitting = true;
      form.querySelector("button[value=submit]").disabled = true;
      return drain();
    }
    if (nav !== "back" && !checked(form, code)) { return; }
    enqueue(code, nav);
    show(nav === "back" ? neighbour(code, -1) : nav === "review" ? "review" : neighbour(code, 1));
  }

  function callOff() {
    submitting = false;
    sections.review.querySelector("button[value=submit]").disabled = false;
  }

  function submit() {
    if (Object.keys(problems).length) {
      callOff();
      return show(Object.keys(problems)[0]);
    }
    if (submitting === "sent") { return; }
    submitting = "sent";
    showStatus();
    post(sections.review.dataset.url, [["nav", "submit"]]).then(function (data) {
      submitting = true;
      if (data.status === "submitted") { return leave(data); }
      if (data.status === "incomplete" || data.status === "consent") {
        callOff();
        return show(codeOfUrl(data.next) || order[0]);
      }
      if (data.message) { blocked = data.message; }
      if (data.code >= 500 || data.code === 429) { return retryLater(); }
      showStatus();
    }, function () {
      submitting = true;
      retryLater();
    });
  }

  function switchLanguage(button) {
    var page = sections[current];
    // A page opened with "Change" stays on its way back to the review in the other language.
    var next = page.querySelector("button[data-return]");
    var here = mode === "done" ? location.pathname
      : page.dataset.url + (next && next.value === "review" ? "?return=review" : "");
    if (mode === "steps" && formOf(page) && page.querySelector("[data-question]")) {
      // As without the script: the page's save carries the language (its ticket stands in for
      // a lost session), and the page comes again in it once saved.
      switching = { page: current, here: here };
      return enqueue(current, "stay", [["language", button.value]]);
    }
    // The page in the other language takes this page's place in the history, as the same step:
    // Back then leaves the step rather than showing it again in the language just left.
    function again() { location.replace(here); }
    if (mode === "steps") {
      // Consent and the review: their form carries the language alone, with its ticket.
      return post(page.dataset.url, [["language", button.value]]).then(function (data) {
        if (!/not-saved|session-ended/.test(data.status)) { return again(); }
        blocked = data.message;
        showStatus();
      }, again);
    }
    // The thank-you page: where the switch is refused, the page then says why.
    var fields = [["language", button.value], ["next", here]].concat(tokens.filter(function (pair) {
      return pair[0] === "csrf_token";
    }));
    fetch(status.dataset.language, {
      method: "POST", body: new URLSearchParams(fields), credentials: "same-origin",
      redirect: "manual"
    }).then(again, again);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (mode === "native" || !form.closest("section.step")) { return; }
    event.preventDefault();
    if (mode === "loading") { held = [form, event.submitter]; return; }
    press(form, event.submitter);
  });

  document.addEventListener("click", function (event) {
    var language = event.target.closest("nav.languages button");
    if (language && mode !== "loading" && mode !== "native") {
      event.preventDefault();
      return switchLanguage(language);
    }
    if (mode !== "steps") { return; }
    var link = event.target.closest("a[href]");
    var inside = link && (main.contains(link) || status.contains(link));
    if (!inside || link.origin !== location.origin) { return; }
    var code = codeOfUrl(link.href);
    if (!code) { return; }
    event.preventDefault();
    var url = new URL(link.href);
    show(code, { returning: url.searchParams.get("return") === "review", hash: url.hash,
      url: url.pathname + url.search });
  });

  window.addEventListener("popstate", function () {
    if (mode === "done") { return location.reload(); }  // the server says where to be now
    var code = mode === "steps" && codeOfUrl(location.href);
    if (!code || code === current) { return; }
    if (current !== "review") { enqueue(current, "stay"); }
    show(code, { fromHistory: true,
      returning: new URL(location.href).searchParams.get("return") === "review" });
  });

  window.addEventListener("online", function () { failures = Math.min(failures, 1); drain(); });
  window.addEventListener("offline", showStatus);

  /* ----------------------------------------- the wave's other steps */

  function arrive(wave) {
    var template = element("template");
    template.innerHTML = wave.html;
    all(template.content, "section.step").forEach(function (section) {
      var code = section.dataset.step;
      order.push(code);
      if (code === current) {
        sections[code] = own;
        return;
      }
      section.hidden = true;
      sections[code] = section;
      var form = formOf(section);
      if (form) { addTokens(form); }
    });
    var before = own;
    order.slice(order.indexOf(current) + 1).reverse().forEach(function (code) {
      own.parentNode.insertBefore(sections[code], before.nextSibling);
    });
    order.slice(0, order.indexOf(current)).forEach(function (code) {
      own.parentNode.insertBefore(sections[code], own);
    });
    Object.keys(wave.orders).forEach(function (question) {
      var holder = main.querySelector("[data-question=\"" + question + "\"]");
      if (!holder || own.contains(holder)) { return; }
      var list = holder.querySelector("[data-item]").parentNode;
      wave.orders[question].forEach(function (item) {
        list.appendChild(list.querySelector("[data-item=\"" + item + "\"]"));
      });
    });
    order.forEach(function (code) {
      var form = formOf(sections[code]);
      if (code !== current && form && wave.values[code]) { fillForm(form, wave.values[code]); }
      if (code !== current) { initWidgets(sections[code]); }
    });
    words = wave.words;
    revisions = wave.revisions || {};
    storeKey = "survey.saves." + wave.response;
    saves = restore();
    Object.keys(saves).forEach(function (code) {
      var save = saves[code];
      if (!sections[code]) { return delete saves[code]; }
      fillForm(formOf(sections[code]), save.fields);
      revisions[code] = Math.max(revisions[code] || 0, save.revision || 0);
    });
    mode = status.dataset.mode = "steps";
    if (current === "review") { describeAnswers(own); }
    drain();
    if (held) { press(held[0], held[1]); }
  }

  fetch(status.dataset.steps, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    })
    .then(arrive)
    .catch(function () {
      if (mode !== "loading") { return; }
      // Pages are posted as without the script
      mode = status.dataset.mode = "native";
      if (held) { held[0].requestSubmit(held[1]); }
    });
})();
