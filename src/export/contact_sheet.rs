//! A contact sheet: every shot's graded poster frame in a grid, captioned with its name, version and
//! status, under the project's name. Thumbnails are reduced before grading, as the app's are.

use std::path::Path;

use super::ExportError;
use super::text::{draw_text, fill_rect, fit_text};
use crate::gpu::{GpuContext, GpuFrame, executor};
use crate::media::Frame;
use crate::project::{Project, Shot};

/// Layout of a contact sheet.
#[derive(Clone, Copy, Debug)]
pub struct ContactSheetOptions {
    /// Thumbnail width in pixels.
    pub thumb_width: u32,
    /// Thumbnails per row.
    pub columns: u32,
}

impl Default for ContactSheetOptions {
    fn default() -> Self {
        Self { thumb_width: 320, columns: 4 }
    }
}

const BACKGROUND: [f32; 3] = [0.09, 0.09, 0.1];
const TEXT: [f32; 3] = [0.92, 0.92, 0.92];
const MUTED: [f32; 3] = [0.6, 0.6, 0.62];

fn thumbnail(ctx: &GpuContext, project: &Project, root: &Path, shot: &Shot, width: u32) -> Result<Frame, ExportError> {
    let small = shot.media.poster_source(root).load()?.frame.downscale(width);
    let source = GpuFrame::upload(ctx, &small)?;
    Ok(executor::apply_grade(ctx, &super::shot_grade(&project.color, shot, root), &source)?.download(ctx)?)
}

/// Renders the contact sheet of `project` (media resolved against `root`). Shots whose media cannot
/// be read get a grey box and a warning instead of failing the sheet.
pub fn contact_sheet(
    ctx: &GpuContext,
    project: &Project,
    root: &Path,
    options: &ContactSheetOptions,
) -> Result<(Frame, Vec<String>), ExportError> {
    let tw = options.thumb_width.max(64);
    let columns = options.columns.max(1);
    let mut warnings = Vec::new();
    let mut cells: Vec<(&Shot, Option<Frame>)> = Vec::new();
    for (_, shot) in project.shots() {
        match thumbnail(ctx, project, root, shot, tw) {
            Ok(f) => cells.push((shot, Some(f))),
            Err(e) => {
                warnings.push(format!("{}: {e}", shot.name));
                cells.push((shot, None));
            }
        }
    }
    let size = (tw as f32 / 20.0).max(11.0);
    let margin = (size * 1.2).round() as u32;
    let caption = (size * 2.8).round() as u32;
    let title = (size * 3.0).round() as u32;
    let thumb_h = cells.iter().filter_map(|(_, f)| f.as_ref().map(|f| f.height)).max().unwrap_or(tw * 9 / 16);
    let rows = (cells.len() as u32).div_ceil(columns).max(1);
    let cols = columns.min(cells.len().max(1) as u32);
    let width = margin + cols * (tw + margin);
    let height = title + rows * (thumb_h + caption + margin) + margin;
    let mut sheet = Frame::filled(width, height, [BACKGROUND[0], BACKGROUND[1], BACKGROUND[2], 1.0]);
    let heading = format!("{} · {} shots", project.name, cells.len());
    draw_text(
        &mut sheet,
        &fit_text(&heading, size * 1.5, (width - 2 * margin) as f32),
        margin as f32,
        size,
        size * 1.5,
        TEXT,
    );
    for (i, (shot, thumb)) in cells.iter().enumerate() {
        let (col, row) = (i as u32 % columns, i as u32 / columns);
        let x = margin + col * (tw + margin);
        let y = title + row * (thumb_h + caption + margin);
        match thumb {
            Some(f) => {
                // Centred vertically in the cell when shorter than the tallest thumbnail.
                let oy = y + (thumb_h - f.height) / 2;
                for py in 0..f.height {
                    for px in 0..f.width {
                        let p = f.pixel(px, py);
                        sheet.pixels[((oy + py) * width + x + px) as usize] = [p[0], p[1], p[2], 1.0];
                    }
                }
            }
            None => {
                fill_rect(&mut sheet, x, y, tw, thumb_h, [0.25; 3], 1.0);
                draw_text(
                    &mut sheet,
                    "media missing",
                    x as f32 + size,
                    (y + thumb_h / 2) as f32 - size / 2.0,
                    size,
                    MUTED,
                );
            }
        }
        let cy = (y + thumb_h) as f32 + size * 0.3;
        draw_text(&mut sheet, &fit_text(&shot.name, size, tw as f32), x as f32, cy, size, TEXT);
        let line = format!("{} · {}", shot.status.label(), shot.version_name());
        draw_text(&mut sheet, &fit_text(&line, size, tw as f32), x as f32, cy + size * 1.25, size, MUTED);
    }
    Ok((sheet, warnings))
}
