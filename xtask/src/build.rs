//! The release build: widget and cabinet with Trunk (wasm-opt -Oz), the loader with esbuild,
//! the worker with worker-build, all assembled into `dist/` for Workers static assets.

use crate::proc::run;
use crate::tools::Tools;
use anyhow::Context;
use std::fs;
use std::path::Path;

/// Which worker to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// With the `local-dev` feature: test-only switches (injected geo, fast clock). For
    /// `cargo xtask dev` and `cargo xtask test`.
    LocalDev,
    /// What would be deployed: no test switches. For `cargo xtask bench`.
    Production,
}

/// Builds everything the local system and the tests need.
pub fn all(tools: &Tools, flavor: Flavor) -> anyhow::Result<()> {
    // Trunk builds offline (`--offline` to cargo): fetch the crates first.
    run(tools.cargo().args(["fetch", "--quiet"]))?;
    let stage = tools.root.join("target/xtask-stage");
    trunk(tools, "widget", &stage.join("widget"), "/widget/")?;
    trunk(tools, "cabinet", &stage.join("cabinet"), "/")?;
    loader(tools, &stage.join("w.js"))?;
    worker(tools, flavor)?;
    assemble(tools, &stage)
}

fn trunk(tools: &Tools, app: &str, dist: &Path, public_url: &str) -> anyhow::Result<()> {
    run(tools
        .command(&tools.trunk)
        .args(["build", "--release", "--offline", "--config"])
        .arg(tools.root.join("Trunk.toml"))
        .arg("--dist")
        .arg(dist)
        .args(["--public-url", public_url])
        .arg(tools.root.join(app).join("index.html"))
        .env("TRUNK_SKIP_VERSION_CHECK", "true"))
}

fn loader(tools: &Tools, out: &Path) -> anyhow::Result<()> {
    run(tools
        .command(tools.node_tool("esbuild"))
        .arg(tools.root.join("widget/loader/w.js"))
        .args(["--minify", "--target=es2019", "--log-level=warning"])
        .arg(format!("--outfile={}", out.display())))
}

fn worker(tools: &Tools, flavor: Flavor) -> anyhow::Result<()> {
    let mut cmd = tools.command(&tools.worker_build);
    cmd.arg("--release");
    if flavor == Flavor::LocalDev {
        cmd.args(["--", "--features", "local-dev"]);
    }
    run(cmd
        .current_dir(tools.root.join("edge-worker"))
        .env("WASM_BINDGEN_BIN", &tools.wasm_bindgen)
        .env("WASM_OPT_BIN", tools.node_tool("wasm-opt"))
        .env("ESBUILD_BIN", tools.node_tool("esbuild")))?;
    if flavor == Flavor::Production {
        // worker-build leaves the function-name section in its output (~0.5 MB).
        let wasm = tools.root.join("edge-worker/build/index_bg.wasm");
        run(tools
            .command(tools.node_tool("wasm-opt"))
            .arg(&wasm)
            .arg("-o")
            .arg(&wasm)
            // No feature flags: binaryen reads the module's own `target_features` section.
            // `--all-features` made it rewrite the imports in an encoding workerd rejects
            // ("unknown import kind 0x7f") once the worker used GC reference types.
            .args(["--strip-debug", "--strip-producers"]))?;
    }
    Ok(())
}

/// `dist/`: the cabinet at `/`, the widget under `/widget/`, the loader at `/w.js`, the demo
/// customer page under `/demo/`, and the `_headers` rules.
fn assemble(tools: &Tools, stage: &Path) -> anyhow::Result<()> {
    let dist = tools.root.join("dist");
    let _ = fs::remove_dir_all(&dist);
    copy_dir(&stage.join("cabinet"), &dist)?;
    let (page, starter) = external_starter(&fs::read_to_string(dist.join("index.html"))?)?;
    fs::write(dist.join("index.html"), page)?;
    fs::write(dist.join(STARTER), starter)?;
    copy_dir(&stage.join("widget"), &dist.join("widget"))?;
    // Visitors never open the widget's build page; only its JS and wasm are imported.
    fs::remove_file(dist.join("widget/index.html"))?;
    minify_module(tools, &dist.join("widget/widget.js"))?;
    // The modern form style's pictures, fetched by the widget only when a form shows one.
    copy_dir(
        &tools.root.join("assets/illustrations"),
        &dist.join("widget/illustrations"),
    )?;
    fs::copy(stage.join("w.js"), dist.join("w.js"))?;
    copy_dir(&tools.root.join("assets/demo"), &dist.join("demo"))?;
    // The same customer page without the script tag: the benchmark's baseline.
    let demo = fs::read_to_string(dist.join("demo/index.html"))?;
    let without: String = demo
        .lines()
        .filter(|l| !l.contains("/w.js"))
        .map(|l| format!("{l}\n"))
        .collect();
    anyhow::ensure!(
        without.len() < demo.len(),
        "the demo page has no script tag"
    );
    fs::write(dist.join("demo/without-widget.html"), without)?;
    fs::copy(tools.root.join("assets/_headers"), dist.join("_headers"))?;
    fs::copy(
        tools.root.join(crate::openapi::PATH),
        dist.join("openapi.json"),
    )?;
    println!("assembled {}", dist.display());
    Ok(())
}

