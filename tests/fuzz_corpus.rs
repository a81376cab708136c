//! Every fuzz target (`fuzz/targets.rs`, the very bodies cargo-fuzz runs) on its committed corpus
//! (`fuzz/corpus/<target>/`), and on deterministic mutations of each seed: byte flips, insertions of
//! bytes and of hostile tokens (huge, negative and non-finite numbers, XML and JSON delimiters),
//! deletions, duplications and truncations. A reader must refuse bad input with an error, never
//! panic; what it accepts must be usable (see targets.rs). Run a real fuzzer for depth
//! (`cargo +nightly fuzz run clf`): this keeps every `cargo test` honest on stable.

#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::PathBuf;

/// Mutations per seed (fewer for EXR, which goes through a file).
const MUTATIONS: usize = 300;
const EXR_MUTATIONS: usize = 60;

const TOKENS: &[&[u8]] = &[
    b"99999999999",
    b"-1",
    b"nan",
    b"inf",
    b"-inf",
    b"1e39",
    b"0",
    b"65536",
    b"256 256 256 3",
    b"<",
    b">",
    b"\"",
    b"/>",
    b"</Array>",
    b"<Array dim=\"2 3\">",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b"\n",
    b"\r\n",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"LUT_3D_SIZE 2\n",
    b"LUT_1D_SIZE 2\n",
];

/// xorshift64*: reproducible, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(6) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                v.splice(at..at, token.iter().copied());
            }
            2 if !v.is_empty() => {
                let end = (at + 1 + rng.below(64)).min(v.len());
                v.drain(at.min(end)..end);
            }
            3 if !v.is_empty() => {
                let start = rng.below(v.len());
                let end = (start + 1 + rng.below(256)).min(v.len());
                let chunk: Vec<u8> = v[start..end].to_vec();
                v.splice(at..at, chunk);
            }
            4 => v.truncate(at),
            _ => {
                let i = rng.below(v.len().max(1));
                if i < v.len() {
                    v[i] = rng.next() as u8;
                }
            }
        }
    }
    v
}

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files.into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect()
}

fn run(target: &str, body: fn(&[u8])) {
    let seeds = corpus(target);
    assert!(seeds.len() >= 3, "{target}: only {} seeds", seeds.len());
    let mutations = if target == "exr" { EXR_MUTATIONS } else { MUTATIONS };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ target.len() as u64);
    for (path, bytes) in &seeds {
        if let Err(e) = std::panic::catch_unwind(|| body(bytes)) {
            std::panic::resume_unwind(Box::new(format!("{target}: seed {} panics: {e:?}", path.display())));
        }
        for i in 0..mutations {
            let input = mutate(bytes, &mut rng);
            let outcome = std::panic::catch_unwind(|| body(&input));
            if outcome.is_err() {
                let out = std::env::temp_dir().join(format!("cinegrade-fuzz-crash-{target}-{i}"));
                let _ = std::fs::write(&out, &input);
                panic!(
                    "{target}: mutation {i} of {} panics; the input is in {} (add it to fuzz/corpus/{target}/ once fixed)",
                    path.display(),
                    out.display()
                );
            }
        }
    }
}

#[test]
fn every_target_has_a_corpus_and_a_fuzz_binary() {
    for (name, _) in targets::TARGETS {
        assert!(!corpus(name).is_empty(), "{name}");
        let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("fuzz/fuzz_targets/{name}.rs"));
        assert!(bin.is_file(), "no {}", bin.display());
    }
}

macro_rules! replay {
    ($($name:ident),*) => {$(
        #[test]
        fn $name() {
            run(stringify!($name), targets::$name);
        }
    )*};
}

replay!(cube, clf, cdl, edl, grade, project, exr, ocio, dpx, qc_profile, frame_list, qc_report);
