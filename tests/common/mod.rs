//! Helpers shared by the native integration tests.
#![allow(dead_code)] // each test crate uses its own subset

use efficiency_playground::backend::{self, BackendKind};
use std::rc::Rc;

use efficiency_playground::experiment::{self, Experiment, Session, Variant};
use efficiency_playground::spec::ExperimentSpec;
use efficiency_playground::train::RunToEnd;

/// Trains `spec` to the end on the CPU backend, keeping the experiment for re-compression.
pub fn train_cpu(spec: &ExperimentSpec) -> efficiency_playground::Result<(Rc<Experiment>, Variant)> {
    train_in(spec, &mut Session::default())
}

/// Like `train_cpu`, in a session that keeps the trained models (distillation teachers).
pub fn train_in(spec: &ExperimentSpec, session: &mut Session) -> efficiency_playground::Result<(Rc<Experiment>, Variant)> {
    pollster::block_on(experiment::run(spec, &backend::cpu(), BackendKind::Cpu, &mut RunToEnd, session))
}

/// Trains `spec` on the CPU and returns the resulting point's variant.
pub fn run_cpu(spec: &ExperimentSpec) -> efficiency_playground::Result<Variant> {
    train_cpu(spec).map(|(_, variant)| variant)
}

/// A file of this checkout. The directory is read when the test runs (cargo sets it), not when it was
/// compiled: the build cache is shared by every clone on the machine, so a test binary built in one
/// checkout may run in another.
pub fn repo_file(relative: &str) -> std::path::PathBuf {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
    std::path::Path::new(&root).join(relative)
}

/// Hands the MNIST file in `data/` to the engine (as the page does after fetching it).
pub fn provide_mnist() {
    let bytes = std::fs::read(repo_file("data/mnist-10k.bin.gz")).expect("data/mnist-10k.bin.gz is in the repository");
    efficiency_playground::data::mnist::provide(&bytes).unwrap();
}

/// A spec from a JSON literal (unlisted fields take their defaults).
pub fn spec(json: &str) -> ExperimentSpec {
    ExperimentSpec::from_json(json).expect("test spec parses")
}
