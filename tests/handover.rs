//! A model trained by one engine and handed to another (`experiment::adopt`): the page's Auto
//! backend races two engines and its own engine adopts the winner's model. The adopted model must
//! be the trained one exactly: the same point again, and the same compressed points.

mod common;

use common::{spec, train_cpu};
use efficiency_playground::Error;
use efficiency_playground::backend::{self, BackendKind};
use efficiency_playground::compress::Step;
use efficiency_playground::experiment::{self, Experiment, Variant};
use efficiency_playground::train::RunToEnd;

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
