//! `cinegrade spaces`: the colour space names, scene- or display-referred, and what each is; with an
//! OpenColorIO config, the config's colour spaces, roles, displays and views.

use std::path::PathBuf;

use cinegrade::color::ocio::OcioConfig;
use cinegrade::color::space::ColorSpace;

#[derive(clap::Args)]
pub struct SpacesArgs {
    /// List this OpenColorIO config's names instead (a .ocio file or ocio://studio-config-latest)
    /// [default: the OCIO environment variable, else Cinegrade's own spaces].
    #[arg(long, value_name = "CONFIG")]
    ocio_config: Option<PathBuf>,
}

/// Runs `spaces`.
pub fn run(args: &SpacesArgs) -> anyhow::Result<()> {
    let Some(source) = cinegrade::color::ocio::config_source(args.ocio_config.as_deref()) else {
        for space in ColorSpace::ALL {
            let referred = if space.is_scene_referred() { "scene" } else { "display" };
            println!("{:<26} {referred:<8} {}", space.name(), space.description());
        }
        return Ok(());
    };
    let config = OcioConfig::load(&source)?;
    for warning in &config.warnings {
        eprintln!("{source}: warning: {warning}");
    }
    println!("config: {source}");
    println!("\ncolour spaces (name, family, description):");
    for (name, family, description) in config.color_spaces() {
        let first_line = description.lines().next().unwrap_or("");
        println!("  {name:<44} {family:<28} {first_line}");
    }
    println!("\nroles:");
    for role in
        ["scene_linear", "color_timing", "compositing_log", "aces_interchange", "cie_xyz_d65_interchange", "data"]
    {
        if let Some(space) = config.role(role) {
            println!("  {role:<24} {space}");
        }
    }
    let default = config.default_display_view();
    println!("\ndisplays and views (* the default):");
    for (display, views) in config.displays() {
        let mark =
            |d: &str, v: &str| if default.as_ref().is_some_and(|(dd, dv)| dd == d && dv == v) { "*" } else { " " };
        println!("  {display}");
        for view in views {
            println!("    {}{view}", mark(&display, &view));
        }
    }
    if let Some(working) = config.default_working_space() {
        println!("\nworking space by default: {working}");
    }
    Ok(())
}
