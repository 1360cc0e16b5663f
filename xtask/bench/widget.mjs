// The widget's cost to a customer's page, measured in headless Chromium (run by
// `cargo xtask bench`): `node widget.mjs WORKER_URL WEBDRIVER_URL LIGHTHOUSE_BIN`.
//
// 1. Ten cold loads (a fresh browser profile each) of the demo page with the CPU slowed down 4x:
//    the time from the script tag's request to the button on screen (the loader's
//    `ringback:button` mark), the longest task while the widget loads (its wasm included), and
//    the same page without the script tag for comparison.
// 2. Lighthouse (mobile preset, performance only) on both pages, median of three runs each.
// Prints Markdown tables.
import { execFileSync } from "node:child_process";

const [worker, webdriver, lighthouse] = process.argv.slice(2);
const LOADS = 10;
const SETTLE_MS = 4000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function wd(method, path, body) {
  const r = await fetch(webdriver + path, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const v = (await r.json()).value;
  if (!r.ok) throw new Error(`${method} ${path}: ${JSON.stringify(v)}`);
  return v;
}

// Long tasks and the button's moment, recorded from the first byte of the page.
// Long animation frames name the scripts that ran in them (with their start and duration): a
// long task is the widget's when a script of /w.js or /widget/ ran inside it (its timers and
// promise callbacks included). A frame can hold several tasks, so frames are not summed.
const RECORDER = `
  window.__longtasks = [];
  window.__widgetScripts = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) =>
    window.__longtasks.push([e.startTime, e.duration]))).observe({ type: "longtask" });
  new PerformanceObserver((l) => l.getEntries().forEach((e) => e.scripts
    .filter((s) => /\\/w\\.js|\\/widget\\//.test(s.sourceURL))
    .forEach((s) => window.__widgetScripts.push([s.startTime, s.duration,
      [s.invoker, s.sourceFunctionName, s.sourceURL.split("/").pop()].filter(Boolean).join(" ")]))))
    .observe({ type: "long-animation-frame" });
`;

async function load(path) {
  const s = await wd("POST", "/session", {
    capabilities: {
      alwaysMatch: {
        browserName: "chrome",
        "goog:chromeOptions": {
          binary: "/usr/bin/chromium",
          args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--window-size=1280,800"],
        },
      },
    },
  });
  const id = s.sessionId;
  const cdp = (cmd, params) => wd("POST", `/session/${id}/goog/cdp/execute`, { cmd, params });
  try {
    await cdp("Emulation.setCPUThrottlingRate", { rate: 4 });
    await cdp("Page.addScriptToEvaluateOnNewDocument", { source: RECORDER });
    await wd("POST", `/session/${id}/url`, { url: worker + path });
    await sleep(SETTLE_MS);
    return await wd("POST", `/session/${id}/execute/sync`, {
      script: `
        const script = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/w.js"));
        const button = performance.getEntriesByName("ringback:button")[0];
        const host = document.querySelector("ringback-widget");
        return {
          button: script && button ? button.startTime - script.startTime : null,
          longest: Math.max(0, ...window.__longtasks.map((t) => t[1])),
          over50: window.__longtasks.filter((t) => t[1] > 50).length,
          widgetTasks: window.__longtasks.flatMap(([t, d]) => {
            const ran = window.__widgetScripts.filter(([s]) => s >= t && s < t + d);
            return ran.length ? [[d, ran.map(([, sd, what]) => what + " " + sd.toFixed(0) + " ms").join(" + ")]] : [];
          }),
          widgetScript: Math.max(0, ...window.__widgetScripts.map(([, d]) => d)),
          mounted: !!(host && host.shadowRoot.querySelector(".rb-root")),
          bytes: performance.getEntriesByType("resource")
            .filter((e) => e.name.includes("/widget/") || e.name.includes("/w.js") || e.name.includes("/api/v1/decide"))
            .reduce((n, e) => n + e.transferSize, 0),
        };`,
      args: [],
    });
  } finally {
    await wd("DELETE", `/session/${id}`);
  }
}

const ms = (x) => (x === null ? "–" : `${x.toFixed(0)} ms`);
const withWidget = [];
const without = [];
for (let i = 0; i < LOADS; i++) {
  withWidget.push(await load("/demo/"));
  without.push(await load("/demo/without-widget.html"));
}
if (!withWidget.every((r) => r.mounted)) throw new Error("the widget did not mount on every load");
console.log(`\nwidget on the demo page, headless Chromium, CPU slowed down 4x, ${LOADS} cold loads each\n`);
console.log("| page | script tag to button visible (median) | longest task (median of loads) | longest task (worst load) | tasks over 50 ms (all loads) | tasks over 50 ms running widget code (all loads) | longest widget callback in a long frame (worst load) |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const [name, runs] of [["with the widget", withWidget], ["without the widget", without]]) {
  const buttons = runs.map((r) => r.button).filter((x) => x !== null);
  console.log(
    `| ${name} | ${buttons.length ? ms(median(buttons)) : "–"} | ${ms(median(runs.map((r) => r.longest)))} | ${ms(Math.max(...runs.map((r) => r.longest)))} | ${runs.reduce((n, r) => n + r.over50, 0)} | ${runs.reduce((n, r) => n + r.widgetTasks.length, 0)} | ${ms(Math.max(...runs.map((r) => r.widgetScript)))} |`
  );
}
const widgetTasks = withWidget.flatMap((r) => r.widgetTasks);
for (const [d, what] of widgetTasks) console.log(`\nlong task running widget code: ${ms(d)} (${what})`);

function audit(path) {
  const out = execFileSync(lighthouse, [worker + path, "--output=json", "--output-path=stdout", "--quiet",
    "--only-categories=performance", "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"],
    { env: { ...process.env, CHROME_PATH: "/usr/bin/chromium" }, maxBuffer: 64 << 20 });
  const r = JSON.parse(out);
  return { score: r.categories.performance.score * 100, tbt: r.audits["total-blocking-time"].numericValue,
    lcp: r.audits["largest-contentful-paint"].numericValue };
}
const runs = { with: [], without: [] };
for (let i = 0; i < 3; i++) {
  runs.with.push(audit("/demo/"));
  runs.without.push(audit("/demo/without-widget.html"));
}
console.log("\nLighthouse 12, mobile preset (its own 4x CPU and slow-4G simulation), performance only, median of 3 runs\n");
console.log("| page | performance score | Total Blocking Time | Largest Contentful Paint |\n|---|---:|---:|---:|");
for (const [name, rs] of [["with the widget", runs.with], ["without the widget", runs.without]]) {
  console.log(`| ${name} | ${median(rs.map((r) => r.score)).toFixed(0)} | ${ms(median(rs.map((r) => r.tbt)))} | ${ms(median(rs.map((r) => r.lcp)))} |`);
}
