//! Efficient architectures (#13): MobileNet's depthwise-separable block, the width multiplier and
//! the global-average-pooling head — their parameter and MAC counts by formula, that burn builds
//! what the spec says, that they train, and that every compression step and the model file work
//! on them.

mod common;

use common::{spec, train_cpu};
use efficiency_playground::Error;
use efficiency_playground::experiment;
use efficiency_playground::footprint;
use efficiency_playground::host::HostWeights;
use efficiency_playground::model::Classifier;
use efficiency_playground::spec::{ExperimentSpec, ModelSpec};
use efficiency_playground::train::RunToEnd;

const DIGITS: &str = r#""data": {"name": "digits"}"#;

fn cnn(fields: &str) -> ExperimentSpec {
    spec(&format!(
        r#"{{{DIGITS}, "model": {{"kind": "cnn", "channels": [8, 16], "activation": "relu"{fields}}}, "train": {{"epochs": 6, "batch_size": 32}}}}"#
    ))
}

fn built_shapes(s: &ExperimentSpec) -> Vec<(String, Vec<usize>)> {
    let input = efficiency_playground::data::input_shape(&s.data);
    let model = Classifier::new(&s.model, input, &efficiency_playground::backend::cpu());
    let built = pollster::block_on(HostWeights::read(&model)).unwrap();
    assert_eq!(Classifier::parameter_shapes(&s.model, input).len(), built.tensors.len());
    built.tensors.iter().map(|t| (t.path.clone(), t.shape.clone())).collect()
}

