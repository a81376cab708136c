//! The `.cube` reader behind [`super::cube::parse_cube`]: header keywords first, then table rows.
//!
//! Nothing is allocated from a declared size: sizes are range-checked when read and the table grows
//! only with rows actually present, so `LUT_3D_SIZE 256` on a three-line file costs nothing.

use super::cube::{CubeFile, LUT_1D_SIZE_RANGE, LUT_3D_SIZE_RANGE, Lut1d, Lut3d};
use super::error::{InterchangeError, Result};

/// The header keywords of both dialects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Keyword {
    Title,
    Size1d,
    Size3d,
    DomainMin,
    DomainMax,
    Range1d,
    Range3d,
}

impl Keyword {
    const ALL: [Keyword; 7] = [
        Keyword::Title,
        Keyword::Size1d,
        Keyword::Size3d,
        Keyword::DomainMin,
        Keyword::DomainMax,
        Keyword::Range1d,
        Keyword::Range3d,
    ];

    fn name(self) -> &'static str {
        match self {
            Keyword::Title => "TITLE",
            Keyword::Size1d => "LUT_1D_SIZE",
            Keyword::Size3d => "LUT_3D_SIZE",
            Keyword::DomainMin => "DOMAIN_MIN",
            Keyword::DomainMax => "DOMAIN_MAX",
            Keyword::Range1d => "LUT_1D_INPUT_RANGE",
            Keyword::Range3d => "LUT_3D_INPUT_RANGE",
        }
    }

    /// Keywords are matched case-insensitively, as OpenColorIO does.
    fn from_token(token: &str) -> Option<Keyword> {
        Keyword::ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(token))
    }
}

/// A header value and the 1-based line it was read on.
type At<T> = Option<(T, usize)>;

/// Everything read before the first table row.
#[derive(Default)]
struct Header {
    title: At<String>,
    size_1d: At<usize>,
    size_3d: At<usize>,
    domain_min: At<[f32; 3]>,
    domain_max: At<[f32; 3]>,
    range_1d: At<[f32; 2]>,
    range_3d: At<[f32; 2]>,
}

/// Parses `.cube` text (BOM already stripped); `file` names the file in errors.
pub(super) fn parse(text: &str, file: &str) -> Result<CubeFile> {
    let mut header = Header::default();
    let mut rows: Vec<[f32; 3]> = Vec::new();
    // Number of rows the table needs, known once the first row is reached.
    let mut expected: Option<usize> = None;
    let mut last_line = 1;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        last_line = line;
        // `lines()` already drops the `\r` of CRLF; trim drops trailing spaces and tabs.
        let content = raw.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let first = content.split_whitespace().next().unwrap_or_default();
        match (Keyword::from_token(first), expected) {
            (Some(kw), None) => header.read(kw, content[first.len()..].trim(), line, file)?,
            (Some(kw), Some(_)) => {
                let msg = format!("{} after the table data; keywords must come first", kw.name());
                return Err(InterchangeError::parse(file, line, msg));
            }
            (None, None) if is_word(first) => {
                let msg = format!("unknown keyword `{first}`");
                return Err(InterchangeError::parse(file, line, msg));
            }
            (None, _) => {
                let total = match expected {
                    Some(total) => total,
                    None => *expected.insert(header.table_len(file, line)?),
                };
                if rows.len() == total {
                    let msg = format!("more table rows than {} needs ({total})", header.sizes());
                    return Err(InterchangeError::parse(file, line, msg));
                }
                rows.push(numbers::<3>(content, "", line, file)?);
            }
        }
    }
    let total = match expected {
        Some(total) => total,
        None => header.table_len(file, last_line)?,
    };
    if rows.len() < total {
        let msg = format!("table ends after {} rows; {} needs {total}", rows.len(), header.sizes());
        return Err(InterchangeError::parse(file, last_line, msg));
    }
    Ok(header.build(rows))
}

