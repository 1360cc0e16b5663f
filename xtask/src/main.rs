//! Ringback's task runner, run as `cargo xtask <command>` from anywhere in the repository.
//!
//! - `dev`: install what is missing, build everything, start the whole system locally, print
//!   where to click; Ctrl-C stops every process it started.
//! - `test`: install what is missing, then lint, unit tests, wasm builds, and the integration
//!   and browser tests against a real local runtime; ends with the test summary line.
//! - `bench`: build in release and print tables of measurements: sizes, *decide* latency, the
//!   time from an order to the operator's call, and the lateness of scheduled calls.
//! - `build`: the release build only; `setup`: the installs only.

mod bench;
mod bench_calls;
mod build;
mod dev;
mod load;
mod local;
mod openapi;
mod phases;
mod proc;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <dev|test|bench|build|setup|openapi>

  dev     build and run the whole system locally (worker, D1, simulator, demo page)
  test    run every test (installs what is missing first);
          --only public_api,fuzz [-- filter]: only those end-to-end tests, no lint or unit tests
  bench   print sizes and other measurements
  build   build the widget, the cabinet, the loader and the worker (release)
  setup   install the toolchain only
  openapi write edge-worker/openapi.json from the wire types";

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    proc::install_interrupt_handler();
    let result = match command.as_str() {
        "dev" => dev::run(),
        "test" => {
            let rest: Vec<String> = std::env::args().skip(2).collect();
            test::Selection::from_args(&rest).and_then(test::run)
        }
        "bench" => bench::run(),
        "build" => {
            tools::Tools::ensure(false).and_then(|t| build::all(&t, build::Flavor::LocalDev))
        }
        "setup" => tools::Tools::ensure(true).map(|_| ()),
        "openapi" => openapi::write(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask {command} failed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The repository's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}
