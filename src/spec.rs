//! The experiment spec: one serde/JSON value composing the parts' own specs — the data set
//! ([`DataSpec`]), the model ([`ModelSpec`]), training ([`TrainSpec`]), an optional teacher
//! ([`DistillSpec`]), the seed and the compression pipeline ([`Step`]s) — the way burn's examples
//! compose a `TrainingConfig` from a model's and an optimizer's configs. The page's controls, its
//! URL, the worker messages and the tests all speak it, and every result point carries the spec
//! that produced it (provenance).

use std::cell::Cell;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

pub use crate::compress::Step;
pub use crate::data::{DataName, DataSpec};
pub use crate::model::{ActivationName, CnnHead, CnnSpec, ConvBlock, ModelSpec};
pub use crate::train::{OptimizerName, TrainSpec};

use crate::error::{Result, ensure};
use crate::field_error;

/// The most compression steps a pipeline may have (the longest the page builds has 7).
pub const MAX_STEPS: usize = 16;

/// A complete, reproducible description of one training run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExperimentSpec {
    pub data: DataSpec,
    pub model: ModelSpec,
    pub train: TrainSpec,
    /// Learn from a teacher's soft targets as well as from the labels (a learning technique,
    /// beside training rather than inside it: the teacher is a whole experiment of its own).
    #[serde(deserialize_with = "distill_once")]
    pub distill: Option<DistillSpec>,
    /// Seeds the data generation, the split, the weight initialisation and the batch order.
    pub seed: u64,
    /// Compression steps applied, in order, to the trained model.
    pub compress: Vec<Step>,
}

/// Knowledge distillation's settings (Hinton et al. 2015; the loss is in [`crate::distill`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistillSpec {
    /// The teacher's own spec: it must use the same data and seed (so the same split). Hosts keep
    /// trained teachers and train one from this spec when they have none.
    #[serde(deserialize_with = "teacher")]
    pub teacher: Box<ExperimentSpec>,
    /// Softmax temperature, > 0 (Hinton et al. use 1–20).
    pub temperature: f64,
    /// Weight of the teacher's soft targets, in [0, 1]; 0 is plain training.
    pub alpha: f64,
}

impl Default for ExperimentSpec {
    fn default() -> Self {
        Self {
            data: DataSpec::default(),
            model: ModelSpec::default(),
            train: TrainSpec::default(),
            distill: None,
            seed: 42,
            compress: Vec::new(),
        }
    }
}

impl ExperimentSpec {
    /// Parses a spec from JSON; a value that does not parse is an [`Error::Parse`] naming its field.
    /// Specs stored before distillation moved out of `train` (links, saved points, model files)
    /// are read as they meant.
    ///
    /// [`Error::Parse`]: crate::Error::Parse
    pub fn from_json(json: &str) -> Result<Self> {
        let value: Value = serde_json::from_str(json).map_err(|e| field_error::parse_error("", &e.to_string()))?;
        serde_path_to_error::deserialize(migrate(value))
            .map_err(|e| field_error::parse_error(&e.path().to_string(), &e.inner().to_string()))
    }

    /// The same experiment without its compression steps: what training alone depends on.
    pub fn trained_part(&self) -> Self {
        Self {
            compress: Vec::new(),
            ..self.clone()
        }
    }

    /// Checks every value's range; the engine calls this before doing any work.
    pub fn validate(&self) -> Result<()> {
        self.data.validate()?;
        self.model.validate(self.data.name)?;
        self.train.validate()?;
        ensure(
            !self.train.augment.moves_pixels() || crate::data::input_shape(&self.data).image.is_some(),
            || {
                "train.augment.shift and train.augment.rotate move the pixels of images: use them with an image set, digits or mnist (noise works on every set)"
                    .into()
            },
        )?;
        if let Some(distill) = &self.distill {
            distill.validate(self)?;
        }
        ensure(self.compress.len() <= MAX_STEPS, || {
            format!("compress has {} steps; at most {MAX_STEPS} are allowed", self.compress.len())
        })?;
        self.compress.iter().try_for_each(Step::validate)
    }
}

/// Moves a `train.distill` written by earlier versions to the top level, in the spec and in its
/// teacher's spec (model files read their header's spec through this too).
pub fn migrate(mut value: Value) -> Value {
    let Some(spec) = value.as_object_mut() else { return value };
    let old = spec
        .get_mut("train")
        .and_then(Value::as_object_mut)
        .and_then(|train| train.remove("distill"));
    if let Some(old) = old.filter(|_| !spec.contains_key("distill")) {
        let mut distill = old;
        if let Some(teacher) = distill.get_mut("teacher") {
            *teacher = migrate(teacher.take());
        }
        spec.insert("distill".into(), distill);
    }
    value
}

thread_local! {
    /// Whether a teacher's spec is being read: a teacher that itself distils is refused there, before
    /// its own teacher is read, so a link nesting teachers hundreds deep cannot exhaust the stack.
    static READING_TEACHER: Cell<bool> = const { Cell::new(false) };
}

fn teacher<'de, D: Deserializer<'de>>(from: D) -> std::result::Result<Box<ExperimentSpec>, D::Error> {
    let outer = READING_TEACHER.replace(true);
    let teacher = ExperimentSpec::deserialize(from);
    READING_TEACHER.set(outer);
    teacher.map(Box::new)
}

fn distill_once<'de, D: Deserializer<'de>>(from: D) -> std::result::Result<Option<DistillSpec>, D::Error> {
    if !READING_TEACHER.get() {
        return Option::<DistillSpec>::deserialize(from);
    }
    /// Any value but `null`: refused without reading it.
    struct Refused;
    impl<'de> Deserialize<'de> for Refused {
        fn deserialize<D: Deserializer<'de>>(_: D) -> std::result::Result<Self, D::Error> {
            Err(D::Error::custom("a teacher cannot itself be distilled here"))
        }
    }
    Option::<Refused>::deserialize(from).map(|_| None)
}

impl DistillSpec {
    pub fn validate(&self, student: &ExperimentSpec) -> Result<()> {
        ensure(
            self.temperature.is_finite() && self.temperature > 0.0 && self.temperature <= 100.0,
            || format!("distill.temperature must be in (0, 100], got {}", self.temperature),
        )?;
        ensure(self.alpha.is_finite() && (0.0..=1.0).contains(&self.alpha), || {
            format!("distill.alpha must be between 0 and 1, got {}", self.alpha)
        })?;
        ensure(self.teacher.data == student.data && self.teacher.seed == student.seed, || {
            "distill.teacher must be trained on the same data set and seed as the student".into()
        })?;
        ensure(self.teacher.distill.is_none(), || {
            "a teacher cannot itself be distilled here".into()
        })?;
        self.teacher.validate()
    }

    /// The spec that trains the teacher (its own compression steps do not apply).
    pub fn teacher_spec(&self) -> ExperimentSpec {
        self.teacher.trained_part()
    }
}
