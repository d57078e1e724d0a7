// Shows an event's time in the reader's own zone beside the event's zone.
// The page states the time in the event's zone without this script.
document.querySelectorAll("time[data-local-end]").forEach(function (el) {
  var start = new Date(el.getAttribute("datetime"));
  var end = new Date(el.getAttribute("data-local-end"));
  var out = el.parentNode.querySelector(".local-time");
  if (isNaN(start) || !out) return;
  var day = { weekday: "long", month: "long", day: "numeric", hour: "numeric", minute: "2-digit" };
  var hour = { hour: "numeric", minute: "2-digit", timeZoneName: "short" };
  out.textContent = "(your time: " + start.toLocaleString(undefined, day) + " – " + end.toLocaleTimeString(undefined, hour) + ")";
  out.hidden = false;
});