/// A token that starts like a keyword rather than a number (`nan` and `inf` count as numbers).
fn is_word(token: &str) -> bool {
    token.starts_with(|c: char| c.is_ascii_alphabetic()) && token.parse::<f32>().is_err()
}

/// Parses exactly `N` finite numbers separated by white space; `what` prefixes the message.
fn numbers<const N: usize>(text: &str, what: &str, line: usize, file: &str) -> Result<[f32; N]> {
    let mut out = [0.0f32; N];
    let mut found = 0;
    for token in text.split_whitespace() {
        let value: f32 = token
            .parse()
            .map_err(|_| InterchangeError::parse(file, line, format!("{what}`{token}` is not a number")))?;
        if !value.is_finite() {
            let msg = format!("{what}`{token}` is not a finite number");
            return Err(InterchangeError::parse(file, line, msg));
        }
        if let Some(slot) = out.get_mut(found) {
            *slot = value;
        }
        found += 1;
    }
    if found != N {
        let msg = format!("{what}expected {N} numbers, found {found}");
        return Err(InterchangeError::parse(file, line, msg));
    }
    Ok(out)
}

/// Parses a `LUT_xD_SIZE` value and checks it against the allowed range before anything is allocated.
fn size(text: &str, kw: Keyword, range: &std::ops::RangeInclusive<usize>, line: usize, file: &str) -> Result<usize> {
    let name = kw.name();
    let mut tokens = text.split_whitespace();
    let (Some(token), None) = (tokens.next(), tokens.next()) else {
        return Err(InterchangeError::parse(file, line, format!("{name} needs exactly one whole number")));
    };
    if !token.bytes().all(|b| b.is_ascii_digit()) {
        let msg = format!("{name} needs a whole number, found `{token}`");
        return Err(InterchangeError::parse(file, line, msg));
    }
    match token.parse::<usize>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => {
            let msg = format!("{name} {token} is outside {}..={}", range.start(), range.end());
            Err(InterchangeError::parse(file, line, msg))
        }
    }
}

impl Header {
    /// Reads one keyword line; `rest` is the text after the keyword.
    fn read(&mut self, kw: Keyword, rest: &str, line: usize, file: &str) -> Result<()> {
        let first_seen = match kw {
            Keyword::Title => self.title.as_ref().map(|v| v.1),
            Keyword::Size1d => self.size_1d.map(|v| v.1),
            Keyword::Size3d => self.size_3d.map(|v| v.1),
            Keyword::DomainMin => self.domain_min.map(|v| v.1),
            Keyword::DomainMax => self.domain_max.map(|v| v.1),
            Keyword::Range1d => self.range_1d.map(|v| v.1),
            Keyword::Range3d => self.range_3d.map(|v| v.1),
        };
        if let Some(first) = first_seen {
            let msg = format!("duplicate {} (first on line {first})", kw.name());
            return Err(InterchangeError::parse(file, line, msg));
        }
        let prefix = format!("{}: ", kw.name());
        match kw {
            Keyword::Title => {
                // Adobe spec: the title is in double quotes; tolerate a bare title too.
                let title = rest.strip_prefix('"').map_or(Some(rest), |r| r.strip_suffix('"'));
                let Some(title) = title else {
                    return Err(InterchangeError::parse(file, line, "TITLE is missing its closing quote"));
                };
                self.title = Some((title.to_owned(), line));
            }
            Keyword::Size1d => self.size_1d = Some((size(rest, kw, &LUT_1D_SIZE_RANGE, line, file)?, line)),
            Keyword::Size3d => self.size_3d = Some((size(rest, kw, &LUT_3D_SIZE_RANGE, line, file)?, line)),
            Keyword::DomainMin => self.domain_min = Some((numbers(rest, &prefix, line, file)?, line)),
            Keyword::DomainMax => self.domain_max = Some((numbers(rest, &prefix, line, file)?, line)),
            Keyword::Range1d | Keyword::Range3d => {
                let range: [f32; 2] = numbers(rest, &prefix, line, file)?;
                if range[0] >= range[1] {
                    let msg = format!("{prefix}min {} must be below max {}", range[0], range[1]);
                    return Err(InterchangeError::parse(file, line, msg));
                }
                let slot = if kw == Keyword::Range1d { &mut self.range_1d } else { &mut self.range_3d };
                *slot = Some((range, line));
            }
        }
        Ok(())
    }

