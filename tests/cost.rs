//! The cost of a run, counted before it runs: it must agree with the model and the data the run
//! will actually build.

mod common;

use common::spec;
use efficiency_playground::backend;
use efficiency_playground::cost;
use efficiency_playground::data;
use efficiency_playground::model::Classifier;

#[test]
fn macs_counted_from_the_spec_equal_those_of_the_built_model() {
    for json in [
        r#"{"model": {"kind": "mlp", "hidden": [64], "activation": "relu"}}"#,
        r#"{"model": {"kind": "mlp", "hidden": [128, 32, 7], "activation": "tanh"}}"#,
        r#"{"model": {"kind": "cnn", "channels": [8, 16], "activation": "relu"}}"#,
        r#"{"model": {"kind": "cnn", "channels": [3, 5], "activation": "relu"}}"#,
        r#"{"data": {"name": "spiral"}, "model": {"kind": "mlp", "hidden": [16, 16], "activation": "relu"}}"#,
    ] {
        let spec = spec(json);
        let input = data::input_shape(&spec.data);
        let built = Classifier::new(&spec.model, input, &backend::cpu());
        assert_eq!(Classifier::macs_of(&spec.model, input), built.macs(), "{json}");
    }
}

#[test]
fn example_counts_are_those_of_the_loaded_split() {
    for json in [
        r#"{}"#,
        r#"{"data": {"name": "digits", "test_fraction": 0.33}}"#,
        r#"{"data": {"name": "moons", "samples": 999, "test_fraction": 0.25}}"#,
    ] {
        let spec = spec(json);
        let split = data::load(&spec.data, spec.seed).unwrap();
        assert_eq!(data::example_counts(&spec.data), (split.train.len(), split.test.len()), "{json}");
    }
}

#[test]
fn the_default_run_counts_its_steps_and_macs() {
    // Digits: 1,437 training and 360 test examples; MLP 64: 64·64 + 64·10 MACs an example.
    let spec = spec(r#"{"train": {"epochs": 30, "batch_size": 64}}"#);
    let cost = cost::of(&spec).unwrap();
    assert_eq!((cost.train_examples, cost.test_examples), (1437, 360));
    assert_eq!(cost.macs_per_example, 4736);
    assert_eq!((cost.steps_per_epoch, cost.steps), (23, 690));
    // Forward and backward (3 passes) over the training set, then both splits evaluated.
    assert_eq!(cost.macs, 4736.0 * (3.0 * 1437.0 + 1797.0) * 30.0);
}

#[test]
fn an_invalid_spec_has_no_cost() {
    let error = cost::of(&spec(r#"{"train": {"batch_size": 0}}"#)).unwrap_err();
    assert!(error.to_string().contains("batch_size"), "{error}");
}

#[test]
fn every_training_of_the_pipeline_is_counted() {
    // 30 epochs, then QAT for 4, gradual pruning in 3 stages of 2, and centroid tuning for 5.
    let spec = spec(
        r#"{"train": {"epochs": 30, "batch_size": 64}, "compress": [
            {"kind": "qat", "quantize": {"bits": 4, "symmetric": true, "per_channel": false}, "fine_tune": {"epochs": 4, "learning_rate": 0.001}},
            {"kind": "gradual_prune", "prune": {"sparsity": 0.5, "global": false}, "stages": 3, "fine_tune": {"epochs": 2, "learning_rate": 0.001}},
            {"kind": "cluster", "clusters": 16, "init": "linear", "fine_tune": {"epochs": 5, "learning_rate": 0.001}},
            {"kind": "quantize", "bits": 8, "symmetric": true, "per_channel": false}
        ]}"#,
    );
    let cost = cost::of(&spec).unwrap();
    assert_eq!(cost.fine_tune_epochs, 4 + 3 * 2 + 5);
    assert_eq!((cost.epochs, cost.steps), (30, 23 * (30 + 15)));
    assert_eq!(cost.macs, 4736.0 * (3.0 * 1437.0 + 1797.0) * 45.0);
}
