//! Nothing lost: a process killed (SIGKILL) in the middle of saving a project leaves the previous
//! project file whole, and the half-written temporary file is never taken for the project or for an
//! autosave to recover.
//!
//! The saving process is this test binary itself, running the ignored helper test
//! `child_saves_in_a_loop`, which saves a large project over and over.

mod common;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cinegrade::grade::Grade;
use cinegrade::ops::primaries::Primaries;
use cinegrade::project::{GradeVersion, Project, Scene, Shot, recovery_candidate};

const CHILD_ENV: &str = "CINEGRADE_TEST_SAVE_LOOP";

/// A project of some megabytes, so a save takes long enough to be interrupted.
fn big_project(generation: u64) -> Project {
    let mut p = Project::new(format!("generation {generation}"));
    let grade = |i: usize| Grade::with_primaries(Primaries { exposure: i as f32 * 0.001, ..Primaries::default() });
    for s in 0..10 {
        let shots = (0..40)
            .map(|i| {
                let mut shot = Shot::new(format!("{s:02}_{i:03}"), format!("plates/{s}/{i}.exr"));
                shot.versions = (0..10).map(|v| GradeVersion { name: format!("v{v}"), grade: grade(v + i) }).collect();
                shot.notes.push(format!("generation {generation}"));
                shot
            })
            .collect();
        p.scenes.push(Scene { name: format!("scene {s}"), shots });
    }
    p
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tmp"))
        .collect()
}

#[test]
#[ignore = "helper process for kill_during_save_leaves_the_previous_file_intact"]
fn child_saves_in_a_loop() {
    let Some(path) = std::env::var_os(CHILD_ENV).map(PathBuf::from) else {
        return;
    };
    for generation in 1.. {
        big_project(generation).save(&path).unwrap();
        println!("saved {generation}");
    }
}

#[test]
fn kill_during_save_leaves_the_previous_file_intact() {
    let dir = common::temp_dir("project-crash");
    let path = dir.join("show.cgproj");
    big_project(0).save(&path).unwrap();
    let full_size = std::fs::metadata(&path).unwrap().len();
    assert!(full_size > 4 << 20, "the project is large enough to take a while to write: {full_size} bytes");

    let mut interrupted = 0;
    for round in 0..5 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "child_saves_in_a_loop", "--ignored", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("saved ") {
                    let _ = tx.send(n.parse::<u64>().unwrap());
                }
            }
        });
        // Let it complete a save or two, then kill it the moment a temporary file is being written.
        let first = rx.recv_timeout(Duration::from_secs(120)).expect("the child saves");
        let before: Vec<PathBuf> = temp_files(&dir);
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut caught = false;
        while Instant::now() < deadline {
            if temp_files(&dir).iter().any(|t| !before.contains(t)) {
                caught = true;
                break;
            }
            std::thread::yield_now();
        }
        child.kill().unwrap(); // SIGKILL: no destructor, no cleanup runs in the child.
        child.wait().unwrap();
        let last_completed = rx.try_iter().last().unwrap_or(first);

        let project = Project::load(&path).unwrap_or_else(|e| panic!("round {round}: project damaged: {e}"));
        let generation: u64 = project.name.strip_prefix("generation ").unwrap().parse().unwrap();
        assert!(generation >= last_completed, "round {round}: generation {generation} < {last_completed}");
        assert_eq!(project, big_project(generation), "round {round}: a whole generation, not a mix");
        // What the kill left behind is a temporary file, which nothing mistakes for the project.
        assert_eq!(recovery_candidate(&path), None);
        let leftovers: Vec<PathBuf> = temp_files(&dir).into_iter().filter(|t| !before.contains(t)).collect();
        for t in &leftovers {
            let name = t.file_name().unwrap().to_string_lossy();
            assert!(name.starts_with(".show.cgproj.") && name.ends_with(".tmp"), "{name}");
        }
        // A leftover shorter than a whole project proves the kill landed mid-write.
        let midway = leftovers.iter().any(|t| std::fs::metadata(t).unwrap().len() < full_size);
        if caught && midway {
            interrupted += 1;
        }
    }
    assert!(interrupted > 0, "at least one kill landed in the middle of a save");
    let _ = std::fs::remove_dir_all(&dir);
}
