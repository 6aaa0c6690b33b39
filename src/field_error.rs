//! Messages for values that do not parse, in the spec's own terms. serde says *what* is wrong
//! ("invalid type: floating point `-1.0`, expected u64") and `serde_path_to_error` says *where*
//! (`seed`); together they become "seed must be a whole number ≥ 0, got -1".

use crate::error::Error;

/// A parse failure at `path` (e.g. `compress[1].choose`; `.` for the whole value).
pub fn parse_error(path: &str, serde_message: &str) -> Error {
    let field = if path == "." || path.is_empty() { "the spec" } else { path };
    // serde-wasm-bindgen's errors are JavaScript errors, written "Error: …".
    let message = serde_message.strip_prefix("Error: ").unwrap_or(serde_message);
    Error::Parse(describe(field, message))
}

/// Rewrites serde's wording of the common mistakes; anything else keeps serde's words.
fn describe(field: &str, message: &str) -> String {
    let message = without_position(message);
    if let Some(expected) = message.split(", expected ").nth(1).filter(|_| message.starts_with("invalid ")) {
        let got = shown_value(message);
        return match expected {
            "u8" | "u16" | "u32" | "u64" | "usize" => format!("{field} must be a whole number ≥ 0, got {got}"),
            "f32" | "f64" => format!("{field} must be a number, got {got}"),
            _ if got == "null" => format!("{field} is null; expected {}", plain(expected)),
            _ => format!("{field} must be {}, got {got}", plain(expected)),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (value, choices) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("{field}: unknown value {}; use {}", plain(value), plain(choices));
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, choices) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let parent = field.rsplit_once('.').map_or("the spec", |(p, _)| p);
        return format!("{} is not a field of {parent}; the fields are {}", plain(name), plain(choices));
    }
    if let Some(name) = message.strip_prefix("missing field ") {
        return format!("{field} needs the field {}", plain(name));
    }
    format!("{field}: {message}")
}

/// serde_json's " at line 1 column 11": the field's name says where.
fn without_position(message: &str) -> &str {
    match message.rsplit_once(" at line ") {
        Some((head, tail)) if tail.split(" column ").all(|n| n.parse::<usize>().is_ok()) => head,
        _ => message,
    }
}

/// The offending value of an "invalid type/value" message, with floats written compactly
/// (serde writes 1e300 as 301 digits).
fn shown_value(message: &str) -> String {
    let between = message.split('`').nth(1);
    match between {
        Some(text) => match text.parse::<f64>() {
            Ok(x) if x.abs() >= 1e15 => format!("{x:e}"),
            Ok(x) => format!("{x}"),
            Err(_) => format!("\"{text}\""),
        },
        None => {
            let head = message.split(", expected ").next().unwrap_or(message);
            let got = head.split_once(": ").map_or(head, |(_, got)| got);
            match got {
                "unit value" | "null" => "null".into(),
                "map" => "an object".into(),
                "sequence" => "a list".into(),
                // serde-wasm-bindgen names other JS values by their debug form.
                _ if got.starts_with("JsValue(Object") => "an object".into(),
                _ if got.starts_with("JsValue(Array") => "a list".into(),
                _ => got.into(),
            }
        }
    }
}

/// serde's wording as plain words: backquotes as quotes (`relu` → "relu"), type names as what
/// they are in the JSON.
fn plain(text: &str) -> String {
    match text {
        _ if text.starts_with("internally tagged enum ") => "an object with a \"kind\"".into(),
        "a sequence" => "a list".into(),
        _ => text.replace('`', "\""),
    }
}
