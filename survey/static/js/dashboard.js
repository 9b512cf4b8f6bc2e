/* Draws every chart of a dashboard page (or of the offline report): the figure of each
   <div data-figure="ID"> is the JSON in <script type="application/json" id="ID">, a data block
   that the browser never executes, so the page needs no inline script. */
(function () {
  "use strict";

  var NARROW = 480;  // px: a phone held upright
  var config = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"]
  };

  function draw() {
    if (!window.Plotly) {
      return;
    }
    var plots = document.querySelectorAll("[data-figure]");
    Array.prototype.forEach.call(plots, function (element) {
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
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
