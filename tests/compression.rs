//! Compression: exact small cases for each technique, the export round trip, bad parameters, and
//! the shapes of REFERENCE.md on the digits MLP.

mod common;

use std::collections::BTreeSet;

use common::{spec, train_cpu};
use efficiency_playground::Error;
use efficiency_playground::compress::NoFineTuning;
use efficiency_playground::compress::cluster::{self, ClusterInit, ClusterSpec};
use efficiency_playground::compress::codes::HalfFormat;
use efficiency_playground::compress::gradual_prune::GradualSpec;
use efficiency_playground::compress::half::HalfSpec;
use efficiency_playground::compress::low_rank::{self, LowRankSpec, RankChoice};
use efficiency_playground::compress::pipeline::{self, Step};
use efficiency_playground::compress::prune::PruneSpec;
use efficiency_playground::compress::qat::QatSpec;
use efficiency_playground::compress::quantize::{self, QuantizeSpec};
use efficiency_playground::compress::quantize_activations::ActivationQuantSpec;
use efficiency_playground::compress::resize::ResizeSpec;
use efficiency_playground::compress::structured_prune::StructuredSpec;
use efficiency_playground::experiment;
use efficiency_playground::footprint;
use efficiency_playground::host::{HostTensor, HostWeights};
use efficiency_playground::model::activation_ranges::quantize_to_range;
use efficiency_playground::spec::{ActivationName, ModelSpec};
use efficiency_playground::train::FineTuneSpec;
use efficiency_playground::train::RunToEnd;

fn ramp(shape: Vec<usize>) -> HostTensor {
    let n: usize = shape.iter().product();
    let values = (0..n)
        .map(|i| (i as f32 / (n - 1) as f32) * 2.0 - 1.0 + 0.013 * ((i * 7) % 5) as f32)
        .collect();
    HostTensor {
        path: "w".into(),
        shape,
        values,
    }
}

fn distinct(values: &[f32]) -> BTreeSet<u32> {
    values.iter().map(|v| v.to_bits()).collect()
}

/// Runs a pipeline without fine-tuning or resizing on host weights (the architecture is unused).
fn host(weights: &HostWeights, steps: &[Step]) -> efficiency_playground::Result<pipeline::Compressed> {
    let unused = ModelSpec::Mlp {
        hidden: Vec::new(),
        activation: ActivationName::Relu,
    };
    pollster::block_on(pipeline::apply(&unused, weights, steps, &mut NoFineTuning))
}

fn q(bits: u8, symmetric: bool, per_channel: bool) -> QuantizeSpec {
    QuantizeSpec::uniform(bits, symmetric, per_channel)
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
        let worst = original
            .values
            .iter()
            .zip(&t.values)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(worst <= codes.scales[0] / 2.0 + 1e-6, "{bits} bits: error {worst}");
    }
}

#[test]
fn k_clusters_give_at_most_k_values_and_keep_pruned_zeros() {
    for init in [ClusterInit::Linear, ClusterInit::Density] {
        for k in [1, 2, 4, 16] {
            let mut t = ramp(vec![30, 10]);
            let book = cluster::cluster(
                &mut t,
                ClusterSpec {
                    clusters: k,
                    init,
                    fine_tune: None,
                },
            );
            assert!(distinct(&t.values).len() <= k, "{init:?} k={k}");
            assert_eq!(book.bits(), (k.max(2) as f32).log2().ceil() as u8);
        }
    }
    let weights = HostWeights {
        tensors: vec![ramp(vec![20, 10])],
    };
    let steps = [
        Step::Prune(PruneSpec {
            sparsity: 0.5,
            global: true,
            ..Default::default()
        }),
        Step::Cluster(ClusterSpec {
            clusters: 4,
            init: ClusterInit::Linear,
            fine_tune: None,
        }),
    ];
    let out = host(&weights, &steps).unwrap();
    let values = &out.weights.tensors[0].values;
    assert_eq!(values.iter().filter(|v| **v == 0.0).count(), 100, "zeros survive clustering");
    assert!(distinct(values).len() <= 5, "4 clusters plus the pruned zero");
}

