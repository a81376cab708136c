//! `cinegrade bench`: the GPU pipeline measured on this adapter (copy pass, full grade, scopes, edit
//! latency), each figure against the copy pass.

pub const BENCH_HELP: &str = "\
Figures are times and ratios to a plain copy pass of the same frame on the same adapter (one read and
one write per pixel: the memory-bandwidth floor). Throughput figures record --batch passes per
submission and divide; latency figures are single edits, submission and wait included. The median of
--runs samples is reported. Pick an adapter with CINEGRADE_ADAPTER=<name substring>.";

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Frame size, WIDTHxHEIGHT.
    #[arg(long, default_value = "3840x2160", value_parser = parse_size)]
    size: (u32, u32),
    /// Samples per figure (the median is reported).
    #[arg(long, default_value_t = 7)]
    runs: usize,
    /// Passes per submission for the throughput figures.
    #[arg(long, default_value_t = 4)]
    batch: usize,
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("expected WIDTHxHEIGHT such as 3840x2160, got {s:?}");
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h) = (w.trim().parse::<u32>().map_err(|_| bad())?, h.trim().parse::<u32>().map_err(|_| bad())?);
    if w == 0 || h == 0 {
        return Err(bad());
    }
    Ok((w, h))
}

/// Runs `bench`.
pub fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let ctx = cinegrade::gpu::GpuContext::headless()?;
    let (width, height) = args.size;
    let opts = cinegrade::bench::BenchOptions { width, height, runs: args.runs, batch: args.batch };
    eprintln!("measuring on {} ...", ctx.describe());
    let report = cinegrade::bench::run(&ctx, &opts)?;
    print!("{}", report.to_text());
    Ok(())
}
