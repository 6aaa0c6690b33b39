//! Helpers shared by the native integration tests.

use efficiency_playground::backend::{self, BackendKind};
use efficiency_playground::experiment::{self, Experiment};
use efficiency_playground::spec::ExperimentSpec;
use efficiency_playground::train::RunToEnd;

/// Runs `spec` to the end on the CPU backend.
pub fn run_cpu(spec: &ExperimentSpec) -> efficiency_playground::Result<Experiment> {
    pollster::block_on(experiment::run(spec, &backend::cpu(), BackendKind::Cpu, &mut RunToEnd))
}

/// A spec from a JSON literal (unlisted fields take their defaults).
pub fn spec(json: &str) -> ExperimentSpec {
    ExperimentSpec::from_json(json).expect("test spec parses")
}
