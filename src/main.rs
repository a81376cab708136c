//! The `cinegrade` binary: parses the command line and dispatches to `cli/` (one file per
//! subcommand). With no subcommand it opens the app on the demo project.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    #[cfg(unix)]
    {
        // Like other Unix tools, end quietly when the reader of our output goes away
        // (`cinegrade info x.exr | head`) instead of panicking in println!.
        // SAFETY: restoring the default disposition of a signal, before any thread exists.
        unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
        cli::ensure_runtime_dir();
    }
    match cli::run(cli::Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cinegrade: {}", cli::one_line(&e));
            ExitCode::FAILURE
        }
    }
}
