//! The model file as a standalone, hostile-input-proof artifact (EPM2, docs/FORMAT.md): the
//! standardisation travels in the file, crafted and malformed files are refused with a message
//! naming what is wrong, and 10,000 mutated files never panic the engine.

mod common;

use std::io::{Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};

use common::{spec, train_cpu};
use efficiency_playground::Error;
use efficiency_playground::compress::codes::Codes;
use efficiency_playground::compress::low_rank;
use efficiency_playground::experiment::{self, Point, Variant};
use efficiency_playground::footprint;
use efficiency_playground::host::HostWeights;
use efficiency_playground::model::Classifier;
use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::Value;

const MOONS: &str = r#""data": {"name": "moons", "samples": 200}, "train": {"epochs": 3}"#;
const DIGITS: &str = r#""data": {"name": "digits"}, "train": {"epochs": 2, "batch_size": 128}"#;

fn trained(json: &str) -> Variant {
    train_cpu(&spec(json)).unwrap().1
}

fn import(file: &[u8]) -> efficiency_playground::Result<Point> {
    pollster::block_on(experiment::import(file))
}

/// The message a refused file gets.
fn refusal(file: &[u8]) -> String {
    match import(file) {
        Err(Error::File(message)) => message,
        other => panic!("expected a file error, got {other:?}"),
    }
}

/// Where the JSON header ends and the first tensor's tag stands.
fn first_tag(file: &[u8]) -> usize {
    8 + u32::from_le_bytes(file[4..8].try_into().unwrap()) as usize
}

/// The file's header: raw-DEFLATE-compressed JSON.
fn header_of(file: &[u8]) -> Value {
    let mut json = Vec::new();
    DeflateDecoder::new(&file[8..first_tag(file)]).read_to_end(&mut json).unwrap();
    serde_json::from_slice(&json).unwrap()
}

/// The file with its header edited.
fn with_header(file: &[u8], edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut header = header_of(file);
    edit(&mut header);
    let mut packed = DeflateEncoder::new(Vec::new(), Compression::best());
    packed.write_all(&serde_json::to_vec(&header).unwrap()).unwrap();
    let packed = packed.finish().unwrap();
    [&file[..4], &(packed.len() as u32).to_le_bytes(), &packed, &file[first_tag(file)..]].concat()
}

/// The file with byte `at` changed by `edit`.
fn with_byte(file: &[u8], at: usize, edit: impl FnOnce(u8) -> u8) -> Vec<u8> {
    let mut out = file.to_vec();
    out[at] = edit(out[at]);
    out
}

#[test]
fn the_file_carries_its_standardisation_and_import_uses_it() {
    let (exp, v) = train_cpu(&spec(&format!("{{{MOONS}}}"))).unwrap();
    let (header, _) = footprint::import(&v.export).unwrap();
    assert_eq!(header.normalisation, exp.split.normalisation);
    assert_eq!(header.normalisation.mean.len(), 2, "one mean per feature of a 2D set");
    let shifted = with_header(&v.export, |h| h["normalisation"]["mean"][0] = Value::from(5.0));
    assert_ne!(
        import(&shifted).unwrap().test_loss,
        import(&v.export).unwrap().test_loss,
        "import standardises with the file's statistics"
    );
    let zero_std = with_header(&v.export, |h| h["normalisation"]["std"][1] = Value::from(0.0));
    assert_eq!(
        refusal(&zero_std),
        "the normalisation needs finite means and positive, finite deviations"
    );

    let digits = trained(&format!(
        r#"{{{DIGITS}, "model": {{"kind": "mlp", "hidden": [16], "activation": "relu"}}}}"#
    ));
    let (header, _) = footprint::import(&digits.export).unwrap();
    assert_eq!(
        header.normalisation.mean.len(),
        1,
        "one mean and deviation over all pixels of an image set"
    );
}

