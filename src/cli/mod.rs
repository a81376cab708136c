//! The `cinegrade` command line: one file per subcommand; `main.rs` only parses and dispatches here.
//! Errors are `anyhow` in this module and below only; the library's errors are typed.

mod bake;
mod bench;
mod info;
mod open;
mod pipeline;
mod play;
pub mod project_cmd;
mod qc;
mod render;
#[cfg(feature = "video")]
mod render_movie;
pub mod render_project;
pub mod render_sequence;
mod scopes;
mod spaces;
mod track;

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cinegrade",
    version,
    about = "GPU colour grading: render stills through the same WGSL pipeline as the app"
)]
pub struct Cli {
    /// Print what is happening, including the GPU adapter in use.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Render a still, a folder or sequence of frames, or a project shot's frame range, through the GPU
    /// grading pipeline.
    #[command(after_help = pipeline::PIPELINE_HELP)]
    Render(render::RenderArgs),
    /// Bake a pipeline (input space, CDL, grade, LUT, output space) into a .cube or .clf LUT on the GPU.
    #[command(after_help = pipeline::PIPELINE_HELP)]
    BakeLut(bake::BakeArgs),
    /// List the colour space names: name, scene- or display-referred, description; with an OCIO
    /// config, its colour spaces, roles, displays and views.
    Spaces(spaces::SpacesArgs),
    /// Projects: create one from an EDL, describe, relink media, export for review.
    Project(project_cmd::ProjectArgs),
    /// Open the app on a project file (.cgproj).
    Open {
        /// The project.
        project: PathBuf,
    },
    /// Compute the scopes of a frame on the GPU: an image for people, raw counts for tools.
    Scopes(scopes::ScopesArgs),
    /// Play a sequence (a pattern, one of its frames, or a project's shot) graded through the viewer's GPU
    /// passes, and report the frame rate achieved, decode speed, cache hits and dropped frames.
    Play(play::PlayArgs),
    /// Describe an image file: size, channels, bit depth, value range.
    Info {
        /// The image (.png, .jpg, .tif, .exr).
        file: PathBuf,
    },
    /// Quality control: measure every graded frame on the GPU against a delivery profile (EBU R103,
    /// Netflix, or a file) and write the findings as a JSON report. Exit status: 0 pass, 1 a finding
    /// of severity error, 2 bad input.
    #[command(after_help = pipeline::PIPELINE_HELP)]
    Qc(qc::QcArgs),
    /// Track a region through a sequence or clip (for a window to follow its subject) and write where
    /// it is on every frame as JSON.
    Track(track::TrackArgs),
    /// Measure the GPU pipeline on this adapter: copy pass, full grade, scopes, edit latency.
    #[command(after_help = bench::BENCH_HELP)]
    Bench(bench::BenchArgs),
}

/// Runs the parsed command line and says how the process exits. `qc` and `render` have the statuses
/// a farm relies on: `qc` 0 pass, 1 a finding of severity error, 2 bad input; `render` 0 every
/// frame written (or already complete), 1 some frames failed (each named on stderr), 2 nothing
/// rendered (bad input, found before the first frame). Everything else exits 0, or 1 with its
/// error printed by `main`.
pub fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    use std::process::ExitCode;
    let verbose = cli.verbose;
    if let Some(Command::Render(args)) = &cli.command {
        return Ok(match render::run(args, verbose) {
            Ok(()) => ExitCode::SUCCESS,
            // The summary line and every failed frame are printed already.
            Err(e) if e.is::<render_sequence::FramesFailed>() => ExitCode::from(1),
            Err(e) => {
                eprintln!("cinegrade: {}", one_line(&e));
                ExitCode::from(2)
            }
        });
    }
    if let Some(Command::Qc(args)) = &cli.command {
        return Ok(match qc::run(args, verbose) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(e) => {
                eprintln!("cinegrade: {}", one_line(&e));
                ExitCode::from(2)
            }
        });
    }
    run_command(cli.command, verbose).map(|()| ExitCode::SUCCESS)
}

fn run_command(command: Option<Command>, verbose: bool) -> anyhow::Result<()> {
    match command {
        Some(Command::Qc(_) | Command::Render(_)) => unreachable!("handled by run"),
        Some(Command::BakeLut(args)) => bake::run(&args, verbose),
        Some(Command::Spaces(args)) => {
            spaces::run(&args)?;
            Ok(())
        }
        Some(Command::Scopes(args)) => scopes::run(&args, verbose),
        Some(Command::Info { file }) => info::run(&file),
        Some(Command::Bench(args)) => bench::run(&args),
        Some(Command::Track(args)) => track::run(&args, verbose),
        Some(Command::Play(args)) => play::run(&args, verbose),
        Some(Command::Project(args)) => project_cmd::run(args, verbose),
        Some(Command::Open { project }) => open::run(Some(project)),
        None => open::run(None),
    }
}

/// The folder a project's relative paths resolve against.
pub fn project_root(project_path: &Path) -> PathBuf {
    match project_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Prints a warning line on stderr.
pub fn warn(message: impl std::fmt::Display) {
    eprintln!("cinegrade: warning: {message}");
}

/// Whether two paths name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The error and its causes on one line, leaving out a cause whose text the message already holds
/// (our errors print their source themselves).
pub fn one_line(e: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !message.contains(&text) {
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(&text);
        }
    }
    message.replace('\n', " ")
}

/// On headless machines (CI, render nodes) `XDG_RUNTIME_DIR` is often unset, and Mesa's Vulkan
/// drivers then print "XDG_RUNTIME_DIR is invalid" on every GPU start, which would break the promise
/// of a single error line. Give the process a private runtime folder in that case.
pub fn ensure_runtime_dir() {
    if std::env::var_os("XDG_RUNTIME_DIR").is_some() {
        return;
    }
    // One per machine user: a folder owned by someone else fails the permission change and is left alone.
    let dir = std::env::temp_dir().join("cinegrade-runtime");
    let made = std::fs::create_dir_all(&dir).and_then(|()| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
    });
    if made.is_ok() {
        // SAFETY: called first thing in main, before any other thread exists.
        unsafe { std::env::set_var("XDG_RUNTIME_DIR", &dir) };
    }
}
