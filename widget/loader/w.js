// Ringback loader: the one file behind <script async src=".../w.js" data-site="KEY">.
//
// It must never slow the page: it runs after parsing (async), asks the worker's *decide*
// endpoint which widget to show, and downloads nothing more when the answer is "nothing here".
// Otherwise it imports the widget's wasm and mounts it inside a Shadow DOM root, so the site's
// CSS and the widget's CSS cannot touch each other. Built (minified) by `cargo xtask build`.
(function (win, doc) {
  var script = doc.currentScript;
  // Loaded twice (two tags, or a tag re-inserted by a single-page site): the first one wins.
  if (!script || win.Ringback) return;
  var site = script.getAttribute("data-site");
  var base = new URL(".", script.src).href;
  win.Ringback = { site: site };

  var q = new URLSearchParams({ site: site, url: location.href });
  if (doc.referrer) q.set("referrer", doc.referrer);

  fetch(base + "api/v1/decide?" + q)
    .then(function (r) {
      if (!r.ok) throw new Error("decide answered " + r.status);
      return r.json();
    })
    .then(function (answer) {
      if (!answer.widget) return;
      return import(base + "widget/widget.js").then(function (m) {
        return m.default({ module_or_path: base + "widget/widget_bg.wasm" }).then(function () {
          var host = doc.createElement("ringback-widget");
          // Inline !important beats any stylesheet rule of the site, including `* {...}`.
          host.setAttribute(
            "style",
            "all:initial!important;display:block!important;position:fixed!important;" +
              "top:0!important;left:0!important;width:0!important;height:0!important;" +
              "z-index:2147483647!important"
          );
          var mountPoint = doc.createElement("div");
          host.attachShadow({ mode: "open" }).appendChild(mountPoint);
          // The root element, not <body>: a transformed body would trap position:fixed.
          doc.documentElement.appendChild(host);
          m.mount(mountPoint, JSON.stringify(answer.widget));
        });
      });
    })
    .catch(function (e) {
      console.warn("Ringback:", e);
    });
})(window, document);
