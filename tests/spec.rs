//! Invalid specs are rejected with clear errors before any work starts.

mod common;

use common::{run_cpu, spec};
use efficiency_playground::Error;
use efficiency_playground::spec::{CnnSpec, ExperimentSpec, ModelSpec};

fn invalid_message(s: &ExperimentSpec) -> String {
    match s.validate() {
        Err(Error::InvalidSpec(message)) => message,
        other => panic!("expected an invalid-spec error, got {other:?}"),
    }
}

#[test]
fn defaults_are_valid_and_round_trip_through_json() {
    let s = ExperimentSpec::default();
    s.validate().unwrap();
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(ExperimentSpec::from_json(&json).unwrap(), s);
}

#[test]
fn zero_width_is_rejected() {
    let s = spec(r#"{"model": {"kind": "mlp", "hidden": [64, 0], "activation": "relu"}}"#);
    assert!(invalid_message(&s).contains("model.hidden[1]"));
    assert!(matches!(run_cpu(&s), Err(Error::InvalidSpec(_))));
}

#[test]
fn negative_or_nan_learning_rate_is_rejected() {
    let mut s = ExperimentSpec::default();
    s.train.learning_rate = -0.1;
    assert!(invalid_message(&s).contains("learning_rate"));
    s.train.learning_rate = f64::NAN;
    assert!(invalid_message(&s).contains("learning_rate"));
    let mut s = ExperimentSpec::default();
    s.data.noise = f64::NAN;
    assert!(invalid_message(&s).contains("noise"));
}

#[test]
fn unknown_data_set_is_a_parse_error_naming_the_choices() {
    let err = ExperimentSpec::from_json(r#"{"data": {"name": "imagenet"}}"#).unwrap_err();
    let Error::Parse(message) = err else {
        panic!("expected a parse error")
    };
    assert!(message.contains("imagenet") && message.contains("digits"), "{message}");
}

/// What the page shows for a bad value: the field's name and the value, not serde's internals.
fn parse_message(json: &str) -> String {
    match ExperimentSpec::from_json(json) {
        Err(Error::Parse(message)) => message,
        other => panic!("expected a parse error for {json}, got {other:?}"),
    }
}

#[test]
fn parse_errors_name_the_field_in_plain_words() {
    assert_eq!(parse_message(r#"{"seed": -1}"#), "seed must be a whole number ≥ 0, got -1");
    assert_eq!(parse_message(r#"{"seed": -1.5}"#), "seed must be a whole number ≥ 0, got -1.5");
    assert_eq!(parse_message(r#"{"seed": 1e300}"#), "seed must be a whole number ≥ 0, got 1e300");
    assert_eq!(
        parse_message(r#"{"model": {"kind": "mlp", "hidden": [-3], "activation": "relu"}}"#),
        "model.hidden[0] must be a whole number ≥ 0, got -3"
    );
    assert_eq!(
        parse_message(r#"{"model": {"kind": "cnn", "hidden": [8], "activation": "relu"}}"#),
        r#"model: a CNN has no "hidden" (its widths are "channels")"#
    );
    let unknown = parse_message(r#"{"data": {"name": ""}}"#);
    assert!(
        unknown.starts_with(r#"data.name: unknown value ""; use one of "spiral""#),
        "{unknown}"
    );
    let epochz = parse_message(r#"{"train": {"epochz": 3}}"#);
    assert!(
        epochz.starts_with(r#""epochz" is not a field of train; the fields are"#),
        "{epochz}"
    );
    assert_eq!(
        parse_message(r#"{"compress": {"kind": "prune"}}"#),
        "compress must be a list, got an object"
    );
    assert_eq!(
        parse_message(r#"{"compress": [null]}"#),
        r#"compress[0] is null; expected an object with a "kind""#
    );
    let low_rank = parse_message(r#"{"compress": [{"kind": "low_rank", "first_layer_only": true}]}"#);
    assert!(low_rank.starts_with("compress[0]") && low_rank.contains("choose"), "{low_rank}");
}

#[test]
fn unknown_fields_and_wrong_types_are_parse_errors() {
    assert!(matches!(
        ExperimentSpec::from_json(r#"{"train": {"epochz": 3}}"#),
        Err(Error::Parse(_))
    ));
    assert!(matches!(
        ExperimentSpec::from_json(r#"{"train": {"epochs": "ten"}}"#),
        Err(Error::Parse(_))
    ));
    assert!(matches!(ExperimentSpec::from_json("not json"), Err(Error::Parse(_))));
}

#[test]
fn out_of_range_values_are_rejected() {
    let cases = [
        r#"{"train": {"epochs": 0}}"#,
        r#"{"train": {"batch_size": 0}}"#,
        r#"{"train": {"momentum": 1.0}}"#,
        r#"{"data": {"name": "moons", "samples": 5}}"#,
        r#"{"data": {"test_fraction": 0.9}}"#,
        r#"{"model": {"kind": "mlp", "hidden": [64, 64, 64, 64, 64, 64, 64, 64, 64], "activation": "relu"}}"#,
        r#"{"data": {"name": "moons"}, "model": {"kind": "cnn", "channels": [4, 8], "activation": "relu"}}"#,
    ];
    for json in cases {
        assert!(matches!(spec(json).validate(), Err(Error::InvalidSpec(_))), "{json} was accepted");
    }
    let s = ExperimentSpec {
        model: ModelSpec::Cnn(CnnSpec::new([0, 8], efficiency_playground::spec::ActivationName::Relu)),
        ..Default::default()
    };
    assert!(invalid_message(&s).contains("channels[0]"));
}

#[test]
fn a_spec_stored_with_distillation_inside_train_reads_as_the_same_experiment() {
    let teacher = r#"{"data": {"name": "moons"}, "model": {"kind": "mlp", "hidden": [32], "activation": "relu"}}"#;
    let old = format!(
        r#"{{"data": {{"name": "moons"}}, "train": {{"epochs": 3, "distill": {{"teacher": {teacher}, "temperature": 2.0, "alpha": 0.5}}}}}}"#
    );
    let new = format!(
        r#"{{"data": {{"name": "moons"}}, "train": {{"epochs": 3}}, "distill": {{"teacher": {teacher}, "temperature": 2.0, "alpha": 0.5}}}}"#
    );
    let (old, new) = (ExperimentSpec::from_json(&old).unwrap(), ExperimentSpec::from_json(&new).unwrap());
    assert_eq!(old, new);
    assert_eq!(old.train.epochs, 3);
    assert_eq!(old.distill.as_ref().map(|d| d.alpha), Some(0.5));
    old.validate().unwrap();
}

#[test]
fn an_error_names_its_kind_for_the_page_and_its_detail_without_the_kind_words() {
    let error = spec(r#"{"train": {"epochs": 0}}"#).validate().unwrap_err();
    assert_eq!(error.kind(), "invalid_spec");
    assert_eq!(error.detail(), "train.epochs must be between 1 and 2000, got 0");
    assert_eq!(error.to_string(), format!("invalid spec: {}", error.detail()));
    let cancelled = Error::Cancelled {
        done: 1,
        of: 3,
        unit: "epochs",
    };
    assert_eq!(
        (cancelled.kind(), cancelled.detail()),
        ("cancelled", "cancelled after 1 of 3 epochs".to_string())
    );
}
