// DOM shorthands and the status line in the top bar.

/** The first element matching `sel`. */
export const $ = (sel) => document.querySelector(sel);
/** All elements matching `sel`, as an array. */
export const $$ = (sel) => [...document.querySelectorAll(sel)];

/** Show `text` in the status line; `kind` is "", "loading" or "error" (the line's class). */
export function setStatus(text, kind = "") {
  const line = $("#status");
  line.textContent = text;
  line.title = text;
  line.className = kind;
}

/** Select `value` in `select`, adding it as an option first if it is not there. */
export function ensureOption(select, value) {
  if (![...select.options].some((o) => o.value === value)) select.add(new Option(value, value));
  select.value = value;
}
