//! The QC report as one self-contained HTML page for a supervisor: verdict, light levels, the
//! findings with their timecodes, plots of the light level (max and frame-average nits) and of the
//! picture outside the legal range over the frames, and a thumbnail of the graded picture. No
//! scripts, no external files: it opens in any browser and prints.

use std::fmt::Write as _;

use base64::Engine as _;

use super::{QcReport, Severity};
use crate::media::Frame;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A PNG of `frame` (display values, 8-bit) as a data URL, at most `width` wide.
pub fn thumbnail_data_url(frame: &Frame, width: u32) -> Option<String> {
    use image::ImageEncoder as _;
    let small = frame.downscale(width);
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&small.to_rgba8(), small.width, small.height, image::ExtendedColorType::Rgba8)
        .ok()?;
    Some(format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png)))
}

/// An SVG line plot of `series` (name, colour, values per frame) over `frames`, `unit` on the axis.
fn plot(title: &str, unit: &str, frames: &[u32], series: &[(&str, &str, Vec<f64>)]) -> String {
    let (w, h, left, bottom) = (720.0, 220.0, 64.0, 28.0);
    let top = series.iter().flat_map(|s| s.2.iter().copied()).filter(|v| v.is_finite()).fold(0.0, f64::max);
    let top = if top > 0.0 { top * 1.1 } else { 1.0 };
    let n = frames.len().max(2) - 1;
    let x = |i: usize| left + (w - left - 10.0) * i as f64 / n as f64;
    let y = |v: f64| (h - bottom) - (h - bottom - 10.0) * (v.clamp(0.0, top) / top);
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\">",
        escape(title)
    );
    let _ = write!(
        svg,
        "<rect x=\"{left}\" y=\"10\" width=\"{}\" height=\"{}\" class=\"plot\"/>",
        w - left - 10.0,
        h - bottom - 10.0
    );
    for k in 0..=4 {
        let v = top * f64::from(k) / 4.0;
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" class=\"axis\" text-anchor=\"end\">{v:.0}</text>",
            left - 6.0,
            y(v) + 4.0
        );
        let _ = write!(svg, "<line x1=\"{left}\" x2=\"{}\" y1=\"{1}\" y2=\"{1}\" class=\"grid\"/>", w - 10.0, y(v));
    }
    let _ = write!(
        svg,
        "<text x=\"12\" y=\"{}\" class=\"axis\" transform=\"rotate(-90 12 {0})\">{}</text>",
        h / 2.0,
        escape(unit)
    );
    if let (Some(first), Some(last)) = (frames.first(), frames.last()) {
        let _ = write!(svg, "<text x=\"{left}\" y=\"{}\" class=\"axis\">{first}</text>", h - 8.0);
        let _ =
            write!(svg, "<text x=\"{}\" y=\"{}\" class=\"axis\" text-anchor=\"end\">{last}</text>", w - 10.0, h - 8.0);
    }
    for (i, (name, colour, values)) in series.iter().enumerate() {
        let points: Vec<String> = values.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v))).collect();
        let _ = write!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>",
            points.join(" ")
        );
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" fill=\"{colour}\" class=\"legend\">{}</text>",
            left + 10.0 + 170.0 * i as f64,
            26.0,
            escape(name)
        );
    }
    svg.push_str("</svg></figure>");
    svg
}

/// The page for `report`, with `thumbnail` (a data URL) of the graded picture when given.
pub fn html(report: &QcReport, thumbnail: Option<&str>) -> String {
    let mut page = String::new();
    let _ = write!(
        page,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>QC {}</title><style>{STYLE}</style></head><body>",
        escape(&report.source)
    );
    page.push_str(&section(report, thumbnail, "h1", "Quality control"));
    page.push_str(FOOTER);
    page
}

/// The page for a whole project: its verdict, then each shot's section (thumbnail, findings, plots).
pub fn html_project(report: &super::ProjectQcReport, thumbnails: &[Option<String>]) -> String {
    let mut page = String::new();
    let _ = write!(
        page,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>QC {}</title><style>{STYLE}</style></head><body>",
        escape(&report.project)
    );
    let failed = report.shots.iter().filter(|s| !s.report.pass).count();
    let (word, class) = if report.pass { ("PASS", "pass") } else { ("FAIL", "fail") };
    let _ = write!(
        page,
        "<header><h1>Quality control: {}</h1><p><span class=\"verdict {class}\">{word}</span> {} shot(s), {failed} failing · profile <b>{}</b></p></header>",
        escape(&report.project),
        report.shots.len(),
        escape(&report.profile)
    );
    for (i, shot) in report.shots.iter().enumerate() {
        let thumb = thumbnails.get(i).and_then(|t| t.as_deref());
        let _ = write!(page, "<article class=\"shot\">");
        page.push_str(&section(&shot.report, thumb, "h2", &shot.shot));
        page.push_str("</article>");
    }
    page.push_str(FOOTER);
    page
}

const FOOTER: &str = "<footer>Cinegrade QC. Flash findings are indicative (frame-average, after ITU-R BT.1702), not a certified PSE test.</footer></body></html>";

