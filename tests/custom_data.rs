//! The learner's own data (#15): a table handed to the engine is checked, known by an id from its
//! contents, trains like any set, travels in specs and model files by reference, and is asked for
//! again (`data_missing`, `custom:<id>`) where it has not been handed over.

mod common;

use common::{run_cpu, spec};
use efficiency_playground::Error;
use efficiency_playground::data::custom::{self, TableRef};
use efficiency_playground::experiment;

/// Two well-separated blobs in 3 features, 60 rows, labels alternating; `shift` moves class 1.
fn blobs(shift: f32) -> (Vec<f32>, Vec<u32>) {
    let mut features = Vec::new();
    let mut labels = Vec::new();
    for i in 0..60u32 {
        let class = i % 2;
        let jitter = (i as f32 * 0.37).sin() * 0.3;
        let centre = if class == 0 { -1.0 } else { 1.0 + shift };
        features.extend([centre + jitter, centre - jitter, jitter]);
        labels.push(class);
    }
    (features, labels)
}

fn table_spec(table: &TableRef) -> efficiency_playground::spec::ExperimentSpec {
    let json = serde_json::json!({
        "data": {"name": "custom", "table": table, "test_fraction": 0.25},
        "model": {"kind": "mlp", "hidden": [8], "activation": "relu"},
        "train": {"epochs": 20, "batch_size": 16}
    });
    spec(&json.to_string())
}

#[test]
fn a_table_trains_like_any_set_and_its_file_names_it() {
    let (features, labels) = blobs(0.0);
    let table = custom::provide("blobs.csv", features, labels, 3).unwrap();
    assert_eq!(
        (table.name.as_str(), table.rows, table.features, table.classes),
        ("blobs.csv", 60, 3, 2)
    );
    assert_eq!(table.id.len(), 16);
    let variant = run_cpu(&table_spec(&table)).unwrap();
    assert!(variant.point.test_accuracy >= 0.9, "{}", variant.point.test_accuracy);
    assert_eq!(variant.point.spec.data.table.as_ref(), Some(&table));
    let reread = pollster::block_on(experiment::import(&variant.export)).unwrap();
    assert_eq!(reread.test_accuracy, variant.point.test_accuracy);
    assert_eq!(reread.spec.data.table, Some(table));
}

#[test]
fn the_id_follows_the_contents() {
    let (f, l) = blobs(0.0);
    let a = custom::provide("a", f.clone(), l.clone(), 3).unwrap();
    let b = custom::provide("renamed", f, l, 3).unwrap();
    assert_eq!(a.id, b.id);
    let (f, l) = blobs(0.5);
    assert_ne!(custom::provide("a", f, l, 3).unwrap().id, a.id);
}

#[test]
fn a_table_not_handed_over_is_asked_for_by_id() {
    let table = TableRef {
        id: "00000000deadbeef".into(),
        name: "elsewhere.csv".into(),
        rows: 60,
        features: 3,
        classes: 2,
    };
    match run_cpu(&table_spec(&table)) {
        Err(Error::DataMissing(name)) => assert_eq!(name, "custom:00000000deadbeef"),
        other => panic!("expected data_missing, got {other:?}"),
    }
}

#[test]
fn bad_tables_are_refused_with_the_reason() {
    let refused = |features: Vec<f32>, labels: Vec<u32>, n: usize| custom::provide("bad", features, labels, n).unwrap_err().to_string();
    let (f, l) = blobs(0.0);
    let mut nan = f.clone();
    nan[7] = f32::NAN;
    assert!(refused(nan, l.clone(), 3).contains("row 3, feature 2 is not a finite number"));
    assert!(refused(f.clone(), vec![0; 60], 3).contains("needs 2 to 20 classes, got 1"));
    assert!(refused(f.clone(), l.iter().map(|&c| c * 2).collect(), 3).contains("class 1 has no rows"));
    assert!(refused(f[..15].to_vec(), l[..5].to_vec(), 3).contains("needs 10 to 5000 rows, got 5"));
    assert!(refused(f.clone(), l.clone(), 4).contains("180 feature values do not make 60 rows of 4"));
    assert!(refused(vec![0.0; 65 * 60], l, 65).contains("1 to 64 feature columns"));
}

#[test]
fn a_table_goes_with_the_custom_set_only() {
    let e = efficiency_playground::spec::ExperimentSpec::from_json(r#"{"data": {"name": "custom"}}"#)
        .and_then(|s| s.validate())
        .unwrap_err();
    assert!(e.to_string().contains("data.table"), "{e}");
}
