//! The engine's error type: every fallible entry point returns [`Result`], so a bad spec or a
//! backend failure becomes a message for the user instead of a panic (which would kill the wasm
//! engine).

/// Everything that can go wrong when running an experiment.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Error {
    /// The experiment spec could not be parsed (unknown data set, wrong type, missing field...).
    #[error("invalid spec: {0}")]
    Parse(String),
    /// The spec parsed but a value is out of range (zero width, negative learning rate, NaN...).
    #[error("invalid spec: {0}")]
    InvalidSpec(String),
    /// A model file could not be read (not a playground file, truncated, inconsistent).
    #[error("could not read the model file: {0}")]
    File(String),
    /// The shipped data could not be decoded.
    #[error("data error: {0}")]
    Data(String),
    /// A data set that is handed to the engine on demand (MNIST) has not been yet: the host
    /// fetches it, provides it and asks again.
    #[error("the {0} data set is not loaded yet")]
    DataMissing(String),
    /// The compute backend failed (no adapter, lost device, failed read-back).
    #[error("backend error: {0}")]
    Backend(String),
    /// The host asked to stop, after `done` of `of` units of work ("epochs", "settings").
    #[error("cancelled after {done} of {of} {unit}")]
    Cancelled { done: usize, of: usize, unit: &'static str },
    /// The host asked the run to stop after epoch `done` of `of` and took its state, for another
    /// engine to go on with it (the page's Auto backend: from the CPU to WebGPU).
    #[error("handed over after {done} of {of} epochs")]
    HandedOver { done: usize, of: usize },
    /// An operation needs a trained model that this session does not have.
    #[error("no model trained with these settings in this session yet: train it first")]
    NoModel,
}

impl Error {
    /// The variant's name as the page sees it (`error.kind` in JavaScript), so the page tells a
    /// cancel from a failure without reading the message.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Parse(_) => "parse",
            Error::InvalidSpec(_) => "invalid_spec",
            Error::File(_) => "file",
            Error::Data(_) => "data",
            Error::DataMissing(_) => "data_missing",
            Error::Backend(_) => "backend",
            Error::Cancelled { .. } => "cancelled",
            Error::HandedOver { .. } => "handed_over",
            Error::NoModel => "no_model",
        }
    }

    /// The message without the variant's own words ("train.epochs must be …" rather than
    /// "invalid spec: train.epochs must be …"), for a place that says what kind it is itself.
    pub fn detail(&self) -> String {
        match self {
            Error::Parse(m) | Error::InvalidSpec(m) | Error::File(m) | Error::Data(m) | Error::Backend(m) => m.clone(),
            Error::DataMissing(name) => name.clone(),
            other => other.to_string(),
        }
    }
}

/// Shorthand used across the engine.
pub type Result<T> = std::result::Result<T, Error>;

/// Builds an [`Error::InvalidSpec`] unless `ok` holds.
pub(crate) fn ensure(ok: bool, message: impl FnOnce() -> String) -> Result<()> {
    if ok { Ok(()) } else { Err(Error::InvalidSpec(message())) }
}
