//! The wasm-bindgen API that the page's Web Worker calls. Values come in as plain JS objects
//! through serde-wasm-bindgen and go out as JSON (see [`to_js`]); every function returns a `Result`, so a bad spec or a
//! backend failure rejects the Promise with a clear message instead of killing the engine. A panic
//! hook still reports anything unexpected to the worker (`self.onEnginePanic(message)`).

use std::cell::RefCell;
use std::rc::Rc;

use burn::module::Module;
use burn::tensor::Device;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::backend::{self, BackendKind};
use crate::boundary;
use crate::compress::Step;
use crate::error::Error;
use crate::experiment::{self, Experiment, Session, Variant};
use crate::field_error;
use crate::mixed_precision::MixedPrecisionSpec;
use crate::search::{self, Candidate, Evaluation, SearchSpec};
use crate::sensitivity::{self, Probe};
use crate::spec::ExperimentSpec;
use crate::strategy::Strategy;
use crate::train::{Control, Observer, Progress, RunState};
use crate::{inspect, latency};

/// What the engine keeps between calls.
struct State {
    backend: BackendKind,
    device: Device,
    /// The WebGPU device, once initialised (wgpu can be initialised only once per page).
    webgpu: Option<Device>,
    /// The trained models: teachers for distillation, and what `compress` starts from.
    session: Session,
    /// The models produced lately (trained or compressed), newest last, with the trained model
    /// each comes from: what export, inspect, boundary and latency find by the point's spec.
    produced: Vec<(Rc<Experiment>, Rc<Variant>)>,
}

/// How many produced models the engine keeps for export and inspection (a sweep makes many; the
/// page asks about the one it shows).
const PRODUCED: usize = 4;

impl State {
    fn remember(&mut self, experiment: Rc<Experiment>, variant: Variant) {
        self.produced.retain(|(_, v)| v.point.spec != variant.point.spec);
        if self.produced.len() == PRODUCED {
            self.produced.remove(0);
        }
        self.produced.push((experiment, Rc::new(variant)));
    }

    fn produced(&self, spec: &ExperimentSpec) -> Option<(Rc<Experiment>, Rc<Variant>)> {
        self.produced.iter().rev().find(|(_, v)| v.point.spec == *spec).cloned()
    }
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State {
        backend: BackendKind::Cpu,
        device: backend::cpu(),
        webgpu: None,
        session: Session::default(),
        produced: Vec::new(),
    });
}

unsafe extern "C" {
    /// Synthesized by the wasm linker: runs the module's static constructors (burn and cubecl
    /// register kernels and types through `inventory`, which uses them).
    fn __wasm_call_ctors();
}

#[wasm_bindgen(start)]
fn start() {
    // Run the constructors once, here. A module that never calls them itself gets "command-style"
    // linkage: wasm-ld wraps *every* export so that it runs all constructors first, and each call
    // from JavaScript into the engine (thousands per training step on WebGPU: every WebGPU object
    // wgpu creates goes through an exported externref slot) paid for them. See the `inventory`
    // crate's notes on WebAssembly.
    unsafe { __wasm_call_ctors() };
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let global = js_sys::global();
        if let Ok(report) = js_sys::Reflect::get(&global, &"onEnginePanic".into()) {
            if let Some(report) = report.dyn_ref::<js_sys::Function>() {
                let _ = report.call1(&JsValue::NULL, &info.to_string().into());
            }
        }
    }));
}

/// Switches the engine to `"cpu"` or `"webgpu"` (initialising WebGPU on first use). Resolves to
/// the backend now in use; rejects, keeping the current backend, when WebGPU is unavailable.
#[wasm_bindgen(js_name = useBackend)]
pub async fn use_backend(name: String) -> Result<String, JsValue> {
    let kind = BackendKind::parse(&name).map_err(js_error)?;
    let device = match kind {
        BackendKind::Cpu => backend::cpu(),
        BackendKind::Webgpu => match STATE.with_borrow(|s| s.webgpu.clone()) {
            Some(device) => device,
            None => {
                let device = backend::init(kind).await.map_err(js_error)?;
                STATE.with_borrow_mut(|s| s.webgpu = Some(device.clone()));
                device
            }
        },
    };
    STATE.with_borrow_mut(|s| {
        s.backend = kind;
        s.device = device;
    });
    Ok(name)
}

