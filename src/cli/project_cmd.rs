//! `cinegrade project import-edl | info | relink | export`.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};

use super::{project_root, warn};
use cinegrade::export::{
    self, ContactSheetOptions, ExportReport, StillsOptions, check_not_source, project_corrections, write_text_file,
};
use cinegrade::gpu::GpuContext;
use cinegrade::interchange::{read_edl, write_ccc};
use cinegrade::media::{self, FileFormat, SaveOptions};
use cinegrade::project::{Project, ShotStatus, default_project_name, import_edl};

/// `cinegrade project ...`.
#[derive(clap::Args)]
pub struct ProjectArgs {
    #[command(subcommand)]
    command: ProjectCommand,
}

#[derive(Subcommand)]
enum ProjectCommand {
    /// Create a project from a CMX3600 EDL: one shot per video event, its media found in --media by
    /// file name, clip name or reel, its ASC CDL as the first grade version ("v1 EDL").
    ImportEdl {
        /// The EDL.
        edl: PathBuf,
        /// Folder searched (recursively) for the events' media: stills or frame sequences.
        #[arg(long)]
        media: PathBuf,
        /// The project file to write (.cgproj).
        #[arg(short, long)]
        output: PathBuf,
        /// Project name (default: the EDL's file name).
        #[arg(long)]
        name: Option<String>,
        /// Replace the project file if it exists.
        #[arg(long)]
        overwrite: bool,
    },
    /// Describe a project: scenes, shots, status, versions, colour spaces, missing media and frames.
    Info {
        /// The project (.cgproj).
        project: PathBuf,
    },
    /// Relink moved media: search a folder for missing media by file name, or move a folder prefix.
    Relink {
        /// The project (.cgproj); saved in place when something was relinked.
        project: PathBuf,
        /// Folder to search (recursively) for missing stills and sequences.
        #[arg(long, required_unless_present = "from", conflicts_with = "from")]
        search: Option<PathBuf>,
        /// Old folder: media below it ...
        #[arg(long, requires = "to")]
        from: Option<PathBuf>,
        /// ... now live below this folder.
        #[arg(long, requires = "from")]
        to: Option<PathBuf>,
    },
    /// Export for review: graded stills (optionally with burn-in), a contact sheet, ASC CDLs.
    Export(ExportArgs),
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).multiple(true)
    .args(["stills", "movie", "contact_sheet", "ccc", "cdl_dir", "cube_dir"])))]
