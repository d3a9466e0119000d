/* Live help on the report form: sums beside totals, broken rules in red,
 * blank cells marked, counts that follow the typing, keyboard entry and
 * pasting from spreadsheets.
 *
 * The rules are not written here: the page carries the declarations of
 * reports/tables/ as JSON (#nb-payload). The server re-checks everything on
 * save; this script only helps while typing.
 */
(function () {
  "use strict";

  const t = (text) => (typeof window.gettext === "function" ? window.gettext(text) : text);
  const NA = "NA";
  const INVALID = "INVALID";
  const OPS = {
    "=": { holds: (a, b) => Math.abs(a - b) < 1e-9, broken: "≠" },
    "≤": { holds: (a, b) => a <= b + 1e-9, broken: ">" },
    "≥": { holds: (a, b) => a + 1e-9 >= b, broken: "<" },
  };

  // The spellings of "not applicable" and the number rule of
  // reports/tables/numbers.py (parse_number: the full-width translation, the
  // pattern with commas only as thousands separators, the hints and the
  // wording of a refusal) come through the payload (set in init).
  let NA_SPELLINGS = new Set();
  let NUMBER = /^$/;
  let SYNTAX = { fullwidth: {}, hints: {}, refusal: "" };

  const spelled = (text) => Array.from(text, (c) => SYNTAX.fullwidth[c] || c).join("");

  function parse(text) {
    const raw = (text || "").trim();
    if (raw === "") return null;
    if (NA_SPELLINGS.has(raw)) return NA;
    const number = spelled(raw);
    if (!NUMBER.test(number)) return INVALID;
    return Number(number.replace(/,/g, ""));
  }

  // The server's message for a value parse refuses (number_refusal).
  function refusal(cellName, text) {
    const raw = (text || "").trim();
    const number = spelled(raw);
    let hint = "";
    if (/\p{Nd}/u.test(number.replace(/[0-9]/g, ""))) hint = SYNTAX.hints.digits;
    else if (number.includes(",")) hint = SYNTAX.hints.comma;
    const parts = { name: cellName, raw, hint: hint ? `：${hint}` : "" };
    return SYNTAX.refusal.replace(/\{(name|raw|hint)\}/g, (_match, key) => parts[key]);
  }

  function show(n) {
    return Number.isInteger(n) ? String(n) : String(Math.round(n * 1e6) / 1e6);
  }

  function init() {
    const payloadNode = document.getElementById("nb-payload");
    const form = document.getElementById("nb-form");
    if (!payloadNode || !form) return;
    const payload = JSON.parse(payloadNode.textContent);
    NA_SPELLINGS = new Set(payload.na_spellings);
    NUMBER = new RegExp(payload.number_pattern);
    SYNTAX = payload.number;
    const inputs = new Map();
    form.querySelectorAll("input.nb-cell").forEach((input) => inputs.set(input.dataset.code, input));
    const name = (code) => (payload.cells[code] ? payload.cells[code].name : code);
    const value = (code) => (inputs.has(code) ? parse(inputs.get(code).value) : null);
    const usable = (v) => v !== null && v !== NA && v !== INVALID;

    if (form.classList.contains("nb-readonly")) {
      form.querySelectorAll("input, textarea, select").forEach((el) => {
        if (el.type !== "hidden") el.disabled = true;
      });
    }

    function side(codes) {
      return codes.map((c) => `${name(c)} ${show(value(c))}`).join(" + ");
    }

    function evaluate(rule) {
      if (rule.kind === "previous") {
        const now = value(rule.this);
        if (!usable(now)) return null;
        const before = Number(rule.before);
        if (OPS[rule.op].holds(before, now)) return null;
        let message = `${t("上年")}${name(rule.last)} ${show(before)} ${OPS[rule.op].broken} ${t("本年")}${name(rule.this)} ${show(now)}`;
        if (rule.explanation) message += `（${rule.explanation}）`;
        return { cells: [rule.this], message };
      }
      const operands = rule.left.concat(rule.right);
      if (!operands.every((c) => usable(value(c)))) return null;
      const left = rule.left.reduce((s, c) => s + value(c), 0);
      const parts = rule.right.map(value);
      const right = rule.aggregate === "max" ? Math.max(...parts) : parts.reduce((s, v) => s + v, 0);
      if (OPS[rule.op].holds(left, right)) return null;
      let leftText = side(rule.left);
      if (rule.left.length > 1) leftText += ` = ${show(left)}`;
      let rightText;
      if (rule.aggregate === "max") {
        const top = rule.right[parts.indexOf(right)];
        rightText = `${t("其中最大的")}${name(top)} ${show(right)}`;
      } else {
        rightText = side(rule.right) + (rule.right.length > 1 ? ` = ${show(right)}` : "");
      }
      let message = `${leftText} ${OPS[rule.op].broken} ${rightText}`;
      if (rule.explanation) message += `（${rule.explanation}）`;
      return { cells: operands, message };
    }

    function sumText(rule) {
      // Beside a total: the sum of the parts typed so far.
      const parts = rule.right.map(value);
      const known = parts.filter(usable);
      const sum = known.reduce((s, v) => s + v, 0);
      const blanks = parts.length - known.length;
      let text = `∑ ${show(sum)}`;
      // A no-break space: in a narrow grid column "（26 项空白）" wraps whole.
      if (blanks) text += ` ${t("（")}${blanks}\u00a0${t("项空白）")}`;
      return text;
    }

    // Findings the page cannot re-check while typing (the year printed above
    // the table, cells unknown to the format) stay counted as the server found
    // them on the last save, so that the counts agree with the findings list.
    const live = new Set(["missing_cell", "invalid_value", "missing_section", "missing_signatory"]);
    payload.rules.forEach((rule) => live.add(rule.code));
    const kept = { missing: 0, error: 0, warning: 0 };
    document.querySelectorAll("#nb-findings .nb-finding[data-rule]").forEach((item) => {
      const severity = Object.keys(kept).find((key) => item.classList.contains(`nb-${key}`));
      if (severity && !live.has(item.dataset.rule)) kept[severity] += 1;
    });

    function refresh() {
      const counts = { ...kept };
      const state = new Map();
      inputs.forEach((input, code) => {
        const v = parse(input.value);
        const wrap = input.closest(".nb-cellwrap");
        const info = payload.cells[code];
        const blank = v === null && info && info.required;
        const invalid = v === INVALID || (v === NA && info && !info.na);
        state.set(code, { wrap, messages: [], severity: invalid ? "error" : null });
        wrap.classList.toggle("nb-blank", blank);
        if (blank) counts.missing += 1;
        if (invalid) {
          counts.error += 1;
          state.get(code).messages.push(
            v === NA ? `${name(code)}${t("不能填“不适用”")}` : refusal(name(code), input.value),
          );
        }
      });
      const sums = new Map();
      payload.rules.forEach((rule) => {
        // Only a total of several parts gets a sum; "a = b" between two single
        // cells (a3_answered = a3_closed) is a comparison, not a sum.
        if (
          rule.kind === "compare" &&
          rule.op === "=" &&
          rule.left.length === 1 &&
          rule.right.length > 1 &&
          rule.aggregate === "sum"
        ) {
          const list = sums.get(rule.left[0]) || [];
          list.push(sumText(rule));
          sums.set(rule.left[0], list);
        }
        const broken = evaluate(rule);
        if (!broken) return;
        counts[rule.severity] += 1;
        broken.cells.forEach((code, index) => {
          const s = state.get(code);
          if (!s) return;
          if (s.severity !== "error") s.severity = rule.severity;
          if (index === 0) s.messages.push(broken.message);
        });
      });
      state.forEach((s, code) => {
        s.wrap.classList.toggle("nb-broken", s.severity === "error");
        s.wrap.classList.toggle("nb-warn", s.severity === "warning");
        const msg = s.wrap.querySelector(".nb-rule-msg");
        msg.textContent = s.messages.join("；");
        msg.hidden = s.messages.length === 0;
        const sum = s.wrap.querySelector(".nb-sum");
        const list = sums.get(code);
        sum.hidden = !list;
        if (list) sum.textContent = list.join(" · ");
      });
      payload.sections.forEach((key) => {
        const area = document.getElementById(`id_section__${key}`);
        if (area && !area.value.trim()) counts.missing += 1;
      });
      form.querySelectorAll(".nb-signatories input").forEach((el) => {
        if (!el.value.trim()) counts.missing += 1;
      });
      Object.entries(counts).forEach(([key, n]) => {
        const node = document.querySelector(`[data-count="${key}"]`);
        if (node) node.textContent = String(n);
      });
    }

    // Keyboard: Enter moves down the column, Shift+Enter up; Tab follows the
    // table (the inputs are in the table's order).
    function neighbour(input, rowStep, colStep) {
      const cell = input.closest("td");
      const row = cell.closest("tr");
      if (colStep) {
        let next = cell;
        for (let i = 0; i < Math.abs(colStep); i += 1) {
          do {
            next = colStep > 0 ? next.nextElementSibling : next.previousElementSibling;
          } while (next && !next.querySelector("input.nb-cell"));
          if (!next) return null;
        }
        return next.querySelector("input.nb-cell");
      }
      const index = Array.prototype.indexOf.call(row.children, cell);
      let target = row;
      for (let i = 0; i < Math.abs(rowStep); i += 1) {
        do {
          target = rowStep > 0 ? target.nextElementSibling : target.previousElementSibling;
        } while (target && !(target.children[index] && target.children[index].querySelector("input.nb-cell")));
        if (!target) return null;
      }
      return target.children[index].querySelector("input.nb-cell");
    }

    form.addEventListener("keydown", (event) => {
      const input = event.target;
      if (!input.classList || !input.classList.contains("nb-cell") || event.key !== "Enter") return;
      // Enter that ends an input method's composition (全角 digits) stays put.
      if (event.isComposing) return;
      event.preventDefault();
      const next = neighbour(input, event.shiftKey ? -1 : 1, 0);
      if (next) {
        next.focus();
        next.select();
      }
    });

    // Pasting a column or a block copied from a spreadsheet fills the cells
    // below and to the right.
    form.addEventListener("paste", (event) => {
      const input = event.target;
      if (!input.classList || !input.classList.contains("nb-cell")) return;
      const text = (event.clipboardData || window.clipboardData).getData("text");
      if (!/[\t\n]/.test(text.replace(/\s+$/, ""))) return;
      event.preventDefault();
      const lines = text.replace(/\r/g, "").replace(/\n+$/, "").split("\n");
      let rowStart = input;
      lines.forEach((line, r) => {
        if (r > 0) rowStart = rowStart && neighbour(rowStart, 1, 0);
        let target = rowStart;
        line.split("\t").forEach((piece, c) => {
          if (c > 0) target = target && neighbour(target, 0, 1);
          if (target) target.value = piece.trim();
        });
      });
      refresh();
    });

    form.addEventListener("input", (event) => {
      // The server's refusal of a value no longer applies once it is retyped.
      const refused = event.target.closest && event.target.closest(".nb-cellwrap.nb-invalid");
      if (refused) {
        refused.classList.remove("nb-invalid");
        refused.querySelectorAll(".nb-cell-error").forEach((node) => {
          node.hidden = true;
        });
      }
      refresh();
    });

    const fill = document.getElementById("nb-fill-zero");
    if (fill) {
      fill.addEventListener("click", () => {
        const targets = new Set();
        let changed = true;
        const zero = (code) => value(code) === 0 || targets.has(code);
        while (changed) {
          changed = false;
          payload.rules.forEach((rule) => {
            if (rule.kind !== "compare" || rule.op !== "=" || rule.left.length !== 1) return;
            if (!zero(rule.left[0])) return;
            rule.right.forEach((code) => {
              if (value(code) === null && !targets.has(code)) {
                targets.add(code);
                changed = true;
              }
            });
          });
        }
        if (targets.size === 0) {
          window.alert(t("没有合计为 0 而分项空白的情况。"));
          return;
        }
        const names = Array.from(targets, name).slice(0, 8).join("、");
        const more = targets.size > 8 ? t(" 等") : "";
        if (!window.confirm(`${t("将把以下")} ${targets.size} ${t("个空白分项填为 0：")}${names}${more}${t("。确定吗？")}`)) return;
        targets.forEach((code) => {
          inputs.get(code).value = "0";
        });
        refresh();
      });
    }

    document.querySelectorAll(".nb-take-theirs").forEach((button) => {
      button.addEventListener("click", () => {
        const field = button.dataset.field;
        const id = field.startsWith("section:")
          ? `id_section__${field.slice(8)}`
          : field.startsWith("signatory:")
            ? `id_${field.slice(10)}`
            : `id_${field}`;
        const el = document.getElementById(id);
        if (el) {
          el.value = button.dataset.value;
          el.closest(".nb-cellwrap")?.classList.remove("nb-conflict");
          button.disabled = true;
          refresh();
        }
      });
    });

    document.querySelectorAll(".nb-jump").forEach((link) => {
      link.addEventListener("click", (event) => {
        const el = document.getElementById(link.dataset.target);
        if (!el) return;
        event.preventDefault();
        // Centred in the page and, for a wide grid, in its own scrolling box
        // (clear of the pinned row labels, see .nb-scroll in the CSS).
        el.scrollIntoView({ block: "center", inline: "nearest" });
        el.focus({ preventScroll: true });
      });
    });

    // The counts in the head lead to the findings, unfolded.
    const findings = document.getElementById("nb-findings");
    document.querySelectorAll('a[href="#nb-findings"]').forEach((link) => {
      link.addEventListener("click", () => {
        if (findings) findings.open = true;
      });
    });

    // 本表空白填 0: every blank cell of one table becomes 0 after one question
    // saying how many; nothing is saved until the clerk saves.
    document.querySelectorAll(".nb-fill-table").forEach((button) => {
      button.addEventListener("click", () => {
        const block = button.closest(".nb-block");
        const blanks = Array.from(block.querySelectorAll("input.nb-cell")).filter(
          (input) => !input.disabled && value(input.dataset.code) === null,
        );
        if (blanks.length === 0) {
          window.alert(t("本表没有空白单元格。"));
          return;
        }
        if (!window.confirm(`${t("将把本表")} ${blanks.length} ${t("个空白单元格填为 0，确定吗？")}`)) return;
        blanks.forEach((input) => {
          input.value = "0";
        });
        refresh();
      });
    });

    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
