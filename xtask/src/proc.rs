//! Child processes: commands that must succeed, long-running services in their own process
//! groups (so that stopping one stops everything it started, e.g. wrangler's workerd), Ctrl-C,
//! and waiting for an HTTP endpoint.

use anyhow::{bail, Context};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Ctrl-C (and SIGTERM) only set a flag: the command then stops its services in order.
pub fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Describes a command for messages: `trunk build --release ...`.
pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Runs `cmd` to completion with inherited output; an unsuccessful exit is an error.
pub fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let what = describe(cmd);
    println!("$ {what}");
    let status = cmd
        .status()
        .with_context(|| format!("cannot start `{what}`"))?;
    if !status.success() {
        bail!("`{what}` failed ({status})");
    }
    Ok(())
}

/// Runs `cmd` and returns its standard output (trimmed); an unsuccessful exit is an error.
pub fn output(cmd: &mut Command) -> anyhow::Result<String> {
    let what = describe(cmd);
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot start `{what}`"))?;
    if !out.status.success() {
        bail!("`{what}` failed ({})", out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Totals of `cargo test`'s "test result:" lines.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TestCounts {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
}

impl TestCounts {
    /// Adds the counts of one `test result: ok. 5 passed; 0 failed; 1 ignored; ...` line.
    pub fn add_line(&mut self, line: &str) -> bool {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return false;
        };
        for part in rest.split(';') {
            let words: Vec<&str> = part.split_whitespace().collect();
            // "ok. 5 passed" or "FAILED. 1 passed" or "0 failed"
            let (n, what) = match words[..] {
                [_, n, what] | [n, what] => (n, what),
                _ => continue,
            };
            let Ok(n) = n.parse::<u64>() else { continue };
            match what {
                "passed" => self.passed += n,
                "failed" => self.failed += n,
                "ignored" => self.ignored += n,
                _ => {}
            }
        }
        true
    }

    pub fn add(&mut self, other: TestCounts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }
}

/// Runs a `cargo test` command, echoing its output while counting its results.
pub fn run_tests(cmd: &mut Command) -> anyhow::Result<TestCounts> {
    let what = describe(cmd);
    println!("$ {what}");
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start `{what}`"))?;
    let mut counts = TestCounts::default();
    let stdout = child.stdout.take().expect("piped");
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        println!("{line}");
        counts.add_line(&line);
    }
    let status = child.wait()?;
    if !status.success() {
        bail!(
            "`{what}` failed ({status}): {} passed, {} failed",
            counts.passed,
            counts.failed
        );
    }
    Ok(counts)
}

/// A long-running service in its own process group. Dropping it stops the whole group.
pub struct Service {
    pub name: String,
    child: Child,
}

impl Service {
    pub fn spawn(name: &str, cmd: &mut Command) -> anyhow::Result<Service> {
        let what = describe(cmd);
        println!("$ {what} &");
        let child = cmd
            .process_group(0)
            .stdin(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {name}: `{what}`"))?;
        Ok(Service {
            name: name.to_string(),
            child,
        })
    }

    /// `Some(status)` once the service has exited by itself.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Stops the process group: SIGTERM, then SIGKILL after 5 s.
    pub fn stop(&mut self) {
        if self.exited().is_some() {
            return;
        }
        let group = -(self.child.id() as i32);
        // SAFETY: kill(2) with a negative pid signals the group the child leads.
        unsafe { libc::kill(group, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.exited().is_some() {
                // The leader is gone; make sure nothing it started lingers.
                unsafe { libc::kill(group, libc::SIGKILL) };
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        unsafe { libc::kill(group, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A port on 127.0.0.1 that was free a moment ago; `preferred` when it is free.
pub fn free_port(preferred: Option<u16>) -> anyhow::Result<u16> {
    if let Some(p) = preferred {
        if TcpListener::bind(("127.0.0.1", p)).is_ok() {
            return Ok(p);
        }
    }
    Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}

/// Status code of `GET http://127.0.0.1:{port}{path}`, or `None` if nothing answers.
pub fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut s =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(500))
            .ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 12];
    s.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

/// Waits until `GET path` answers 200, failing early if the service exits or Ctrl-C is pressed.
pub fn wait_ready(
    service: &mut Service,
    port: u16,
    path: &str,
    timeout: Duration,
) -> anyhow::Result<()> {
    let start = Instant::now();
    loop {
        if http_status(port, path) == Some(200) {
            println!(
                "{} is ready ({:.1}s)",
                service.name,
                start.elapsed().as_secs_f64()
            );
            return Ok(());
        }
        if let Some(status) = service.exited() {
            bail!("{} exited before it was ready ({status})", service.name);
        }
        if interrupted() {
            bail!("interrupted");
        }
        if start.elapsed() > timeout {
            bail!(
                "{} did not answer 200 on {path} within {}s",
                service.name,
                timeout.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_kind_of_result_line() {
        let mut c = TestCounts::default();
        assert!(c.add_line("test result: ok. 5 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s"));
        assert!(c.add_line(
            "test result: FAILED. 2 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out"
        ));
        assert!(!c.add_line("running 5 tests"));
        assert_eq!(
            c,
            TestCounts {
                passed: 7,
                failed: 3,
                ignored: 1
            }
        );
    }
}