#[test]
fn declared_tensors_follow_the_architecture_burn_builds() {
    for json in [
        r#"{"model": {"kind": "mlp", "hidden": [16, 8], "activation": "relu"}}"#,
        r#"{"model": {"kind": "cnn", "channels": [4, 6], "activation": "relu"}}"#,
    ] {
        let s = spec(json);
        let input = efficiency_playground::data::input_shape(&s.data);
        let model = Classifier::new(&s.model, input, &efficiency_playground::backend::cpu());
        let built = pollster::block_on(HostWeights::read(&model)).unwrap();
        let declared = Classifier::parameter_shapes(&s.model, input);
        assert_eq!(
            built.tensors.iter().map(|t| (t.path.clone(), t.shape.clone())).collect::<Vec<_>>(),
            declared
        );
    }
}

#[test]
fn crafted_files_are_refused_before_anything_is_allocated() {
    let v = trained(&format!(
        r#"{{{DIGITS}, "model": {{"kind": "mlp", "hidden": [16], "activation": "relu"}}}}"#
    ));
    let wider = with_header(&v.export, |h| {
        h["input"]["features"] = Value::from(65);
        h["shapes"][0] = serde_json::json!([65, 16]);
    });
    assert_eq!(
        refusal(&wider),
        "it is for 65 inputs and 10 classes, as 8×8 images, but the data set \"digits\" has 64 inputs and 10 classes, as 8×8 images"
    );
    let eleven = with_header(&v.export, |h| h["input"]["classes"] = Value::from(11));
    assert_eq!(
        refusal(&eleven),
        "it is for 64 inputs and 11 classes, as 8×8 images, but the data set \"digits\" has 64 inputs and 10 classes, as 8×8 images"
    );
    let huge = with_header(&v.export, |h| h["shapes"][0] = serde_json::json!([30000, 30000]));
    assert_eq!(
        refusal(&huge),
        "tensor 0 (Mlp.layers.0.weight) is declared [30000, 30000]; its architecture needs [64, 16]"
    );
    let missing = with_header(&v.export, |h| h["shapes"].as_array_mut().unwrap().truncate(3));
    assert_eq!(refusal(&missing), "it declares 3 tensors; its architecture has 4");

    let cnn = trained(&format!(
        r#"{{{DIGITS}, "model": {{"kind": "cnn", "channels": [2, 2], "activation": "relu"}}}}"#
    ));
    let images16 = with_header(&cnn.export, |h| {
        h["input"] = serde_json::json!({"features": 256, "classes": 10, "image": [16, 16]});
        h["shapes"][4] = serde_json::json!([32, 10]);
    });
    assert_eq!(
        refusal(&images16),
        "it is for 256 inputs and 10 classes, as 16×16 images, but the data set \"digits\" has 64 inputs and 10 classes, as 8×8 images"
    );
    assert_eq!(
        refusal(b"EPM1\x02\x00\x00\x00{}"),
        "it was written by an earlier version of the playground (EPM1): export it again"
    );
    // A header that inflates to megabytes (a "zip bomb") is refused without inflating it all.
    let bomb = with_header(&v.export, |h| h["padding"] = Value::from(" ".repeat(1 << 20)));
    assert!(
        bomb.len() < v.export.len() + 2048,
        "one megabyte of spaces deflates to about a kilobyte"
    );
    assert_eq!(refusal(&bomb), "its header inflates to more than 65536 bytes");
    let unknown = with_header(&v.export, |h| h["extra"] = Value::from(1));
    assert!(
        refusal(&unknown).starts_with("header: unknown field `extra`"),
        "{}",
        refusal(&unknown)
    );
}

