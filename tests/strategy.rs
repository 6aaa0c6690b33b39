//! The survey's two strategies (#14): each stage is the pipeline it says, and run on a trained
//! model the stages do what their names claim — shrinking then improving wins accuracy back at the
//! same bytes, growing keeps the function, shrinking back fits in the float model's bytes.

mod common;

use common::{spec, train_cpu};
use efficiency_playground::compress::Step;
use efficiency_playground::experiment::{Experiment, Point};
use efficiency_playground::strategy::{Stage, Strategy};
use efficiency_playground::train::{FineTuneSpec, RunToEnd};

const TUNE: FineTuneSpec = FineTuneSpec {
    epochs: 10,
    learning_rate: 0.005,
};

fn steps(json: &str) -> Vec<Step> {
    serde_json::from_str(json).unwrap()
}

/// Trains the digits MLP `hidden` for `epochs`, then makes each stage of `strategy` from it: the
/// float point, the stages and their points.
fn run(hidden: &str, epochs: usize, strategy: Strategy) -> (Point, Vec<Stage>, Vec<Point>) {
    let json = format!(r#"{{"model": {{"kind": "mlp", "hidden": {hidden}, "activation": "relu"}}, "train": {{"epochs": {epochs}}}}}"#);
    let (exp, float) = train_cpu(&spec(&json)).unwrap();
    let stages = strategy.stages().unwrap();
    let points = stages.iter().map(|s| recompressed(&exp, &s.steps)).collect();
    (float.point, stages, points)
}

fn recompressed(exp: &Experiment, steps: &[Step]) -> Point {
    pollster::block_on(exp.recompress(steps, &mut RunToEnd)).unwrap().point
}

#[test]
fn the_stages_are_the_pipelines_they_name() {
    let shrink = Strategy::ShrinkAndImprove {
        width: 0.5,
        bits: 4,
        tune: TUNE,
    };
    let stages = shrink.stages().unwrap();
    let resize = r#"{"kind": "resize", "width": 0.5, "hidden_layers": null}"#;
    let quantize = r#"{"kind": "quantize", "bits": 4, "symmetric": true, "per_channel": true}"#;
    let tune = r#"{"kind": "fine_tune", "epochs": 10, "learning_rate": 0.005}"#;
    assert_eq!(stages.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["shrunk", "improved"]);
    assert_eq!(stages[0].steps, steps(&format!("[{resize}, {quantize}]")));
    assert_eq!(stages[1].steps, steps(&format!("[{resize}, {tune}, {quantize}]")));

    let grow = Strategy::GrowImproveShrink {
        width: 2.0,
        bits: 8,
        tune: TUNE,
    };
    let stages = grow.stages().unwrap();
    assert_eq!(
        stages.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["grown", "improved", "shrunk back"]
    );
    let resize = r#"{"kind": "resize", "width": 2.0, "hidden_layers": null}"#;
    let quantize = r#"{"kind": "quantize", "bits": 8, "symmetric": true, "per_channel": true}"#;
    assert_eq!(stages[2].steps, steps(&format!("[{resize}, {tune}, {quantize}]")));
    assert_eq!(stages[1].steps, stages[2].steps[..2]);
    assert_eq!(stages[0].steps, stages[2].steps[..1]);
}

#[test]
fn shrink_and_improve_wins_accuracy_back_at_the_same_bytes() {
    let strategy = Strategy::ShrinkAndImprove {
        width: 0.5,
        bits: 8,
        tune: TUNE,
    };
    let (float, stages, points) = run("[64, 32]", 15, strategy);
    let [shrunk, improved] = <[_; 2]>::try_from(points).unwrap();
    assert_eq!(
        (&shrunk.spec.compress, &improved.spec.compress),
        (&stages[0].steps, &stages[1].steps)
    );
    assert_eq!(shrunk.params, 64 * 32 + 32 + 32 * 16 + 16 + 16 * 10 + 10);
    assert!(
        improved.footprint.bytes.abs_diff(shrunk.footprint.bytes) < 64,
        "{} vs {}",
        improved.footprint.bytes,
        shrunk.footprint.bytes
    );
    assert!(shrunk.footprint.bytes * 3 < float.footprint.bytes);
    assert!(
        improved.test_accuracy > shrunk.test_accuracy + 0.05,
        "{} → {}",
        shrunk.test_accuracy,
        improved.test_accuracy
    );
}

#[test]
fn grow_improve_and_shrink_keeps_the_function_and_shrinks_back_within_the_float_bytes() {
    let strategy = Strategy::GrowImproveShrink {
        width: 2.0,
        bits: 8,
        tune: TUNE,
    };
    let (float, _, points) = run("[32]", 10, strategy);
    let [grown, improved, back] = <[_; 3]>::try_from(points).unwrap();
    assert_eq!(grown.spec.model, float.spec.model); // a pipeline on the trained model
    assert_eq!(grown.params, 64 * 64 + 64 + 64 * 10 + 10);
    assert_eq!(grown.test_accuracy, float.test_accuracy); // Net2Net: the same function
    assert_eq!(improved.params, grown.params);
    assert!(
        back.footprint.bytes <= float.footprint.bytes,
        "{} > {}",
        back.footprint.bytes,
        float.footprint.bytes
    );
    assert!((back.test_accuracy - improved.test_accuracy).abs() < 0.02);
}

#[test]
fn settings_out_of_range_are_refused_by_the_step_that_would_use_them() {
    let bad = |s: Strategy| s.stages().unwrap_err().to_string();
    assert!(
        bad(Strategy::ShrinkAndImprove {
            width: 0.0,
            bits: 4,
            tune: TUNE
        })
        .contains("resize.width must be")
    );
    assert!(
        bad(Strategy::GrowImproveShrink {
            width: 2.0,
            bits: 9,
            tune: TUNE
        })
        .contains("quantize.bits must be between 1 and 8")
    );
    let tune = FineTuneSpec { epochs: 0, ..TUNE };
    assert!(bad(Strategy::GrowImproveShrink { width: 2.0, bits: 8, tune }).contains("fine_tune.epochs"));
}
