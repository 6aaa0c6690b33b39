//! Training on the CPU backend: the reference accuracies, repeatability and progress/cancel.

mod common;

use common::{run_cpu, spec};
use efficiency_playground::Error;
use efficiency_playground::backend::{self, BackendKind};
use efficiency_playground::experiment::{self, Session};
use efficiency_playground::train::{Control, Observer, Progress};

#[test]
fn digits_mlp_64_reaches_97_percent() {
    // REFERENCE.md: MLP 64-64-10, ReLU, Adam, ~60 epochs → 97.3 ± 0.7 % on 360 held-out digits.
    let run = run_cpu(&spec(
        r#"{"data": {"name": "digits"}, "model": {"kind": "mlp", "hidden": [64], "activation": "relu"},
            "train": {"epochs": 60, "batch_size": 32, "learning_rate": 0.001}}"#,
    ))
    .unwrap();
    let p = &run.point;
    assert!(p.test_accuracy >= 0.97, "test accuracy {}", p.test_accuracy);
    assert_eq!(p.params, 64 * 64 + 64 + 64 * 10 + 10);
    assert_eq!(p.float32_bytes, p.params * 4);
    assert_eq!(p.macs, 64 * 64 + 64 * 10);
    assert_eq!(p.history.len(), 60);
    assert!(p.history[0].train.loss > p.history[59].train.loss);
}

#[test]
fn the_default_spec_reaches_97_percent_on_digits() {
    // The page's first model: the default recipe is shorter than the reference's, not worse.
    let run = run_cpu(&spec("{}")).unwrap();
    assert!(run.point.test_accuracy >= 0.97, "test accuracy {}", run.point.test_accuracy);
    assert_eq!(run.point.history.len(), 30);
}

#[test]
fn spiral_reaches_95_percent() {
    let run = run_cpu(&spec(
        r#"{"data": {"name": "spiral", "samples": 600, "noise": 0.05},
            "model": {"kind": "mlp", "hidden": [32, 32], "activation": "relu"},
            "train": {"learning_rate": 0.01, "epochs": 200, "batch_size": 32}}"#,
    ))
    .unwrap();
    assert!(run.point.test_accuracy >= 0.95, "test accuracy {}", run.point.test_accuracy);
}

#[test]
fn digits_cnn_learns() {
    let run = run_cpu(&spec(
        r#"{"data": {"name": "digits"}, "model": {"kind": "cnn", "channels": [8, 16], "activation": "relu"},
            "train": {"epochs": 15, "learning_rate": 0.003}}"#,
    ))
    .unwrap();
    let p = &run.point;
    assert!(p.test_accuracy >= 0.95, "test accuracy {}", p.test_accuracy);
    assert_eq!(p.params, (9 * 8 + 8) + (9 * 8 * 16 + 16) + (16 * 2 * 2 * 10 + 10));
    assert_eq!(p.macs, 64 * 9 * 8 + 16 * 9 * 8 * 16 + 64 * 10);
}

#[test]
fn sgd_with_momentum_and_weight_decay_trains() {
    let run = run_cpu(&spec(
        r#"{"data": {"name": "moons", "samples": 400},
            "model": {"kind": "mlp", "hidden": [16], "activation": "tanh"},
            "train": {"optimizer": "sgd", "learning_rate": 0.1, "momentum": 0.9, "weight_decay": 0.0001, "epochs": 40}}"#,
    ))
    .unwrap();
    assert!(run.point.test_accuracy >= 0.95, "test accuracy {}", run.point.test_accuracy);
}

