// The board's stacked bars (board.html): each segment's width comes from its
// data-width (a percentage), set here because the page allows no style="".
(function () {
  "use strict";
  for (const segment of document.querySelectorAll(".nb-bar [data-width]")) {
    segment.style.width = `${segment.dataset.width}%`;
  }
})();