#[test]
fn malformed_tensors_are_refused_with_what_is_wrong() {
    // 15 hidden units: the first weight tensor has 30 elements, so packed runs end mid-byte.
    let model = r#""model": {"kind": "mlp", "hidden": [15], "activation": "relu"}"#;
    let int3 = trained(&format!(
        r#"{{{MOONS}, {model}, "compress": [{{"kind": "quantize", "bits": 3, "symmetric": false, "per_channel": false}}]}}"#
    ));
    let tag = first_tag(&int3.export);
    assert_eq!(int3.export[tag], 2, "dense affine codes");
    // tag, bits, u32 groups, one f32 scale, one zero point, then 30 × 3 bits = 12 bytes of codes.
    let (scale, zero_point, last_code_byte) = (tag + 6, tag + 10, tag + 11 + 11);
    let prefix = "Mlp.layers.0.weight: ";
    let cases = [
        (with_byte(&int3.export, tag, |t| t | 0x20), "unknown tensor tag 0x22"),
        (with_byte(&int3.export, tag, |t| t | 0x11), "unknown tensor tag 0x13"),
        (
            with_byte(&int3.export, last_code_byte, |b| b | 0x80),
            "the padding bits after the codes are not zero",
        ),
        (
            with_byte(&int3.export, zero_point, |_| 200),
            "a zero point of 200 is not a 3-bit code",
        ),
        (
            [&int3.export[..scale], &f32::NAN.to_le_bytes()[..], &int3.export[scale + 4..]].concat(),
            "a quantization scale is NaN; scales are finite and not negative",
        ),
    ];
    for (file, message) in cases {
        assert_eq!(refusal(&file), format!("{prefix}{message}"));
    }

    let half = trained(&format!(
        r#"{{{MOONS}, {model}, "compress": [{{"kind": "half", "format": "float16"}}]}}"#
    ));
    let tag = first_tag(&half.export);
    assert_eq!(
        refusal(&with_byte(&half.export, tag + 1, |_| 7)),
        format!("{prefix}16-bit float format 7 is unknown (0 is float16, 1 bfloat16)")
    );

    let pruned = trained(&format!(
        r#"{{{MOONS}, {model}, "compress": [{{"kind": "prune", "sparsity": 0.5, "global": false}}]}}"#
    ));
    let tag = first_tag(&pruned.export);
    assert_eq!(pruned.export[tag], 1, "float values, bitmask storage");
    // 30 elements: 4 bitmask bytes, the last one using 6 bits.
    assert_eq!(
        refusal(&with_byte(&pruned.export, tag + 4, |b| b | 0x80)),
        format!("{prefix}the padding bits after the bitmask are not zero")
    );

    let a8 = trained(&format!(
        r#"{{{MOONS}, {model}, "compress": [{{"kind": "quantize_activations", "bits": 8, "calibration_batches": 2}}]}}"#
    ));
    let inverted = with_header(&a8.export, |h| h["activations"]["ranges"][1] = serde_json::json!([1.0, -1.0]));
    assert_eq!(refusal(&inverted), "activation range 1 [1.0, -1.0] is not a finite [min, max]");
    let short = with_header(&a8.export, |h| {
        h["activations"]["ranges"].as_array_mut().unwrap().pop();
    });
    assert_eq!(refusal(&short), "it has 1 activation ranges for 2 weighted layers");
}

#[test]
fn effective_macs_count_what_the_file_stores() {
    let energy = r#"{"kind": "low_rank", "choose": {"energy": 0.9}, "first_layer_only": false}"#;
    let v = trained(&format!(
        r#"{{{DIGITS}, "model": {{"kind": "cnn", "channels": [8, 16], "activation": "relu"}}, "compress": [{energy}]}}"#
    ));
    let (_, stored) = footprint::import(&v.export).unwrap();
    // conv1 is an 8 × 9 matrix: no rank holding 90 % of its energy stores fewer than 72 weights.
    assert!(stored.factors[0].is_none(), "conv1 is stored dense");
    assert_eq!(
        v.point.notes,
        ["low rank kept Cnn.conv1.weight dense: the rank its energy needs would not make it smaller"]
    );
    assert_eq!(import(&v.export).unwrap().effective_macs, v.point.effective_macs);
    // Dense MACs of conv1 (8×8 pixels), conv2 (4×4 after pooling) and the head.
    let dense = [8 * 8 * 8 * 9, 4 * 4 * 16 * 8 * 9, 16 * 2 * 2 * 10];
    let layers = stored.weights.tensors.iter().zip(&stored.factors).filter(|(t, _)| t.is_weight());
    let expected: u64 = layers
        .zip(dense)
        .map(|((t, f), m)| f.as_ref().map_or(m, |f| f.macs(low_rank::matrix_shape(t), m)))
        .sum();
    assert_eq!(v.point.effective_macs, expected, "counted from the stored factors alone");
}

