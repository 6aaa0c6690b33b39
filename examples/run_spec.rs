//! Runs an experiment spec natively on the CPU and prints the result point as JSON, with the
//! median single-example latency of its model (`latency_ms`, 100 timed repeats).
//!
//! `cargo run --example run_spec -- '{"data": {"name": "moons"}}'` (fields left out take
//! their defaults; with no argument the spec is read from standard input).

use std::io::Read;

use efficiency_playground::backend::{self, BackendKind};
use efficiency_playground::experiment::{self, Session};
use efficiency_playground::latency;
use efficiency_playground::spec::{DataName, ExperimentSpec};
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
    if spec.data.name == DataName::Mnist {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/data/mnist-10k.bin.gz");
        efficiency_playground::data::mnist::provide(&std::fs::read(file)?)?;
    }
    let mut session = Session::default();
    let (experiment, run) = pollster::block_on(experiment::run(
        &spec,
        &backend::cpu(),
        BackendKind::Cpu,
        &mut RunToEnd,
        &mut session,
    ))?;
    let mut point = serde_json::to_value(&run.point)?;
    point["history"] = serde_json::Value::from(run.point.history.len());
    let latency = pollster::block_on(latency::measure(&run.model, &experiment.split.test, &backend::cpu(), 100))?;
    point["latency_ms"] = serde_json::Value::from(latency.median_ms);
    println!("{}", serde_json::to_string_pretty(&point)?);
    Ok(())
}
