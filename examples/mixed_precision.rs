//! Uniform 4-bit quantization against mixed precision at the same file size, over seeds: trains a
//! spec on the CPU for each seed, quantizes every layer to 4 bits, then lets
//! `mixed_precision::choose` pick per-layer bits within that file's bytes, and prints one JSON line
//! per seed (the README's table).
//!
//! `cargo run --release --example mixed_precision -- '{"model": {"kind": "mlp", "hidden": [64, 32], "activation": "relu"}}' 1 2 3`

use efficiency_playground::backend::{self, BackendKind};
use efficiency_playground::compress::Step;
use efficiency_playground::compress::quantize::QuantizeSpec;
use efficiency_playground::experiment::{self, Session};
use efficiency_playground::mixed_precision::{self, MixedPrecisionSpec};
use efficiency_playground::sensitivity::{self, Probe};
use efficiency_playground::spec::ExperimentSpec;
use efficiency_playground::train::RunToEnd;
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let base = ExperimentSpec::from_json(&args.next().unwrap_or_else(|| "{}".into()))?;
    let seeds: Vec<u64> = args.map(|s| s.parse()).collect::<Result<_, _>>()?;
    for seed in if seeds.is_empty() { vec![base.seed] } else { seeds } {
        let spec = ExperimentSpec { seed, ..base.clone() };
        let (exp, float) = pollster::block_on(experiment::run(
            &spec,
            &backend::cpu(),
            BackendKind::Cpu,
            &mut RunToEnd,
            &mut Session::default(),
        ))?;
        let quantize = |q: QuantizeSpec| pollster::block_on(exp.recompress(&[Step::Quantize(q)], &mut RunToEnd)).map(|v| v.point);
        let int4 = quantize(QuantizeSpec::uniform(4, true, false))?;
        let probe = Probe::Quantize {
            symmetric: true,
            per_channel: false,
        };
        let analysis = pollster::block_on(sensitivity::analyse(&exp, probe, &mut RunToEnd))?;
        let budget = MixedPrecisionSpec {
            budget_bytes: int4.footprint.bytes,
            symmetric: true,
            per_channel: false,
        };
        let chosen = pollster::block_on(mixed_precision::choose(&exp, &analysis, budget, &mut RunToEnd))?;
        let mixed = quantize(chosen.clone())?;
        println!(
            "{}",
            json!({
                "seed": seed, "float_accuracy": float.point.test_accuracy,
                "int4": { "bytes": int4.footprint.bytes, "accuracy": int4.test_accuracy },
                "mixed": { "bits": chosen.layers, "bytes": mixed.footprint.bytes, "accuracy": mixed.test_accuracy },
            })
        );
    }
    Ok(())
}
