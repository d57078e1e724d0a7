// The studio's edition composer (internal/web/studio, editions.tmpl).
// Autosave: a few seconds after typing stops (and at least every ten
// seconds while it goes on) the form is posted as it stands, based on the
// version it was drawn from; the server answers with the new version, or
// 409 when someone saved in between, and then the form is posted the
// ordinary way to show the conflict view with both texts. Entries and
// items move with Alt+ArrowUp/Down or by dragging their handle; each move
// is announced and saved. Without this script, every button posts the form.
(function () {
  "use strict";
  var form = document.getElementById("composer");
  if (!form) return;
  var status = document.getElementById("save-status");
  var announce = document.getElementById("move-status");
  var preview = document.getElementById("preview");
  var versionLabel = document.getElementById("version-label");
  var stateLabel = document.getElementById("state-label");
  var entries = document.getElementById("entries");

  var IDLE = 2000, MOST = 10000;
  var dirty = false, saving = null, idleTimer = 0, firstChange = 0, stopped = false;

  function say(text) { status.textContent = text; }

  function changed() {
    if (stopped) return;
    dirty = true;
    say("Unsaved changes…");
    var now = Date.now();
    if (!firstChange) firstChange = now;
    clearTimeout(idleTimer);
    var wait = Math.max(0, Math.min(IDLE, firstChange + MOST - now));
    idleTimer = setTimeout(save, wait);
  }

  function body() {
    var data = new URLSearchParams(new FormData(form));
    data.delete("op");
    return data;
  }

  // save posts the form and resolves once the server has it (or has
  // refused it). Saves never overlap: a change made during one is saved
  // by the next, based on the version the first returned.
  function save() {
    clearTimeout(idleTimer);
    if (saving) return saving.then(function () { return dirty ? save() : undefined; });
    if (!dirty) return Promise.resolve();
    dirty = false;
    firstChange = 0;
    say("Saving…");
    saving = fetch(form.action, {
      method: "POST",
      headers: { Accept: "application/json" },
      body: body(),
      credentials: "same-origin"
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (b) { return { status: r.status, body: b }; });
    }).then(function (res) {
      saving = null;
      if (res.status === 200) {
        form.elements.version.value = res.body.version;
        versionLabel.textContent = res.body.version;
        if (res.body.state) stateLabel.textContent = res.body.state;
        var sugg = res.body.suggestions || {};
        form.querySelectorAll("[data-entry]").forEach(function (en) {
          var id = en.querySelector("input[name=entry]").value;
          var s = en.querySelector("[data-suggestion]");
          if (s && sugg[id] !== undefined) s.textContent = sugg[id];
        });
        say(dirty ? "Unsaved changes…" : "Saved as version " + res.body.version + ".");
        if (preview) preview.contentWindow.location.reload();
        return;
      }
      if (res.status === 409) {
        // Someone saved in between: the ordinary post of the same form
        // draws the conflict view, with this text and theirs.
        stopped = true;
        say("Someone else saved this edition; showing both texts…");
        HTMLFormElement.prototype.submit.call(form);
        return;
      }
      dirty = true;
      say("Not saved: " + (res.body.error || "the server answered " + res.status) +
        (res.body.field ? " (" + res.body.field + ")" : "") + ". Fix it and the next change saves again.");
    }, function () {
      saving = null;
      dirty = true;
      say("Not saved: the server could not be reached. Retrying…");
      idleTimer = setTimeout(save, IDLE * 2);
    });
    return saving;
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // A button of the form (add, move, remove) posts it the ordinary way,
  // based on the version the last save returned: a save still on its way
  // is waited for first, or the post would be based on the version before
  // it and be refused as stale.
  form.addEventListener("submit", function (e) {
    clearTimeout(idleTimer);
    if (saving) {
      e.preventDefault();
      var button = e.submitter;
      saving.then(function () {
        if (stopped) return;
        stopped = true;
        if (button && button.name) {
          var op = document.createElement("input");
          op.type = "hidden";
          op.name = button.name;
          op.value = button.value;
          form.appendChild(op);
        }
        HTMLFormElement.prototype.submit.call(form);
      });
      return;
    }
    stopped = true;
  });

  // Workflow buttons and links act on the saved copy: save first.
  // Each carries the version it acts on, which autosave moves on.
  document.querySelectorAll("form[data-workflow]").forEach(function (wf) {
    wf.addEventListener("submit", function (e) {
      wf.elements.version.value = form.elements.version.value;
      if (!dirty && !saving) return;
      e.preventDefault();
      save().then(function () {
        if (stopped) return;
        wf.elements.version.value = form.elements.version.value;
        HTMLFormElement.prototype.submit.call(wf);
      });
    });
  });
  document.querySelectorAll(".workflow a").forEach(function (a) {
    a.addEventListener("click", function (e) {
      if (!dirty && !saving) return;
      e.preventDefault();
      save().then(function () { if (!stopped) location.href = a.href; });
    });
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty && !stopped) e.preventDefault();
  });

  // "Use the suggestion" copies it into the lead-in.
  form.addEventListener("click", function (e) {
    var b = e.target.closest("[data-accept]");
    if (!b) return;
    e.preventDefault();
    var en = b.closest("[data-entry]");
    var lead = en.querySelector("textarea[name$='.lead_in']");
    lead.value = en.querySelector("[data-suggestion]").textContent;
    lead.focus();
    changed();
  });

  function renumber() {
    entries.querySelectorAll("[data-entry]").forEach(function (en, i) {
      var n = en.querySelector("[data-number]");
      if (n) n.textContent = String(i + 1);
      var h = en.querySelector("legend [data-handle]");
      if (h) h.setAttribute("aria-label", "Drag entry " + (i + 1));
    });
  }

  function describe(el) {
    var list = Array.prototype.filter.call(el.parentNode.children, function (c) { return c.matches(el.dataset.entry !== undefined ? "[data-entry]" : "[data-item]"); });
    var what = el.dataset.entry !== undefined ? "Entry" : "Item";
    return what + " moved to position " + (list.indexOf(el) + 1) + " of " + list.length + ".";
  }

  function moved(el) {
    renumber();
    announce.textContent = describe(el);
    dirty = true;
    save();
  }

  // Alt+ArrowUp/Down moves the focused item, or else the focused entry.
  entries.addEventListener("keydown", function (e) {
    if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
    var el = e.target.closest("[data-item]") || e.target.closest("[data-entry]");
    if (!el) return;
    var sel = el.dataset.item !== undefined ? "[data-item]" : "[data-entry]";
    var sib = e.key === "ArrowUp" ? el.previousElementSibling : el.nextElementSibling;
    while (sib && !sib.matches(sel)) sib = e.key === "ArrowUp" ? sib.previousElementSibling : sib.nextElementSibling;
    e.preventDefault();
    if (!sib) {
      announce.textContent = (sel === "[data-entry]" ? "Entry" : "Item") + " is already " + (e.key === "ArrowUp" ? "first." : "last.");
      return;
    }
    var focus = document.activeElement;
    if (e.key === "ArrowUp") sib.before(el); else sib.after(el);
    if (focus && focus.focus) focus.focus();
    moved(el);
  });

  // Dragging by the handle: entries among entries, items within their list.
  var dragged = null, dragFrom = -1;
  entries.addEventListener("dragstart", function (e) {
    var h = e.target.closest && e.target.closest("[data-handle]");
    if (!h) return;
    dragged = h.closest("legend") ? h.closest("[data-entry]") : h.closest("[data-item]");
    if (!dragged) return;
    dragged.classList.add("dragging");
    dragFrom = Array.prototype.indexOf.call(dragged.parentNode.children, dragged);
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", "");
    e.dataTransfer.setDragImage(dragged, 10, 10);
  });
  entries.addEventListener("dragover", function (e) {
    if (!dragged) return;
    var sel = dragged.dataset.entry !== undefined ? "[data-entry]" : "[data-item]";
    var over = e.target.closest && e.target.closest(sel);
    if (!over || over === dragged || over.parentNode !== dragged.parentNode) return;
    e.preventDefault();
    var box = over.getBoundingClientRect();
    if (e.clientY < box.top + box.height / 2) over.before(dragged); else over.after(dragged);
  });
  entries.addEventListener("drop", function (e) { if (dragged) e.preventDefault(); });
  entries.addEventListener("dragend", function () {
    if (!dragged) return;
    var el = dragged;
    dragged = null;
    el.classList.remove("dragging");
    if (Array.prototype.indexOf.call(el.parentNode.children, el) !== dragFrom) moved(el);
  });

  if (form.hasAttribute("data-unsaved") && !document.querySelector(".form-error")) {
    dirty = true;
    save();
  }
})();
