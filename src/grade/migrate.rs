//! Migrations of older grades to the current format, applied to the JSON before it is read (grade
//! files, and the grades a project file and its stills hold). Each step takes version N to N+1.

use serde_json::Value;

use super::GRADE_FORMAT_VERSION;

/// The format version grade JSON `value` names, if it names one (the project migration takes a
/// grade that names none as version 1).
pub fn version_of(value: &Value) -> Option<u64> {
    value.get("version").and_then(Value::as_u64)
}

/// Brings grade JSON of format version `from` up to [`GRADE_FORMAT_VERSION`] in place.
pub fn to_current(value: &mut Value, from: u64) -> Result<(), String> {
    let mut version = from;
    while version < u64::from(GRADE_FORMAT_VERSION) {
        match version {
            1 => v1_to_v2(value)?,
            other => return Err(format!("no migration from grade format version {other}")),
        }
        version += 1;
    }
    value["version"] = Value::from(version);
    Ok(())
}

/// Version 2 gives windows a softness inside and outside the edge instead of one `feather` centred
/// on it, and places polygon corners relative to the window's centre, size and rotation (version 1
/// polygons ignored all three and named their corners in frame coordinates). Keyframes and tracks
/// are new and need nothing.
fn v1_to_v2(value: &mut Value) -> Result<(), String> {
    let Some(nodes) = value.get_mut("nodes").and_then(Value::as_array_mut) else {
        return Ok(());
    };
    for (n, node) in nodes.iter_mut().enumerate() {
        let Some(windows) = node.pointer_mut("/key/windows").and_then(Value::as_array_mut) else { continue };
        for (w, window) in windows.iter_mut().enumerate() {
            let at = || format!("node {}, window {}", n + 1, w + 1);
            let Some(window) = window.as_object_mut() else {
                return Err(format!("{}: a window must be an object", at()));
            };
            // Version 1's default feather was 0.1.
            let feather = match window.remove("feather") {
                None => 0.1,
                Some(v) => v.as_f64().ok_or_else(|| format!("{}: feather must be a number, found {v}", at()))?,
            };
            window.insert("softness_inside".into(), Value::from(feather * 0.5));
            window.insert("softness_outside".into(), Value::from(feather * 0.5));
            if window.get("shape").and_then(Value::as_str) != Some("polygon") {
                continue;
            }
            let Some(points) = window.get("points").and_then(Value::as_array) else { continue };
            let corners: Vec<[f64; 2]> = points
                .iter()
                .map(|p| match p.as_array().map(|a| a.as_slice()) {
                    Some([x, y]) => x.as_f64().zip(y.as_f64()).map(|(x, y)| [x, y]),
                    _ => None,
                })
                .collect::<Option<_>>()
                .ok_or_else(|| format!("{}: polygon points must be [x, y] pairs", at()))?;
            if corners.is_empty() {
                continue;
            }
            let count = corners.len() as f64;
            let centre = [0, 1].map(|k| corners.iter().map(|c| c[k]).sum::<f64>() / count);
            let offsets: Vec<Value> =
                corners.iter().map(|c| serde_json::json!([c[0] - centre[0], c[1] - centre[1]])).collect();
            window.insert("center".into(), serde_json::json!(centre));
            window.insert("size".into(), serde_json::json!([1.0, 1.0]));
            window.insert("rotation".into(), Value::from(0.0));
            window.insert("points".into(), Value::Array(offsets));
        }
    }
    Ok(())
}
