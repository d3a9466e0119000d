// The print page's 打印 button (print.html).
(function () {
  "use strict";
  const button = document.getElementById("nb-print-button");
  if (button) button.addEventListener("click", () => window.print());
})();
