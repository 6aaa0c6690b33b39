//! Budgeted search by successive halving (Jamieson & Talwalkar 2016; the inner loop of Hyperband,
//! Li et al. 2018) — the survey's automation area (Menghani 2021, §3.3). A candidate is an MLP of a
//! width and depth whose weights are pruned to a sparsity and quantized to a width. Candidates are
//! drawn from the space in an order the seed fixes and admitted only when their footprint — the
//! file's bytes, the MACs, or the measured latency — is within the budget; it is measured on the
//! untrained model, which has the same shapes and so the same speed and, to a few bytes, the same
//! file length (each trained file is measured again, and one over budget does not go on). All
//! candidates train briefly, the best 1/η go on with η times the epochs, and so on until one is
//! left at the full epochs.
//!
//! Each trial is an ordinary experiment spec trained from scratch (not resumed: at most 1/(η − 1)
//! more work), so every point the search makes is reproducible from its link and any engine can run
//! it: the page spreads a rung's trials over one Web Worker per core, and [`next`], a pure function
//! of the evaluations so far, decides what comes next wherever they ran. Trials are ranked by test
//! accuracy, the measure the chart plots (a held-out validation split would be the stricter choice).

use std::collections::HashMap;
use std::rc::Rc;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

use crate::backend::BackendKind;
use crate::compress::Step;
use crate::compress::prune::PruneSpec;
use crate::compress::quantize::QuantizeSpec;
use crate::data::input_shape;
use crate::error::{Error, Result, ensure};
use crate::experiment::{self, Experiment, Point, Session};
use crate::latency;
use crate::model::{Classifier, MAX_LAYERS, MAX_WIDTH, ModelSpec};
use crate::sensitivity::report;
use crate::spec::ExperimentSpec;
use crate::train::Observer;
use burn::tensor::Device;

/// Most candidates a search admits.
pub const MAX_CANDIDATES: usize = 81;
/// Latency repeats when sizing a candidate against a latency budget.
const LATENCY_REPEATS: usize = 15;

/// What to search, under which budget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchSpec {
    /// Data, training (its epochs are the last rung's), activation and seed; its model must be an
    /// MLP. The seed also fixes the order candidates are drawn in.
    pub base: ExperimentSpec,
    /// Hidden units per layer.
    pub widths: Vec<usize>,
    /// Hidden layers.
    pub depths: Vec<usize>,
    /// Weight widths (symmetric, per channel); 0 keeps the weights float.
    pub bits: Vec<u8>,
    /// Magnitude pruning, one-shot, before quantizing; 0 prunes nothing.
    pub sparsities: Vec<f64>,
    pub budget: Budget,
    /// How many candidates to admit (fewer when fewer fit).
    pub candidates: usize,
    /// The halving factor η: each rung keeps the best 1/η with η times the epochs.
    pub eta: usize,
}

/// The footprint every candidate must stay within.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Budget {
    /// The exported file's length.
    Bytes { limit: u64 },
    /// Multiply-accumulates for one example.
    Macs { limit: u64 },
    /// Median milliseconds to classify one example, measured on this engine's backend.
    LatencyMs { limit: f64 },
}

/// One point of the space, sized.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: usize,
    pub width: usize,
    pub depth: usize,
    pub bits: u8,
    pub sparsity: f64,
    /// Its footprint in the budget's unit.
    pub cost: f64,
}

/// A candidate trained for a rung's epochs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trial {
    pub candidate: usize,
    pub rung: usize,
    pub spec: ExperimentSpec,
}

/// A trial's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub candidate: usize,
    pub rung: usize,
    pub test_accuracy: f32,
    /// The trained model's file length (it can differ from the untrained one's by a few bytes).
    pub bytes: u64,
}

/// What the search does next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Next {
    /// Run these (the candidates of rung `rung` of `rungs` not yet evaluated there).
    Trials {
        rung: usize,
        rungs: usize,
        epochs: usize,
        trials: Vec<Trial>,
    },
    /// Every rung is evaluated; `best` has the highest test accuracy of all evaluations.
    Done { best: Evaluation },
}

/// How many candidates a rung trains and for how many epochs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rung {
    pub candidates: usize,
    pub epochs: usize,
}

