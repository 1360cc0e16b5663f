// The site's own script (allowed by its policy's 'self'): the one script tag, from the Ringback
// origin and for the site key of the query string.
(function () {
  var q = new URLSearchParams(location.search);
  if (!q.get("site") || !q.get("from")) return;
  var s = document.createElement("script");
  s.async = true;
  s.src = q.get("from").replace(/\/$/, "") + "/w.js";
  s.setAttribute("data-site", q.get("site"));
  if (q.get("speed")) s.setAttribute("data-clock-speed", q.get("speed"));
  document.body.appendChild(s);
})();
