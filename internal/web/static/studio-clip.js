// Clipping on the studio's article page (internal/web/studio, article.tmpl).
// Select a passage of the text, press "c": the clip panel takes the
// passage and its code-point offsets, and the focus goes to the
// translation; Ctrl+Enter (or Cmd+Enter) saves. "n" and "p" go through
// the quotes the finder found, and "c" clips the one in focus. The form works without
// this script too: the exact passage, or start and end, typed in.
(function () {
  "use strict";
  var text = document.getElementById("article-text");
  var form = document.getElementById("clip-form");
  if (!text || !form) return;
  var panel = document.getElementById("clip-panel");
  var f = form.elements;
  var chosen = null; // {start, end, passage} of the last selection in the text

  // Offsets count code points of the text, as the server does: the text
  // container holds the article's text and nothing else, so everything
  // before the selection's start is text before it.
  function offsets(range) {
    var before = document.createRange();
    before.selectNodeContents(text);
    before.setEnd(range.startContainer, range.startOffset);
    var start = Array.from(before.toString()).length;
    var passage = range.toString();
    return { start: start, end: start + Array.from(passage).length, passage: passage };
  }

  document.addEventListener("selectionchange", function () {
    var sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    var range = sel.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return;
    chosen = offsets(range);
    fill();
  });

  function fill() {
    if (!chosen) return;
    f.start.value = chosen.start;
    f.end.value = chosen.end;
    f.passage.value = chosen.passage;
  }

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(el.tagName));
  }

  // Quote candidates (marks the server made from the quote finder's
  // results): "n" and "p" move the focus to the next and previous one,
  // and "c" on one clips it, its speaker filled in: the roster's key when
  // the server matched one, else the name and role as a new speaker.
  var quotes = Array.from(text.querySelectorAll("mark.quote-mark"));
  function quoteAt(el) { return quotes.indexOf(el); }
  function chooseQuote(m) {
    chosen = { start: +m.dataset.start, end: +m.dataset.end, passage: m.textContent };
    fill();
    if (m.dataset.speaker) {
      f.speaker.value = m.dataset.speaker;
      f.new_name.value = f.new_native.value = f.new_role.value = "";
    } else {
      f.speaker.value = "";
      f.new_native.value = m.dataset.native || "";
      f.new_role.value = m.dataset.role || "";
    }
  }

  // On keyup, so that the "c" itself is typed nowhere: by then its
  // keydown and character went to the page, not to the translation.
  document.addEventListener("keyup", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    var at = quoteAt(document.activeElement);
    if ((e.key === "n" || e.key === "p") && quotes.length > 0) {
      e.preventDefault();
      var next = e.key === "n" ? at + 1 : (at < 0 ? quotes.length - 1 : at - 1);
      quotes[(next + quotes.length) % quotes.length].focus();
      return;
    }
    if (e.key !== "c") return;
    if (at >= 0) {
      chooseQuote(quotes[at]);
    } else if (!chosen) {
      return;
    }
    e.preventDefault();
    fill();
    panel.classList.add("open");
    f.translation.focus();
  });

  form.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  // The speaker picker asks the roster as the analyst types: names and
  // aliases in either script, normalized on the server.
  var speaker = f.speaker;
  var options = document.getElementById("speaker-options");
  var timer = 0;
  var asked = "";
  speaker.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = speaker.value.trim();
      if (q === "" || q === asked) return;
      asked = q;
      fetch("/api/speakers?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { people: [] }; })
        .then(function (body) {
          if (q !== asked) return;
          options.replaceChildren.apply(options, (body.people || []).map(function (p) {
            var o = document.createElement("option");
            o.value = p.key;
            o.label = p.name + (p.native_name ? " (" + p.native_name + ")" : "") + (p.role ? ", " + p.role : "");
            return o;
          }));
        })
        .catch(function () { /* the field still takes a key or a name */ });
    }, 200);
  });

  var saved = new URLSearchParams(location.search).get("clipped");
  var mark = saved && document.getElementById("clip-" + saved);
  if (mark) mark.classList.add("current");
})();
