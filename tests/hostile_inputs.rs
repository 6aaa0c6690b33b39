//! Inputs a link, a typed value or a model file can carry that once crashed or exhausted the engine
//! (issue #29, item 3): each is refused with a message naming its field or file, before anything
//! is sized from it. Memory is counted by this test binary's own allocator, on the test's thread.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use common::{spec, train_cpu};
use efficiency_playground::footprint;
use efficiency_playground::model::Classifier;
use efficiency_playground::spec::ExperimentSpec;
use efficiency_playground::train::{self, EVALUATION_FLOATS};
use serde_json::{Value, json};

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

/// The system allocator, counting the bytes live on each thread and their peak.
struct Counting;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = LIVE.try_with(|live| {
            live.set(live.get() + layout.size());
            let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
        });
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(layout.size())));
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most bytes `work` had allocated at once on this thread, beyond what was live before it.
fn peak_bytes<T>(work: impl FnOnce() -> T) -> (T, usize) {
    let before = LIVE.get();
    PEAK.set(before);
    let out = work();
    (out, PEAK.get() - before)
}

/// A float digits MLP [16]'s file, its header rewritten for `hidden` and its tensors replaced by
/// `payload` (the layout is docs/FORMAT.md's).
fn file_for(hidden: &[usize], payload: &[u8]) -> Vec<u8> {
    let (_, v) = train_cpu(&spec(
        r#"{"data": {"name": "digits"}, "train": {"epochs": 1}, "model": {"kind": "mlp", "hidden": [16], "activation": "relu"}}"#,
    ))
    .unwrap();
    let file = v.export;
    let header_end = 8 + u32::from_le_bytes(file[4..8].try_into().unwrap()) as usize;
    let mut json = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::DeflateDecoder::new(&file[8..header_end]), &mut json).unwrap();
    let mut header: Value = serde_json::from_slice(&json).unwrap();
    header["spec"]["model"]["hidden"] = json!(hidden);
    let widths: Vec<usize> = [64].iter().chain(hidden).chain(&[10]).copied().collect();
    header["shapes"] = widths.windows(2).flat_map(|w| [json!([w[0], w[1]]), json!([w[1]])]).collect();
    let mut packed = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut packed, &serde_json::to_vec(&header).unwrap()).unwrap();
    let packed = packed.finish().unwrap();
    [&file[..4], &(packed.len() as u32).to_le_bytes(), &packed[..], payload].concat()
}

/// A tensor of zeros stored as a list of no positions: tag FLOAT | indices, count 0.
const ZEROS: [u8; 5] = [0x10, 0, 0, 0, 0];

#[test]
fn a_truncated_file_is_refused_before_its_tensors_are_allocated() {
    // Two all-zero tensors, then a 2048×2048 int8 tensor whose codes are missing: the old reader
    // allocated its values, codes and dense positions (64 MB natively) before finding that out.
    let affine_dense = [0x02, 8, 1, 0, 0, 0, 0, 0, 0x80, 0x3f, 0];
    let file = file_for(&[2048, 2048], &[&ZEROS[..], &ZEROS, &affine_dense].concat());
    assert!(file.len() < 2000, "{} bytes", file.len());
    let (result, peak) = peak_bytes(|| footprint::import(&file));
    let message = result.unwrap_err().to_string();
    assert!(message.contains("Mlp.layers.1.weight: file is truncated"), "{message}");
    // What was allocated: the first two tensors (64×2048 and 2048 floats) and the header.
    assert!(peak < 2 << 20, "importing the truncated file allocated {peak} bytes");
}

#[test]
fn a_small_file_of_a_large_model_costs_the_model_and_no_more() {
    // A valid file of zeros (each tensor 5 bytes) of a 3-layer, 2048-wide MLP: the model it
    // describes is 8.5 M floats, and that is what importing it allocates (plus the header).
    let file = file_for(&[2048, 2048, 2048], &[ZEROS; 8].concat());
    let (result, peak) = peak_bytes(|| footprint::import(&file));
    let (_, model) = result.unwrap();
    let floats: usize = model.weights.tensors.iter().map(|t| t.values.len()).sum();
    assert_eq!(floats, 64 * 2048 + 2 * 2048 * 2048 + 2048 * 10 + 3 * 2048 + 10);
    assert!(peak <= floats * 4 + (1 << 20), "{peak} bytes for a model of {} bytes", floats * 4);
}