#[test]
fn same_seed_gives_bit_identical_results_on_cpu() {
    let s = spec(r#"{"data": {"name": "circles", "samples": 300}, "train": {"epochs": 5}, "seed": 9}"#);
    let a = run_cpu(&s).unwrap();
    let b = run_cpu(&s).unwrap();
    let bits = |h: &[efficiency_playground::train::EpochMetrics]| {
        h.iter()
            .map(|m| (m.train.loss.to_bits(), m.test.loss.to_bits()))
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(&a.point.history), bits(&b.point.history));
    let other = run_cpu(&efficiency_playground::spec::ExperimentSpec { seed: 10, ..s }).unwrap();
    assert_ne!(bits(&a.point.history), bits(&other.point.history));
}

/// Counts reports and stops after a given number of batches.
struct StopAfter {
    batches: usize,
    seen: Vec<Progress>,
}

impl Observer for StopAfter {
    async fn observe(&mut self, progress: Progress) -> Control {
        self.seen.push(progress);
        let batches = self.seen.iter().filter(|p| matches!(p, Progress::Batch { .. })).count();
        if batches >= self.batches {
            Control::Stop
        } else {
            Control::Continue
        }
    }
}

#[test]
fn progress_is_reported_per_batch_and_epoch_and_cancel_stops() {
    // 100 training examples in batches of 32 → 4 batches per epoch; stop in the middle of epoch 2.
    let s = spec(r#"{"data": {"name": "xor", "samples": 125}, "train": {"epochs": 10, "batch_size": 32}}"#);
    let mut observer = StopAfter {
        batches: 6,
        seen: Vec::new(),
    };
    let result = pollster::block_on(experiment::run(
        &s,
        &backend::cpu(),
        BackendKind::Cpu,
        &mut observer,
        &mut Session::default(),
    ));
    assert_eq!(
        result.unwrap_err(),
        Error::Cancelled {
            done: 1,
            of: 10,
            unit: "epochs"
        }
    );
    assert_eq!(observer.seen.len(), 7);
    assert_eq!(
        observer.seen[3],
        Progress::Batch {
            epoch: 1,
            epochs: 10,
            batch: 4,
            batches: 4
        }
    );
    assert!(matches!(observer.seen[4], Progress::Epoch { epochs: 10, metrics } if metrics.epoch == 1));
}

#[test]
fn distillation_trains_the_teacher_once_and_alpha_zero_is_plain_training() {
    // A wide teacher and a narrow student on digits (REFERENCE.md: width 8 reaches ~95.8 %).
    let teacher =
        r#"{"data": {"name": "digits"}, "model": {"kind": "mlp", "hidden": [256], "activation": "relu"}, "train": {"epochs": 30}}"#;
    let student = |alpha: f64| {
        spec(&format!(
            r#"{{"data": {{"name": "digits"}}, "model": {{"kind": "mlp", "hidden": [8], "activation": "relu"}},
            "train": {{"epochs": 30}}, "distill": {{"teacher": {teacher}, "temperature": 4.0, "alpha": {alpha}}}}}"#
        ))
    };
    let mut session = Session::default();
    let (_, distilled) = common::train_in(&student(0.7), &mut session).unwrap();
    let (teacher_run, _) = common::train_in(&spec(teacher), &mut Session::default()).unwrap();
    let plain = run_cpu(&spec(
        r#"{"data": {"name": "digits"}, "model": {"kind": "mlp", "hidden": [8], "activation": "relu"}, "train": {"epochs": 30}}"#,
    ))
    .unwrap();
    let (_, alpha_zero) = common::train_in(&student(0.0), &mut session).unwrap();
    let acc = |a: f32| 100.0 * a;
    println!(
        "teacher {:.1}, student plain {:.1}, distilled {:.1}",
        acc(teacher_run.history.last().unwrap().test.accuracy),
        acc(plain.point.test_accuracy),
        acc(distilled.point.test_accuracy)
    );
    assert!(
        distilled.point.test_accuracy >= 0.85,
        "distilled student {}",
        distilled.point.test_accuracy
    );
    assert_ne!(distilled.point.history, plain.point.history, "the teacher changes training");
    let losses = |h: &[efficiency_playground::train::EpochMetrics]| h.iter().map(|m| m.test.loss.to_bits()).collect::<Vec<_>>();
    assert_eq!(
        losses(&alpha_zero.point.history),
        losses(&plain.point.history),
        "α = 0 is plain training"
    );
}

