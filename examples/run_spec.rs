//! Runs an experiment spec natively on the CPU and prints the result point as JSON.
//!
//! `cargo run --example run_spec -- '{"data": {"name": "moons"}}'` (fields left out take
//! their defaults; with no argument the spec is read from standard input).

use std::io::Read;

use efficiency_playground::backend::{self, BackendKind};
use efficiency_playground::experiment::{self, Session};
use efficiency_playground::spec::ExperimentSpec;
use efficiency_playground::train::RunToEnd;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let json = match std::env::args().nth(1) {
        Some(json) => json,
        None => {
            let mut json = String::new();
            std::io::stdin().read_to_string(&mut json)?;
            json
        }
    };
    let spec = ExperimentSpec::from_json(&json)?;
    let mut session = Session::default();
    let (_, run) = pollster::block_on(experiment::run(
        &spec,
        &backend::cpu(),
        BackendKind::Cpu,
        &mut RunToEnd,
        &mut session,
    ))?;
    let mut point = serde_json::to_value(&run.point)?;
    point["history"] = serde_json::Value::from(run.point.history.len());
    println!("{}", serde_json::to_string_pretty(&point)?);
    Ok(())
}
