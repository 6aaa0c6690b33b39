//! The bytes a training run is handed from one engine to another in, between two epochs (the
//! state itself: `train::handover`): the model as the playground's float model file (its header
//! names the spec, the input and its standardisation, and `footprint` checks it on reading), then
//! the parameters' ids with the epochs done and their metrics (JSON), then burn's serialised
//! optimizer state. Two engines of one page exchange it; it is never stored.

use serde::{Deserialize, Serialize};

use crate::compress::Compressed;
use crate::data::{InputShape, Normalisation};
use crate::error::{Error, Result};
use crate::footprint::{self, Header};
use crate::host::HostWeights;
use crate::spec::ExperimentSpec;
use crate::train::handover::param_ids;
use crate::train::{EpochMetrics, RunState};

const MAGIC: &[u8; 4] = b"EPR1";

/// What the JSON part holds.
#[derive(Serialize, Deserialize)]
struct Progress {
    param_ids: Vec<u64>,
    history: Vec<EpochMetrics>,
    train_seconds: f64,
}

/// A run read back: the model file's header and weights, and the rest of the run's state.
#[derive(Debug)]
pub struct HandedOver {
    pub header: Header,
    pub weights: HostWeights,
    pub param_ids: Vec<u64>,
    pub history: Vec<EpochMetrics>,
    pub train_seconds: f64,
    pub optimizer: Vec<u8>,
}

/// The bytes of `state`, a run of `spec` (its trained part) on data of `input` standardised with
/// `normalisation`.
pub async fn write(spec: &ExperimentSpec, input: InputShape, normalisation: &Normalisation, state: RunState) -> Result<Vec<u8>> {
    let weights = HostWeights::read(&state.model).await?;
    let float = Compressed::new(&spec.model, &weights);
    let model = footprint::export(&Header::new(&spec.trained_part(), input, normalisation, &float), &float);
    let progress = Progress {
        param_ids: param_ids(&state.model),
        history: state.history,
        train_seconds: state.train_seconds,
    };
    let progress = serde_json::to_vec(&progress).map_err(|e| Error::Backend(format!("writing the run's state: {e}")))?;
    let mut bytes = MAGIC.to_vec();
    for part in [&model, &progress] {
        bytes.extend((part.len() as u32).to_le_bytes());
        bytes.extend(part);
    }
    bytes.extend(state.optimizer.unwrap_or_default());
    Ok(bytes)
}

/// Reads what [`write`] wrote.
pub fn read(bytes: &[u8]) -> Result<HandedOver> {
    let bad = || Error::File("not a training run handed over by this playground's engine".into());
    let rest = bytes.strip_prefix(MAGIC).ok_or_else(bad)?;
    let (model, rest) = part(rest).ok_or_else(bad)?;
    let (progress, optimizer) = part(rest).ok_or_else(bad)?;
    let (header, compressed) = footprint::import(model)?;
    let progress: Progress = serde_json::from_slice(progress).map_err(|_| bad())?;
    Ok(HandedOver {
        header,
        weights: compressed.weights,
        param_ids: progress.param_ids,
        history: progress.history,
        train_seconds: progress.train_seconds,
        optimizer: optimizer.to_vec(),
    })
}

/// A part prefixed with its length (u32, little-endian), and what follows it.
fn part(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let end = 4usize.checked_add(len)?;
    Some((bytes.get(4..end)?, &bytes[end..]))
}
