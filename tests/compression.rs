//! Compression: exact small cases for each technique, the export round trip, bad parameters, and
//! the shapes of REFERENCE.md on the digits MLP.

mod common;

use std::collections::BTreeSet;

use common::{spec, train_cpu};
use efficiency_playground::Error;
use efficiency_playground::compress::pipeline::{self, Step};
use efficiency_playground::compress::prune::PruneSpec;
use efficiency_playground::compress::quantize::{self, QuantizeSpec};
use efficiency_playground::compress::weights::{HostTensor, HostWeights};
use efficiency_playground::experiment;
use efficiency_playground::footprint;

fn ramp(shape: Vec<usize>) -> HostTensor {
    let n: usize = shape.iter().product();
    let values = (0..n).map(|i| (i as f32 / (n - 1) as f32) * 2.0 - 1.0 + 0.013 * ((i * 7) % 5) as f32).collect();
    HostTensor { path: "w".into(), shape, values }
}

fn distinct(values: &[f32]) -> BTreeSet<u32> {
    values.iter().map(|v| v.to_bits()).collect()
}

fn q(bits: u8, symmetric: bool, per_channel: bool) -> QuantizeSpec {
    QuantizeSpec { bits, symmetric, per_channel }
}

#[test]
fn symmetric_4_bit_has_15_levels_and_asymmetric_16_with_exact_zero() {
    let mut t = ramp(vec![40, 25]);
    quantize::quantize(&mut t, q(4, true, false));
    assert_eq!(distinct(&t.values).len(), 15);
    let mut t = ramp(vec![40, 25]);
    let codes = quantize::quantize(&mut t, q(4, false, false));
    assert_eq!(distinct(&t.values).len(), 16);
    assert!(codes.codes.iter().all(|&c| c < 16));
    assert_eq!(codes.zero_code(0), Some(codes.zero_points[0]));
    assert!(t.values.contains(&0.0), "zero is one of the asymmetric levels");
}

#[test]
fn per_channel_scales_follow_output_channels() {
    let mut t = ramp(vec![30, 4]); // dense [inputs, outputs]: 4 channels
    let codes = quantize::quantize(&mut t, q(3, true, true));
    assert_eq!(codes.scales.len(), 4);
    for c in 0..4 {
        let column: Vec<f32> = t.values.iter().enumerate().filter(|(i, _)| i % 4 == c).map(|(_, v)| *v).collect();
        assert!(distinct(&column).len() <= 7, "channel {c}");
    }
}

#[test]
fn one_bit_is_sign_times_mean_magnitude() {
    let mut t = ramp(vec![10, 10]);
    let mean = t.values.iter().map(|v| v.abs()).sum::<f32>() / 100.0;
    quantize::quantize(&mut t, q(1, true, false));
    let levels: BTreeSet<u32> = distinct(&t.values);
    assert_eq!(levels, [mean.to_bits(), (-mean).to_bits()].into_iter().collect());
}

#[test]
fn quantization_error_is_at_most_half_a_step() {
    for bits in 2..=8 {
        let original = ramp(vec![16, 16]);
        let mut t = original.clone();
        let codes = quantize::quantize(&mut t, q(bits, true, false));
        let worst = original.values.iter().zip(&t.values).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
        assert!(worst <= codes.scales[0] / 2.0 + 1e-6, "{bits} bits: error {worst}");
    }
}

#[test]
fn global_and_layerwise_pruning_hit_the_requested_sparsity() {
    let weights = HostWeights { tensors: vec![ramp(vec![20, 10]), ramp(vec![10]), HostTensor { values: ramp(vec![10, 5]).values.iter().map(|v| v * 10.0).collect(), ..ramp(vec![10, 5]) }] };
    let global = pipeline::apply(&weights, &[Step::Prune(PruneSpec { sparsity: 0.75, global: true })]).unwrap();
    let zeros = |t: &HostTensor| t.values.iter().filter(|v| **v == 0.0).count();
    let total_zeros: usize = global.weights.weights().map(zeros).sum();
    assert!((186..=189).contains(&total_zeros), "{total_zeros} of 250 zeroed"); // 75 % of 250 = 187.5
    assert_eq!(zeros(&global.weights.tensors[1]), 0, "biases are not pruned");
    assert!(zeros(&global.weights.tensors[2]) < zeros(&global.weights.tensors[0]), "global prunes the small layer more");
    let layerwise = pipeline::apply(&weights, &[Step::Prune(PruneSpec { sparsity: 0.75, global: false })]).unwrap();
    assert_eq!(zeros(&layerwise.weights.tensors[0]), 150);
    assert!((37..=38).contains(&zeros(&layerwise.weights.tensors[2])));
}

