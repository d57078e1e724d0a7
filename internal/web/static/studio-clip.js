// Clipping on the studio's article page (internal/web/studio, article.tmpl).
// Select a passage of the text, press "c": the clip panel takes the
// passage and its code-point offsets, and the focus goes to the
// translation; Ctrl+Enter (or Cmd+Enter) saves. The form works without
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

  // On keyup, so that the "c" itself is typed nowhere: by then its
  // keydown and character went to the page, not to the translation.
  document.addEventListener("keyup", function (e) {
    if (e.key !== "c" || e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || !chosen) return;
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
