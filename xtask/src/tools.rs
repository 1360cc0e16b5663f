//! The toolchain: installed when missing, cached by exact version in a per-user folder outside
//! the repository (`$RINGBACK_CACHE`, else `$XDG_CACHE_HOME/ringback`, else
//! `~/.cache/ringback`), checked by version before every reuse, never assumed to be there.
//!
//! | tool            | pin       | why pinned                                                  |
//! |-----------------|-----------|-------------------------------------------------------------|
//! | wasm-bindgen    | 0.2.130   | the CLI must equal the workspace's `wasm-bindgen` crate      |
//! | trunk           | 0.21.14   | 0.22 needs a newer rustc than this machine's 1.95            |
//! | worker-build    | 0.8.7     | matches the `worker` crate 0.8.7                             |
//! | wrangler        | 4.86.0    | last release that runs on Node 20 (package-lock.json)        |
//! | binaryen        | 132       | Debian's 108 breaks the wasm at run time (package-lock.json) |

use crate::proc::{self, output, run};
use crate::root;
use anyhow::{bail, Context};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

struct CargoTool {
    krate: &'static str,
    bin: &'static str,
    version: &'static str,
    /// `--locked`: build with the tool's own lockfile. wasm-bindgen-cli 0.2.130's lockfile pins
    /// a webpki-roots the registry mirror does not serve, so it resolves afresh.
    locked: bool,
}

const WASM_BINDGEN: CargoTool = CargoTool {
    krate: "wasm-bindgen-cli",
    bin: "wasm-bindgen",
    version: "0.2.130",
    locked: false,
};
const TRUNK: CargoTool = CargoTool {
    krate: "trunk",
    bin: "trunk",
    version: "0.21.14",
    locked: true,
};
const WORKER_BUILD: CargoTool = CargoTool {
    krate: "worker-build",
    bin: "worker-build",
    version: "0.8.7",
    locked: true,
};

/// Where everything lives, once installed.
pub struct Tools {
    pub root: PathBuf,
    pub wasm_bindgen: PathBuf,
    pub trunk: PathBuf,
    pub worker_build: PathBuf,
    /// `node_modules/.bin` of the repository (wrangler, wasm-opt, esbuild).
    pub node_bin: PathBuf,
    pub target_dir: PathBuf,
}

impl Tools {
    /// Installs whatever is missing. `browser`: also Chromium and its WebDriver.
    pub fn ensure(browser: bool) -> anyhow::Result<Tools> {
        let root = root();
        let cache = cache_dir()?;
        ensure_wasm_target()?;
        let wasm_bindgen = ensure_cargo_tool(&cache, &WASM_BINDGEN)?;
        let worker_build = ensure_cargo_tool(&cache, &WORKER_BUILD)?;
        let trunk = ensure_cargo_tool(&cache, &TRUNK)?;
        ensure_npm_packages(&root)?;
        if browser {
            ensure_chromium()?;
        }
        // Builds share a target folder outside the clone, so a fresh clone on the same machine
        // starts warm; a developer's own CARGO_TARGET_DIR wins.
        let target_dir = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| cache.join("target"));
        claim_target_dir(&target_dir, &root)?;
        Ok(Tools {
            node_bin: root.join("node_modules/.bin"),
            root,
            wasm_bindgen,
            trunk,
            worker_build,
            target_dir,
        })
    }

    /// `PATH` with the pinned tools first, so Trunk and worker-build find exactly them.
    pub fn path(&self) -> OsString {
        let mut dirs: Vec<PathBuf> = vec![
            self.node_bin.clone(),
            parent(&self.wasm_bindgen),
            parent(&self.trunk),
            parent(&self.worker_build),
        ];
        if let Some(path) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&path));
        }
        std::env::join_paths(dirs).expect("tool paths contain no separator")
    }

    /// A command with the pinned tools on PATH, the shared target folder, run from the root.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root)
            .env("PATH", self.path())
            .env("CARGO_TARGET_DIR", &self.target_dir);
        cmd
    }

    /// `cargo` with the environment of [`Tools::command`].
    pub fn cargo(&self) -> Command {
        self.command(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
    }

    pub fn node_tool(&self, name: &str) -> PathBuf {
        self.node_bin.join(name)
    }
}

/// The workspace's own folders, whose files the builds read.
const WORKSPACE_DIRS: [&str; 8] = [
    "shared",
    "widget",
    "cabinet",
    "edge-worker",
    "simulator",
    "tests",
    "xtask",
    "assets",
];

/// Makes the shared target folder safe for this checkout. Cargo hashes a workspace's own
/// crates by their path *inside* the workspace, so two clones of the repository share those
/// artifacts and cargo tells them apart only by the files' times: after building clone A, a
/// clone B whose files are older would silently get A's widget, cabinet or worker. When the
/// folder was last used by another checkout, this checkout's files are touched first, so that
/// cargo rebuilds the workspace's crates from them (the dependencies stay built).
fn claim_target_dir(target: &Path, root: &Path) -> anyhow::Result<()> {
    let marker = target.join(".ringback-checkout");
    let here = root.to_string_lossy().to_string();
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(here.as_str()) {
        return Ok(());
    }
    let now = std::time::SystemTime::now();
    let mut stack: Vec<PathBuf> = WORKSPACE_DIRS.iter().map(|d| root.join(d)).collect();
    stack.push(root.join("Cargo.toml"));
    while let Some(p) = stack.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            if p.file_name()
                .is_some_and(|n| n == "target" || n == "node_modules")
            {
                continue;
            }
            for entry in std::fs::read_dir(&p)?.flatten() {
                stack.push(entry.path());
            }
        } else if meta.is_file() {
            std::fs::File::options()
                .write(true)
                .open(&p)
                .and_then(|f| f.set_modified(now))
                .with_context(|| format!("touching {}", p.display()))?;
        }
    }
    std::fs::create_dir_all(target)?;
    std::fs::write(&marker, here)?;
    Ok(())
}