/// Trains the model described by `spec` on the current backend. `onProgress(progress)` is called
/// after every batch and epoch; returning `false` (or a Promise of `false`) cancels the run, and
/// returning `"handover"` after an epoch stops it there for another engine to go on with: the
/// Promise then rejects with kind `handed_over` and the run's state as the error's `state`
/// (bytes for [`resume`]). Resolves to the result point.
#[wasm_bindgen]
pub async fn run(spec: JsValue, on_progress: js_sys::Function) -> Result<JsValue, JsValue> {
    train_here(from_js(spec)?, None, on_progress).await
}

/// Goes on with a run of `spec` that another engine handed over (`state`, from [`run`]'s
/// rejection), on the current backend; reports and resolves like [`run`].
#[wasm_bindgen]
pub async fn resume(spec: JsValue, state: Vec<u8>, on_progress: js_sys::Function) -> Result<JsValue, JsValue> {
    train_here(from_js(spec)?, Some(state), on_progress).await
}

async fn train_here(spec: ExperimentSpec, handed: Option<Vec<u8>>, on_progress: js_sys::Function) -> Result<JsValue, JsValue> {
    let (device, kind) = STATE.with_borrow(|s| (s.device.clone(), s.backend));
    let mut observer = JsObserver::new(on_progress);
    // The session leaves the shared state while training, so no borrow is held across awaits.
    let mut session = STATE.with_borrow_mut(|s| std::mem::take(&mut s.session));
    let result = match &handed {
        None => experiment::run(&spec, &device, kind, &mut observer, &mut session).await,
        Some(state) => experiment::resume(&spec, state, &device, kind, &mut observer, &mut session).await,
    };
    STATE.with_borrow_mut(|s| s.session = session);
    let (experiment, variant) = match result {
        Ok(done) => done,
        Err(error @ Error::HandedOver { .. }) => return Err(handed_over(&spec, error, observer.handed.take()).await),
        Err(error) => return Err(js_error(error)),
    };
    let point = to_js(&variant.point)?;
    STATE.with_borrow_mut(|s| s.remember(experiment, variant));
    Ok(point)
}

/// The rejection of a run that stopped to be handed over, with its state as bytes.
async fn handed_over(spec: &ExperimentSpec, error: Error, state: Option<RunState>) -> JsValue {
    let Some(state) = state else { return js_error(error) };
    match experiment::hand_over(spec, state).await {
        Ok(bytes) => {
            let js = js_error(error);
            let _ = js_sys::Reflect::set(&js, &"state".into(), &js_sys::Uint8Array::from(&bytes[..]));
            js
        }
        Err(failure) => js_error(failure),
    }
}

/// Applies the compression pipeline of `spec` to the model trained from the rest of `spec` in this
/// session, without retraining it; fine-tuning steps report to `onProgress` like `run`. Resolves
/// to the new point.
#[wasm_bindgen]
pub async fn compress(spec: JsValue, on_progress: js_sys::Function) -> Result<JsValue, JsValue> {
    let spec: ExperimentSpec = from_js(spec)?;
    let experiment = trained(&spec)?;
    let mut observer = JsObserver::new(on_progress);
    let variant = experiment.recompress(&spec.compress, &mut observer).await.map_err(js_error)?;
    let point = to_js(&variant.point)?;
    STATE.with_borrow_mut(|s| s.remember(experiment, variant));
    Ok(point)
}

/// How much each weighted layer of the model trained from `spec` tolerates `probe`
/// (`{kind: "quantize", symmetric, per_channel}` or `{kind: "prune"}`), one layer at a time; each
/// evaluation reports `{kind: "task"}` to `onProgress`, which may cancel. Resolves to the curves.
#[wasm_bindgen]
pub async fn sensitivity(spec: JsValue, probe: JsValue, on_progress: js_sys::Function) -> Result<JsValue, JsValue> {
    let experiment = trained(&from_js(spec)?)?;
    let probe: Probe = from_js(probe)?;
    let mut observer = JsObserver::new(on_progress);
    to_js(&sensitivity::analyse(&experiment, probe, &mut observer).await.map_err(js_error)?)
}

