//! `cinegrade` and `cinegrade open PROJECT`: the desktop app (feature `app`); a GUI-less build says
//! so and points at the CLI.

use std::path::PathBuf;

/// Opens the app on `project`, or on the bundled demo.
#[cfg(feature = "app")]
pub fn run(project: Option<PathBuf>) -> anyhow::Result<()> {
    cinegrade::ui::run(project).map_err(Into::into)
}

/// This build has no app.
#[cfg(not(feature = "app"))]
pub fn run(_project: Option<PathBuf>) -> anyhow::Result<()> {
    anyhow::bail!(
        "this cinegrade was built without the app (feature \"app\"): use its subcommands (cinegrade --help), \
         or build with default features for the desktop app"
    )
}
