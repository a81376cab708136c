//! Migrations of older project files to the current format, applied to the JSON before it is read.
//! Each step takes version N to N+1; a file is walked through every step from its own version.

use serde_json::Value;

use super::PROJECT_FORMAT_VERSION;

/// Brings project JSON of format version `from` up to [`PROJECT_FORMAT_VERSION`].
pub(super) fn to_current(mut value: Value, from: u64) -> Result<Value, String> {
    let mut version = from;
    while version < u64::from(PROJECT_FORMAT_VERSION) {
        match version {
            1 => v1_to_v2(&mut value)?,
            // Version 3 adds video clips as media and a shot's QC record; version 2 files read as
            // they are (a version 2 build refuses version 3 files, which may hold either).
            2 => {}
            other => return Err(format!("no migration from project format version {other}")),
        }
        version += 1;
    }
    value["version"] = Value::from(version);
    Ok(value)
}

/// Version 1 stored a shot's media as a bare path: it becomes `{"still": path}`.
fn v1_to_v2(value: &mut Value) -> Result<(), String> {
    let Some(scenes) = value.get_mut("scenes").and_then(Value::as_array_mut) else {
        return Ok(());
    };
    for (s, scene) in scenes.iter_mut().enumerate() {
        let Some(shots) = scene.get_mut("shots").and_then(Value::as_array_mut) else { continue };
        for (i, shot) in shots.iter_mut().enumerate() {
            match shot.get_mut("media") {
                Some(media) if media.is_string() => *media = serde_json::json!({ "still": media.take() }),
                Some(other) => {
                    return Err(format!(
                        "scene {}, shot {}: format version 1 media must be a path, found {other}",
                        s + 1,
                        i + 1
                    ));
                }
                None => {}
            }
        }
    }
    Ok(())
}
