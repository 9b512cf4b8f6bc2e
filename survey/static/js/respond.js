/* Participant pages: progressive enhancement only. Every page works without this file; it adds
   a slider to the thermometer, move buttons to the ranking, and live character counters.
   The form fields stay the source of truth, so what is posted is the same either way. */
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

  /* Thermometer: a range slider beside the number box, kept in step with it. The slider has no
     name, so only the number box is posted; it looks faded until the participant uses it. */
  function initThermometer(entry) {
    var input = entry.querySelector("input[type=text]");
    var fieldset = entry.closest("fieldset");
    var declined = fieldset && fieldset.querySelector("input[type=checkbox]");
    var legend = fieldset && fieldset.querySelector("legend");
    var slider = document.createElement("input");
    slider.type = "range";
    slider.min = input.dataset.min;
    slider.max = input.dataset.max;
    slider.step = "1";
    slider.setAttribute("aria-label", legend ? legend.textContent.trim() : input.id);

    function fromBox() {
      var value = westernDigits(input.value.trim());
      if (/^\d+$/.test(value) && +value >= +slider.min && +value <= +slider.max) {
        slider.value = value;
        slider.classList.remove("untouched");
      } else {
        slider.value = String(Math.round((+slider.min + +slider.max) / 2));
        slider.classList.add("untouched");
      }
    }
    slider.addEventListener("input", function () {
      input.value = slider.value;
      slider.classList.remove("untouched");
      if (declined) { declined.checked = false; }
    });
    input.addEventListener("input", function () {
      fromBox();
      if (declined && input.value.trim()) { declined.checked = false; }
    });
    if (declined) {
      declined.addEventListener("change", function () {
        if (declined.checked) { input.value = ""; fromBox(); }
      });
    }
    fromBox();
    entry.appendChild(slider);
  }

  /* Ranking: "move up" and "move down" buttons (keyboard and touch) reorder the list and number
     every item by its place; choosing a number in a select swaps it with the item that had it. */
  function initRanking(fieldset) {
    var list = fieldset.querySelector(".ranking-items");
    var status = fieldset.querySelector("[data-ranking-status]");
    var items = function () { return Array.prototype.slice.call(list.children); };
    var count = items().length;

    function label(item) { return item.querySelector("label").textContent.trim(); }
    function select(item) { return item.querySelector("select"); }
    function announce(item) {
      status.textContent = fill(fieldset.dataset.status,
        { item: label(item), rank: select(item).value, count: count });
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
      announce(item);
    }
    items().forEach(function (item) {
      var moves = document.createElement("span");
      moves.className = "moves";
      item.appendChild(moves);
      [["move-up", "\u2191", fieldset.dataset.moveUp, -1],
       ["move-down", "\u2193", fieldset.dataset.moveDown, 1]].forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "move secondary " + spec[0];
        button.textContent = spec[1];
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
        if (sel.value) { announce(item); }
      });
    });
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
    update();
  }

  function each(selector, init) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), init);
  }

  each("[data-thermometer]", initThermometer);
  each("[data-ranking]", initRanking);
  each("[data-counter-for]", initCounter);
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
