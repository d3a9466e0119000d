/* The review page: a click on a cell, a section or a signatory pins the
 * comment to it (the hidden field "cells" holds the pinned fields, comma
 * separated; the list beside the comment box shows their labels), and a
 * button that needs a comment says so before posting. The server checks
 * everything again.
 */
(function () {
  "use strict";

  const t = (text) => (typeof window.gettext === "function" ? window.gettext(text) : text);

  function init() {
    const form = document.getElementById("nb-review-form");
    if (!form) return; // nothing to comment on: no button is offered
    const hidden = document.getElementById("nb-cells");
    const list = document.getElementById("nb-pinned-list");
    const none = form.querySelector(".nb-pinned-none");
    const comment = document.getElementById("nb-comment");
    const error = document.getElementById("nb-comment-error");
    const targets = (name) =>
      document.querySelectorAll(`.nb-pin[data-field="${CSS.escape(name)}"]`);
    const pinned = hidden.value ? hidden.value.split(",").filter(Boolean) : [];

    function label(name) {
      const target = targets(name)[0];
      return target ? target.dataset.label : name;
    }

    function draw() {
      hidden.value = pinned.join(",");
      document.querySelectorAll(".nb-pin").forEach((el) => {
        const on = pinned.includes(el.dataset.field);
        el.classList.toggle("nb-pinned", on);
        el.setAttribute("aria-pressed", on ? "true" : "false");
      });
      list.replaceChildren(
        ...pinned.map((name) => {
          const item = document.createElement("li");
          item.dataset.field = name;
          const link = document.createElement("a");
          const target = targets(name)[0];
          link.href = target ? `#${target.id}` : "#";
          link.textContent = label(name);
          const remove = document.createElement("button");
          remove.type = "button";
          remove.className = "nb-unpin";
          remove.textContent = "×";
          remove.title = t("取消指向");
          remove.setAttribute("aria-label", `${t("取消指向")}：${label(name)}`);
          item.append(link, remove);
          return item;
        }),
      );
      none.hidden = pinned.length > 0;
    }

    function toggle(name) {
      const at = pinned.indexOf(name);
      if (at >= 0) pinned.splice(at, 1);
      else pinned.push(name);
      draw();
    }

    document.querySelectorAll(".nb-pin").forEach((el) => {
      el.addEventListener("click", () => toggle(el.dataset.field));
    });
    list.addEventListener("click", (event) => {
      const remove = event.target.closest(".nb-unpin");
      if (remove) toggle(remove.closest("li").dataset.field);
    });

    form.addEventListener("submit", (event) => {
      const button = event.submitter;
      if (button && button.dataset.commentRequired && !comment.value.trim()) {
        event.preventDefault();
        error.textContent = `${t("请先写明意见，再点")}“${button.textContent.trim()}”。`;
        error.hidden = false;
        comment.focus();
        return;
      }
      // One click, one transition: a second would be refused as stale.
      if (form.dataset.sent) event.preventDefault();
      form.dataset.sent = "1";
    });
    comment.addEventListener("input", () => {
      error.hidden = true;
    });
    draw();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