#[test]
fn sparse_clustered_tensors_need_no_zero_centroid() {
    let v = trained(&format!(
        r#"{{{DIGITS}, "model": {{"kind": "mlp", "hidden": [32], "activation": "relu"}}, "compress": [{{"kind": "prune", "sparsity": 0.75, "global": true}}, {{"kind": "cluster", "clusters": 8, "init": "density"}}]}}"#
    ));
    let (_, stored) = footprint::import(&v.export).unwrap();
    let Some(Codes::Codebook(book)) = &stored.codes[0] else {
        panic!("the first layer is clustered")
    };
    assert_eq!((book.centroids.len(), book.bits()), (8, 3), "8 clusters, 3-bit indices");
    assert!(book.centroids.iter().all(|&c| c != 0.0));
    assert_eq!(import(&v.export).unwrap().test_accuracy, v.point.test_accuracy);
}

#[test]
fn header_and_payload_bytes_add_up_to_the_file() {
    let v = trained(&format!(
        r#"{{{DIGITS}, "model": {{"kind": "mlp", "hidden": [16], "activation": "relu"}}}}"#
    ));
    let f = &v.point.footprint;
    assert_eq!(f.header_bytes, first_tag(&v.export) as u64);
    assert!(
        header_of(&v.export).get("activations").is_none(),
        "absent fields are left out, not written as null"
    );
    assert_eq!(f.header_bytes + f.payload_bytes, f.bytes);
    // float32 weights and biases, one tag byte per tensor.
    assert_eq!(f.payload_bytes, 4 * (64 * 16 + 16 + 16 * 10 + 10) + 4);
}