/// A finished search: everything evaluated, in order, and the winner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub candidates: Vec<Candidate>,
    pub evaluations: Vec<Evaluation>,
    pub points: Vec<Point>,
    pub best: Evaluation,
}

impl SearchSpec {
    /// Checks the space and the budget, naming what is wrong.
    pub fn validate(&self) -> Result<()> {
        self.base.validate()?;
        ensure(matches!(self.base.model, ModelSpec::Mlp { .. }), || {
            "a search varies an MLP's width and depth: choose the MLP model".into()
        })?;
        let in_range = |name: &str, values: &[usize], max: usize| {
            ensure(!values.is_empty() && values.iter().all(|v| (1..=max).contains(v)), || {
                format!("search.{name} needs one or more values between 1 and {max}, got {values:?}")
            })
        };
        in_range("widths", &self.widths, MAX_WIDTH)?;
        in_range("depths", &self.depths, MAX_LAYERS)?;
        ensure(!self.bits.is_empty() && self.bits.iter().all(|&b| b <= 8), || {
            format!("search.bits needs one or more widths between 0 (float) and 8, got {:?}", self.bits)
        })?;
        ensure(
            !self.sparsities.is_empty() && self.sparsities.iter().all(|s| (0.0..1.0).contains(s)),
            || format!("search.sparsities needs one or more values in [0, 1), got {:?}", self.sparsities),
        )?;
        ensure((1..=MAX_CANDIDATES).contains(&self.candidates), || {
            format!("search.candidates must be between 1 and {MAX_CANDIDATES}, got {}", self.candidates)
        })?;
        ensure((2..=4).contains(&self.eta), || {
            format!("search.eta must be 2, 3 or 4, got {}", self.eta)
        })?;
        let positive = match self.budget {
            Budget::Bytes { limit } | Budget::Macs { limit } => limit > 0,
            Budget::LatencyMs { limit } => limit.is_finite() && limit > 0.0,
        };
        ensure(positive, || "search.budget.limit must be above zero".into())
    }

    /// The rungs for `admitted` candidates: ⌊log_η n⌋ + 1 of them, rung i keeping n / ηⁱ candidates
    /// for epochs / η^(last − i) epochs (at least one of each).
    pub fn rungs(&self, admitted: usize) -> Vec<Rung> {
        let count = (1..).take_while(|&i| admitted / self.eta.pow(i) >= 1).count() + 1;
        (0..count)
            .map(|i| Rung {
                candidates: (admitted / self.eta.pow(i as u32)).max(1),
                epochs: (self.base.train.epochs / self.eta.pow((count - 1 - i) as u32)).max(1),
            })
            .collect()
    }

    /// The experiment that trains `candidate` for `epochs`.
    pub fn trial_spec(&self, candidate: &Candidate, epochs: usize) -> ExperimentSpec {
        let ModelSpec::Mlp { activation, .. } = self.base.model else {
            unreachable!("validated: the base model is an MLP")
        };
        let mut spec = ExperimentSpec {
            model: ModelSpec::Mlp {
                hidden: vec![candidate.width; candidate.depth],
                activation,
            },
            distill: None,
            compress: Vec::new(),
            ..self.base.clone()
        };
        spec.train.epochs = epochs;
        if candidate.sparsity > 0.0 {
            spec.compress.push(Step::Prune(PruneSpec {
                sparsity: candidate.sparsity,
                ..PruneSpec::default()
            }));
        }
        if candidate.bits > 0 {
            spec.compress
                .push(Step::Quantize(QuantizeSpec::uniform(candidate.bits, true, true)));
        }
        spec
    }

    /// Every point of the space, in the order the seed draws them (ids are this order).
    fn draws(&self) -> Vec<Candidate> {
        let mut space = Vec::new();
        for &width in &self.widths {
            for &depth in &self.depths {
                for &bits in &self.bits {
                    for &sparsity in &self.sparsities {
                        space.push((width, depth, bits, sparsity));
                    }
                }
            }
        }
        space.shuffle(&mut StdRng::seed_from_u64(self.base.seed ^ 0x5ea2_c400_0000_0001));
        space
            .into_iter()
            .enumerate()
            .map(|(id, (width, depth, bits, sparsity))| Candidate {
                id,
                width,
                depth,
                bits,
                sparsity,
                cost: 0.0,
            })
            .collect()
    }
}