/// The cabinet's starter, at the root of `dist/`.
const STARTER: &str = "start.js";

/// The cabinet's `index.html` with its starter as a file: Trunk writes the module script that
/// imports the glue and starts the wasm inline, and the cabinet's Content-Security-Policy
/// (`script-src 'self'`, see `assets/_headers`) refuses every inline script. The starter moves
/// into [`STARTER`] as it is, pinned with its subresource-integrity hash as Trunk pins the
/// glue and the wasm. Returns the page and the starter.
fn external_starter(html: &str) -> anyhow::Result<(String, String)> {
    use base64::Engine;
    use sha2::{Digest, Sha384};
    const OPEN: &str = "<script type=\"module\">";
    const CLOSE: &str = "</script>";
    let start = html
        .find(OPEN)
        .context("the cabinet's index.html has no inline starter (did Trunk change?)")?;
    let body = start + OPEN.len();
    let end = body
        + html[body..]
            .find(CLOSE)
            .context("the cabinet's starter script is not closed")?;
    let starter = format!("{}\n", html[body..end].trim());
    let integrity = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&starter));
    let page = format!(
        "{}<script type=\"module\" src=\"/{STARTER}\" integrity=\"sha384-{integrity}\"></script>{}",
        &html[..start],
        &html[end + CLOSE.len()..]
    );
    let inline = page
        .match_indices("<script")
        .filter(|(i, _)| {
            let tag = &page[*i..];
            !tag[..tag.find('>').unwrap_or(tag.len())].contains(" src=")
        })
        .count();
    anyhow::ensure!(
        inline == 0,
        "the cabinet's index.html still has {inline} inline script(s), which its CSP refuses"
    );
    Ok((page, starter))
}

/// Minifies an ES module in place. Trunk's own `--minify` silently leaves wasm-bindgen 0.2.130's
/// glue as it is; esbuild cuts it by about a third after brotli. (Not for the cabinet: Trunk
/// pins its files with subresource-integrity hashes.)
fn minify_module(tools: &Tools, file: &Path) -> anyhow::Result<()> {
    run(tools
        .command(tools.node_tool("esbuild"))
        .arg(file)
        .args([
            "--minify",
            "--format=esm",
            "--target=es2019",
            "--allow-overwrite",
            "--log-level=warning",
        ])
        .arg(format!("--outfile={}", file.display())))
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            fs::copy(entry.path(), &dest)
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cabinets_inline_starter_becomes_a_pinned_file() {
        // What Trunk 0.21 writes (abridged).
        let trunk = r#"<!DOCTYPE html><html><head><link rel="modulepreload" href="/cabinet.js" integrity="sha384-x"></head><body>
<script type="module">
import init, * as bindings from '/cabinet.js';
const wasm = await init({ module_or_path: '/cabinet_bg.wasm' });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));
</script></body></html>"#;
        let (page, starter) = external_starter(trunk).unwrap();
        assert!(starter.starts_with("import init, * as bindings from '/cabinet.js';"));
        assert!(starter.contains("TrunkApplicationStarted"));
        assert!(!page.contains("import init"), "{page}");
        assert!(page.contains(r#"<script type="module" src="/start.js" integrity="sha384-"#));
        assert!(page.ends_with("</body></html>"));
        assert!(external_starter("<html><body></body></html>").is_err());
        let two = trunk.replace("</body>", "<script>alert(1)</script></body>");
        assert!(external_starter(&two).is_err(), "a second inline script");
    }
}
