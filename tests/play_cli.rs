//! `cinegrade play` end to end: a small sequence played graded through the playback engine and the
//! viewer's GPU passes, every frame and on the clock; a broken frame and a missing sequence are errors.

mod common;

use common::cinegrade;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn sequence(name: &str, frames: u32) -> std::path::PathBuf {
    let dir = common::temp_dir(name);
    for i in 0..frames {
        std::fs::copy(common::data("frames/chelsea.png"), dir.join(format!("plate.{}.png", 1001 + i))).unwrap();
    }
    dir
}

#[test]
fn play_measures_every_frame_and_plays_on_the_clock() {
    if common::gpu().is_none() {
        return;
    }
    let dir = sequence("play-cli", 4);
    let pattern = dir.join("plate.####.png");
    let grade = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/warm.json");
    let out = cinegrade(&["play", pattern.to_str().unwrap(), "--measure", "--grade", grade]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("4 shown, 0 dropped, 0 failed, 451x300"), "{stdout}");
    for needle in ["playback:", "decode:", "cache:"] {
        assert!(stdout.contains(needle), "{needle} in {stdout}");
    }
    // On the clock every frame is either shown or counted as dropped.
    let out = cinegrade(&["play", pattern.to_str().unwrap(), "--fps", "24", "--frames", "1002-1004"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    let line = stdout.lines().find(|l| l.starts_with("frames:")).expect("a frames line");
    let numbers: Vec<u64> = line.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
    assert_eq!(numbers[0] + numbers[1], 3, "shown + dropped over 3 frames: {line}");
}

#[test]
fn a_broken_frame_is_counted_and_a_missing_sequence_is_one_line() {
    if common::gpu().is_none() {
        return;
    }
    let dir = sequence("play-cli-broken", 3);
    std::fs::write(dir.join("plate.1002.png"), b"not a png").unwrap();
    let out = cinegrade(&["play", dir.join("plate.####.png").to_str().unwrap(), "--measure"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("2 shown, 0 dropped, 1 failed"), "{stdout}");
    let out = cinegrade(&["play", dir.join("nothing.####.exr").to_str().unwrap(), "--measure"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("cinegrade: ") && stderr.lines().count() == 1, "{stderr}");
}