#[test]
fn distillation_rejects_a_teacher_on_other_data_and_bad_settings() {
    let base = r#"{"data": {"name": "moons"}, "train": {"epochs": 2}}"#;
    for (teacher, temperature, alpha) in [(r#"{"data": {"name": "circles"}}"#, 2.0, 0.5), (base, 0.0, 0.5), (base, 2.0, 1.5)] {
        let s = spec(&format!(
            r#"{{"data": {{"name": "moons"}}, "train": {{"epochs": 2}}, "distill": {{"teacher": {teacher}, "temperature": {temperature}, "alpha": {alpha}}}}}"#
        ));
        assert!(
            matches!(s.validate(), Err(Error::InvalidSpec(_))),
            "{teacher} T={temperature} α={alpha} accepted"
        );
    }
}

#[test]
fn a_training_step_is_timed_on_the_spec_model() {
    let json = r#"{"data": {"name": "moons"}, "model": {"kind": "mlp", "hidden": [16], "activation": "relu"}}"#;
    let ms = pollster::block_on(experiment::step_ms(&spec(json), &backend::cpu())).expect("timed");
    assert!(ms.is_finite() && ms > 0.0, "{ms}");
    let bad = spec(r#"{"data": {"name": "moons"}, "train": {"batch_size": 0}}"#);
    let error = pollster::block_on(experiment::step_ms(&bad, &backend::cpu())).unwrap_err();
    assert!(error.to_string().contains("train.batch_size"), "{error}");
}

#[test]
fn augmented_training_repeats_exactly_and_differs_from_plain_training() {
    let base = r#""data": {"name": "digits"}, "model": {"kind": "mlp", "hidden": [16], "activation": "relu"}"#;
    let augmented = spec(&format!(
        r#"{{{base}, "train": {{"epochs": 10, "augment": {{"rotate": 10, "noise": 0.1}}}}}}"#
    ));
    let plain = spec(&format!(r#"{{{base}, "train": {{"epochs": 10}}}}"#));
    let (first, again, without) = (run_cpu(&augmented).unwrap(), run_cpu(&augmented).unwrap(), run_cpu(&plain).unwrap());
    assert_eq!(
        first.point.history.iter().map(|m| m.train.loss).collect::<Vec<_>>(),
        again.point.history.iter().map(|m| m.train.loss).collect::<Vec<_>>()
    );
    assert_ne!(first.point.history[0].train.loss, without.point.history[0].train.loss);
    assert!(first.point.test_accuracy > 0.85, "{}", first.point.test_accuracy);
    assert_eq!(first.point.spec.train.augment.rotate, 10.0, "the point carries its augmentation");
}

#[test]
fn shifting_and_rotating_need_images_and_label_smoothing_has_a_range() {
    let moons = spec(r#"{"data": {"name": "moons"}, "train": {"augment": {"shift": 1}}}"#);
    assert!(moons.validate().unwrap_err().to_string().contains("move the pixels of images"));
    spec(r#"{"data": {"name": "moons"}, "train": {"augment": {"noise": 0.2}}}"#)
        .validate()
        .unwrap();
    let smoothing = spec(r#"{"train": {"label_smoothing": 0.7}}"#).validate().unwrap_err();
    assert!(
        smoothing
            .to_string()
            .contains("train.label_smoothing must be between 0 and 0.5, got 0.7"),
        "{smoothing}"
    );
}

#[test]
fn training_stops_after_a_number_of_steps_where_a_longer_run_was_then() {
    // Moons, 300 points: 240 train / 64 per batch = 4 steps an epoch.
    let moons = |train: &str| {
        spec(&format!(
            r#"{{"data": {{"name": "moons", "samples": 300}}, "model": {{"kind": "mlp", "hidden": [8], "activation": "tanh"}}, "train": {train}}}"#
        ))
    };
    let weights = |s| run_cpu(&s).unwrap().export;
    let two_epochs = run_cpu(&moons(r#"{"epochs": 2, "batch_size": 64}"#)).unwrap();
    let stopped = run_cpu(&moons(r#"{"epochs": 5, "batch_size": 64, "stop_after": 8}"#)).unwrap();
    assert_eq!(stopped.point.history.len(), 2);
    assert_eq!(stopped.point.test_accuracy, two_epochs.point.test_accuracy);
    // The files differ only in the spec their header holds; the weights are the same.
    assert_eq!(stopped.point.footprint.payload_bytes, two_epochs.point.footprint.payload_bytes);
    let tail = |bytes: &[u8], n: u64| bytes[bytes.len() - n as usize..].to_vec();
    let n = two_epochs.point.footprint.payload_bytes;
    assert_eq!(tail(&stopped.export, n), tail(&two_epochs.export, n));
    // One step into the third epoch: three epochs of history, weights of neither neighbour.
    let one_more = run_cpu(&moons(r#"{"epochs": 3, "batch_size": 64, "stop_after": 9}"#)).unwrap();
    assert_eq!(one_more.point.history.len(), 3);
    let three = weights(moons(r#"{"epochs": 3, "batch_size": 64}"#));
    assert_ne!(tail(&one_more.export, n), tail(&two_epochs.export, n));
    assert_ne!(tail(&one_more.export, n), tail(&three, n));
    let zero = spec(r#"{"train": {"stop_after": 0}}"#).validate().unwrap_err();
    assert!(zero.to_string().contains("train.stop_after counts training steps from 1"));
}