#[test]
fn separable_block_parameters_and_macs_follow_the_formula() {
    // 8×8 digits, channels 8 → 16. conv1 on 8×8; the block on the 4×4 pooled maps; head on 2×2.
    let s = cnn(r#", "block": "separable""#);
    let shapes = built_shapes(&s);
    assert_eq!(
        shapes,
        [
            ("Cnn.conv1.weight", vec![8, 1, 3, 3]),
            ("Cnn.conv1.bias", vec![8]),
            ("Cnn.depthwise.weight", vec![8, 1, 3, 3]),
            ("Cnn.depthwise.bias", vec![8]),
            ("Cnn.pointwise.weight", vec![16, 8, 1, 1]),
            ("Cnn.pointwise.bias", vec![16]),
            ("Cnn.head.weight", vec![16 * 2 * 2, 10]),
            ("Cnn.head.bias", vec![10]),
        ]
        .map(|(p, s)| (p.to_string(), s))
    );
    assert_eq!(
        shapes,
        Classifier::parameter_shapes(&s.model, efficiency_playground::data::input_shape(&s.data))
    );

    // Howard et al. 2017, eq. 5: a separable block costs k²·M·D² + M·N·D² against k²·M·N·D².
    let (k2, m, n, d2) = (9, 8, 16, 4 * 4);
    let block = k2 * m * d2 + m * n * d2;
    let full = k2 * m * n * d2;
    let v = common::run_cpu(&s).unwrap();
    assert_eq!(v.point.macs, 64 * 9 * 8 + block + 16 * 4 * 10);
    assert_eq!(v.point.params, (72 + 8) + (72 + 8) + (128 + 16) + (640 + 10));
    let plain = common::run_cpu(&cnn("")).unwrap();
    assert_eq!(plain.point.macs - v.point.macs, full - block);
    assert_eq!(plain.point.params, (72 + 8) + (8 * 16 * 9 + 16) + (640 + 10));
    assert_eq!(v.model.macs(), v.point.macs, "the built model counts what the spec says");
}

#[test]
fn width_multiplier_and_average_head_shape_the_model() {
    let s = cnn(r#", "width": 0.5, "head": "global_average""#);
    let shapes = built_shapes(&s);
    assert_eq!(shapes[0].1, [4, 1, 3, 3], "8 channels × 0.5");
    assert_eq!(shapes[2].1, [8, 4, 3, 3], "16 channels × 0.5");
    assert_eq!(shapes[4].1, [8, 10], "one input per channel: the head no longer sees pixels");
    let input = efficiency_playground::data::input_shape(&s.data);
    assert_eq!(Classifier::macs_of(&s.model, input), 64 * 9 * 4 + 16 * 9 * 4 * 8 + 8 * 10);

    // Defaults are left out, so a plain CNN's spec (its links and files) reads as before.
    let plain = serde_json::to_value(&cnn("").model).unwrap();
    assert_eq!(plain, serde_json::json!({"kind": "cnn", "channels": [8, 16], "activation": "relu"}));
    let json = serde_json::to_string(&s.model).unwrap();
    assert_eq!(serde_json::from_str::<ModelSpec>(&json).unwrap(), s.model);
}

#[test]
fn bad_architectures_are_named() {
    let message = |json: &str| match serde_json::from_str::<ExperimentSpec>(json).map_err(|e| e.to_string()) {
        Ok(s) => match s.validate() {
            Err(Error::InvalidSpec(m)) => m,
            other => panic!("{json} gave {other:?}"),
        },
        Err(m) => m,
    };
    assert!(
        message(r#"{"model": {"kind": "mlp", "hidden": [8], "activation": "relu", "block": "separable"}}"#).contains("belong to a CNN")
    );
    assert!(
        message(r#"{"model": {"kind": "cnn", "channels": [8, 16], "activation": "relu", "width": 9}}"#)
            .contains("model.width must be a multiplier between 0.125 and 4, got 9")
    );
    assert!(
        message(r#"{"model": {"kind": "cnn", "channels": [8, 16], "activation": "relu", "block": "inverted"}}"#)
            .contains("unknown variant")
    );
}

#[test]
fn a_separable_cnn_learns_digits() {
    let mut s = cnn(r#", "block": "separable", "head": "global_average""#);
    s.train.epochs = 30;
    let v = common::run_cpu(&s).unwrap();
    println!("separable CNN 8-16 with an average head: {:.1} %", 100.0 * v.point.test_accuracy);
    assert!(v.point.test_accuracy > 0.8, "accuracy {}", v.point.test_accuracy);
}

#[test]
fn compression_works_on_a_separable_cnn_and_its_file_round_trips_bit_identically() {
    let (exp, _) = train_cpu(&cnn(r#", "block": "separable""#)).unwrap();
    let recompress = |json: &str| pollster::block_on(exp.recompress(&serde_json::from_str::<Vec<_>>(json).unwrap(), &mut RunToEnd));

    // Quantization and pruning: the file re-exports byte for byte and evaluates the same.
    let quantized = recompress(
        r#"[{"kind": "prune", "sparsity": 0.5, "global": false}, {"kind": "quantize", "bits": 4, "symmetric": true, "per_channel": true}]"#,
    )
    .unwrap();
    let (header, stored) = footprint::import(&quantized.export).unwrap();
    assert_eq!(footprint::export(&header, &stored), quantized.export);
    let imported = pollster::block_on(experiment::import(&quantized.export)).unwrap();
    assert_eq!(
        (imported.test_loss, imported.test_accuracy),
        (quantized.point.test_loss, quantized.point.test_accuracy)
    );
    assert!(stored.weights.tensors.iter().any(|t| t.is_depthwise()));

    // Clustering keeps at most k distinct values in every weight tensor, depthwise included.
    let clustered = recompress(r#"[{"kind": "cluster", "clusters": 4, "init": "linear"}]"#).unwrap();
    let (_, stored) = footprint::import(&clustered.export).unwrap();
    for t in stored.weights.weights() {
        let distinct: std::collections::BTreeSet<u32> = t.values.iter().map(|v| v.to_bits()).collect();
        assert!(distinct.len() <= 4, "{} has {} values", t.path, distinct.len());
    }

    // Structured pruning: a channel removed from conv1 is removed from the depthwise filter and
    // from the pointwise inputs too, and the MACs count the narrower network.
    let half = recompress(r#"[{"kind": "structured_prune", "fraction": 0.5}]"#).unwrap();
    let (c1, c2) = (4, 8);
    assert_eq!(
        half.point.effective_macs,
        (64 * 9 * c1 + 16 * 9 * c1 + 16 * c1 * c2 + c2 * 4 * 10) as u64
    );
    let (_, stored) = footprint::import(&half.export).unwrap();
    let weights: Vec<_> = stored.weights.weights().collect();
    for channel in 0..8 {
        let conv1_zero = weights[0].values[channel * 9..(channel + 1) * 9].iter().all(|&v| v == 0.0);
        let depthwise_zero = weights[1].values[channel * 9..(channel + 1) * 9].iter().all(|&v| v == 0.0);
        let pointwise_zero = (0..16).all(|o| weights[2].values[o * 8 + channel] == 0.0);
        assert_eq!(
            (conv1_zero, depthwise_zero, pointwise_zero),
            (conv1_zero, conv1_zero, conv1_zero),
            "channel {channel}"
        );
    }

    // Low rank applies where it saves: the depthwise kernel is left as it is.
    let low = recompress(r#"[{"kind": "low_rank", "choose": {"rank": 2}, "first_layer_only": false}]"#).unwrap();
    let (_, stored) = footprint::import(&low.export).unwrap();
    let factored: Vec<&str> = stored
        .weights
        .tensors
        .iter()
        .zip(&stored.factors)
        .filter(|(_, f)| f.is_some())
        .map(|(t, _)| t.path.as_str())
        .collect();
    assert_eq!(factored, ["Cnn.conv1.weight", "Cnn.pointwise.weight", "Cnn.head.weight"]);

    // Resize refuses a separable CNN with a message instead of a wrong model.
    let resized = recompress(r#"[{"kind": "resize", "width": 0.5}]"#);
    assert!(matches!(resized, Err(Error::InvalidSpec(m)) if m.contains("model.width")));
}

#[test]
fn mnist_loads_whole_and_a_cnn_learns_it() {
    common::provide_mnist();
    let set = efficiency_playground::data::mnist::load().unwrap();
    assert_eq!((set.len(), set.n_features, set.image), (10_000, 784, Some([28, 28])));
    let mut per_class = [0; 10];
    for &label in &set.labels {
        per_class[label as usize] += 1;
    }
    assert!(per_class.iter().all(|&n| (850..=1150).contains(&n)), "{per_class:?}");
    assert!(set.features.iter().all(|&p| (0.0..=255.0).contains(&p) && p.fract() == 0.0));

    let s = spec(
        r#"{"data": {"name": "mnist"}, "model": {"kind": "cnn", "channels": [4, 8], "activation": "relu", "block": "separable"}, "train": {"epochs": 1, "batch_size": 64}}"#,
    );
    let v = common::run_cpu(&s).unwrap();
    println!("MNIST separable CNN 4-8, one epoch: {:.1} %", 100.0 * v.point.test_accuracy);
    assert_eq!(v.point.macs, 784 * 9 * 4 + 196 * (9 * 4 + 4 * 8) + 8 * 49 * 10);
    assert!(v.point.test_accuracy > 0.7, "accuracy {}", v.point.test_accuracy);
}