/// One report's header, thumbnail, findings and plots, under a heading `tag` reading `title`.
fn section(report: &QcReport, thumbnail: Option<&str>, tag: &str, title: &str) -> String {
    let mut page = String::new();
    let verdict = if report.pass { ("PASS", "pass") } else { ("FAIL", "fail") };
    let errors = report.findings.iter().filter(|f| f.severity == Severity::Error).count();
    let first = report.frames.first().map_or(0, |f| f.frame);
    let last = report.frames.last().map_or(0, |f| f.frame);
    let _ = write!(
        page,
        "<header><{tag}>{}</{tag}><p class=\"source\">{}</p><p><span class=\"verdict {}\">{}</span> \
         {} frame(s) ({first}–{last}) at {} fps · profile <b>{}</b> · {} finding(s), {errors} error(s)</p></header>",
        escape(title),
        escape(&report.source),
        verdict.1,
        verdict.0,
        report.frames.len(),
        report.frame_rate,
        escape(&report.profile),
        report.findings.len()
    );
    page.push_str("<section class=\"top\">");
    if let Some(src) = thumbnail {
        let _ = write!(page, "<img class=\"thumb\" src=\"{src}\" alt=\"graded frame\">");
    }
    page.push_str("<dl>");
    if let Some(l) = &report.light_level {
        let _ = write!(
            page,
            "<dt>MaxCLL</dt><dd>{:.0} nits</dd><dt>MaxFALL</dt><dd>{:.0} nits</dd>",
            l.max_cll, l.max_fall
        );
    }
    let outside: u64 = report.frames.iter().map(|f| f.below + f.above).sum();
    let non_finite: u64 = report.frames.iter().map(|f| f.non_finite).sum();
    let _ = write!(
        page,
        "<dt>Pixels outside the legal range</dt><dd>{outside}</dd><dt>NaN / infinite pixels</dt><dd>{non_finite}</dd>"
    );
    page.push_str("</dl></section>");
    page.push_str("<h3>Findings</h3>");
    if report.findings.is_empty() {
        page.push_str("<p class=\"none\">No findings.</p>");
    } else {
        page.push_str(
            "<table><thead><tr><th>Check</th><th>Severity</th><th>Frames</th><th>In</th><th>Out</th><th>Value</th>\
             <th>Limit</th><th>Description</th></tr></thead><tbody>",
        );
        for f in &report.findings {
            let check =
                serde_json::to_value(f.check).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
            let severity = if f.severity == Severity::Error { "error" } else { "warning" };
            let _ = write!(
                page,
                "<tr class=\"{severity}\"><td>{check}</td><td>{severity}</td><td>{}–{}</td><td>{}</td><td>{}</td>\
                 <td>{:.3}</td><td>{:.3}</td><td>{}</td></tr>",
                f.first_frame,
                f.last_frame,
                escape(&f.timecode_in),
                escape(&f.timecode_out),
                f.value,
                f.limit,
                escape(&f.note)
            );
        }
        page.push_str("</tbody></table>");
    }
    let frames: Vec<u32> = report.frames.iter().map(|f| f.frame).collect();
    if frames.len() < 2 {
        // A still: one point, no plot to read.
        return page;
    }
    if report.light_level.is_some() {
        let max: Vec<f64> = report.frames.iter().map(|f| f.max_nits.map_or(0.0, f64::from)).collect();
        let avg: Vec<f64> = report.frames.iter().map(|f| f.average_nits.unwrap_or(0.0)).collect();
        page.push_str(&plot(
            "Light level over the frames",
            "nits",
            &frames,
            &[("max (MaxCLL)", "#e8a33d", max), ("frame average (MaxFALL)", "#4aa3df", avg)],
        ));
    }
    let outside: Vec<f64> =
        report.frames.iter().map(|f| (f.below + f.above) as f64 * 100.0 / f.pixels.max(1) as f64).collect();
    let black: Vec<f64> = report.frames.iter().map(|f| f.black as f64 * 100.0 / f.pixels.max(1) as f64).collect();
    page.push_str(&plot(
        "Picture outside the legal range, and black, over the frames",
        "% of the picture",
        &frames,
        &[("outside the range", "#e05d5d", outside), ("black", "#9a9a9a", black)],
    ));
    page
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;background:#1b1c1f;color:#e6e6e6;margin:24px 32px}\
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}.source{color:#9aa0a6;margin:0 0 8px;font-family:monospace}\
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;font-weight:bold}.verdict.pass{background:#2e7d4f}.verdict.fail{background:#b03a3a}\
.top{display:flex;gap:24px;align-items:flex-start}.thumb{max-width:480px;border:1px solid #444}\
dl{display:grid;grid-template-columns:auto auto;gap:4px 16px;margin:0}dt{color:#9aa0a6}dd{margin:0}\
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #333;padding:4px 8px;text-align:left}\
th{color:#9aa0a6;font-weight:normal}tr.error td:nth-child(2){color:#ff7b7b}tr.warning td:nth-child(2){color:#f0c060}\
figure{margin:16px 0}figcaption{color:#9aa0a6;font-size:13px;margin-bottom:4px}.plot{fill:#222326;stroke:#444}\
.grid{stroke:#333}.axis{fill:#9aa0a6;font-size:11px}.legend{font-size:12px}.none{color:#7fbf7f}article.shot{border-top:1px solid #333;margin-top:28px;padding-top:8px}h3{font-size:15px;margin:16px 0 6px}footer{color:#666;font-size:12px;margin-top:24px}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("<a href=\"x\">&</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    }
}
