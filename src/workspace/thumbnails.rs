//! Graded thumbnails of the project's shots: a small poster of each shot's media, graded on the GPU
//! with the shot's grade and read back as 8-bit RGBA, cached until the grade or the media changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::gpu::{GpuContext, GpuFrame, executor};
use crate::grade::Grade;
use crate::media::{self, Frame, LoadedImage};
use crate::project::ShotRef;

/// Thumbnail width in pixels.
const THUMBNAIL_WIDTH: u32 = 160;

/// A graded thumbnail.
#[derive(Clone, Debug, PartialEq)]
pub struct Thumbnail {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// 8-bit RGBA rows (display-encoded values quantised for the screen).
    pub rgba: Vec<u8>,
    /// Changes whenever the thumbnail is rendered again: re-upload it then.
    pub version: u64,
}

#[derive(Default)]
pub(super) struct Thumbnails {
    made: HashMap<ShotRef, (Thumbnail, Grade, media::FrameSource)>,
    posters: HashMap<media::FrameSource, Arc<Frame>>,
    /// Stills' images (already graded) by path; `None` when the image cannot be read.
    stills: HashMap<PathBuf, Option<Thumbnail>>,
    versions: u64,
}

impl Thumbnails {
    pub(super) fn clear(&mut self) {
        self.made.clear();
        self.posters.clear();
        self.stills.clear();
    }

    /// A still's image, small (it is graded already); read once per path.
    pub(super) fn still(&mut self, image: &Path) -> Option<&Thumbnail> {
        if !self.stills.contains_key(image) {
            let thumb = media::load(image).ok().map(|loaded| {
                let small = loaded.frame.downscale(THUMBNAIL_WIDTH / 2);
                self.versions += 1;
                Thumbnail { width: small.width, height: small.height, rgba: small.to_rgba8(), version: self.versions }
            });
            self.stills.insert(image.to_path_buf(), thumb);
        }
        self.stills.get(image).and_then(Option::as_ref)
    }

    /// The thumbnail of shot `r` graded with `grade` from its poster frame `media` (a file, or a
    /// clip's first frame of the shot; `full`: its decoded frame, if the caller has it).
    pub(super) fn get(
        &mut self,
        gpu: &GpuContext,
        r: ShotRef,
        grade: &Grade,
        media: &media::FrameSource,
        full: Option<&LoadedImage>,
    ) -> Option<&Thumbnail> {
        let fresh = self.made.get(&r).is_some_and(|(_, g, m)| g == grade && m == media);
        if !fresh {
            let small = match self.posters.get(media) {
                Some(small) => small.clone(),
                None => {
                    let small = match full {
                        Some(image) => image.frame.downscale(THUMBNAIL_WIDTH),
                        None => media.load().ok()?.frame.downscale(THUMBNAIL_WIDTH),
                    };
                    let small = Arc::new(small);
                    self.posters.insert(media.clone(), small.clone());
                    small
                }
            };
            let graded = GpuFrame::upload(gpu, &small)
                .and_then(|f| executor::apply_grade(gpu, grade, &f))
                .and_then(|f| f.download(gpu))
                .ok()?;
            self.versions += 1;
            let thumb = Thumbnail {
                width: graded.width,
                height: graded.height,
                rgba: graded.to_rgba8(),
                version: self.versions,
            };
            self.made.insert(r, (thumb, grade.clone(), media.clone()));
        }
        self.made.get(&r).map(|(t, _, _)| t)
    }
}
