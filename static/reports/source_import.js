// The import page: when a clerk pastes from a web page, keep the clipboard's
// HTML too (the hidden field "html"), so that the report's table is read by
// its rows and columns rather than from the plain text, whose line breaks a
// browser chooses. Only HTML that holds a table is kept; typing in the box
// afterwards drops it, so that what is previewed is what the box shows.
"use strict";
(function () {
  function setUp() {
    var text = document.getElementById("nb-text");
    var html = document.getElementById("nb-html");
    var note = document.getElementById("nb-html-note");
    if (!text || !html) {
      return;
    }
    function keep(value) {
      html.value = value;
      if (note) {
        note.hidden = !value;
      }
    }
    text.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      var pasted = data ? data.getData("text/html") : "";
      var whole = text.selectionStart === 0 && text.selectionEnd === text.value.length;
      keep(/<table[\s>]/i.test(pasted) && whole ? pasted : "");
    });
    text.addEventListener("input", function (event) {
      if (event.inputType !== "insertFromPaste") {
        keep("");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