#[test]
fn prune_then_quantize_keeps_zeros_exactly() {
    let weights = HostWeights { tensors: vec![ramp(vec![20, 10])] };
    let steps = [Step::Prune(PruneSpec { sparsity: 0.5, global: false }), Step::Quantize(q(3, false, true))];
    let out = pipeline::apply(&weights, &steps).unwrap();
    assert_eq!(out.weights.tensors[0].values.iter().filter(|v| **v == 0.0).count(), 100);
}

#[test]
fn bad_parameters_are_clear_errors() {
    let w = HostWeights { tensors: vec![ramp(vec![4, 4])] };
    for step in [
        Step::Quantize(q(0, true, false)),
        Step::Quantize(q(33, true, false)),
        Step::Prune(PruneSpec { sparsity: 1.5, global: true }),
        Step::Prune(PruneSpec { sparsity: f64::NAN, global: true }),
        Step::Prune(PruneSpec { sparsity: -0.1, global: false }),
    ] {
        assert!(matches!(pipeline::apply(&w, std::slice::from_ref(&step)), Err(Error::InvalidSpec(_))), "{step:?} accepted");
    }
    let s = spec(r#"{"compress": [{"kind": "quantize", "bits": 9, "symmetric": true, "per_channel": false}]}"#);
    assert!(matches!(s.validate(), Err(Error::InvalidSpec(m)) if m.contains("bits")));
    assert!(matches!(footprint::import(b"not a model"), Err(Error::Data(_))));
}

#[test]
fn digits_reference_shapes_and_honest_footprints() {
    let (exp, float) = train_cpu(&spec(r#"{"data": {"name": "digits"}}"#)).unwrap();
    let run = |steps: Vec<Step>| pollster::block_on(exp.recompress(&steps)).unwrap();
    let acc = |v: &experiment::Variant| 100.0 * v.point.test_accuracy;
    let prune = |sparsity| Step::Prune(PruneSpec { sparsity, global: true });
    let base = acc(&float);

    let int8 = run(vec![Step::Quantize(q(8, true, false))]);
    let int4_pc = run(vec![Step::Quantize(q(4, true, true))]);
    let int2_pt = run(vec![Step::Quantize(q(2, true, false))]);
    let int2_pc = run(vec![Step::Quantize(q(2, true, true))]);
    let p50 = run(vec![prune(0.5)]);
    let p90 = run(vec![prune(0.9)]);
    println!("float {base:.1} | int8 {:.1} | int4/ch {:.1} | int2 {:.1} / ch {:.1} | prune 50 {:.1} / 90 {:.1}",
        acc(&int8), acc(&int4_pc), acc(&int2_pt), acc(&int2_pc), acc(&p50), acc(&p90));

    assert!((acc(&int8) - base).abs() <= 0.5, "int8 {} vs float {base}", acc(&int8));
    assert!(acc(&int4_pc) >= base - 1.0, "int4 per-channel {}", acc(&int4_pc));
    assert!(acc(&int2_pt) < base - 20.0, "int2 per-tensor {} should collapse", acc(&int2_pt));
    assert!(acc(&int2_pc) > acc(&int2_pt), "per-channel scales should rescue 2 bits");
    assert!(acc(&p50) >= base - 3.0, "50 % pruning {}", acc(&p50));
    assert!(acc(&p90) < base - 20.0, "one-shot 90 % pruning {} should collapse", acc(&p90));

    // Bytes are the export's length; int8 is about 4× smaller than float once overhead is small.
    for v in [&float, &int8, &p90] {
        assert_eq!(v.point.footprint.bytes, v.export.len() as u64);
    }
    assert!(int8.point.footprint.bytes * 10 < float.point.footprint.bytes * 3, "int8 {} vs float {}", int8.point.footprint.bytes, float.point.footprint.bytes);
    assert!(p90.point.footprint.bytes < float.point.footprint.bytes / 2, "sparse storage");
    assert!(p90.point.footprint.deflated_bytes < float.point.footprint.deflated_bytes);
    assert_eq!(p90.point.footprint.nonzero_params, p90.point.params - (0.9f64 * 4736.0).round() as u64);

    // Import gives back the same model: identical weights, identical accuracy and loss.
    for v in [&float, &int4_pc, &p90, &run(vec![prune(0.75), Step::Quantize(q(3, false, true))])] {
        let (header, weights) = footprint::import(&v.export).unwrap();
        assert_eq!(header.spec, v.point.spec);
        let expected = pollster::block_on(efficiency_playground::compress::weights::HostWeights::read(&v.model)).unwrap();
        assert_eq!(weights, expected);
        let imported = pollster::block_on(experiment::import(&v.export)).unwrap();
        assert_eq!((imported.test_accuracy, imported.test_loss), (v.point.test_accuracy, v.point.test_loss));
        assert_eq!(imported.footprint, v.point.footprint);
    }
}
