//! Automation (#14): per-layer settings in the quantize and prune steps (and through the model
//! file), per-layer sensitivity, and mixed precision under a byte budget.

mod common;

use std::rc::Rc;

use common::{spec, train_cpu};
use efficiency_playground::Error;
use efficiency_playground::compress::Step;
use efficiency_playground::compress::quantize::QuantizeSpec;
use efficiency_playground::experiment::{self, Experiment};
use efficiency_playground::footprint;
use efficiency_playground::host::HostWeights;
use efficiency_playground::mixed_precision::{self, MixedPrecisionSpec};
use efficiency_playground::sensitivity::{self, BITS, Probe, SPARSITIES};
use efficiency_playground::train::{Control, Observer, Progress, RunToEnd};

/// The digits MLP 64-32 (three weighted layers), trained briefly.
fn trained() -> Rc<Experiment> {
    let s = spec(r#"{"model": {"kind": "mlp", "hidden": [64, 32], "activation": "relu"}, "train": {"epochs": 8}}"#);
    train_cpu(&s).unwrap().0
}

fn steps(json: &str) -> Vec<Step> {
    serde_json::from_str(json).unwrap()
}

fn recompress(exp: &Experiment, steps: &[Step]) -> experiment::Variant {
    pollster::block_on(exp.recompress(steps, &mut RunToEnd)).unwrap()
}

const SCHEME: Probe = Probe::Quantize {
    symmetric: true,
    per_channel: false,
};

#[test]
fn per_layer_bits_are_stored_as_asked_and_read_back_from_the_file() {
    let exp = trained();
    let mixed = recompress(
        &exp,
        &steps(r#"[{"kind": "quantize", "bits": 8, "symmetric": true, "per_channel": true, "layers": [8, 2, 0]}]"#),
    );
    let (header, compressed) = footprint::import(&mixed.export).unwrap();
    let widths: Vec<Option<u8>> = compressed
        .weights
        .tensors
        .iter()
        .zip(&compressed.codes)
        .filter(|(t, _)| t.is_weight())
        .map(|(_, c)| c.as_ref().map(|c| c.bits()))
        .collect();
    assert_eq!(widths, [Some(8), Some(2), None]);
    assert_eq!(header.spec, mixed.point.spec);
    let imported = pollster::block_on(experiment::import(&mixed.export)).unwrap();
    assert_eq!(
        (imported.test_accuracy, imported.footprint.bytes),
        (mixed.point.test_accuracy, mixed.point.footprint.bytes)
    );
    // A spec without per-layer settings reads and writes as before (no `layers` field).
    let uniform = serde_json::to_string(&QuantizeSpec::uniform(4, true, false)).unwrap();
    assert!(!uniform.contains("layers"), "{uniform}");
}

#[test]
fn per_layer_sparsity_prunes_each_layer_to_its_own_fraction() {
    let exp = trained();
    let pruned = recompress(
        &exp,
        &steps(r#"[{"kind": "prune", "sparsity": 0, "global": false, "layers": [0.9, 0.5, 0]}]"#),
    );
    let weights = pollster::block_on(HostWeights::read(&pruned.model)).unwrap();
    let zeros: Vec<f64> = weights
        .weights()
        .map(|t| t.values.iter().filter(|v| **v == 0.0).count() as f64 / t.values.len() as f64)
        .collect();
    assert!(
        (zeros[0] - 0.9).abs() < 0.01 && (zeros[1] - 0.5).abs() < 0.01 && zeros[2] < 0.01,
        "{zeros:?}"
    );
}

#[test]
fn bad_per_layer_settings_are_named() {
    let exp = trained();
    let error = |json: &str| {
        pollster::block_on(exp.recompress(&steps(json), &mut RunToEnd))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        error(r#"[{"kind": "quantize", "bits": 4, "symmetric": true, "per_channel": false, "layers": [4, 4]}]"#),
        "invalid spec: quantize.layers has 2 entries, but the model has 3 weighted layers"
    );
    assert_eq!(
        error(r#"[{"kind": "quantize", "bits": 4, "symmetric": true, "per_channel": false, "layers": [4, 9, 4]}]"#),
        "invalid spec: quantize.layers holds bits per layer between 0 (float) and 8, got 9"
    );
    assert_eq!(
        error(r#"[{"kind": "prune", "sparsity": 0, "global": false, "layers": [0.5, 1.0, 0]}]"#),
        "invalid spec: prune.layers holds a sparsity per layer in [0, 1), got 1"
    );
    assert_eq!(
        error(r#"[{"kind": "prune", "sparsity": 0, "global": true, "layers": [0.5, 0.5, 0]}]"#),
        "invalid spec: prune.layers sets each layer's sparsity, so prune.global must be false"
    );
    assert_eq!(
        error(r#"[{"kind": "prune", "sparsity": 0, "global": false, "layers": [0.5]}]"#),
        "invalid spec: prune.layers has 1 entries, but the model has 3 weighted layers"
    );
}

#[test]
fn sensitivity_has_one_point_per_layer_and_level_and_touches_only_its_layer() {
    let exp = trained();
    for probe in [SCHEME, Probe::Prune] {
        let analysis = pollster::block_on(sensitivity::analyse(&exp, probe, &mut RunToEnd)).unwrap();
        let names: Vec<&str> = analysis.layers.iter().map(|c| c.name.as_str()).collect();
        let expected: Vec<String> = exp.weights.weights().map(|t| t.path.clone()).collect();
        assert_eq!(names, expected);
        for (layer, curve) in analysis.layers.iter().enumerate() {
            assert_eq!(curve.levels, probe.levels());
            assert_eq!(
                (curve.test_accuracy.len(), curve.bytes.len()),
                (probe.levels().len(), probe.levels().len())
            );
            // Each point is the pipeline `probe.step` makes: re-applied, only its layer differs.
            let level = curve.levels[curve.levels.len() - 2];
            let variant = recompress(&exp, &[probe.step(layer, names.len(), level)]);
            assert_eq!(variant.point.test_accuracy, curve.test_accuracy[curve.levels.len() - 2]);
            let after = pollster::block_on(HostWeights::read(&variant.model)).unwrap();
            for (other, (a, b)) in after.weights().zip(exp.weights.weights()).enumerate() {
                assert_eq!(
                    a.values == b.values,
                    other != layer,
                    "{probe:?} layer {layer}: layer {other} changed: {}",
                    other != layer
                );
            }
        }
        // Quantizing a layer, at any width, makes a smaller file than float; 8 bits the largest of
        // them (2-bit codes may beat 1 bit: most round to zero, and the file stores them sparsely).
        if probe == SCHEME {
            let float = recompress(&exp, &[]).point.footprint.bytes;
            for curve in &analysis.layers {
                assert!(
                    curve.bytes.iter().all(|&b| b < float && b <= curve.bytes[0]),
                    "{:?} against {float}",
                    curve.bytes
                );
            }
        }
    }
    assert_eq!((BITS.len(), SPARSITIES[SPARSITIES.len() - 1]), (8, 0.95));
}

#[test]
fn mixed_precision_fits_the_budget_and_spends_bits_where_accuracy_drops() {
    let exp = trained();
    let analysis = pollster::block_on(sensitivity::analyse(&exp, SCHEME, &mut RunToEnd)).unwrap();
    let uniform = |bits| recompress(&exp, &[Step::Quantize(QuantizeSpec::uniform(bits, true, false))]).point;
    let int4 = uniform(4);
    let budget = int4.footprint.bytes;
    let options = MixedPrecisionSpec {
        budget_bytes: budget,
        symmetric: true,
        per_channel: false,
    };
    let chosen = pollster::block_on(mixed_precision::choose(&exp, &analysis, options, &mut RunToEnd)).unwrap();
    assert_eq!(chosen.layers.len(), 3);
    let mixed = recompress(&exp, &[Step::Quantize(chosen.clone())]).point;
    assert!(mixed.footprint.bytes <= budget, "{} > {budget}", mixed.footprint.bytes);
    assert!(
        chosen.layers.iter().any(|&b| b != 4),
        "{:?}: the same as uniform int4",
        chosen.layers
    );
    // A budget above the 8-bit file keeps 8 bits everywhere; one below the 1-bit file is refused.
    let roomy = MixedPrecisionSpec {
        budget_bytes: uniform(8).footprint.bytes + 100,
        ..options
    };
    assert_eq!(
        pollster::block_on(mixed_precision::choose(&exp, &analysis, roomy, &mut RunToEnd))
            .unwrap()
            .layers,
        [8, 8, 8]
    );
    let tiny = MixedPrecisionSpec {
        budget_bytes: 100,
        ..options
    };
    let refused = pollster::block_on(mixed_precision::choose(&exp, &analysis, tiny, &mut RunToEnd))
        .unwrap_err()
        .to_string();
    assert!(
        refused.starts_with("invalid spec: no mixed precision fits in 100 bytes: with 1 bit per weight the file is "),
        "{refused}"
    );
    // The analysis must be of the same scheme.
    let other = MixedPrecisionSpec {
        per_channel: true,
        ..options
    };
    assert!(pollster::block_on(mixed_precision::choose(&exp, &analysis, other, &mut RunToEnd)).is_err());
}

/// Stops after `after` reports.
struct StopAfter(usize);

impl Observer for StopAfter {
    async fn observe(&mut self, _: Progress) -> Control {
        self.0 = self.0.saturating_sub(1);
        if self.0 == 0 { Control::Stop } else { Control::Continue }
    }
}

#[test]
fn a_sensitivity_analysis_reports_progress_and_can_be_cancelled() {
    let exp = trained();
    let result = pollster::block_on(sensitivity::analyse(&exp, Probe::Prune, &mut StopAfter(5)));
    assert_eq!(
        result.unwrap_err(),
        Error::Cancelled {
            done: 5,
            of: 3 * SPARSITIES.len(),
            unit: "settings"
        }
    );
}