struct ExportArgs {
    /// The project (.cgproj).
    project: PathBuf,
    /// Write one graded still per shot into this folder (<shot>_<version>.<ext>).
    #[arg(long)]
    stills: Option<PathBuf>,
    /// Write one graded review movie per shot into this folder (<shot>_<version>.mov).
    #[arg(long)]
    movie: Option<PathBuf>,
    /// Codec of the review movies.
    #[arg(long, value_enum, default_value = "prores422hq", requires = "movie")]
    codec: super::render::CodecArg,
    /// Burn shot, version, status and frame number into the stills and movies.
    #[arg(long)]
    burn_in: bool,
    /// Still format.
    #[arg(long, value_enum, default_value = "png", requires = "stills")]
    format: StillFormat,
    /// Write a contact sheet of every shot (PNG or JPEG, 8-bit).
    #[arg(long)]
    contact_sheet: Option<PathBuf>,
    /// Thumbnails per row on the contact sheet.
    #[arg(long, default_value_t = 4, requires = "contact_sheet")]
    columns: u32,
    /// Write every shot's CDL into one ColorCorrectionCollection (.ccc), ids = shot names.
    #[arg(long)]
    ccc: Option<PathBuf>,
    /// Write one .cc per shot into this folder.
    #[arg(long)]
    cdl_dir: Option<PathBuf>,
    /// Bake each shot's grade, between its input and output spaces, into <shot>.cube in this folder.
    #[arg(long)]
    cube_dir: Option<PathBuf>,
    /// Points per axis of the baked 3D tables.
    #[arg(long, default_value_t = 33, requires = "cube_dir", value_parser = clap::value_parser!(u16).range(2..=256))]
    cube_size: u16,
    /// Replace files that already exist.
    #[arg(long)]
    overwrite: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum StillFormat {
    /// 16-bit PNG.
    Png,
    /// 16-bit TIFF.
    Tif,
    /// Half-float OpenEXR.
    Exr,
    /// 8-bit JPEG.
    Jpg,
    /// 10-bit DPX.
    Dpx,
}

impl StillFormat {
    fn file_format(self) -> FileFormat {
        match self {
            Self::Png => FileFormat::Png,
            Self::Tif => FileFormat::Tiff,
            Self::Exr => FileFormat::Exr,
            Self::Jpg => FileFormat::Jpeg,
            Self::Dpx => FileFormat::Dpx,
        }
    }
}

/// `writeln!` into a String, which cannot fail.
macro_rules! outln {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

/// Runs a `project` subcommand.
pub fn run(args: ProjectArgs, verbose: bool) -> anyhow::Result<()> {
    match args.command {
        ProjectCommand::ImportEdl { edl, media, output, name, overwrite } => {
            import(&edl, &media, &output, name, overwrite)
        }
        ProjectCommand::Info { project } => info(&project),
        ProjectCommand::Relink { project, search, from, to } => relink(&project, search, from.zip(to)),
        ProjectCommand::Export(args) => export(&args, verbose),
    }
}

fn import(edl_path: &Path, media: &Path, output: &Path, name: Option<String>, overwrite: bool) -> anyhow::Result<()> {
    if output.extension().is_none_or(|e| e != "cgproj") {
        bail!("{}: the project file must end in .cgproj", output.display());
    }
    if !overwrite && output.exists() {
        bail!("{}: already exists (pass --overwrite to replace it)", output.display());
    }
    if !media.is_dir() {
        bail!("{}: not a folder (--media)", media.display());
    }
    let edl = read_edl(edl_path)?;
    let root = project_root(output);
    let name = name.unwrap_or_else(|| default_project_name(edl_path));
    let imported = import_edl(&edl, &name, media, &root).with_context(|| media.display().to_string())?;
    imported.project.save(output)?;
    let shots: Vec<_> = imported.project.shots().map(|(_, s)| s).collect();
    let with_cdl = shots.iter().filter(|s| !s.grade().nodes.is_empty()).count();
    let sequences = shots.iter().filter(|s| s.media.range().is_some()).count();
    println!(
        "{}: {} shot(s) from {} event(s), {with_cdl} with a CDL, {sequences} sequence(s)",
        output.display(),
        shots.len(),
        edl.events.len()
    );
    for skipped in &imported.skipped {
        println!("skipped {skipped}");
    }
    for (shot, tried) in &imported.missing_media {
        warn(format!("{shot}: no media found in {} (looked for {})", media.display(), tried.join(", ")));
    }
    for w in &imported.warnings {
        warn(w);
    }
    Ok(())
}

fn info(path: &Path) -> anyhow::Result<()> {
    let project = Project::load(path)?;
    let root = project_root(path);
    let mut out = String::new();
    let written = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("version").and_then(|v| v.as_u64()))
        .unwrap_or(u64::from(project.version));
    let migrated = if written < u64::from(project.version) { " (migrates to 2 when saved)" } else { "" };
    let shots: Vec<_> = project.shots().map(|(_, s)| s).collect();
    outln!(out, "project:  {}", project.name);
    outln!(out, "file:     {} (format version {written}{migrated})", path.display());
    outln!(
        out,
        "contents: {} scene(s), {} shot(s), {} still(s)",
        project.scenes.len(),
        shots.len(),
        project.stills.len()
    );
    let counts: Vec<String> = ShotStatus::ALL
        .iter()
        .map(|st| format!("{} {}", shots.iter().filter(|s| s.status == *st).count(), st.label().to_lowercase()))
        .collect();
    outln!(out, "status:   {}", counts.join(", "));
    for scene in &project.scenes {
        outln!(out, "\nscene {:?}", scene.name);
        for shot in &scene.shots {
            outln!(out, "  {:<24} {:<12} {}", shot.name, shot.status.label(), shot.media.describe());
            let versions: Vec<String> = shot
                .versions
                .iter()
                .enumerate()
                .map(|(i, v)| if i == shot.current_version { format!("*{}", v.name) } else { v.name.clone() })
                .collect();
            outln!(out, "      versions: {}", versions.join(", "));
            if shot.input_space.is_some() || shot.output_space.is_some() {
                let name = |s: Option<cinegrade::color::space::ColorSpace>| s.map_or("-", |s| s.name());
                outln!(out, "      spaces:   {} -> {}", name(shot.input_space), name(shot.output_space));
            }
            for note in &shot.notes {
                outln!(out, "      note:     {note}");
            }
        }
    }
    for still in &project.stills {
        outln!(out, "still:    {} ({}, {}) {}", still.name, still.shot, still.version, still.image.display());
    }
    let problems = project.media_problems(&root);
    if problems.is_empty() {
        outln!(out, "\nmedia:    all present");
    } else {
        outln!(out, "\nmedia:    {} shot(s) with missing media", problems.len());
        for p in problems {
            outln!(out, "  {}: {}", p.name, p.problem);
        }
    }
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes());
    Ok(())
}

