/* Draws the charts of a dashboard page (or of the offline report): the figure of each
   <div data-figure="ID"> is the JSON in <script type="application/json" id="ID">, a data block
   that the browser never executes, so the page needs no inline script.

   A chart is drawn when it comes near the screen, each in a task of its own: the trust page
   holds some twenty charts, and drawing them all at once kept a phone's page from answering
   for seconds. Before printing, every chart not yet drawn is drawn. */
(function () {
  "use strict";

  var NARROW = 480;  // px: a phone held upright
  var AHEAD = "600px 0px";  // how far below (and above) the screen charts are drawn beforehand
  var config = {
    responsive: true,
    displaylogo: false,
    // Never offered: "Share chart..." would upload the workshop's figures to Plotly's cloud.
    showSendToCloud: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"]
  };
  var waiting = [];

  function draw(element) {
    var at = waiting.indexOf(element);
    if (at < 0) {
      return;  // drawn already
    }
    waiting.splice(at, 1);
    var source = document.getElementById(element.getAttribute("data-figure"));
    if (!source) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    // A trace may ask to be drawn another way on a narrow plot (its meta.narrow: a mode
    // without the text that would not fit there; the numbers are in the page's table).
    if (element.clientWidth < NARROW) {
      figure.data.forEach(function (trace) {
        if (trace.meta && trace.meta.narrow) { trace.mode = trace.meta.narrow; }
      });
    }
    window.Plotly.newPlot(element, figure.data, figure.layout, config);
  }

  function drawAll() {
    waiting.slice().forEach(draw);
  }

  function start() {
    if (!window.Plotly) {
      return;
    }
    waiting = Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));
    // Each chart's place keeps its height before it is drawn: the page does not move as charts
    // appear, and only those truly near the screen are drawn.
    waiting.forEach(function (element) {
      var height = element.getAttribute("data-height");
      if (height) { element.style.minHeight = height + "px"; }
    });
    window.addEventListener("beforeprint", drawAll);
    if (!("IntersectionObserver" in window)) {
      drawAll();
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          window.setTimeout(function () { draw(entry.target); }, 0);
        }
      });
    }, {rootMargin: AHEAD});
    waiting.forEach(function (element) { observer.observe(element); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
