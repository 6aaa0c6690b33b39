//! The engine's catalog against the page: one `techniques.js` entry per step kind, and every kind
//! in the catalog parses as a step.

mod common;

use efficiency_playground::catalog::catalog;
use efficiency_playground::compress::Step;

/// The keys of `export const STEPS = { … };` in the page's techniques.js.
fn page_step_kinds() -> Vec<String> {
    let source = std::fs::read_to_string(common::repo_file("www/src/techniques.js")).expect("techniques.js");
    let table = source
        .split("export const STEPS = {")
        .nth(1)
        .and_then(|rest| rest.split("\n};").next())
        .expect("a STEPS table");
    let mut kinds: Vec<String> = table
        .lines()
        .filter_map(|line| {
            line.strip_prefix("  ")
                .and_then(|l| l.split_once(": {"))
                .map(|(key, _)| key.to_string())
        })
        .filter(|key| key.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect();
    kinds.sort();
    kinds
}

#[test]
fn the_page_describes_exactly_the_step_kinds_the_engine_has() {
    let mut engine: Vec<String> = catalog().steps.iter().map(|s| s.to_string()).collect();
    engine.sort();
    assert_eq!(page_step_kinds(), engine);
}

/// The files of src/compress/ that implement `Technique`, by name: each is a step kind.
fn technique_files() -> Vec<String> {
    let mut kinds: Vec<String> = std::fs::read_dir(common::repo_file("src/compress"))
        .expect("src/compress")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| std::fs::read_to_string(path).is_ok_and(|source| source.contains("impl Technique for")))
        .map(|path| path.file_stem().expect("a name").to_string_lossy().into_owned())
        .collect();
    kinds.sort();
    kinds
}

#[test]
fn every_technique_file_is_a_catalog_kind() {
    let mut engine: Vec<String> = catalog().steps.iter().map(|s| s.to_string()).collect();
    engine.sort();
    assert_eq!(technique_files(), engine);
}

#[test]
fn every_catalog_kind_is_the_name_a_step_is_written_with() {
    for kind in catalog().steps {
        let error = serde_json::from_str::<Step>(&format!(r#"{{"kind": "{kind}"}}"#))
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(!error.contains("unknown variant"), "{kind}: {error}");
        let file = common::repo_file(&format!("src/compress/{kind}.rs"));
        assert!(file.exists(), "the technique {kind} lives in {}", file.display());
    }
}