#[test]
fn rank_r_factorization_has_rank_r_and_the_optimal_error() {
    let original = ramp(vec![12, 9]);
    let sigma = nalgebra::DMatrix::from_row_slice(12, 9, &original.values).singular_values();
    for r in [1, 3, 5] {
        let mut t = original.clone();
        let f = low_rank::factorize(&mut t, RankChoice::Rank(r)).unwrap().expect("rank r saves");
        assert_eq!((f.rank, f.left.len(), f.right.len()), (r, 12 * r, r * 9));
        let s = nalgebra::DMatrix::from_row_slice(12, 9, &t.values).singular_values();
        assert!(s[r] < 1e-4 * s[0], "rank {r}: σ_{} = {}", r + 1, s[r]);
        // Eckart–Young: the Frobenius error is the energy of the dropped singular values.
        let error: f32 = original
            .values
            .iter()
            .zip(&t.values)
            .map(|(a, b)| (a - b).powi(2))
            .sum::<f32>()
            .sqrt();
        let dropped: f32 = sigma.iter().skip(r).map(|s| s * s).sum::<f32>().sqrt();
        assert!((error - dropped).abs() < 1e-3, "rank {r}: error {error} vs {dropped}");
    }
    let mut t = original.clone();
    let energy = low_rank::factorize(&mut t, RankChoice::Energy(0.999)).unwrap().expect("saves").rank;
    let kept = |r: usize| sigma.iter().take(r).map(|s| s * s).sum::<f32>() / sigma.iter().map(|s| s * s).sum::<f32>();
    assert!(kept(energy) >= 0.999 - 1e-6 && kept(energy - 1) < 0.999, "rank {energy}");
    // 6 · (12 + 9) = 126 weights are more than 12 · 9 = 108: a given rank that saves nothing is refused.
    let too_big = low_rank::factorize(&mut original.clone(), RankChoice::Rank(6)).unwrap_err();
    assert_eq!(
        too_big.to_string(),
        "invalid spec: rank 6 factors of w (12×9) would store more than the matrix: use a rank of at most 5"
    );
}