fn parent(p: &Path) -> PathBuf {
    p.parent()
        .expect("a binary lives in a folder")
        .to_path_buf()
}

fn cache_dir() -> anyhow::Result<PathBuf> {
    let dir = if let Some(d) = std::env::var_os("RINGBACK_CACHE") {
        PathBuf::from(d)
    } else if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        PathBuf::from(d).join("ringback")
    } else {
        let home = std::env::var_os("HOME").context("HOME is not set")?;
        PathBuf::from(home).join(".cache/ringback")
    };
    fs::create_dir_all(dir.join("tools"))
        .with_context(|| format!("cannot create the tool cache {}", dir.display()))?;
    Ok(dir)
}

fn ensure_wasm_target() -> anyhow::Result<()> {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]))?;
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// True when `exe --version` runs and names `version`.
fn has_version(exe: &Path, version: &str) -> bool {
    Command::new(exe)
        .arg("--version")
        .output()
        .map(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains(version))
        .unwrap_or(false)
}

/// The tool's binary from the cache, installed there first when missing or of another version.
fn ensure_cargo_tool(cache: &Path, tool: &CargoTool) -> anyhow::Result<PathBuf> {
    let name = format!("{}-{}", tool.krate, tool.version);
    let dir = cache.join("tools").join(&name);
    let exe = dir.join("bin").join(tool.bin);
    if has_version(&exe, tool.version) {
        return Ok(exe);
    }
    println!(
        "installing {name} into {} (once per machine)",
        dir.display()
    );
    // Install beside the final folder and rename it into place, so that an interrupted install
    // never looks complete.
    let partial = cache
        .join("tools")
        .join(format!(".{name}.partial-{}", std::process::id()));
    let _ = fs::remove_dir_all(&partial);
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args(["install", tool.krate, "--version", tool.version, "--root"])
        .arg(&partial)
        .env_remove("CARGO_TARGET_DIR");
    if tool.locked {
        cmd.arg("--locked");
    }
    run(&mut cmd)?;
    let _ = fs::remove_dir_all(&dir);
    fs::rename(&partial, &dir)
        .with_context(|| format!("cannot move {} into place", partial.display()))?;
    if !has_version(&exe, tool.version) {
        bail!("{} does not report version {}", exe.display(), tool.version);
    }
    Ok(exe)
}

/// Lighthouse, for the benchmark only: too big (about 200 MB) for every test run's `npm ci`,
/// so it is installed once per version into the tool cache outside the clone.
pub const LIGHTHOUSE_VERSION: &str = "12.8.2";

/// The `lighthouse` CLI, installed into the tool cache first when missing.
pub fn ensure_lighthouse() -> anyhow::Result<PathBuf> {
    let dir = cache_dir()?.join(format!("tools/lighthouse-{LIGHTHOUSE_VERSION}"));
    let exe = dir.join("node_modules/.bin/lighthouse");
    if exe.exists() {
        return Ok(exe);
    }
    println!(
        "installing lighthouse {LIGHTHOUSE_VERSION} into {}",
        dir.display()
    );
    let partial = dir.with_file_name(format!("lighthouse-{LIGHTHOUSE_VERSION}.partial"));
    let _ = fs::remove_dir_all(&partial);
    fs::create_dir_all(&partial)?;
    run(Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(&partial)
        .arg(format!("lighthouse@{LIGHTHOUSE_VERSION}")))?;
    let _ = fs::remove_dir_all(&dir);
    fs::rename(&partial, &dir)?;
    Ok(exe)
}

/// `npm ci` whenever node_modules does not match package-lock.json.
fn ensure_npm_packages(root: &Path) -> anyhow::Result<()> {
    let lock = fs::read(root.join("package-lock.json")).context("package-lock.json is missing")?;
    let stamp = root.join("node_modules/.ringback-installed-lock");
    let up_to_date = fs::read(&stamp).map(|s| s == lock).unwrap_or(false)
        && root.join("node_modules/.bin/wrangler").exists()
        && root.join("node_modules/.bin/wasm-opt").exists();
    if up_to_date {
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(root))?;
    fs::write(&stamp, lock)?;
    Ok(())
}

/// Debian's Chromium and ChromeDriver (a test tool's own browser download fails here).
fn ensure_chromium() -> anyhow::Result<()> {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    println!("installing Debian's chromium and chromium-driver");
    let sudo: &[&str] = if unsafe { libc::geteuid() } == 0 {
        &[]
    } else {
        &["sudo"]
    };
    let apt = |args: &[&str]| {
        let all: Vec<&str> = sudo
            .iter()
            .chain(["apt-get"].iter())
            .chain(args)
            .copied()
            .collect();
        let mut cmd = Command::new(all[0]);
        cmd.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
        proc::run(&mut cmd)
    };
    apt(&["update", "-qq"])?;
    apt(&["install", "-y", "-qq", "chromium", "chromium-driver"])
}