/// Ten thousand mutated copies of valid files (bit flips, truncations, edited header fields, huge
/// shapes, stray bytes): none panics; each is refused with a message or evaluated as the bytes say.
#[test]
fn ten_thousand_mutated_files_never_panic() {
    let bases: Vec<Vec<u8>> = [
        format!(r#"{{{MOONS}, "model": {{"kind": "mlp", "hidden": [15], "activation": "relu"}}, "compress": [{{"kind": "quantize", "bits": 3, "symmetric": false, "per_channel": true}}]}}"#),
        format!(r#"{{{MOONS}, "model": {{"kind": "mlp", "hidden": [15], "activation": "relu"}}, "compress": [{{"kind": "prune", "sparsity": 0.5, "global": true}}, {{"kind": "cluster", "clusters": 4, "init": "linear"}}]}}"#),
        r#"{"data": {"name": "gaussians", "samples": 120}, "train": {"epochs": 2}, "compress": [{"kind": "half", "format": "bfloat16"}, {"kind": "quantize_activations", "bits": 6, "calibration_batches": 1}]}"#.to_string(),
        format!(r#"{{{MOONS}, "model": {{"kind": "mlp", "hidden": [12, 12], "activation": "relu"}}, "compress": [{{"kind": "low_rank", "choose": {{"rank": 1}}, "first_layer_only": false}}]}}"#),
        format!(r#"{{{MOONS}, "model": {{"kind": "mlp", "hidden": [40], "activation": "relu"}}, "compress": [{{"kind": "prune", "sparsity": 0.97, "global": false}}]}}"#),
        format!(r#"{{{DIGITS}, "model": {{"kind": "cnn", "channels": [2, 3], "activation": "relu"}}, "compress": [{{"kind": "quantize", "bits": 5, "symmetric": true, "per_channel": true}}]}}"#),
    ]
    .iter()
    .map(|json| trained(json).export)
    .collect();
    let mut rng = StdRng::seed_from_u64(7);
    let (mut refused, mut evaluated) = (0, 0);
    for k in 0..10_000 {
        // The digits CNN is slow to evaluate: one mutant in twenty.
        let base = if k % 20 == 0 { &bases[5] } else { &bases[k % 5] };
        let mutant = mutate(base, &mut rng);
        match catch_unwind(AssertUnwindSafe(|| import(&mutant))) {
            Err(_) => panic!("mutant {k} panicked the engine: {:?}", &mutant[..mutant.len().min(64)]),
            Ok(Ok(point)) => {
                assert_eq!(point.footprint.bytes, mutant.len() as u64, "mutant {k}");
                assert!((0.0..=1.0).contains(&point.test_accuracy), "mutant {k}");
                evaluated += 1;
            }
            Ok(Err(Error::File(message))) => {
                assert!(!message.is_empty());
                refused += 1;
            }
            Ok(Err(other)) => panic!("mutant {k}: not a file error: {other:?}"),
        }
    }
    println!("{refused} refused, {evaluated} evaluated");
    assert!(
        refused > 1000 && evaluated > 1000,
        "both paths exercised: {refused} refused, {evaluated} evaluated"
    );
}

fn mutate(file: &[u8], rng: &mut StdRng) -> Vec<u8> {
    let mut out = file.to_vec();
    match rng.random_range(0..6) {
        0 => {
            for _ in 0..rng.random_range(1..4) {
                let bit = rng.random_range(0..out.len() * 8);
                out[bit / 8] ^= 1 << (bit % 8);
            }
        }
        1 => out.truncate(rng.random_range(0..out.len())),
        2 => return with_header(file, |h| edit_leaf(h, rng)),
        3 => {
            return with_header(file, |h| {
                let shapes = h["shapes"].as_array_mut().unwrap();
                let k = rng.random_range(0..shapes.len());
                let huge = [
                    serde_json::json!([30000, 30000]),
                    serde_json::json!([4294967296u64, 2]),
                    serde_json::json!([0, 5]),
                    serde_json::json!([1]),
                ];
                shapes[k] = huge[rng.random_range(0..huge.len())].clone();
            });
        }
        4 => {
            let at = rng.random_range(first_tag(file)..out.len());
            out[at] = rng.random();
        }
        _ => out.extend((0..rng.random_range(1..9)).map(|_| rng.random::<u8>())),
    }
    out
}

/// Replaces one leaf of the header (a number, string, bool or null) with an awkward value.
fn edit_leaf(value: &mut Value, rng: &mut StdRng) {
    let awkward = [
        Value::from(0),
        Value::from(-1),
        Value::from(65),
        Value::from(1e9),
        Value::from(2.5),
        Value::Null,
        Value::from("x"),
        serde_json::json!([]),
    ];
    let mut leaves = Vec::new();
    collect_leaves(value, &mut leaves);
    let target = leaves.swap_remove(rng.random_range(0..leaves.len()));
    *target = awkward[rng.random_range(0..awkward.len())].clone();
}

fn collect_leaves<'a>(value: &'a mut Value, out: &mut Vec<&'a mut Value>) {
    let empty = match &*value {
        Value::Object(map) => map.is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => true,
    };
    match value {
        _ if empty => out.push(value),
        Value::Object(map) => map.values_mut().for_each(|v| collect_leaves(v, out)),
        Value::Array(items) => items.iter_mut().for_each(|v| collect_leaves(v, out)),
        _ => {}
    }
}

#[test]
fn the_engine_refuses_what_format_md_refuses() {
    let v = trained(&format!(
        r#"{{{DIGITS}, "model": {{"kind": "mlp", "hidden": [16], "activation": "relu"}}, "compress": [{{"kind": "quantize", "bits": 4, "symmetric": true, "per_channel": false}}]}}"#
    ));
    // Unknown fields anywhere in the header, not only at its top.
    for (edit, field) in [
        (
            Box::new(|h: &mut Value| h["normalisation"]["extra"] = Value::from(1)) as Box<dyn Fn(&mut Value)>,
            "extra",
        ),
        (Box::new(|h: &mut Value| h["input"]["channels"] = Value::from(1)), "channels"),
        (
            Box::new(|h: &mut Value| h["spec"]["compress"][0]["rounding"] = Value::from("up")),
            "rounding",
        ),
    ] {
        let message = refusal(&with_header(&v.export, edit));
        assert!(message.contains(&format!("unknown field `{field}`")), "{message}");
    }
    // Objects, not arrays of their fields in order.
    let header = header_of(&v.export);
    for field in ["input", "normalisation"] {
        let as_array = with_header(&v.export, |h| {
            h[field] = Value::Array(header[field].as_object().unwrap().values().cloned().collect())
        });
        assert_eq!(refusal(&as_array), format!("header: `{field}` is not a JSON object"));
    }
    let fields: Vec<Value> = header.as_object().unwrap().values().cloned().collect();
    assert_eq!(
        refusal(&with_header(&v.export, |h| *h = Value::Array(fields))),
        "its header is not a JSON object"
    );
    // Bytes after the DEFLATE stream, inside the declared header length.
    let end = first_tag(&v.export);
    let padded = [
        &v.export[..4],
        &((end - 8 + 1) as u32).to_le_bytes(),
        &v.export[8..end],
        &[0],
        &v.export[end..],
    ]
    .concat();
    assert_eq!(refusal(&padded), "its header has bytes after the end of its DEFLATE stream");
    // A scale so large that a code decodes to infinity: native and wasm would disagree on it.
    let scale_at = end + 1 + 1 + 4; // tag, bits, groups, then the first scale
    let huge = [&v.export[..scale_at], &1e38f32.to_le_bytes(), &v.export[scale_at + 4..]].concat();
    assert_eq!(
        refusal(&huge),
        "Mlp.layers.0.weight: a weight decodes to a value that is not finite"
    );
}

#[test]
fn an_activation_zero_point_rounds_halves_to_even_as_format_md_says() {
    use burn::tensor::{Tensor, TensorData};
    use efficiency_playground::model::activation_ranges::quantize_to_range;
    // [-2.5, 0.5] on 2 bits: scale 1, zero point round(2.5) = 2 (to even; 3 away from zero). 0.9
    // rounds to code 1 + 2 = 3, the top level, and decodes to 1; with a zero point of 3 it clamps to 0.
    let x = Tensor::<1>::from_data(TensorData::new(vec![0.9f32], [1]), &efficiency_playground::backend::cpu());
    let q = quantize_to_range(x, [-2.5, 0.5], 2).into_data().try_to_vec::<f32>().unwrap();
    assert_eq!(q, vec![1.0]);
}

#[test]
fn a_header_with_a_duplicate_key_is_refused() {
    let v = trained(&format!(r#"{{{MOONS}}}"#));
    let json = serde_json::to_string(&header_of(&v.export)).unwrap();
    let twice = json.replacen(r#""seed":"#, r#""seed":7,"seed":"#, 1);
    assert_ne!(json, twice);
    let mut packed = DeflateEncoder::new(Vec::new(), Compression::best());
    packed.write_all(twice.as_bytes()).unwrap();
    let packed = packed.finish().unwrap();
    let file = [
        &v.export[..4],
        &(packed.len() as u32).to_le_bytes(),
        &packed,
        &v.export[first_tag(&v.export)..],
    ]
    .concat();
    assert!(refusal(&file).starts_with("header: duplicate key `seed`"), "{}", refusal(&file));
}
