//! The reference reader (`tools/read-model.mjs`, plain JavaScript written from docs/FORMAT.md)
//! classifies every raw test example exactly as the engine does, for each tensor encoding: the
//! file alone, with its own standardisation, is enough to use the model. Needs `node` on PATH
//! (the project's test command already does).

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{spec, train_cpu};
use efficiency_playground::{backend, data, train};

/// The engine's predicted class of every test example of the experiment `json` trains.
fn engine_and_reader_predictions(name: &str, json: &str) -> (Vec<usize>, Vec<usize>) {
    let (exp, v) = train_cpu(&spec(json)).unwrap();
    let (x, _) = train::tensors(&exp.split.test, &backend::cpu());
    let logits = pollster::block_on(efficiency_playground::host::read_floats(v.model.forward(x))).unwrap();
    let classes = exp.input.classes;
    let engine = logits
        .chunks(classes)
        .map(|row| (0..classes).fold(0, |best, c| if row[c] > row[best] { c } else { best }))
        .collect();

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("reference-reader");
    std::fs::create_dir_all(&dir).unwrap();
    let (file, inputs) = (dir.join(format!("{name}.epm")), dir.join(format!("{name}.json")));
    std::fs::write(&file, &v.export).unwrap();
    let (_, raw_test) = data::load_raw(&exp.spec.data, exp.spec.seed).unwrap();
    let rows: Vec<&[f32]> = (0..raw_test.len()).map(|i| raw_test.row(i)).collect();
    std::fs::write(&inputs, serde_json::to_vec(&rows).unwrap()).unwrap();
    let output = Command::new("node")
        .arg(common::repo_file("tools/read-model.mjs"))
        .args([&file, &inputs])
        .output()
        .expect("node runs the reference reader");
    assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
    (engine, serde_json::from_slice(&output.stdout).unwrap())
}

#[test]
fn the_reference_reader_agrees_with_the_engine_on_every_test_example() {
    let digits = r#""data": {"name": "digits"}, "train": {"epochs": 4}"#;
    let mlp = r#""model": {"kind": "mlp", "hidden": [32], "activation": "relu"}"#;
    let cases = [
        ("float", format!("{{{digits}, {mlp}}}")),
        ("int4-per-channel", format!(r#"{{{digits}, {mlp}, "compress": [{{"kind": "quantize", "bits": 4, "symmetric": false, "per_channel": true}}]}}"#)),
        ("pruned-clustered", format!(r#"{{{digits}, {mlp}, "compress": [{{"kind": "prune", "sparsity": 0.8, "global": true}}, {{"kind": "cluster", "clusters": 8, "init": "density"}}]}}"#)),
        ("pruned-97-indices", format!(r#"{{{digits}, {mlp}, "compress": [{{"kind": "prune", "sparsity": 0.97, "global": false}}]}}"#)),
        ("bfloat16", format!(r#"{{{digits}, {mlp}, "compress": [{{"kind": "half", "format": "bfloat16"}}]}}"#)),
        ("float16", format!(r#"{{{digits}, {mlp}, "compress": [{{"kind": "half", "format": "float16"}}]}}"#)),
        ("low-rank", format!(r#"{{{digits}, {mlp}, "compress": [{{"kind": "low_rank", "choose": {{"rank": 6}}, "first_layer_only": true}}]}}"#)),
        ("activations-int4", format!(r#"{{{digits}, {mlp}, "compress": [{{"kind": "quantize", "bits": 4, "symmetric": true, "per_channel": false}}, {{"kind": "quantize_activations", "bits": 4, "calibration_batches": 4}}]}}"#)),
        ("cnn-int8-gelu", format!(r#"{{{digits}, "model": {{"kind": "cnn", "channels": [4, 8], "activation": "gelu"}}, "compress": [{{"kind": "quantize", "bits": 8, "symmetric": true, "per_channel": true}}, {{"kind": "quantize_activations", "bits": 8, "calibration_batches": 2}}]}}"#)),
        ("separable-cnn-pruned-int4", format!(r#"{{{digits}, "model": {{"kind": "cnn", "channels": [8, 16], "activation": "relu", "block": "separable", "width": 0.75}}, "compress": [{{"kind": "prune", "sparsity": 0.5, "global": false}}, {{"kind": "quantize", "bits": 4, "symmetric": true, "per_channel": true}}]}}"#)),
        ("average-head-cnn-structured", format!(r#"{{{digits}, "model": {{"kind": "cnn", "channels": [8, 16], "activation": "relu", "head": "global_average"}}, "compress": [{{"kind": "structured_prune", "fraction": 0.25}}, {{"kind": "quantize_activations", "bits": 8, "calibration_batches": 2}}]}}"#)),
        ("moons-tanh-resized", r#"{"data": {"name": "moons", "samples": 300}, "model": {"kind": "mlp", "hidden": [16], "activation": "tanh"}, "train": {"epochs": 20}, "compress": [{"kind": "resize", "width": 0.5}]}"#.to_string()),
    ];
    for (name, json) in cases {
        let (engine, reader) = engine_and_reader_predictions(name, &json);
        assert_eq!(reader.len(), engine.len(), "{name}");
        let differ: Vec<usize> = (0..engine.len()).filter(|&i| engine[i] != reader[i]).collect();
        assert!(
            differ.is_empty(),
            "{name}: the reader disagrees with the engine on test examples {differ:?}"
        );
    }
}