/// Per-layer bits for the model trained from `spec` within `options.budget_bytes`
/// (`{budget_bytes, symmetric, per_channel}`), chosen from a quantization sensitivity analysis;
/// reports like [`sensitivity`]. Resolves to the quantize step, for `compress`.
#[wasm_bindgen(js_name = mixedPrecision)]
pub async fn mixed_precision(spec: JsValue, options: JsValue, on_progress: js_sys::Function) -> Result<JsValue, JsValue> {
    let experiment = trained(&from_js(spec)?)?;
    let options: MixedPrecisionSpec = from_js(options)?;
    let mut observer = JsObserver::new(on_progress);
    let probe = Probe::Quantize {
        symmetric: options.symmetric,
        per_channel: options.per_channel,
    };
    let analysis = sensitivity::analyse(&experiment, probe, &mut observer).await.map_err(js_error)?;
    let step = crate::mixed_precision::choose(&experiment, &analysis, options, &mut observer)
        .await
        .map_err(js_error)?;
    to_js(&Step::Quantize(step))
}

/// The candidates of a budgeted search (`spec`: a [`SearchSpec`]), drawn in its seed's order and
/// sized on the current backend; each sizing reports `{kind: "task"}` to `onProgress`, which may
/// cancel. Resolves to the admitted candidates, for [`search_next`].
#[wasm_bindgen(js_name = searchPlan)]
pub async fn search_plan(spec: JsValue, on_progress: js_sys::Function) -> Result<JsValue, JsValue> {
    let spec: SearchSpec = from_js(spec)?;
    let (device, kind) = STATE.with_borrow(|s| (s.device.clone(), s.backend));
    let mut observer = JsObserver::new(on_progress);
    to_js(&search::propose(&spec, &device, kind, &mut observer).await.map_err(js_error)?)
}

/// What a search does after `evaluations` (`[{candidate, rung, test_accuracy, bytes}]`) of `candidates`:
/// `{kind: "trials", rung, rungs, epochs, trials: [{candidate, rung, spec}]}` — specs any engine can
/// `run` — or `{kind: "done", best}`.
#[wasm_bindgen(js_name = searchNext)]
pub fn search_next(spec: JsValue, candidates: JsValue, evaluations: JsValue) -> Result<JsValue, JsValue> {
    let spec: SearchSpec = from_js(spec)?;
    let candidates: Vec<Candidate> = from_js(candidates)?;
    let evaluations: Vec<Evaluation> = from_js(evaluations)?;
    to_js(&search::next(&spec, &candidates, &evaluations).map_err(js_error)?)
}

/// The stages of one of the survey's strategies (`{kind: "shrink_and_improve" | "grow_improve_shrink",
/// width, bits, tune: {epochs, learning_rate}}`): `[{name, steps}]`, each a pipeline for `compress`.
#[wasm_bindgen(js_name = strategyStages)]
pub fn strategy_stages(strategy: JsValue) -> Result<JsValue, JsValue> {
    let strategy: Strategy = from_js(strategy)?;
    to_js(&strategy.stages().map_err(js_error)?)
}

/// The session's model trained from `spec` (its compression aside).
fn trained(spec: &ExperimentSpec) -> Result<Rc<Experiment>, JsValue> {
    STATE
        .with_borrow(|s| s.session.find(&spec.trained_part()))
        .ok_or(Error::NoModel)
        .map_err(js_error)
}

/// Whether this engine's session holds the trained model that `spec` compresses (the page's worker
/// may run two engines, and sends `compress` to the one that has it).
#[wasm_bindgen(js_name = holdsModel)]
pub fn holds_model(spec: JsValue) -> Result<bool, JsValue> {
    let spec: ExperimentSpec = from_js(spec)?;
    Ok(STATE.with_borrow(|s| s.session.find(&spec.trained_part()).is_some()))
}

/// Milliseconds per training step of `spec`'s model on the current backend (a few warm-up steps,
/// then timed ones ended by a read-back), for the page's automatic backend choice.
#[wasm_bindgen(js_name = measureStep)]
pub async fn measure_step(spec: JsValue) -> Result<f64, JsValue> {
    let spec: ExperimentSpec = from_js(spec)?;
    let device = STATE.with_borrow(|s| s.device.clone());
    experiment::step_ms(&spec, &device).await.map_err(js_error)
}

