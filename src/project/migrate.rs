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

/// Migrates every grade the project holds (each shot's versions, each still's) to the current grade
/// format; true when any was older.
pub(super) fn grades_to_current(value: &mut Value) -> Result<bool, String> {
    let mut migrated = false;
    let mut step = |grade: &mut Value, at: &dyn Fn() -> String| -> Result<(), String> {
        let found = crate::grade::migrate::version_of(grade).unwrap_or(1);
        if found < u64::from(crate::grade::GRADE_FORMAT_VERSION) {
            crate::grade::migrate::to_current(grade, found).map_err(|m| format!("{}: {m}", at()))?;
            migrated = true;
        }
        Ok(())
    };
    if let Some(scenes) = value.get_mut("scenes").and_then(Value::as_array_mut) {
        for (s, scene) in scenes.iter_mut().enumerate() {
            let Some(shots) = scene.get_mut("shots").and_then(Value::as_array_mut) else { continue };
            for (i, shot) in shots.iter_mut().enumerate() {
                let Some(versions) = shot.get_mut("versions").and_then(Value::as_array_mut) else { continue };
                for (v, version) in versions.iter_mut().enumerate() {
                    if let Some(grade) = version.get_mut("grade").filter(|g| g.is_object()) {
                        step(grade, &|| format!("scene {}, shot {}, version {}", s + 1, i + 1, v + 1))?;
                    }
                }
            }
        }
    }
    if let Some(stills) = value.get_mut("stills").and_then(Value::as_array_mut) {
        for (n, still) in stills.iter_mut().enumerate() {
            if let Some(grade) = still.get_mut("grade").filter(|g| g.is_object()) {
                step(grade, &|| format!("still {}", n + 1))?;
            }
        }
    }
    Ok(migrated)
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