#[test]
fn structured_pruning_and_conv_low_rank_cut_macs() {
    // Digits MLP 64-64-10: half the hidden neurons go, with their bias and outgoing weights.
    let (exp, float) = train_cpu(&spec(r#"{"data": {"name": "digits"}, "train": {"epochs": 20}}"#)).unwrap();
    let half = pollster::block_on(exp.recompress(&[Step::StructuredPrune(StructuredSpec { fraction: 0.5 })], &mut RunToEnd)).unwrap();
    let p = &half.point;
    assert_eq!(p.macs, 64 * 64 + 64 * 10);
    assert_eq!(p.effective_macs, 64 * 32 + 32 * 10);
    assert_eq!(p.footprint.nonzero_params, 64 * 32 + 32 + 32 * 10 + 10);
    assert!(p.footprint.bytes < float.point.footprint.bytes * 6 / 10);
    println!(
        "structured 50 %: {:.1} % (float {:.1} %)",
        100.0 * p.test_accuracy,
        100.0 * float.point.test_accuracy
    );
    assert!(p.test_accuracy > 0.5);

    // Small CNN 8-16: channels of both convolutions, and the head rows they feed.
    let (cnn, _) = train_cpu(&spec(
        r#"{"data": {"name": "digits"}, "model": {"kind": "cnn", "channels": [8, 16], "activation": "relu"}, "train": {"epochs": 3}}"#,
    ))
    .unwrap();
    let half = pollster::block_on(cnn.recompress(&[Step::StructuredPrune(StructuredSpec { fraction: 0.5 })], &mut RunToEnd)).unwrap();
    assert_eq!(half.point.effective_macs, 64 * 9 * 4 + 16 * 9 * 4 * 8 + 8 * 4 * 10);
    let imported = pollster::block_on(experiment::import(&half.export)).unwrap();
    assert_eq!(
        (imported.test_accuracy, imported.effective_macs),
        (half.point.test_accuracy, half.point.effective_macs)
    );

    // Low rank on every layer of the CNN: kernels as out × (in·3·3) matrices, rank 2.
    let rank2 = Step::LowRank(LowRankSpec {
        choose: RankChoice::Rank(2),
        first_layer_only: false,
    });
    let low = pollster::block_on(cnn.recompress(&[rank2], &mut RunToEnd)).unwrap();
    let conv1 = 64 * 9 * 8; // 8×9 matrix → 2·(8 + 9) of 72
    let conv2 = 16 * 9 * 8 * 16; // 16×72 → 2·(16 + 72) of 1,152
    assert_eq!(low.point.effective_macs, conv1 * 34 / 72 + conv2 * 176 / 1152 + 2 * (64 + 10));
    let imported = pollster::block_on(experiment::import(&low.export)).unwrap();
    assert_eq!(
        (imported.test_loss, imported.effective_macs),
        (low.point.test_loss, low.point.effective_macs)
    );
}

#[test]
fn global_and_layerwise_pruning_hit_the_requested_sparsity() {
    let weights = HostWeights {
        tensors: vec![
            ramp(vec![20, 10]),
            ramp(vec![10]),
            HostTensor {
                values: ramp(vec![10, 5]).values.iter().map(|v| v * 10.0).collect(),
                ..ramp(vec![10, 5])
            },
        ],
    };
    let global = host(
        &weights,
        &[Step::Prune(PruneSpec {
            sparsity: 0.75,
            global: true,
            ..Default::default()
        })],
    )
    .unwrap();
    let zeros = |t: &HostTensor| t.values.iter().filter(|v| **v == 0.0).count();
    let total_zeros: usize = global.weights.weights().map(zeros).sum();
    assert!((186..=189).contains(&total_zeros), "{total_zeros} of 250 zeroed"); // 75 % of 250 = 187.5
    assert_eq!(zeros(&global.weights.tensors[1]), 0, "biases are not pruned");
    assert!(
        zeros(&global.weights.tensors[2]) < zeros(&global.weights.tensors[0]),
        "global prunes the small layer more"
    );
    let layerwise = host(
        &weights,
        &[Step::Prune(PruneSpec {
            sparsity: 0.75,
            global: false,
            ..Default::default()
        })],
    )
    .unwrap();
    assert_eq!(zeros(&layerwise.weights.tensors[0]), 150);
    assert!((37..=38).contains(&zeros(&layerwise.weights.tensors[2])));
}

#[test]
fn prune_then_quantize_keeps_zeros_exactly() {
    let weights = HostWeights {
        tensors: vec![ramp(vec![20, 10])],
    };
    let steps = [
        Step::Prune(PruneSpec {
            sparsity: 0.5,
            global: false,
            ..Default::default()
        }),
        Step::Quantize(q(3, false, true)),
    ];
    let out = host(&weights, &steps).unwrap();
    assert_eq!(out.weights.tensors[0].values.iter().filter(|v| **v == 0.0).count(), 100);
}

#[test]
fn bad_parameters_are_clear_errors() {
    let w = HostWeights {
        tensors: vec![ramp(vec![4, 4])],
    };
    for step in [
        Step::Quantize(q(0, true, false)),
        Step::Quantize(q(33, true, false)),
        Step::Prune(PruneSpec {
            sparsity: 1.5,
            global: true,
            ..Default::default()
        }),
        Step::Prune(PruneSpec {
            sparsity: f64::NAN,
            global: true,
            ..Default::default()
        }),
        Step::Prune(PruneSpec {
            sparsity: -0.1,
            global: false,
            ..Default::default()
        }),
        Step::FineTune(FineTuneSpec {
            epochs: 0,
            learning_rate: 0.001,
        }),
        Step::StructuredPrune(StructuredSpec { fraction: 1.0 }),
        Step::GradualPrune(GradualSpec {
            prune: PruneSpec {
                sparsity: 0.5,
                global: true,
                ..Default::default()
            },
            stages: 0,
            fine_tune: FineTuneSpec {
                epochs: 1,
                learning_rate: 0.001,
            },
        }),
        Step::Cluster(ClusterSpec {
            clusters: 0,
            init: ClusterInit::Linear,
            fine_tune: None,
        }),
        Step::Cluster(ClusterSpec {
            clusters: 257,
            init: ClusterInit::Density,
            fine_tune: None,
        }),
        Step::LowRank(LowRankSpec {
            choose: RankChoice::Rank(0),
            first_layer_only: true,
        }),
        Step::LowRank(LowRankSpec {
            choose: RankChoice::Energy(1.5),
            first_layer_only: false,
        }),
        Step::LowRank(LowRankSpec {
            choose: RankChoice::Energy(f64::NAN),
            first_layer_only: false,
        }),
        Step::FineTune(FineTuneSpec {
            epochs: 5,
            learning_rate: f64::NAN,
        }),
    ] {
        assert!(
            matches!(host(&w, std::slice::from_ref(&step)), Err(Error::InvalidSpec(_))),
            "{step:?} accepted"
        );
    }
    let s = spec(r#"{"compress": [{"kind": "quantize", "bits": 9, "symmetric": true, "per_channel": false}]}"#);
    assert!(matches!(s.validate(), Err(Error::InvalidSpec(m)) if m.contains("bits")));
    assert!(matches!(footprint::import(b"not a model"), Err(Error::File(_))));
    let tune = Step::FineTune(FineTuneSpec {
        epochs: 5,
        learning_rate: 0.001,
    });
    assert!(matches!(host(&w, &[tune]), Err(Error::InvalidSpec(m)) if m.contains("fine-tuning needs")));
}

#[test]
fn fine_tuning_with_a_fixed_mask_recovers_pruned_accuracy() {
    // REFERENCE.md: 75 % → 89.7 % one-shot, 97.3 % after 15 epochs of fine-tuning; 90 % → 43 / 90 %.
    let (exp, float) = train_cpu(&spec(r#"{"data": {"name": "digits"}}"#)).unwrap();
    let run = |steps: Vec<Step>| pollster::block_on(exp.recompress(&steps, &mut RunToEnd)).unwrap();
    let prune = |sparsity| {
        Step::Prune(PruneSpec {
            sparsity,
            global: true,
            ..Default::default()
        })
    };
    let tune = Step::FineTune(FineTuneSpec {
        epochs: 15,
        learning_rate: 0.001,
    });
    let base = 100.0 * float.point.test_accuracy;
    for sparsity in [0.75, 0.9] {
        let one_shot = run(vec![prune(sparsity)]);
        let tuned = run(vec![prune(sparsity), tune.clone()]);
        let [a, b] = [&one_shot, &tuned].map(|v| 100.0 * v.point.test_accuracy);
        println!("prune {sparsity}: one-shot {a:.1}, fine-tuned {b:.1} (float {base:.1})");
        assert_eq!(
            tuned.point.footprint.nonzero_params, one_shot.point.footprint.nonzero_params,
            "the mask stays fixed"
        );
        assert!(b > a, "fine-tuning should recover accuracy at {sparsity}");
        if sparsity == 0.75 {
            assert!(b >= base - 1.0, "75 % + fine-tuning {b} vs float {base}");
        }
    }
    // Fine-tuning the centroids of a pruned, 4-cluster model keeps 4 shared values per layer.
    let four = |fine_tune| {
        run(vec![
            prune(0.5),
            Step::Cluster(ClusterSpec {
                clusters: 4,
                init: ClusterInit::Linear,
                fine_tune,
            }),
        ])
    };
    let (plain, tuned) = (
        four(None),
        four(Some(FineTuneSpec {
            epochs: 5,
            learning_rate: 0.001,
        })),
    );
    println!(
        "4 clusters after 50 % pruning: {:.1}, centroids fine-tuned {:.1}",
        100.0 * plain.point.test_accuracy,
        100.0 * tuned.point.test_accuracy
    );
    assert!(tuned.point.test_accuracy > plain.point.test_accuracy);
    assert_eq!(tuned.point.footprint.nonzero_params, plain.point.footprint.nonzero_params);
    let weights = pollster::block_on(efficiency_playground::host::HostWeights::read(&tuned.model)).unwrap();
    for t in weights.weights() {
        assert!(distinct(&t.values).len() <= 5, "{}: 4 centroids and zero", t.path);
    }
    let imported = pollster::block_on(experiment::import(&tuned.export)).unwrap();
    assert_eq!(imported.test_accuracy, tuned.point.test_accuracy);

    // Gradual pruning along the cubic schedule reaches the same sparsity and beats one shot.
    let gradual = GradualSpec {
        prune: PruneSpec {
            sparsity: 0.9,
            global: true,
            ..Default::default()
        },
        stages: 3,
        fine_tune: FineTuneSpec {
            epochs: 5,
            learning_rate: 0.001,
        },
    };
    let sparsities: Vec<f64> = gradual.schedule().iter().map(|p| p.sparsity).collect();
    assert_eq!(sparsities.len(), 3);
    assert!((sparsities[0] - 0.9 * (1.0 - (2.0f64 / 3.0).powi(3))).abs() < 1e-12 && (sparsities[2] - 0.9).abs() < 1e-12);
    let staged = run(vec![Step::GradualPrune(gradual)]);
    let one_shot = run(vec![prune(0.9)]);
    println!(
        "gradual 90 %: {:.1} (one-shot {:.1})",
        100.0 * staged.point.test_accuracy,
        100.0 * one_shot.point.test_accuracy
    );
    assert_eq!(staged.point.footprint.nonzero_params, one_shot.point.footprint.nonzero_params);
    assert!(staged.point.test_accuracy > one_shot.point.test_accuracy + 0.1);

    // QAT: training through the quantizer beats quantizing after training at low bit widths.
    for quantize in [q(2, true, true), q(3, true, false)] {
        let ptq = run(vec![Step::Quantize(quantize.clone())]);
        let qat = run(vec![Step::Qat(QatSpec {
            quantize: quantize.clone(),
            fine_tune: FineTuneSpec {
                epochs: 5,
                learning_rate: 0.001,
            },
        })]);
        let [a, b] = [&ptq, &qat].map(|v| 100.0 * v.point.test_accuracy);
        println!(
            "{} bits (per-channel {}): PTQ {a:.1}, QAT {b:.1}",
            quantize.bits, quantize.per_channel
        );
        assert!(b > a, "QAT {b} should beat PTQ {a}");
        assert!(
            qat.point.footprint.bytes * 6 < float.point.footprint.bytes,
            "stored as low-bit codes"
        );
    }

    // Prune → fine-tune → quantize: the zeros survive quantization.
    let deep = run(vec![prune(0.75), tune, Step::Quantize(q(4, true, true))]);
    assert_eq!(
        deep.point.footprint.nonzero_params,
        run(vec![prune(0.75)]).point.footprint.nonzero_params
    );
    assert!(100.0 * deep.point.test_accuracy >= base - 1.5);
}

#[test]
fn digits_reference_shapes_and_honest_footprints() {
    let (exp, float) = train_cpu(&spec(r#"{"data": {"name": "digits"}}"#)).unwrap();
    let run = |steps: Vec<Step>| pollster::block_on(exp.recompress(&steps, &mut RunToEnd)).unwrap();
    let acc = |v: &experiment::Variant| 100.0 * v.point.test_accuracy;
    let prune = |sparsity| {
        Step::Prune(PruneSpec {
            sparsity,
            global: true,
            ..Default::default()
        })
    };
    let base = acc(&float);

    let int8 = run(vec![Step::Quantize(q(8, true, false))]);
    let fp16 = run(vec![Step::Half(HalfSpec {
        format: HalfFormat::Float16,
    })]);
    let bf16 = run(vec![Step::Half(HalfSpec {
        format: HalfFormat::Bfloat16,
    })]);
    println!(
        "float16 {:.1} ({} B), bfloat16 {:.1} ({} B)",
        acc(&fp16),
        fp16.point.footprint.bytes,
        acc(&bf16),
        bf16.point.footprint.bytes
    );
    for half in [&fp16, &bf16] {
        assert!((acc(half) - base).abs() <= 0.5, "16-bit floats are free");
        assert!(
            half.point.footprint.bytes * 10 < float.point.footprint.bytes * 6,
            "about half the bytes"
        );
    }
    let int4_pc = run(vec![Step::Quantize(q(4, true, true))]);
    let int2_pt = run(vec![Step::Quantize(q(2, true, false))]);
    let int2_pc = run(vec![Step::Quantize(q(2, true, true))]);
    let p50 = run(vec![prune(0.5)]);
    let p90 = run(vec![prune(0.9)]);
    let clusters = |k| {
        run(vec![Step::Cluster(ClusterSpec {
            clusters: k,
            init: ClusterInit::Linear,
            fine_tune: None,
        })])
    };
    let (k16, k2) = (clusters(16), clusters(2));
    println!(
        "clusters 16 {:.1} / 2 {:.1}; bytes float {} int8 {} k16 {} p90 {}",
        acc(&k16),
        acc(&k2),
        float.point.footprint.bytes,
        int8.point.footprint.bytes,
        k16.point.footprint.bytes,
        p90.point.footprint.bytes
    );
    assert!(acc(&k16) >= base - 1.0, "16 clusters {}", acc(&k16));
    assert!(acc(&k2) < acc(&k16), "2 clusters should lose accuracy");
    assert!(k16.point.footprint.bytes * 10 < float.point.footprint.bytes * 2, "4-bit indices");

    let rank = |r| {
        run(vec![Step::LowRank(LowRankSpec {
            choose: RankChoice::Rank(r),
            first_layer_only: true,
        })])
    };
    let (r16, r8, r4) = (rank(16), rank(8), rank(4));
    println!(
        "low-rank first layer 16 {:.1} / 8 {:.1} / 4 {:.1}; bytes r8 {}, MACs {} → {}",
        acc(&r16),
        acc(&r8),
        acc(&r4),
        r8.point.footprint.bytes,
        r8.point.macs,
        r8.point.effective_macs
    );
    assert!(acc(&r16) >= base - 2.0, "rank 16 {}", acc(&r16));
    assert!(
        acc(&r4) < acc(&r16) - 10.0,
        "rank 4 {} should lose much more than rank 16 {}",
        acc(&r4),
        acc(&r16)
    );
    assert_eq!(r8.point.effective_macs, r8.point.macs - (64 * 64 - 8 * (64 + 64)));
    assert!(r8.point.footprint.bytes < float.point.footprint.bytes / 2);
    println!(
        "float {base:.1} | int8 {:.1} | int4/ch {:.1} | int2 {:.1} / ch {:.1} | prune 50 {:.1} / 90 {:.1}",
        acc(&int8),
        acc(&int4_pc),
        acc(&int2_pt),
        acc(&int2_pc),
        acc(&p50),
        acc(&p90)
    );

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
    assert!(
        int8.point.footprint.bytes * 10 < float.point.footprint.bytes * 3,
        "int8 {} vs float {}",
        int8.point.footprint.bytes,
        float.point.footprint.bytes
    );
    assert!(p90.point.footprint.bytes < float.point.footprint.bytes / 2, "sparse storage");
    assert!(p90.point.footprint.deflated_bytes < float.point.footprint.deflated_bytes);
    // At 99 % sparsity positions beat the bitmask (16 bits per non-zero < 1 bit per element).
    let p99 = run(vec![prune(0.99)]);
    let (header_and_biases, weights) = (float.point.footprint.bytes - 4 * 4736, 4736u64);
    assert!(
        p99.point.footprint.bytes < header_and_biases + weights / 8,
        "index storage: {} B",
        p99.point.footprint.bytes
    );
    assert_eq!(
        p90.point.footprint.nonzero_params,
        p90.point.params - (0.9f64 * 4736.0).round() as u64
    );

    // Import gives back the same model: identical weights, identical accuracy and loss.
    let pruned_clusters = run(vec![
        prune(0.75),
        Step::Cluster(ClusterSpec {
            clusters: 8,
            init: ClusterInit::Density,
            fine_tune: None,
        }),
    ]);
    for v in [
        &float,
        &fp16,
        &bf16,
        &int4_pc,
        &p90,
        &p99,
        &k16,
        &pruned_clusters,
        &r8,
        &run(vec![prune(0.75), Step::Quantize(q(3, false, true))]),
    ] {
        let (header, stored) = footprint::import(&v.export).unwrap();
        assert_eq!(header.spec, v.point.spec);
        let expected = pollster::block_on(efficiency_playground::host::HostWeights::read(&v.model)).unwrap();
        assert_eq!(stored.weights, expected);
        let imported = pollster::block_on(experiment::import(&v.export)).unwrap();
        assert_eq!(
            (imported.test_accuracy, imported.test_loss),
            (v.point.test_accuracy, v.point.test_loss)
        );
        assert_eq!(imported.footprint, v.point.footprint);
        assert_eq!(imported.effective_macs, v.point.effective_macs);
    }
}

#[test]
fn resize_grows_without_changing_the_function_and_shrinks_then_recovers() {
    let (exp, float) = train_cpu(&spec(r#"{"data": {"name": "digits"}}"#)).unwrap();
    let run = |steps: Vec<Step>| pollster::block_on(exp.recompress(&steps, &mut RunToEnd));
    let resize = |width, hidden_layers| Step::Resize(ResizeSpec { width, hidden_layers });
    let acc = |v: &experiment::Variant| 100.0 * v.point.test_accuracy;

    // Net2Net: twice as wide and one identity layer deeper computes the same function.
    let grown = run(vec![resize(2.0, Some(2))]).unwrap();
    let (header, _) = footprint::import(&grown.export).unwrap();
    assert_eq!(
        *header.architecture(),
        ModelSpec::Mlp {
            hidden: vec![128, 128],
            activation: ActivationName::Relu
        }
    );
    assert_eq!(grown.point.params, (64 * 128 + 128) + (128 * 128 + 128) + (128 * 10 + 10));
    assert_eq!(grown.point.macs, 64 * 128 + 128 * 128 + 128 * 10);
    assert_eq!(grown.point.test_accuracy, float.point.test_accuracy);
    assert!(
        (grown.point.test_loss - float.point.test_loss).abs() < 1e-4,
        "{} vs {}",
        grown.point.test_loss,
        float.point.test_loss
    );

    // Shrink-and-Improve: a quarter of the width loses accuracy; fine-tuning recovers most of it.
    let tune = Step::FineTune(FineTuneSpec {
        epochs: 15,
        learning_rate: 0.001,
    });
    let shrunk = run(vec![resize(0.25, None)]).unwrap();
    let improved = run(vec![resize(0.25, None), tune]).unwrap();
    println!(
        "resize: float {:.1}, ×0.25 {:.1}, + fine-tune {:.1}",
        acc(&float),
        acc(&shrunk),
        acc(&improved)
    );
    assert_eq!(shrunk.point.params, (64 * 16 + 16) + (16 * 10 + 10));
    assert!(shrunk.point.footprint.bytes * 3 < float.point.footprint.bytes);
    assert!(acc(&improved) > acc(&shrunk) && acc(&improved) >= acc(&float) - 3.0);

    // A removed hidden layer is folded into the next; the resized model round-trips its file.
    let deep = spec(r#"{"data": {"name": "digits"}, "model": {"kind": "mlp", "hidden": [32, 32], "activation": "relu"}}"#);
    let (deep_exp, _) = train_cpu(&deep).unwrap();
    let folded = pollster::block_on(deep_exp.recompress(&[resize(1.0, Some(1))], &mut RunToEnd)).unwrap();
    assert_eq!(folded.point.params, (64 * 32 + 32) + (32 * 10 + 10));
    for v in [&grown, &improved, &folded] {
        let imported = pollster::block_on(experiment::import(&v.export)).unwrap();
        assert_eq!(
            (imported.test_accuracy, imported.test_loss, imported.params),
            (v.point.test_accuracy, v.point.test_loss, v.point.params)
        );
    }

    // Bad sizes are clear errors.
    for (step, message) in [
        (resize(0.0, None), "resize.width"),
        (resize(f64::NAN, None), "resize.width"),
        (resize(100.0, None), "resize.width"),
        (resize(1.0, Some(0)), "resize.hidden_layers"),
        (resize(1.0, Some(9)), "resize.hidden_layers must be between 1 and 8, got 9"),
        // Refused before anything is sized from it (a Vec of a billion layers was "capacity overflow").
        (
            resize(1.0, Some(1_000_000_000)),
            "resize.hidden_layers must be between 1 and 8, got 1000000000",
        ),
    ] {
        let err = run(vec![step]).unwrap_err().to_string();
        assert!(err.contains(message), "{err}");
    }
}

#[test]
fn resize_scales_cnn_channels() {
    let (exp, float) = train_cpu(&spec(
        r#"{"data": {"name": "digits"}, "model": {"kind": "cnn", "channels": [8, 16], "activation": "relu"}, "train": {"epochs": 3}}"#,
    ))
    .unwrap();
    let wide = pollster::block_on(exp.recompress(
        &[Step::Resize(ResizeSpec {
            width: 2.0,
            hidden_layers: None,
        })],
        &mut RunToEnd,
    ))
    .unwrap();
    assert_eq!(
        wide.point.test_accuracy, float.point.test_accuracy,
        "Net2WiderNet on channels keeps the function"
    );
    let narrow = pollster::block_on(exp.recompress(
        &[Step::Resize(ResizeSpec {
            width: 0.5,
            hidden_layers: None,
        })],
        &mut RunToEnd,
    ))
    .unwrap();
    assert_eq!(narrow.point.params, (4 * 9 + 4) + (8 * 4 * 9 + 8) + (8 * 2 * 2 * 10 + 10));
    assert!(narrow.point.macs < float.point.macs / 3);
    let err = pollster::block_on(exp.recompress(
        &[Step::Resize(ResizeSpec {
            width: 1.0,
            hidden_layers: Some(2),
        })],
        &mut RunToEnd,
    ))
    .unwrap_err();
    assert!(err.to_string().contains("MLPs"), "{err}");
}

#[test]
fn activation_quantization_calibrates_every_layer_input() {
    // The grid: 2 bits over [0, 3] has the four levels 0, 1, 2, 3; values outside are clamped.
    let x = burn::tensor::Tensor::<1>::from_floats([-1.0, 0.4, 1.6, 2.6, 9.0], &efficiency_playground::backend::cpu());
    let q = pollster::block_on(efficiency_playground::host::read_floats(quantize_to_range(x, [0.5, 3.0], 2))).unwrap();
    assert_eq!(q, vec![0.0, 0.0, 2.0, 3.0, 3.0]);

    let (exp, float) = train_cpu(&spec(r#"{"data": {"name": "digits"}}"#)).unwrap();
    let run = |bits| {
        pollster::block_on(exp.recompress(
            &[Step::QuantizeActivations(ActivationQuantSpec {
                bits,
                calibration_batches: 4,
            })],
            &mut RunToEnd,
        ))
    };
    let (a8, a2) = (run(8).unwrap(), run(2).unwrap());
    let acc = |v: &experiment::Variant| 100.0 * v.point.test_accuracy;
    println!(
        "activations: float {:.1}, 8 bits {:.1}, 2 bits {:.1}",
        acc(&float),
        acc(&a8),
        acc(&a2)
    );
    assert!((acc(&a8) - acc(&float)).abs() <= 1.0);
    assert!(acc(&a2) < acc(&a8), "4 levels per layer input must cost something");
    let (header, _) = footprint::import(&a8.export).unwrap();
    let ranges = header.activations.expect("ranges are stored").ranges;
    assert_eq!(ranges.len(), 2, "one range per weighted layer");
    assert!(
        ranges[1][0] >= 0.0 && ranges[1][1] > 0.0,
        "the hidden layer's input is a ReLU output: {:?}",
        ranges[1]
    );
    assert!(a8.point.footprint.bytes > float.point.footprint.bytes, "ranges cost bytes");
    let imported = pollster::block_on(experiment::import(&a2.export)).unwrap();
    assert_eq!(
        (imported.test_accuracy, imported.test_loss),
        (a2.point.test_accuracy, a2.point.test_loss)
    );

    // With int8 weights: the full integer model.
    let int8 = pollster::block_on(exp.recompress(
        &[
            Step::Quantize(q8()),
            Step::QuantizeActivations(ActivationQuantSpec {
                bits: 8,
                calibration_batches: 2,
            }),
        ],
        &mut RunToEnd,
    ))
    .unwrap();
    assert!((acc(&int8) - acc(&float)).abs() <= 1.0);

    for (bits, batches, message) in [(1, 4, "bits"), (17, 4, "bits"), (8, 0, "calibration_batches")] {
        let err = pollster::block_on(exp.recompress(
            &[Step::QuantizeActivations(ActivationQuantSpec {
                bits,
                calibration_batches: batches,
            })],
            &mut RunToEnd,
        ))
        .unwrap_err();
        assert!(err.to_string().contains(message), "{err}");
    }
    let twice = Step::QuantizeActivations(ActivationQuantSpec {
        bits: 8,
        calibration_batches: 1,
    });
    assert!(pollster::block_on(exp.recompress(&[twice.clone(), twice], &mut RunToEnd)).is_err());
}

fn q8() -> QuantizeSpec {
    q(8, true, false)
}

/// Counts the progress reports of fine-tuning.
struct Counting(usize);

impl efficiency_playground::train::Observer for Counting {
    async fn observe(&mut self, _: efficiency_playground::train::Progress) -> efficiency_playground::train::Control {
        self.0 += 1;
        efficiency_playground::train::Control::Continue
    }
}

#[test]
fn a_slider_after_fine_tuning_does_not_fine_tune_again() {
    let (exp, _) = train_cpu(&spec(r#"{"data": {"name": "moons"}, "train": {"epochs": 3}}"#)).unwrap();
    let tune = Step::FineTune(FineTuneSpec {
        epochs: 2,
        learning_rate: 0.001,
    });
    let prune = Step::Prune(PruneSpec {
        sparsity: 0.5,
        global: true,
        ..Default::default()
    });
    let pipeline = |bits| vec![prune.clone(), tune.clone(), Step::Quantize(q(bits, true, false))];
    let run = |steps: Vec<Step>| {
        let mut counting = Counting(0);
        let variant = pollster::block_on(exp.recompress(&steps, &mut counting)).unwrap();
        (variant, counting.0)
    };
    let (first, reports) = run(pipeline(8));
    assert!(reports > 0, "the first run fine-tunes");
    let (resumed, reports) = run(pipeline(4));
    assert_eq!(reports, 0, "the fine-tuned state is reused");
    // Resuming gives what the first, fresh run gave.
    let (again, _) = run(pipeline(8));
    assert_eq!(
        (again.point.test_accuracy, again.point.footprint.clone()),
        (first.point.test_accuracy, first.point.footprint.clone())
    );
    assert_ne!(resumed.point.footprint.bytes, first.point.footprint.bytes);
    // A different prefix fine-tunes again.
    let (_, reports) = run(vec![
        Step::Prune(PruneSpec {
            sparsity: 0.6,
            global: true,
            ..Default::default()
        }),
        tune.clone(),
    ]);
    assert!(reports > 0);
}