impl Budget {
    fn limit(self) -> f64 {
        match self {
            Budget::Bytes { limit } | Budget::Macs { limit } => limit as f64,
            Budget::LatencyMs { limit } => limit,
        }
    }

    /// "2000 bytes", "5000 MACs", "0.05 ms".
    fn describe(self) -> String {
        match self {
            Budget::Bytes { limit } => format!("{limit} bytes"),
            Budget::Macs { limit } => format!("{limit} MACs"),
            Budget::LatencyMs { limit } => format!("{limit} ms"),
        }
    }
}

/// Draws candidates in the seed's order, sizes each (on `device`) and admits those within the
/// budget until `spec.candidates` are admitted; an error when none fits.
pub async fn propose(spec: &SearchSpec, device: &Device, backend: BackendKind, observer: &mut impl Observer) -> Result<Vec<Candidate>> {
    spec.validate()?;
    let draws = spec.draws();
    let mut sizer = Sizer {
        spec,
        device,
        backend,
        shapes: HashMap::new(),
        latencies: HashMap::new(),
    };
    let mut admitted = Vec::new();
    for (done, mut candidate) in draws.iter().cloned().enumerate() {
        candidate.cost = sizer.cost(&candidate, observer).await?;
        if candidate.cost <= spec.budget.limit() {
            admitted.push(candidate);
        }
        report(observer, "search: sizing candidates", done + 1, draws.len()).await?;
        if admitted.len() == spec.candidates {
            break;
        }
    }
    ensure(!admitted.is_empty(), || {
        format!(
            "no candidate of the space fits within {}: add narrower, shallower, sparser or fewer-bit settings, or raise the budget",
            spec.budget.describe()
        )
    })?;
    Ok(admitted)
}

/// Measures candidates' footprints, keeping one untrained model per shape (bits and sparsity do
/// not change it) and its latency.
struct Sizer<'a> {
    spec: &'a SearchSpec,
    device: &'a Device,
    backend: BackendKind,
    shapes: HashMap<(usize, usize), Rc<Experiment>>,
    latencies: HashMap<(usize, usize), f64>,
}

impl Sizer<'_> {
    /// `candidate`'s footprint in the budget's unit.
    async fn cost(&mut self, candidate: &Candidate, observer: &mut impl Observer) -> Result<f64> {
        // The longest trial's spec: the file holds the spec, whose epochs have the most digits there.
        let trial = self.spec.trial_spec(candidate, self.spec.base.train.epochs);
        let shape = (candidate.width, candidate.depth);
        Ok(match self.spec.budget {
            Budget::Macs { .. } => Classifier::macs_of(&trial.model, input_shape(&trial.data)) as f64,
            Budget::Bytes { .. } => self.untrained(shape, &trial).await?.file(&trial.compress, observer).await?.len() as f64,
            Budget::LatencyMs { .. } => match self.latencies.get(&shape) {
                Some(&ms) => ms,
                None => {
                    let model = self.untrained(shape, &trial).await?;
                    let ms = latency::measure(&model.trained, &model.split.test, self.device, LATENCY_REPEATS)
                        .await?
                        .median_ms;
                    self.latencies.insert(shape, ms);
                    ms
                }
            },
        })
    }

    /// The untrained model of `trial`, whose (width, depth) is `shape`.
    async fn untrained(&mut self, shape: (usize, usize), trial: &ExperimentSpec) -> Result<Rc<Experiment>> {
        if let Some(model) = self.shapes.get(&shape) {
            return Ok(model.clone());
        }
        let model = Rc::new(experiment::untrained(trial, self.device, self.backend).await?);
        self.shapes.insert(shape, model.clone());
        Ok(model)
    }
}

