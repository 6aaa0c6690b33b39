//! Budgeted search by successive halving (#14): every candidate is within the budget, each rung
//! promotes the best of the one before, the chosen one is the best evaluated, and a seed repeats
//! its search.

mod common;

use common::spec;
use efficiency_playground::Error;
use efficiency_playground::backend::{self, BackendKind};
use efficiency_playground::experiment;
use efficiency_playground::search::{self, Budget, Evaluation, Next, Outcome, Rung, SearchSpec};
use efficiency_playground::train::{Control, Observer, Progress, RunToEnd};

/// A small space on the digits: 3 widths × 2 depths × 3 weight widths × 2 sparsities.
fn search_spec(budget: Budget, seed: u64) -> SearchSpec {
    SearchSpec {
        base: spec(&format!(r#"{{"train": {{"epochs": 9}}, "seed": {seed}}}"#)),
        widths: vec![8, 16, 32],
        depths: vec![1, 2],
        bits: vec![0, 8, 4],
        sparsities: vec![0.0, 0.5],
        budget,
        candidates: 9,
        eta: 3,
    }
}

const BYTES: Budget = Budget::Bytes { limit: 2500 };

fn run(spec: &SearchSpec) -> efficiency_playground::Result<Outcome> {
    pollster::block_on(search::run(spec, &backend::cpu(), BackendKind::Cpu, &mut RunToEnd))
}

#[test]
fn every_candidate_and_every_trained_point_is_within_the_byte_budget() {
    let s = search_spec(BYTES, 42);
    let outcome = run(&s).unwrap();
    assert_eq!(outcome.candidates.len(), 9);
    assert!(outcome.candidates.iter().all(|c| c.cost <= 2500.0));
    for (e, point) in outcome.evaluations.iter().zip(&outcome.points) {
        let bytes = point.footprint.bytes;
        assert!(bytes <= 2500, "{bytes} bytes: {:?}", point.spec.model);
        assert_eq!(e.bytes, bytes);
        // Sized before training, on the untrained model: the trained file is within a few bytes.
        let cost = outcome.candidates.iter().find(|c| c.id == e.candidate).unwrap().cost;
        assert!((bytes as f64 - cost).abs() <= 8.0, "{bytes} against {cost}");
    }
    // The budget binds: the widest float model of the space is over it.
    let widest = search::Candidate {
        id: 0,
        width: 32,
        depth: 2,
        bits: 0,
        sparsity: 0.0,
        cost: 0.0,
    };
    let trial = s.trial_spec(&widest, 9);
    let model = pollster::block_on(experiment::untrained(&trial, &backend::cpu(), BackendKind::Cpu)).unwrap();
    let bytes = pollster::block_on(model.recompress(&[], &mut RunToEnd))
        .unwrap()
        .point
        .footprint
        .bytes;
    assert!(bytes > 2500, "{bytes}");
}

#[test]
fn each_rung_keeps_the_best_third_for_three_times_the_epochs_and_the_best_evaluation_wins() {
    let s = search_spec(BYTES, 42);
    assert_eq!(
        s.rungs(9),
        [
            Rung { candidates: 9, epochs: 1 },
            Rung { candidates: 3, epochs: 3 },
            Rung { candidates: 1, epochs: 9 }
        ]
    );
    let outcome = run(&s).unwrap();
    let rung = |r: usize| -> Vec<Evaluation> { outcome.evaluations.iter().filter(|e| e.rung == r).copied().collect() };
    assert_eq!([rung(0).len(), rung(1).len(), rung(2).len()], [9, 3, 1]);
    // Rung 1's entrants are rung 0's three most accurate.
    let mut first = rung(0);
    first.sort_by(|a, b| b.test_accuracy.total_cmp(&a.test_accuracy));
    let promoted: Vec<usize> = rung(1).iter().map(|e| e.candidate).collect();
    for e in &first[..3] {
        assert!(promoted.contains(&e.candidate) || e.test_accuracy == first[2].test_accuracy);
    }
    // The trial specs train for their rung's epochs, and the points are what was evaluated.
    for (e, p) in outcome.evaluations.iter().zip(&outcome.points) {
        assert_eq!(p.spec.train.epochs, s.rungs(9)[e.rung].epochs);
        assert_eq!(p.test_accuracy, e.test_accuracy);
    }
    let top = outcome.evaluations.iter().map(|e| e.test_accuracy).fold(f32::MIN, f32::max);
    assert_eq!(outcome.best.test_accuracy, top);
    assert!(outcome.evaluations.contains(&outcome.best));
}

#[test]
fn the_same_seed_repeats_the_search_and_another_draws_another() {
    let [a, b] = [42, 42].map(|seed| run(&search_spec(BYTES, seed)).unwrap());
    assert_eq!(a.candidates, b.candidates);
    assert_eq!(a.evaluations, b.evaluations);
    assert_eq!(a.best, b.best);
    let other = pollster::block_on(search::propose(
        &search_spec(BYTES, 7),
        &backend::cpu(),
        BackendKind::Cpu,
        &mut RunToEnd,
    ))
    .unwrap();
    assert_ne!(other, a.candidates);
}

#[test]
fn a_mac_budget_admits_by_the_model_s_macs() {
    let s = search_spec(Budget::Macs { limit: 1200 }, 42);
    let candidates = pollster::block_on(search::propose(&s, &backend::cpu(), BackendKind::Cpu, &mut RunToEnd)).unwrap();
    assert!(!candidates.is_empty());
    for c in &candidates {
        // 64 inputs, 10 classes: 64·w + (depth − 1)·w² + 10·w.
        let macs = 64 * c.width + (c.depth - 1) * c.width * c.width + 10 * c.width;
        assert_eq!(c.cost, macs as f64);
        assert!(macs <= 1200);
    }
    // Width 32 (2,368 MACs at depth 1) never fits.
    assert!(candidates.iter().all(|c| c.width < 32));
}

#[test]
fn next_names_the_missing_trials_and_refuses_evaluations_of_another_search() {
    let s = search_spec(BYTES, 42);
    let candidates = pollster::block_on(search::propose(&s, &backend::cpu(), BackendKind::Cpu, &mut RunToEnd)).unwrap();
    let Next::Trials {
        rung,
        rungs,
        epochs,
        trials,
    } = search::next(&s, &candidates, &[]).unwrap()
    else {
        panic!("a new search has trials to run")
    };
    assert_eq!((rung, rungs, epochs, trials.len()), (0, 3, 1, 9));
    // Every trial of rung 0 at 50 % in 2,000 bytes.
    let evaluated = |trials: &[search::Trial]| -> Vec<Evaluation> {
        trials
            .iter()
            .map(|t| Evaluation {
                candidate: t.candidate,
                rung: 0,
                test_accuracy: 0.5,
                bytes: 2000,
            })
            .collect()
    };
    // Results may arrive in any order: after some of them, the rest are still asked for.
    let some = evaluated(&trials[..4]);
    let Next::Trials { trials: rest, .. } = search::next(&s, &candidates, &some).unwrap() else {
        panic!("five trials are missing")
    };
    assert_eq!(rest, trials[4..]);
    // A trial whose trained file ends over the budget is not promoted, however accurate.
    let mut first = evaluated(&trials);
    first[0].test_accuracy = 0.99;
    first[0].bytes = 2501;
    first[1].test_accuracy = 0.9;
    let Next::Trials { trials: promoted, .. } = search::next(&s, &candidates, &first).unwrap() else {
        panic!("rung 1 follows")
    };
    assert_eq!(promoted.len(), 3);
    assert_eq!(promoted[0].candidate, trials[1].candidate);
    assert!(promoted.iter().all(|t| t.candidate != trials[0].candidate));
    let stray = Evaluation {
        candidate: 10_000,
        rung: 0,
        test_accuracy: 1.0,
        bytes: 0,
    };
    assert!(matches!(search::next(&s, &candidates, &[stray]), Err(Error::InvalidSpec(m)) if m.contains("not part of this search")));
}

#[test]
fn bad_searches_are_refused_with_the_reason() {
    let refused = |s: SearchSpec| {
        pollster::block_on(search::propose(&s, &backend::cpu(), BackendKind::Cpu, &mut RunToEnd))
            .unwrap_err()
            .to_string()
    };
    let mut cnn = search_spec(BYTES, 42);
    cnn.base = spec(r#"{"model": {"kind": "cnn", "channels": [4, 8], "activation": "relu"}}"#);
    assert!(refused(cnn).contains("choose the MLP"));
    let mut empty = search_spec(BYTES, 42);
    empty.widths.clear();
    assert!(refused(empty).contains("search.widths"));
    let tiny = search_spec(Budget::Bytes { limit: 10 }, 42);
    assert!(refused(tiny).contains("no candidate of the space fits within 10 bytes"));
}

/// Stops at the first trial that finishes.
struct StopAfterSizing;

impl Observer for StopAfterSizing {
    async fn observe(&mut self, progress: Progress) -> Control {
        match progress {
            Progress::Task { task, .. } if task == "search" => Control::Stop,
            _ => Control::Continue,
        }
    }
}

#[test]
fn a_cancelled_search_says_how_far_it_got() {
    let s = search_spec(BYTES, 42);
    let error = pollster::block_on(search::run(&s, &backend::cpu(), BackendKind::Cpu, &mut StopAfterSizing)).unwrap_err();
    assert!(matches!(error, Error::Cancelled { done: 1, of: 13, .. }), "{error}");
}

#[test]
fn a_latency_budget_admits_by_the_latency_measured_once_per_shape() {
    let s = search_spec(Budget::LatencyMs { limit: 10.0 }, 42);
    let candidates = pollster::block_on(search::propose(&s, &backend::cpu(), BackendKind::Cpu, &mut RunToEnd)).unwrap();
    assert_eq!(candidates.len(), 9);
    for c in &candidates {
        assert!(c.cost > 0.0 && c.cost <= 10.0, "{c:?}");
        // Bits and sparsity leave the shape, so the latency, as it was.
        for same in candidates.iter().filter(|o| (o.width, o.depth) == (c.width, c.depth)) {
            assert_eq!(same.cost, c.cost);
        }
    }
}
