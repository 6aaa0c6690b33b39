//! Times training on the native backends, for comparison with the same engine built to wasm
//! (`scripts/bench-dawn`): each case of `benches/backend-cases.json` is trained on each backend
//! named on the command line, and one JSON line per case reports the warm milliseconds per epoch
//! (training steps only: the mean of every epoch after the first, which compiles shaders and
//! allocates), per step, and what the automatic backend choice's probe (`experiment::step_ms`) measures.
//!
//! `cargo run --release --example bench_backends -- cpu`;
//! `cargo run --release --features webgpu --example bench_backends -- cpu webgpu` on a machine
//! with a GPU (burn-wgpu on Vulkan or Metal; Mesa's lavapipe without one). Other arguments keep
//! only the cases whose name contains one of them (`-- webgpu "batch 32"`).

use efficiency_playground::backend::{self, BackendKind};
use efficiency_playground::experiment::{self, Session};
use efficiency_playground::spec::ExperimentSpec;
use efficiency_playground::train::RunToEnd;
use serde_json::{Value, json};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cases: Value = serde_json::from_str(include_str!("../benches/backend-cases.json"))?;
    let (backends, only): (Vec<String>, Vec<String>) = std::env::args().skip(1).partition(|a| BackendKind::parse(a).is_ok());
    let backends = if backends.is_empty() { vec!["cpu".to_string()] } else { backends };
    let wanted = |case: &&Value| only.is_empty() || only.iter().any(|o| case["name"].as_str().is_some_and(|n| n.contains(o.as_str())));
    for name in &backends {
        let kind = BackendKind::parse(name)?;
        let device = pollster::block_on(backend::init(kind))?;
        for case in cases["cases"]
            .as_array()
            .ok_or("backend-cases.json has no cases")?
            .iter()
            .filter(wanted)
        {
            let spec = ExperimentSpec::from_json(&case["spec"].to_string())?;
            let (experiment, run) = pollster::block_on(experiment::run(&spec, &device, kind, &mut RunToEnd, &mut Session::default()))?;
            let seconds: Vec<f64> = run.point.history.iter().map(|epoch| epoch.seconds).collect();
            let warm_ms = seconds[1..].iter().sum::<f64>() * 1000.0 / (seconds.len() - 1) as f64;
            let steps = experiment.split.train.len().div_ceil(spec.train.batch_size) as f64;
            println!(
                "{}",
                json!({
                    "where": "native", "backend": name, "case": case["name"],
                    "warm_ms_per_epoch": round(warm_ms), "warm_ms_per_step": round(warm_ms / steps),
                    "first_epoch_ms": round(seconds[0] * 1000.0),
                    "step_ms_probe": round(pollster::block_on(experiment::step_ms(&spec, &device))?),
                })
            );
        }
    }
    Ok(())
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