/// Whether this engine produced the model of the point with `spec` lately (export, inspect,
/// boundary and latency go to the engine that did).
#[wasm_bindgen(js_name = holdsVariant)]
pub fn holds_variant(spec: JsValue) -> Result<bool, JsValue> {
    let spec: ExperimentSpec = from_js(spec)?;
    Ok(STATE.with_borrow(|s| s.produced(&spec).is_some()))
}

/// The packed file of the model with `spec` (its length is the point's `footprint.bytes`).
#[wasm_bindgen(js_name = exportModel)]
pub fn export_model(spec: JsValue) -> Result<js_sys::Uint8Array, JsValue> {
    let (_, variant) = produced(spec)?;
    Ok(js_sys::Uint8Array::from(variant.export.as_slice()))
}

/// Reads a packed file back and evaluates it on its own spec's data; resolves to its point.
#[wasm_bindgen(js_name = importModel)]
pub async fn import_model(bytes: Vec<u8>) -> Result<JsValue, JsValue> {
    let point = experiment::import(&bytes).await.map_err(js_error)?;
    to_js(&point)
}

/// Takes over a model trained by another engine (the page's Auto race runs two, one per Web
/// Worker): its float model file and its point. It then compresses like a model trained here, on
/// the current backend.
#[wasm_bindgen(js_name = adoptModel)]
pub async fn adopt_model(bytes: Vec<u8>, point: JsValue) -> Result<(), JsValue> {
    let point = from_js(point)?;
    let (device, kind) = STATE.with_borrow(|s| (s.device.clone(), s.backend));
    let (experiment, variant) = experiment::adopt(&bytes, point, &device, kind).await.map_err(js_error)?;
    let experiment = Rc::new(experiment);
    STATE.with_borrow_mut(|s| {
        s.session.remember(experiment.clone());
        s.remember(experiment, variant);
    });
    Ok(())
}

/// The decision boundary of the model with `spec` (2D sets only) on a `resolution²` grid.
#[wasm_bindgen(js_name = decisionBoundary)]
pub async fn decision_boundary(spec: JsValue, resolution: usize) -> Result<JsValue, JsValue> {
    let (experiment, variant) = produced(spec)?;
    let boundary = boundary::decision_boundary(&variant.model, &experiment.split, resolution, &experiment.device)
        .await
        .map_err(js_error)?;
    to_js(&boundary)
}

/// Weights, singular values and test-set confusion matrix of the model with `spec`.
#[wasm_bindgen]
pub async fn inspect(spec: JsValue) -> Result<JsValue, JsValue> {
    let (experiment, variant) = produced(spec)?;
    let inspection = inspect::inspect(&variant.model, &experiment.split.test, &experiment.device)
        .await
        .map_err(js_error)?;
    to_js(&inspection)
}

/// Median and 90th-percentile time per single-example forward pass of the model with `spec` on
/// the current backend, over `repeats` timed samples.
#[wasm_bindgen(js_name = measureLatency)]
pub async fn measure_latency(spec: JsValue, repeats: usize) -> Result<JsValue, JsValue> {
    let (experiment, variant) = produced(spec)?;
    let device = STATE.with_borrow(|s| s.device.clone());
    let model = variant.model.clone().to_device(&device);
    let latency = latency::measure(&model, &experiment.split.test, &device, repeats)
        .await
        .map_err(js_error)?;
    to_js(&latency)
}

/// The model produced lately with the point spec `spec`, and the trained experiment it comes from.
fn produced(spec: JsValue) -> Result<(Rc<Experiment>, Rc<Variant>), JsValue> {
    let spec: ExperimentSpec = from_js(spec)?;
    STATE.with_borrow(|s| s.produced(&spec)).ok_or_else(|| js_error(Error::NoModel))
}

/// Hands over a data set the engine loads on demand (the MNIST file, [`crate::data::mnist::FILE`],
/// that the page fetched after a call failed with the `data_missing` kind).
#[wasm_bindgen(js_name = provideData)]
pub fn provide_data(name: &str, bytes: Vec<u8>) -> Result<(), JsValue> {
    match name {
        "mnist" => crate::data::mnist::provide(&bytes).map_err(js_error),
        other => Err(js_error(Error::Data(format!("no data set named \"{other}\" is loaded on demand")))),
    }
}