fn relink(path: &Path, search: Option<PathBuf>, move_dirs: Option<(PathBuf, PathBuf)>) -> anyhow::Result<()> {
    let mut project = Project::load(path)?;
    let root = project_root(path);
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let changed = match (search, move_dirs) {
        (Some(dir), _) => {
            let report = project.relink_search(&root, &dir).with_context(|| dir.display().to_string())?;
            for (shot, old, new) in &report.relinked {
                println!("{shot}: {} -> {}", old.display(), new.display());
            }
            for shot in &report.not_found {
                warn(format!("{shot}: media still missing"));
            }
            report.relinked.len()
        }
        (None, Some((from, to))) => {
            let n = project.relink(&root, &absolute(&from), &absolute(&to));
            println!("{n} shot(s) moved from {} to {}", from.display(), to.display());
            n
        }
        (None, None) => bail!("give --search DIR or --from OLD --to NEW"),
    };
    if changed > 0 {
        project.save(path)?;
        println!("saved {}", path.display());
    } else {
        println!("nothing relinked; {} left unchanged", path.display());
    }
    Ok(())
}

fn report(what: &str, r: &ExportReport, verbose: bool) -> usize {
    for (shot, e) in &r.failed {
        warn(format!("{what}: {shot}: {e}"));
    }
    if verbose {
        for w in &r.written {
            eprintln!("wrote {}", w.display());
        }
    }
    r.failed.len()
}

fn export(args: &ExportArgs, verbose: bool) -> anyhow::Result<()> {
    if args.burn_in && args.stills.is_none() && args.movie.is_none() {
        bail!("--burn-in applies to --stills and --movie");
    }
    let project = Project::load(&args.project)?;
    let root = project_root(&args.project);
    let mut failed = 0;
    let mut ctx = None;
    let gpu = || -> anyhow::Result<GpuContext> {
        let c = GpuContext::headless()?;
        if verbose {
            eprintln!("adapter: {}", c.describe());
        }
        Ok(c)
    };
    if let Some(dir) = &args.stills {
        let c: &GpuContext = match &mut ctx {
            Some(c) => c,
            None => ctx.insert(gpu()?),
        };
        let options =
            StillsOptions { format: args.format.file_format(), burn_in: args.burn_in, overwrite: args.overwrite };
        let r = export::export_stills(c, &project, &root, dir, &options)?;
        println!("{} still(s) in {}", r.written.len(), dir.display());
        failed += report("stills", &r, verbose);
    }
    if let Some(dir) = &args.movie {
        #[cfg(feature = "video")]
        {
            let c: &GpuContext = match &mut ctx {
                Some(c) => c,
                None => ctx.insert(gpu()?),
            };
            let options = export::movie::MovieOptions {
                codec: args.codec.codec(),
                burn_in: args.burn_in,
                overwrite: args.overwrite,
            };
            let r = export::movie::export_movies(c, &project, &root, dir, &options)?;
            println!("{} movie(s) in {}", r.written.len(), dir.display());
            failed += report("movie", &r, verbose);
        }
        #[cfg(not(feature = "video"))]
        bail!("{}: this build writes no movies (built without the `video` feature)", dir.display());
    }
    if let Some(path) = &args.contact_sheet {
        let format = FileFormat::from_path(path)?;
        if !matches!(format, FileFormat::Png | FileFormat::Jpeg) {
            bail!("{}: a contact sheet is written as .png or .jpg", path.display());
        }
        check_not_source(&project, &root, path)?;
        if !args.overwrite && path.exists() {
            bail!("{}: already exists (pass --overwrite to replace it)", path.display());
        }
        let c: &GpuContext = match &mut ctx {
            Some(c) => c,
            None => ctx.insert(gpu()?),
        };
        let options = ContactSheetOptions { columns: args.columns, ..ContactSheetOptions::default() };
        let (sheet, warnings) = export::contact_sheet(c, &project, &root, &options)?;
        for w in warnings {
            warn(format!("contact sheet: {w}"));
        }
        media::save(&sheet, path, &SaveOptions { png_bits: 8, overwrite: args.overwrite, ..SaveOptions::default() })?;
        println!("contact sheet {}x{} in {}", sheet.width, sheet.height, path.display());
    }
    if let Some(path) = &args.ccc {
        let (corrections, warnings) = project_corrections(&project);
        for w in &warnings {
            warn(w);
        }
        write_text_file(path, &write_ccc(&corrections)?, args.overwrite)?;
        println!("{} correction(s) in {}", corrections.len(), path.display());
    }
    if let Some(dir) = &args.cdl_dir {
        let r = export::write_cdl_dir(&project, dir, args.overwrite)?;
        if args.ccc.is_none() {
            project_corrections(&project).1.iter().for_each(warn);
        }
        println!("{} .cc file(s) in {}", r.written.len(), dir.display());
        failed += report("cdl", &r, verbose);
    }
    if let Some(dir) = &args.cube_dir {
        let c: &GpuContext = match &mut ctx {
            Some(c) => c,
            None => ctx.insert(gpu()?),
        };
        let r = export::write_cube_dir(c, &project, &root, dir, usize::from(args.cube_size), args.overwrite)?;
        println!("{} .cube file(s) in {}", r.written.len(), dir.display());
        failed += report("cube", &r, verbose);
    }
    if failed > 0 {
        bail!("{failed} export(s) failed (see the warnings above)");
    }
    Ok(())
}