#[test]
fn a_resize_to_a_billion_layers_is_refused_by_its_field() {
    let s = spec(r#"{"compress": [{"kind": "resize", "width": 1, "hidden_layers": 1000000000}]}"#);
    let message = s.validate().unwrap_err().to_string();
    assert!(
        message.contains("resize.hidden_layers must be between 1 and 8, got 1000000000"),
        "{message}"
    );
}

#[test]
fn a_pipeline_is_at_most_sixteen_steps() {
    let steps = vec![json!({"kind": "prune", "sparsity": 0.5, "global": false}); 17];
    let s: ExperimentSpec = serde_json::from_value(json!({ "compress": steps })).unwrap();
    let message = s.validate().unwrap_err().to_string();
    assert!(message.contains("compress has 17 steps; at most 16 are allowed"), "{message}");
}

/// A spec whose teacher's teacher's ... is `levels` deep, as JSON text.
fn nested_teachers(levels: usize) -> String {
    let open = r#"{"distill": {"temperature": 2.0, "alpha": 0.5, "teacher": "#.repeat(levels);
    format!("{open}{{}}{}", "}}".repeat(levels))
}

#[test]
fn a_teacher_that_distils_is_refused_while_reading_not_after_recursing() {
    let message = |json: String| serde_json::from_str::<ExperimentSpec>(&json).unwrap_err().to_string();
    assert!(message(nested_teachers(2)).contains("a teacher cannot itself be distilled here"));
    // A thousand deep (a link the page refuses as too deep) is refused the same way, at the second
    // level, instead of reading on to the bottom: serde_json would stop at its recursion limit, but
    // the wasm engine reads JavaScript values with none, and overflowed its stack at ~550 levels.
    let deep = message(nested_teachers(1000));
    assert!(deep.contains("a teacher cannot itself be distilled here"), "{deep}");
    // One teacher is fine.
    let one: ExperimentSpec = serde_json::from_str(&nested_teachers(1)).unwrap();
    assert!(one.distill.is_some_and(|d| d.teacher.distill.is_none()));
}

#[test]
fn evaluation_runs_in_batches_of_bounded_memory_with_the_same_result() {
    // The MNIST CNN with 96 first-layer channels: one batch of all 8,000 training images needed
    // 2.4 GB; a batch is now sized to EVALUATION_FLOATS.
    let wide = spec(r#"{"data": {"name": "mnist"}, "model": {"kind": "cnn", "channels": [96, 96], "activation": "relu"}}"#);
    let input = efficiency_playground::data::input_shape(&wide.data);
    let model = Classifier::new(&wide.model, input, &efficiency_playground::backend::cpu());
    let rows = train::evaluation_rows(&model);
    assert!(rows < 8000 && rows * model.working_floats() <= EVALUATION_FLOATS, "{rows} rows");
    assert!(model.working_floats() >= 96 * 28 * 28, "at least the first convolution's output");

    // Batched logits equal one batch's, for a set split into several batches.
    let (exp, _) = train_cpu(&spec(
        r#"{"data": {"name": "digits"}, "train": {"epochs": 1}, "model": {"kind": "mlp", "hidden": [16], "activation": "relu"}}"#,
    ))
    .unwrap();
    let (x, _) = train::tensors(&exp.split.test, &exp.device);
    let whole = exp.trained.forward(x.clone()).into_data().try_to_vec::<f32>().unwrap();
    let batched = train::logits_in_batches(&exp.trained, x, 7)
        .into_data()
        .try_to_vec::<f32>()
        .unwrap();
    assert_eq!(whole.len(), batched.len());
    assert!(whole.iter().zip(&batched).all(|(a, b)| (a - b).abs() < 1e-5));
}
