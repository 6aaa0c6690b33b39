//! The learner's own data (issue #15): points drawn on the page's canvas or a CSV file opened in
//! it, handed to the engine as numeric features and class labels. A table is known by an id taken
//! from its contents (FNV-1a over its shape, features and labels), which specs and model files
//! carry in [`TableRef`] with its name and size, so a point says which data it came from; the
//! values stay in the browser and are handed over again on a later visit (until then loading fails
//! with [`Error::DataMissing`] naming `custom:<id>`).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use serde::{Deserialize, Serialize};

use super::dataset::Dataset;
use crate::error::{Error, Result, ensure};

/// Limits on a table: enough for a workshop's data, small enough for any browser.
pub const MAX_ROWS: usize = 5_000;
pub const MIN_ROWS: usize = 10;
pub const MAX_FEATURES: usize = 64;
pub const MAX_CLASSES: usize = 20;
/// Longest table name kept.
const MAX_NAME: usize = 80;

/// What a spec says about its own data: the table's id, the name it was given (its file's, or
/// "drawn") and its shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableRef {
    pub id: String,
    pub name: String,
    pub rows: usize,
    pub features: usize,
    pub classes: usize,
}

static TABLES: LazyLock<Mutex<HashMap<String, Dataset>>> = LazyLock::new(Mutex::default);

/// Checks and keeps a table of `features.len() / n_features` rows (row-major features, one label
/// per row, labels 0 to classes − 1 with every class present); returns its reference.
pub fn provide(name: &str, features: Vec<f32>, labels: Vec<u32>, n_features: usize) -> Result<TableRef> {
    ensure((1..=MAX_FEATURES).contains(&n_features), || {
        format!("a data set needs 1 to {MAX_FEATURES} feature columns, got {n_features}")
    })?;
    let rows = labels.len();
    ensure((MIN_ROWS..=MAX_ROWS).contains(&rows), || {
        format!("a data set needs {MIN_ROWS} to {MAX_ROWS} rows, got {rows}")
    })?;
    ensure(features.len() == rows * n_features, || {
        format!("{} feature values do not make {rows} rows of {n_features}", features.len())
    })?;
    if let Some(i) = features.iter().position(|v| !v.is_finite()) {
        return Err(Error::InvalidSpec(format!(
            "row {}, feature {} is not a finite number",
            i / n_features + 1,
            i % n_features + 1
        )));
    }
    let classes = labels.iter().max().map_or(0, |&m| m as usize + 1);
    ensure((2..=MAX_CLASSES).contains(&classes), || {
        format!("a data set needs 2 to {MAX_CLASSES} classes, got {classes}")
    })?;
    if let Some(missing) = (0..classes as u32).find(|c| !labels.contains(c)) {
        return Err(Error::InvalidSpec(format!(
            "class {missing} has no rows: labels must run from 0 without gaps"
        )));
    }
    let table = TableRef {
        id: fingerprint(n_features, &features, &labels),
        name: name.chars().take(MAX_NAME).collect(),
        rows,
        features: n_features,
        classes,
    };
    let set = Dataset {
        features,
        labels,
        n_features,
        n_classes: classes,
        image: None,
    };
    TABLES.lock().expect("no panic holds the lock").insert(table.id.clone(), set);
    Ok(table)
}

/// The table `table` refers to, if it has been provided (and matches its shape).
pub fn load(table: &TableRef) -> Result<Dataset> {
    let tables = TABLES.lock().expect("no panic holds the lock");
    let set = tables
        .get(&table.id)
        .ok_or_else(|| Error::DataMissing(format!("custom:{}", table.id)))?;
    ensure(
        set.len() == table.rows && set.n_features == table.features && set.n_classes == table.classes,
        || {
            format!(
                "data.table {} says {} rows of {} features in {} classes, but that table has {} rows of {} in {}",
                table.id,
                table.rows,
                table.features,
                table.classes,
                set.len(),
                set.n_features,
                set.n_classes
            )
        },
    )?;
    Ok(set.clone())
}

/// FNV-1a (64 bits) over the shape, the features' bits and the labels, as 16 hex digits.
fn fingerprint(n_features: usize, features: &[f32], labels: &[u32]) -> String {
    let bytes = (n_features as u64)
        .to_le_bytes()
        .into_iter()
        .chain(features.iter().flat_map(|v| v.to_bits().to_le_bytes()))
        .chain(labels.iter().flat_map(|l| l.to_le_bytes()));
    let hash = bytes.fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}
