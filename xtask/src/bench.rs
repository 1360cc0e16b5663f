//! `cargo xtask bench`: measurements printed as a table. Not part of the test command: budgets
//! are measured here, tests never assert wall-clock times.
//!
//! Sizes are raw and brotli (quality 11, the level CDNs use for static files).

use crate::build;
use crate::local::wrangler;
use crate::proc;
use crate::tools::Tools;
use std::fs;
use std::path::PathBuf;

pub fn run() -> anyhow::Result<()> {
    let tools = Tools::ensure(false)?;
    build::all(&tools, build::Flavor::Production)?;
    let dist = tools.root.join("dist");
    // The deployable worker bundle, as `wrangler deploy` would upload it.
    let bundle = std::env::temp_dir().join(format!("ringback-bundle-{}", std::process::id()));
    let _ = fs::remove_dir_all(&bundle);
    proc::run(
        wrangler(&tools, &bundle.join("state"))
            .args(["deploy", "--dry-run", "--outdir"])
            .arg(&bundle),
    )?;
    let worker_files: Vec<PathBuf> = fs::read_dir(&bundle)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();

    let loader = dist.join("w.js");
    let widget_js = dist.join("widget/widget.js");
    let widget_wasm = dist.join("widget/widget_bg.wasm");
    let rows: Vec<(&str, Vec<PathBuf>)> = vec![
        ("loader w.js", vec![loader.clone()]),
        ("widget JS glue", vec![widget_js.clone()]),
        ("widget wasm", vec![widget_wasm.clone()]),
        (
            "widget: everything to show the button",
            vec![loader, widget_js, widget_wasm],
        ),
        ("cabinet JS glue", vec![dist.join("cabinet.js")]),
        ("cabinet wasm", vec![dist.join("cabinet_bg.wasm")]),
        ("worker bundle (wrangler deploy --dry-run)", worker_files),
    ];
    println!("\n| what | raw | brotli |\n|---|---:|---:|");
    for (label, files) in rows {
        let (mut raw, mut br) = (0, 0);
        for f in &files {
            let bytes = fs::read(f).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
            raw += bytes.len();
            br += brotli_len(&bytes);
        }
        println!("| {label} | {} | {} |", kb(raw), kb(br));
    }
    let _ = fs::remove_dir_all(&bundle);
    Ok(())
}

fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("in-memory compression");
    out.len()
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
