//! Timing of the phases of a command, printed as a table at the end (CI must see where its
//! 90 minutes go).

use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Phases {
    done: Vec<(String, Duration, bool)>,
}

impl Phases {
    /// Runs one phase, printing its start, and records how long it took and whether it passed.
    pub fn run<T>(
        &mut self,
        name: &str,
        f: impl FnOnce() -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        println!("\n==> {name}");
        let start = Instant::now();
        let result = f();
        let took = start.elapsed();
        println!(
            "<== {name}: {} in {}",
            if result.is_ok() { "ok" } else { "FAILED" },
            secs(took)
        );
        self.done.push((name.to_string(), took, result.is_ok()));
        result
    }

    pub fn print_table(&self) {
        let width = self
            .done
            .iter()
            .map(|(n, ..)| n.len())
            .max()
            .unwrap_or(5)
            .max(5);
        println!("\n{:<width$}  {:>9}  result", "phase", "time");
        let mut total = Duration::ZERO;
        for (name, took, ok) in &self.done {
            total += *took;
            println!(
                "{name:<width$}  {:>9}  {}",
                secs(*took),
                if *ok { "ok" } else { "FAILED" }
            );
        }
        println!("{:<width$}  {:>9}", "total", secs(total));
    }
}

pub fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}
