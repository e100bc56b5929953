// The page's behaviour, in plain JavaScript: send the form on each change and show the findings
// the server renders (already escaped there); load a scenario from a file or a bundled example;
// ask a what-if (a yes-or-no or choice fact set to another of its values, an unknown one to any);
// switch language keeping what was typed.
"use strict";

(function () {
  const form = document.getElementById("scenario");
  const results = document.getElementById("results");
  const lang = document.body.dataset.lang;
  let pending = null;
  let asked = 0;

  function encoded() {
    return new URLSearchParams(new FormData(form)).toString();
  }

  async function refresh() {
    const mine = ++asked;
    results.setAttribute("aria-busy", "true");
    syncWhatif();
    const response = await fetch("/page/results?lang=" + encodeURIComponent(lang), {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded"},
      body: encoded(),
    });
    const html = await response.text();
    if (mine !== asked) return;  // a later change is on its way: show only the last answer
    const open = new Set(Array.from(results.querySelectorAll("details.derivation[open]"), drawingKey));
    results.innerHTML = html;
    // The drawings open before stay open, drawn again for the facts as they now are.
    for (const details of results.querySelectorAll("details.derivation")) {
      if (open.has(drawingKey(details))) details.open = true;
    }
    results.removeAttribute("aria-busy");
    results.dataset.ready = String(mine);
  }

  function drawingKey(details) {
    return [details.dataset.regime, details.dataset.head, details.dataset.proceeding].join(" ");
  }

  function soon() {
    clearTimeout(pending);
    pending = setTimeout(refresh, 150);
  }

  function fill(fields) {
    form.reset();
    for (const element of form.elements) {
      if (!element.name || element.type === "file") continue;
      if (element.name === "regimes") {
        const chosen = fields.regimes || [];
        element.checked = chosen.length === 0 || chosen.includes(element.value);
      } else if (element.name === "whatif" || element.name === "as_of") {
        element.value = "";
      } else if (element.type !== "submit" && element.type !== "button") {
        element.value = fields[element.name] !== undefined ? fields[element.name] : "";
      }
    }
    markWhatif("");
    refresh();
  }

  async function loaded(response) {
    const answer = await response.json();
    if (!response.ok) {
      results.innerHTML = "";
      const box = document.createElement("div");
      box.className = "problems";
      box.setAttribute("role", "alert");
      const list = document.createElement("ul");
      for (const problem of answer.problems || []) {
        const item = document.createElement("li");
        item.textContent = problem;  // text, never markup
        list.appendChild(item);
      }
      box.appendChild(list);
      results.appendChild(box);
      return;
    }
    fill(answer.fields);
  }

  // The what-if asked travels as `FACT=VALUE` in the hidden field `whatif`; each fact's menu
  // offers the values the fact does not have now (every value while it is unknown).
  function markWhatif(asked) {
    form.elements.whatif.value = asked;
    const [fact, value] = asked.split("=");
    for (const menu of form.querySelectorAll("select.whatif")) {
      menu.value = menu.dataset.whatif === fact ? value : "";
      menu.classList.toggle("chosen", menu.value !== "");
    }
  }

  function syncWhatif() {
    for (const menu of form.querySelectorAll("select.whatif")) {
      const current = form.elements[menu.dataset.whatif].value;
      for (const option of menu.options) {
        option.hidden = option.disabled = option.value !== "" && option.value === current;
      }
      if (menu.value !== "" && menu.value === current) markWhatif("");  // the fact now has that value
    }
  }

  form.addEventListener("input", function (event) {
    if (!event.target.matches("select.whatif")) soon();
  });
  form.addEventListener("change", function (event) {
    if (!event.target.matches("select.whatif")) return soon();
    markWhatif(event.target.value ? event.target.dataset.whatif + "=" + event.target.value : "");
    refresh();
  });

  // A derivation is drawn when its drawing is opened (toggle does not bubble: listen on capture).
  results.addEventListener("toggle", async function (event) {
    const details = event.target;
    if (!details.matches("details.derivation") || !details.open || details.dataset.drawn) return;
    const query = new URLSearchParams({lang, regime: details.dataset.regime, head: details.dataset.head,
                                       proceeding: details.dataset.proceeding});
    const response = await fetch("/page/derivation?" + query, {
      method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: encoded()});
    details.querySelector(".graph").innerHTML = await response.text();  // drawn and escaped by the server
    details.dataset.drawn = "true";
  }, true);

  document.getElementById("upload").addEventListener("change", async function (event) {
    event.stopPropagation();
    const file = event.target.files[0];
    if (!file) return;
    const body = await file.arrayBuffer();
    loaded(await fetch("/page/upload?lang=" + encodeURIComponent(lang),
                       {method: "POST", headers: {"Content-Type": "application/x-yaml"}, body}));
  });

  document.getElementById("example").addEventListener("change", async function (event) {
    event.stopPropagation();
    if (!event.target.value) return;
    loaded(await fetch("/page/example/" + encodeURIComponent(event.target.value) + "?lang=" + encodeURIComponent(lang)));
  });

  // Switching language keeps the facts typed: the form travels in the address's fragment, which
  // never reaches the server, and is put back by the page in the other language.
  for (const link of document.querySelectorAll("[data-lang-switch]")) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.href = "/?lang=" + link.dataset.langSwitch + "#" + encoded();
    });
  }
  if (window.location.hash.length > 1) {
    const fields = {regimes: []};
    for (const [name, value] of new URLSearchParams(window.location.hash.slice(1))) {
      if (name === "regimes") fields.regimes.push(value); else fields[name] = value;
    }
    history.replaceState(null, "", window.location.pathname + window.location.search);
    const whatif = fields.whatif || "";
    const asOf = fields.as_of || "";
    fill(fields);
    form.elements.as_of.value = asOf;
    markWhatif(whatif);
  }
  refresh();
})();