    /// Checks the header as a whole and returns how many table rows it calls for.
    fn table_len(&self, file: &str, line: usize) -> Result<usize> {
        let err = |line, msg: &str| Err(InterchangeError::parse(file, line, msg));
        if self.size_1d.is_none() && self.size_3d.is_none() {
            return err(line, "missing LUT_1D_SIZE or LUT_3D_SIZE before the table");
        }
        if let (Some((_, at)), None) = (self.range_1d, self.size_1d) {
            return err(at, "LUT_1D_INPUT_RANGE without LUT_1D_SIZE");
        }
        if let (Some((_, at)), None) = (self.range_3d, self.size_3d) {
            return err(at, "LUT_3D_INPUT_RANGE without LUT_3D_SIZE");
        }
        let domain_line = self.domain_min.map(|d| d.1).max(self.domain_max.map(|d| d.1));
        let range_line = self.range_1d.map(|d| d.1).max(self.range_3d.map(|d| d.1));
        if let (Some(a), Some(b)) = (domain_line, range_line) {
            let msg = "mixes Iridas DOMAIN_MIN/DOMAIN_MAX with Resolve LUT_xD_INPUT_RANGE";
            return err(a.max(b), msg);
        }
        let (lo, hi) = self.domain();
        if let Some(c) = (0..3).find(|&c| lo[c] >= hi[c]) {
            let channel = ["red", "green", "blue"][c];
            let msg =
                format!("DOMAIN_MIN must be below DOMAIN_MAX in every channel; {channel} has {} >= {}", lo[c], hi[c]);
            return Err(InterchangeError::parse(file, domain_line.unwrap_or(line), msg));
        }
        let n1 = self.size_1d.map_or(0, |s| s.0);
        let n3 = self.size_3d.map_or(0, |s| s.0.pow(3));
        Ok(n1 + n3)
    }

    /// The Iridas domain shared by both tables, defaulting to [0, 1].
    fn domain(&self) -> ([f32; 3], [f32; 3]) {
        (self.domain_min.map_or([0.0; 3], |d| d.0), self.domain_max.map_or([1.0; 3], |d| d.0))
    }

    /// The domain of one table: its Resolve input range if given, else the Iridas domain.
    fn table_domain(&self, range: At<[f32; 2]>) -> ([f32; 3], [f32; 3]) {
        range.map_or_else(|| self.domain(), |([lo, hi], _)| ([lo; 3], [hi; 3]))
    }

    /// Names the declared sizes for messages, e.g. `LUT_1D_SIZE 6 + LUT_3D_SIZE 3`.
    fn sizes(&self) -> String {
        let one = self.size_1d.map(|s| format!("LUT_1D_SIZE {}", s.0));
        let three = self.size_3d.map(|s| format!("LUT_3D_SIZE {}", s.0));
        one.into_iter().chain(three).collect::<Vec<_>>().join(" + ")
    }

    /// Splits the rows into the 1D table (first) and the 3D table.
    fn build(self, mut rows: Vec<[f32; 3]>) -> CubeFile {
        let n1 = self.size_1d.map_or(0, |s| s.0).min(rows.len());
        let table_3d = rows.split_off(n1);
        let lut1d = self.size_1d.map(|(size, _)| {
            let (domain_min, domain_max) = self.table_domain(self.range_1d);
            Lut1d { size, domain_min, domain_max, table: rows }
        });
        let lut3d = self.size_3d.map(|(size, _)| {
            let (domain_min, domain_max) = self.table_domain(self.range_3d);
            Lut3d { size, domain_min, domain_max, table: table_3d }
        });
        CubeFile { title: self.title.map(|t| t.0), lut1d, lut3d }
    }
}
