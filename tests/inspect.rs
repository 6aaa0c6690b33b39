//! What the page's panels read from the engine: the inspection (weights, spectra, confusion) and
//! the latency measurement.

mod common;

use std::cell::Cell;
use std::time::{Duration, Instant};

use common::{spec, train_cpu};
use efficiency_playground::backend;
use efficiency_playground::compress::Step;
use efficiency_playground::compress::prune::PruneSpec;
use efficiency_playground::inspect::inspect;
use efficiency_playground::latency;
use efficiency_playground::train::RunToEnd;

#[test]
fn inspection_matches_the_point_it_describes() {
    let (exp, _) = train_cpu(&spec(r#"{"data": {"name": "digits"}, "train": {"epochs": 5}}"#)).unwrap();
    let pruned = pollster::block_on(exp.recompress(
        &[Step::Prune(PruneSpec {
            sparsity: 0.9,
            global: true,
            ..Default::default()
        })],
        &mut RunToEnd,
    ))
    .unwrap();
    let view = pollster::block_on(inspect(&pruned.model, &exp.split.test, &backend::cpu())).unwrap();

    assert_eq!(
        view.layers.iter().map(|l| l.shape.clone()).collect::<Vec<_>>(),
        vec![vec![64, 64], vec![64, 10]]
    );
    let zeros = view.layers.iter().flat_map(|l| &l.values).filter(|v| **v == 0.0).count() as u64;
    assert_eq!(
        4736 - zeros + 74,
        pruned.point.footprint.nonzero_params,
        "weights as stored (biases not listed)"
    );
    for layer in &view.layers {
        assert_eq!(layer.singular_values.len(), layer.shape[0].min(layer.shape[1]));
        assert!(layer.singular_values.windows(2).all(|w| w[0] >= w[1]), "largest first");
    }
    let total: u32 = view.confusion.iter().flatten().sum();
    let correct: u32 = (0..10).map(|c| view.confusion[c][c]).sum();
    assert_eq!(total as usize, exp.split.test.len());
    assert!((correct as f32 / total as f32 - pruned.point.test_accuracy).abs() < 1e-6);
}

/// A pause in the first sample (here the first call, busy for 3 ms) must not settle how many passes
/// a sample makes: with one pass, samples of a fast model would read 0 on a browser's timer.
#[test]
fn one_pause_does_not_stop_the_latency_calibration() {
    let calls = Cell::new(0);
    let forward = || {
        calls.set(calls.get() + 1);
        if calls.get() == 1 {
            let until = Instant::now() + Duration::from_millis(3);
            while Instant::now() < until {}
        }
        async { Ok(()) }
    };
    let passes = pollster::block_on(latency::passes_per_sample(&forward)).unwrap();
    assert!(passes > 1, "one pause stopped the doubling at {passes} pass");
}

#[test]
fn latency_is_measured_per_example() {
    let (exp, float) = train_cpu(&spec(r#"{"data": {"name": "moons"}, "train": {"epochs": 2}}"#)).unwrap();
    let device = backend::cpu();
    let timing = pollster::block_on(latency::measure(&float.model, &exp.split.test, &device, 20)).unwrap();
    assert_eq!(timing.repeats, 20);
    assert!(timing.median_ms > 0.0 && timing.p90_ms >= timing.median_ms, "{timing:?}");
    for repeats in [0, latency::MAX_REPEATS + 1] {
        let err = pollster::block_on(latency::measure(&float.model, &exp.split.test, &device, repeats)).unwrap_err();
        assert!(err.to_string().contains("repeats"), "{err}");
    }
}