/// Keeps the learner's own table (`features`: row-major, `nFeatures` per row; `labels`: 0 to
/// classes − 1) under `name`; resolves to its reference `{id, name, rows, features, classes}` for a
/// spec's `data.table`, or rejects naming what is wrong with it.
#[wasm_bindgen(js_name = provideTable)]
pub fn provide_table(name: &str, features: Vec<f32>, labels: Vec<u32>, n_features: usize) -> Result<JsValue, JsValue> {
    to_js(&crate::data::custom::provide(name, features, labels, n_features).map_err(js_error)?)
}

/// Checks a spec without running it (a link's settings, before the page shows them): resolves when
/// it parses and every value is in range, rejects with a message naming the field otherwise.
#[wasm_bindgen(js_name = checkSpec)]
pub fn check_spec(spec: JsValue) -> Result<(), JsValue> {
    let spec: ExperimentSpec = from_js(spec)?;
    spec.validate().map_err(js_error)
}

/// What training `spec` will cost (MACs, steps, examples), counted without running it; rejects an
/// invalid spec with the message `run` would give.
#[wasm_bindgen(js_name = runCost)]
pub fn run_cost(spec: JsValue) -> Result<JsValue, JsValue> {
    let spec: ExperimentSpec = from_js(spec)?;
    to_js(&crate::cost::of(&spec).map_err(js_error)?)
}

/// The compression step kinds and the largest accepted values, so the page sets its controls'
/// ranges from the engine's own limits.
#[wasm_bindgen]
pub fn catalog() -> Result<JsValue, JsValue> {
    to_js(&crate::catalog::catalog())
}

/// The default experiment spec, so the page starts from the engine's defaults.
#[wasm_bindgen(js_name = defaultSpec)]
pub fn default_spec() -> Result<JsValue, JsValue> {
    to_js(&crate::spec::ExperimentSpec::default())
}

/// Forwards progress to a JS callback and awaits its answer, which also yields to the worker's
/// event loop so a cancel message can arrive; keeps the state of a run it asked to hand over.
struct JsObserver {
    callback: js_sys::Function,
    handed: Option<RunState>,
}

impl JsObserver {
    fn new(callback: js_sys::Function) -> Self {
        Self { callback, handed: None }
    }
}

impl Observer for JsObserver {
    async fn observe(&mut self, progress: Progress) -> Control {
        let Ok(value) = to_js(&progress) else { return Control::Stop };
        let Ok(mut answer) = self.callback.call1(&JsValue::NULL, &value) else {
            return Control::Stop;
        };
        if let Some(promise) = answer.dyn_ref::<js_sys::Promise>() {
            answer = match JsFuture::from(promise.clone()).await {
                Ok(value) => value,
                Err(_) => return Control::Stop,
            };
        }
        if answer.as_bool() == Some(false) {
            Control::Stop
        } else if answer.as_string().as_deref() == Some("handover") {
            Control::HandOver
        } else {
            Control::Continue
        }
    }

    fn hand_over(&mut self, state: RunState) {
        self.handed = Some(state);
    }
}

fn js_error(error: Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    // Reflect::set fails only on frozen objects; a fresh Error is not one.
    let _ = js_sys::Reflect::set(&js, &"kind".into(), &error.kind().into());
    let _ = js_sys::Reflect::set(&js, &"detail".into(), &error.detail().into());
    js.into()
}

/// A value from JavaScript; one that does not parse is an error naming its field.
fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(value))
        .map_err(|e| js_error(field_error::parse_error(&e.path().to_string(), &e.inner().to_string())))
}

/// Results go out as JSON text parsed by the browser: serde-wasm-bindgen builds objects one property
/// at a time across the boundary, which took about 40 ms for a point with a 60-epoch history (most
/// of a slider step); serde_json plus `JSON.parse` takes well under 1 ms. Non-finite floats (a
/// diverged run's loss) become `null`.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let json =
        serde_json::to_string(value).map_err(|e| js_error(Error::Backend(format!("could not convert the result for JavaScript: {e}"))))?;
    js_sys::JSON::parse(&json).map_err(|_| js_error(Error::Backend("could not convert the result for JavaScript".into())))
}
