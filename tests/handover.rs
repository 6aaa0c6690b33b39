//! A model trained by one engine and handed to another (`experiment::adopt`): the page's Auto
//! backend races two engines and its own engine adopts the winner's model. The adopted model must
//! be the trained one exactly: the same point again, and the same compressed points. And a run
//! handed over between two epochs (`experiment::hand_over`, `experiment::resume`): the CPU's run,
//! taken over by WebGPU once it trains faster, must go on as if it had never stopped.

mod common;

use common::{spec, train_cpu};
use efficiency_playground::Error;
use efficiency_playground::backend::{self, BackendKind};
use efficiency_playground::compress::Step;
use efficiency_playground::experiment::{self, Experiment, Session, Variant};
use efficiency_playground::spec::ExperimentSpec;
use efficiency_playground::train::{Control, Observer, Progress, RunState, RunToEnd};

const DIGITS: &str = r#"{"data": {"name": "digits"}, "train": {"epochs": 2, "batch_size": 128}}"#;

fn adopt(bytes: &[u8], point: &experiment::Point) -> efficiency_playground::Result<(Experiment, Variant)> {
    pollster::block_on(experiment::adopt(bytes, point.clone(), &backend::cpu(), BackendKind::Cpu))
}

fn recompress(exp: &Experiment, json: &str) -> experiment::Point {
    let steps: Vec<Step> = serde_json::from_str(json).unwrap();
    pollster::block_on(exp.recompress(&steps, &mut RunToEnd)).unwrap().point
}

#[test]
fn an_adopted_model_gives_the_same_points_as_the_engine_that_trained_it() {
    let (trained, variant) = train_cpu(&spec(DIGITS)).unwrap();
    let (adopted, same) = adopt(&variant.export, &variant.point).unwrap();
    assert_eq!(same.point, variant.point);
    assert_eq!(adopted.history, trained.history);
    // Evaluated again from the adopted weights: every figure of the point, bit for bit.
    assert_eq!(recompress(&adopted, "[]"), variant.point);
    let pipeline =
        r#"[{"kind": "prune", "sparsity": 0.6, "global": true}, {"kind": "quantize", "bits": 4, "symmetric": true, "per_channel": true}]"#;
    assert_eq!(recompress(&adopted, pipeline), recompress(&trained, pipeline));
}

#[test]
fn only_a_float_file_with_its_own_point_is_adopted() {
    let (trained, variant) = train_cpu(&spec(DIGITS)).unwrap();
    let quantized = pollster::block_on(trained.recompress(
        &serde_json::from_str::<Vec<Step>>(r#"[{"kind": "quantize", "bits": 8, "symmetric": true, "per_channel": false}]"#).unwrap(),
        &mut RunToEnd,
    ))
    .unwrap();
    let other = train_cpu(&spec(
        r#"{"data": {"name": "digits"}, "seed": 7, "train": {"epochs": 1, "batch_size": 128}}"#,
    ))
    .unwrap()
    .1;
    for (bytes, point) in [
        (&quantized.export, &quantized.point),
        (&quantized.export, &variant.point),
        (&variant.export, &other.point),
    ] {
        match adopt(bytes, point) {
            Err(Error::File(message)) => assert!(message.contains("float file"), "{message}"),
            other => panic!("expected a refusal, got {:?}", other.map(|(_, v)| v.point)),
        }
    }
    assert!(matches!(adopt(b"not a model", &variant.point), Err(Error::File(_))));
}

/// Asks the run to hand over after epoch `after`, and keeps its state.
struct HandOverAfter {
    after: usize,
    state: Option<RunState>,
}

impl Observer for HandOverAfter {
    async fn observe(&mut self, progress: Progress) -> Control {
        match progress {
            Progress::Epoch { metrics, .. } if metrics.epoch == self.after => Control::HandOver,
            _ => Control::Continue,
        }
    }

    fn hand_over(&mut self, state: RunState) {
        self.state = Some(state);
    }
}

/// The bytes of `spec`'s run handed over after epoch `after`.
fn handed_over(spec: &ExperimentSpec, after: usize) -> Vec<u8> {
    let mut observer = HandOverAfter { after, state: None };
    let stopped = pollster::block_on(experiment::run(
        spec,
        &backend::cpu(),
        BackendKind::Cpu,
        &mut observer,
        &mut Session::default(),
    ));
    assert!(
        matches!(stopped, Err(Error::HandedOver { done, of }) if done == after && of == spec.train.epochs),
        "{:?}",
        stopped.map(|(_, v)| v.point)
    );
    pollster::block_on(experiment::hand_over(spec, observer.state.expect("the state was handed over"))).unwrap()
}

/// Goes on with a handed-over run in a new session (another engine's: its model's parameters get
/// other ids than the first engine's).
fn resume(spec: &ExperimentSpec, bytes: &[u8]) -> efficiency_playground::Result<Variant> {
    pollster::block_on(experiment::resume(
        spec,
        bytes,
        &backend::cpu(),
        BackendKind::Cpu,
        &mut RunToEnd,
        &mut Session::default(),
    ))
    .map(|(_, variant)| variant)
}

/// A point without its wall times, which differ from run to run.
fn untimed(mut point: experiment::Point) -> experiment::Point {
    point.train_seconds = 0.0;
    for epoch in &mut point.history {
        epoch.seconds = 0.0;
    }
    point
}

#[test]
fn a_run_handed_over_between_epochs_ends_as_the_run_straight_through() {
    // Adam (its moments and step count travel) and augmentation (batch seeds by epoch), with a pipeline.
    let spec = spec(
        r#"{"data": {"name": "digits"}, "train": {"epochs": 3, "batch_size": 128, "augment": {"shift": 1}},
            "compress": [{"kind": "quantize", "bits": 8, "symmetric": true, "per_channel": false}]}"#,
    );
    let straight = train_cpu(&spec).unwrap().1;
    for after in [1, 2] {
        let resumed = resume(&spec, &handed_over(&spec, after)).unwrap();
        // The same weights bit for bit (the file), so the same point and history.
        assert_eq!(resumed.export, straight.export, "handed over after epoch {after}");
        assert_eq!(untimed(resumed.point), untimed(straight.point.clone()));
    }
}

#[test]
fn a_run_goes_on_only_with_its_own_spec() {
    let spec = spec(DIGITS);
    let bytes = handed_over(&spec, 1);
    let other = efficiency_playground::spec::ExperimentSpec { seed: 7, ..spec.clone() };
    match resume(&other, &bytes) {
        Err(Error::File(message)) => assert!(message.contains("another model or spec"), "{message}"),
        other => panic!("expected a refusal, got {:?}", other.map(|v| v.point)),
    }
    for broken in [&b"EPR1"[..], &bytes[..bytes.len() / 2], b"not a run"] {
        assert!(matches!(resume(&spec, broken), Err(Error::File(_))));
    }
}