/// What comes after `evaluations` (of `candidates`, as [`propose`] admitted them): the trials of
/// the first rung not fully evaluated, or the best evaluation when all are. Rung i + 1 takes the
/// best of rung i by test accuracy, ties to the smaller footprint, then the earlier draw. A trial
/// whose trained file is over a byte budget (the length varies by a few bytes with the values:
/// sparse encodings, the deflated header) is neither promoted nor chosen.
pub fn next(spec: &SearchSpec, candidates: &[Candidate], evaluations: &[Evaluation]) -> Result<Next> {
    let rungs = spec.rungs(candidates.len());
    let known = |e: &Evaluation| e.rung < rungs.len() && candidates.iter().any(|c| c.id == e.candidate);
    if let Some(stray) = evaluations.iter().find(|e| !known(e)) {
        return Err(Error::InvalidSpec(format!(
            "search evaluation of candidate {} at rung {} is not part of this search",
            stray.candidate, stray.rung
        )));
    }
    let cost = |id: usize| candidates.iter().find(|c| c.id == id).map_or(f64::INFINITY, |c| c.cost);
    let within = |e: &Evaluation| !matches!(spec.budget, Budget::Bytes { limit } if e.bytes > limit);
    let ranked = |a: &Evaluation, b: &Evaluation| {
        within(b)
            .cmp(&within(a))
            .then(b.test_accuracy.total_cmp(&a.test_accuracy))
            .then(cost(a.candidate).total_cmp(&cost(b.candidate)))
            .then(a.candidate.cmp(&b.candidate))
    };
    let mut entrants: Vec<usize> = candidates.iter().map(|c| c.id).collect();
    for (rung, shape) in rungs.iter().enumerate() {
        let at_rung: Vec<Evaluation> = evaluations.iter().filter(|e| e.rung == rung).copied().collect();
        let missing: Vec<Trial> = entrants
            .iter()
            .filter(|&&id| !at_rung.iter().any(|e| e.candidate == id))
            .map(|&id| {
                let candidate = candidates.iter().find(|c| c.id == id).expect("entrants are candidates");
                Trial {
                    candidate: id,
                    rung,
                    spec: spec.trial_spec(candidate, shape.epochs),
                }
            })
            .collect();
        if !missing.is_empty() {
            return Ok(Next::Trials {
                rung,
                rungs: rungs.len(),
                epochs: shape.epochs,
                trials: missing,
            });
        }
        let mut standing: Vec<Evaluation> = at_rung.into_iter().filter(|e| entrants.contains(&e.candidate)).collect();
        standing.sort_by(ranked);
        let keep = rungs.get(rung + 1).map_or(0, |r| r.candidates);
        entrants = standing.iter().filter(|e| within(e)).take(keep).map(|e| e.candidate).collect();
    }
    let best = evaluations
        .iter()
        .filter(|e| within(e))
        .copied()
        .min_by(|a, b| ranked(a, b).then(b.rung.cmp(&a.rung)));
    let best = best.ok_or_else(|| {
        Error::InvalidSpec(format!(
            "no trained candidate's file fits within {}: raise the budget a little",
            spec.budget.describe()
        ))
    })?;
    Ok(Next::Done { best })
}

/// Runs a whole search here, one trial after another (the page runs a rung's trials in parallel);
/// each trial's epochs and the count of trials done go to `observer`, which may cancel.
pub async fn run(spec: &SearchSpec, device: &Device, backend: BackendKind, observer: &mut impl Observer) -> Result<Outcome> {
    let candidates = propose(spec, device, backend, observer).await?;
    let total: usize = spec.rungs(candidates.len()).iter().map(|r| r.candidates).sum();
    let (mut evaluations, mut points) = (Vec::new(), Vec::new());
    loop {
        match next(spec, &candidates, &evaluations)? {
            Next::Done { best } => {
                return Ok(Outcome {
                    candidates,
                    evaluations,
                    points,
                    best,
                });
            }
            Next::Trials { trials, .. } => {
                for trial in trials {
                    let (_, variant) = experiment::run(&trial.spec, device, backend, observer, &mut Session::default()).await?;
                    evaluations.push(Evaluation {
                        candidate: trial.candidate,
                        rung: trial.rung,
                        test_accuracy: variant.point.test_accuracy,
                        bytes: variant.point.footprint.bytes,
                    });
                    points.push(variant.point);
                    report(observer, "search", points.len(), total).await?;
                }
            }
        }
    }
}
