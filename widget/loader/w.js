// Ringback loader: the one file behind <script async src=".../w.js" data-site="KEY">.
//
// It must never slow the page: it runs after parsing (async), asks the worker's *decide*
// endpoint which widget to show, and downloads nothing more when the answer is "nothing here".
// Otherwise it draws the button at once from the answer (its inline style and label come
// computed in the answer) inside a Shadow DOM root, so the site's CSS and the widget's CSS
// cannot touch each other, and fetches the widget's wasm when the page is idle (or at once when
// the visitor reaches for the button); the wasm then replaces the button with its own, identical
// one. When a page of this session has shown the widget already, the wasm is fetched in
// parallel with *decide* (it is most likely needed, and the browser's cache makes it free).
// Single-page sites that change the URL without reloading get a fresh *decide* on every
// navigation.
//
// The page's API: Ringback.open(), .close(), .disable(), .on(event, fn) for "open", "order",
// "close", and Ringback.order({phone, name, fields, department, at}) -> Promise of the answer.
// Built (minified) by `cargo xtask build`.
(function (win, doc) {
  var script = doc.currentScript;
  // Loaded twice (two tags, or a tag re-inserted by a single-page site): the first one wins.
  if (!script || (win.Ringback && win.Ringback.site)) return;
  var site = script.getAttribute("data-site");
  var speed = +script.getAttribute("data-clock-speed") || 1;
  var base = new URL(".", script.src).href;
  var store = win.sessionStorage;
  var handlers = {};
  var pending = []; // calls made before the widget is mounted
  var widget = null; // { handle, live, host, id, mode }
  var wasm = null; // the widget module, once imported
  var disabled = false;
  var decided = null; // the current render model

  function get(k) {
    try {
      return store.getItem("ringback:" + k);
    } catch (e) {}
  }
  function set(k, v) {
    try {
      store.setItem("ringback:" + k, v);
    } catch (e) {}
  }
  function emit(type, detail) {
    (handlers[type] || []).forEach(function (fn) {
      try {
        fn({ type: type, detail: detail });
      } catch (e) {
        console.error(e);
      }
    });
  }
  // Each step in a task of its own, so that a slow phone never gets one long task (on a slow
  // phone even reading sessionStorage or starting a fetch can take 10-30 ms).
  function later(f) {
    return new Promise(function (r) {
      setTimeout(function () {
        r();
      });
    }).then(f);
  }
  // Only once the widget's own button is there: a press meanwhile would open the form with
  // the focus to return to the loader's button, which goes.
  function call(name) {
    if (widget && widget.live) widget.handle[name]();
    else pending.push(name);
  }
  function send(body) {
    return fetch(base + "api/v1/orders", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: body,
    }).then(function (r) {
      return r.text().then(function (t) {
        return { status: r.status, body: t };
      });
    });
  }
  function load() {
    wasm =
      wasm ||
      import(base + "widget/widget.js").then(function (m) {
        return m.default({ module_or_path: base + "widget/widget_bg.wasm" }).then(function () {
          return m;
        });
      });
    return wasm;
  }
  // The button's own look, as the widget's stylesheet draws it (widget/src/widget.css).
  var CSS =
    ".rb-button{all:initial;position:fixed;z-index:2147483647;box-sizing:border-box;display:flex;" +
    "align-items:center;justify-content:center;border-radius:50%;cursor:pointer;" +
    "box-shadow:0 4px 14px rgba(0,0,0,.28)}.rb-button svg{width:48%;height:48%;display:block}" +
    ".rb-button:focus-visible{outline:3px solid #111;outline-offset:3px}" +
    ".rb-pulse::before{content:'';position:absolute;inset:0;border-radius:50%;background:inherit;" +
    "z-index:-1;animation:rb-pulse 2s ease-out infinite}@keyframes rb-pulse{from{transform:scale(1);" +
    "opacity:.55}to{transform:scale(1.7);opacity:0}}" +
    "@media (prefers-reduced-motion:reduce){.rb-pulse::before{animation:none}}";
  var PHONE =
    "M6.6 10.8a15.2 15.2 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20" +
    "a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.6a1 1 0 0 1-.25 1z";

  function unmount() {
    if (!widget) return;
    if (widget.handle) widget.handle.disable();
    widget.host.remove();
    widget = null;
  }
  // Draws the button of `model` at once; the widget's code follows when the page is idle.
  function show(model) {
    unmount();
    if (disabled) return;
    var host = doc.createElement("ringback-widget");
    // Inline !important beats any stylesheet rule of the site, including `* {...}`.
    host.setAttribute(
      "style",
      "all:initial!important;display:block!important;position:fixed!important;" +
        "top:0!important;left:0!important;width:0!important;height:0!important;" +
        "z-index:2147483647!important"
    );
    var root = host.attachShadow({ mode: "open" });
    var early = doc.createElement("div");
    early.innerHTML =
      "<style>" + CSS + '</style><button type="button" data-rb="button" aria-haspopup="dialog" ' +
      'aria-expanded="false" class="rb-button' + (model.button.pulse ? " rb-pulse" : "") +
      '"><svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="' +
      PHONE + '"/></svg></button>';
    var button = early.querySelector("button");
    button.setAttribute("style", model.button_style);
    button.setAttribute("aria-label", model.button_label);
    button.onclick = function () {
      call("open");
      boot();
    };
    button.onpointerenter = button.onfocus = boot;
    root.appendChild(early);
    // The root element, not <body>: a transformed body would trap position:fixed.
    doc.documentElement.appendChild(host);
    // For the site's own measurements (and the benchmark): when the button appeared.
    if (win.performance && performance.mark) performance.mark("ringback:button");
    var w = (widget = { host: host, id: model.widget_id, mode: model.mode });
    function boot() {
      if (w.booting) return;
      w.booting = 1;
      load().then(function (m) {
        return later(function () {
          if (widget !== w) return;
          var mountPoint = doc.createElement("div");
          root.appendChild(mountPoint);
          // The widget reads the model and draws itself in steps, a task each.
          w.handle = m.mount(mountPoint, JSON.stringify(model), {
            site: site,
            assets: base + "widget/",
            speed: speed,
            send: send,
            emit: emit,
            // The widget's own button is there: this one goes.
            // Then what the page asked for meanwhile (a press on this one included).
            ready: function () {
              var focused = root.activeElement === button;
              w.live = 1;
              early.remove();
              if (focused) mountPoint.querySelector("[data-rb=button]").focus();
              pending.splice(0).forEach(call);
            },
          });
        });
      });
    }
    (win.requestIdleCallback || setTimeout)(boot);
  }
  function decide() {
    var q = new URLSearchParams({ site: site, url: location.href });
    if (doc.referrer) q.set("referrer", doc.referrer);
    if (doc.documentElement.lang) q.set("lang", doc.documentElement.lang);
    // No time zone: Intl's is a long task on a slow phone; the widget puts the times on the
    // visitor's clock with Date instead.
    var pin = get("pin");
    if (pin) q.set("pin", pin);
    var preview = new URLSearchParams(location.search).get("rb_preview");
    if (preview) q.set("preview", preview);
    // The widget showed earlier this session: it is likely needed again, fetch it meanwhile.
    if (get("shown")) load();
    return later(function () {
      return fetch(base + "api/v1/decide?" + q);
    })
      .then(function (r) {
        if (!r.ok) throw new Error("decide answered " + r.status);
        return r.json();
      })
      .then(function (answer) {
        if (answer.pin) set("pin", answer.pin);
        var model = answer.widget;
        decided = model;
        if (!model) return unmount();
        // The same widget in the same variant stays as it is (its form keeps what was typed).
        if (widget && widget.id === model.widget_id && widget.mode === model.mode) return;
        set("shown", "1");
        show(model);
      })
      .catch(function (e) {
        console.warn("Ringback:", e);
      });
  }

  win.Ringback = {
    site: site,
    open: function () {
      call("open");
    },
    close: function () {
      call("close");
    },
    disable: function () {
      disabled = true;
      unmount();
    },
    on: function (type, fn) {
      (handlers[type] = handlers[type] || []).push(fn);
    },
    // An order from the site's own form: {phone, name, fields, department, at (ms, or none for
    // "now")}. Resolves with the worker's answer; rejects with an Error whose message says
    // what to fix (and whose `status` and `body` are the worker's).
    order: function (o) {
      if (!decided) return Promise.reject(new Error("no callback widget on this page"));
      var at = o.at ? +new Date(o.at) : null;
      var body = {
        site: site,
        widget_id: decided.widget_id,
        phone: String(o.phone || ""),
        name: o.name || undefined,
        department: o.department || undefined,
        when: at ? { when: "at", at: at } : { when: "now" },
        page: { url: location.href, referrer: doc.referrer || undefined },
        fields: o.fields || {},
        idempotency_key: "p" + Date.now().toString(36) + Math.random().toString(36).slice(2),
      };
      return send(JSON.stringify(body)).then(function (r) {
        if (r.status !== 201) {
          var e = new Error(r.body);
          try {
            e = new Error(JSON.parse(r.body).message);
          } catch (x) {}
          e.status = r.status;
          e.body = r.body;
          throw e;
        }
        if (widget && widget.live) widget.handle.ordered(r.body, at || undefined);
        else emit("order", JSON.parse(r.body).order_id);
        return JSON.parse(r.body);
      });
    },
  };

  // Single-page sites: a new URL without a reload is a new page view.
  var url = location.href;
  function navigated() {
    if (location.href === url) return;
    url = location.href;
    decide();
  }
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var r = original.apply(this, arguments);
      navigated();
      return r;
    };
  });
  win.addEventListener("popstate", navigated);

  later(decide);
})(window, document);
