//! `cinegrade spaces`: the colour space names, scene- or display-referred, and what each is.

use cinegrade::color::space::ColorSpace;

/// Runs `spaces`.
pub fn run() {
    for space in ColorSpace::ALL {
        let referred = if space.is_scene_referred() { "scene" } else { "display" };
        println!("{:<26} {referred:<8} {}", space.name(), space.description());
    }
}
