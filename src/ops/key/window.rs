//! Power windows: their shapes and parameters, and the outline a polygon or bezier is evaluated
//! as (placed by the window's centre, size and rotation; a bezier flattened into at most
//! [`MAX_SHAPE_POINTS`] corners both twins read). The matte of a window is `super::window_matte`.

use serde::{Deserialize, Serialize};

use super::{MAX_BEZIER_POINTS, MAX_POLYGON_POINTS, MAX_SHAPE_POINTS, WindowUniform, finite};

/// A window's shape.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// An ellipse of `size` (a circle when both sizes are equal).
    #[default]
    Ellipse,
    /// A rectangle of `size`.
    Rectangle,
    /// A straight edge through `center`, selecting the side `rotation` points to (0° = right).
    Gradient,
    /// The polygon through `points`.
    Polygon,
    /// The closed cubic bezier through `points`, with tangent `handles`.
    Bezier,
}

/// A power window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Window {
    /// Its shape.
    pub shape: Shape,
    /// Centre, normalised frame coordinates (0..1, y down).
    pub center: [f32; 2],
    /// Ellipse and rectangle: width and height in frame heights. Polygon and bezier: scale across
    /// and down (1: as drawn).
    pub size: [f32; 2],
    /// Degrees, clockwise on screen (the gradient selects the side it points to; 0° = right).
    pub rotation: f32,
    /// Soft edge inside the shape, frame heights: the matte falls from 1 there to ½ on the edge.
    pub softness_inside: f32,
    /// Soft edge outside the shape, frame heights: the matte falls from ½ on the edge to 0 there.
    pub softness_outside: f32,
    /// Select the outside instead.
    pub invert: bool,
    /// Polygon corners or bezier points: offsets from `center`, normalised frame coordinates.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<[f32; 2]>,
    /// Bezier only, one per point: the incoming and the outgoing tangent handle, offsets from their
    /// point (in x, in y, out x, out y), normalised frame coordinates.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub handles: Vec<[f32; 4]>,
}

impl Default for Window {
    fn default() -> Self {
        Self {
            shape: Shape::Ellipse,
            center: [0.5, 0.5],
            size: [0.6, 0.6],
            rotation: 0.0,
            softness_inside: 0.05,
            softness_outside: 0.05,
            invert: false,
            points: Vec::new(),
            handles: Vec::new(),
        }
    }
}

/// The bezier circle constant: handles this fraction of the radius long make four points a circle
/// to within 0.03 % of its radius.
const KAPPA: f32 = 0.552_284_8;

impl Window {
    /// A window of `shape` in the middle of a frame `aspect` (width / height) wide: a polygon gets a
    /// triangle, a bezier a circle of four points, both 0.3 frame heights across.
    pub fn new_for(shape: Shape, aspect: f32) -> Self {
        let aspect = if aspect.is_finite() && aspect > 0.0 { aspect } else { 16.0 / 9.0 };
        let r = 0.15;
        let (points, handles) = match shape {
            Shape::Polygon => (vec![[-r / aspect, -r], [r / aspect, -r], [0.0, r * 1.4]], Vec::new()),
            Shape::Bezier => {
                let (x, k) = (r / aspect, r * KAPPA);
                let kx = k / aspect;
                (
                    vec![[0.0, -r], [x, 0.0], [0.0, r], [-x, 0.0]],
                    vec![[-kx, 0.0, kx, 0.0], [0.0, -k, 0.0, k], [kx, 0.0, -kx, 0.0], [0.0, k, 0.0, -k]],
                )
            }
            _ => (Vec::new(), Vec::new()),
        };
        let size = if matches!(shape, Shape::Polygon | Shape::Bezier) { [1.0, 1.0] } else { [0.6, 0.6] };
        Self { shape, points, handles, size, ..Self::default() }
    }

    /// [`Window::new_for`] on a 16:9 frame.
    pub fn new(shape: Shape) -> Self {
        Self::new_for(shape, 16.0 / 9.0)
    }

    /// Problems a colorist must fix before this can render; `i` numbers the window in messages.
    pub fn validate(&self, i: usize) -> Result<(), String> {
        let name = format!("window {}", i + 1);
        let numbers = [
            self.center[0],
            self.center[1],
            self.size[0],
            self.size[1],
            self.rotation,
            self.softness_inside,
            self.softness_outside,
        ];
        finite(&numbers, &name)?;
        if self.softness_inside < 0.0 || self.softness_outside < 0.0 {
            return Err(format!(
                "{name}: softness must not be negative, got {} inside and {} outside",
                self.softness_inside, self.softness_outside
            ));
        }
        if self.shape != Shape::Gradient && self.size.iter().any(|s| *s <= 0.0) {
            return Err(format!("{name}: size must be above 0, got {:?}", self.size));
        }
        match self.shape {
            Shape::Polygon if !(3..=MAX_POLYGON_POINTS).contains(&self.points.len()) => {
                Err(format!("{name}: a polygon needs 3 to {MAX_POLYGON_POINTS} points, got {}", self.points.len()))
            }
            Shape::Bezier if !(3..=MAX_BEZIER_POINTS).contains(&self.points.len()) => {
                Err(format!("{name}: a bezier needs 3 to {MAX_BEZIER_POINTS} points, got {}", self.points.len()))
            }
            Shape::Bezier if self.handles.len() != self.points.len() => Err(format!(
                "{name}: a bezier needs one pair of handles per point, got {} for {} points",
                self.handles.len(),
                self.points.len()
            )),
            Shape::Polygon => finite(self.points.as_flattened(), &name),
            Shape::Bezier => {
                finite(self.points.as_flattened(), &name).and_then(|()| finite(self.handles.as_flattened(), &name))
            }
            _ => Ok(()),
        }
    }

    /// A point given as an offset from the centre (normalised frame coordinates) in frame heights
    /// from the frame's top-left corner, after the window's size and rotation.
    pub fn place(&self, offset: [f32; 2], aspect: f32) -> [f32; 2] {
        let (sin, cos) = self.rotation.to_radians().sin_cos();
        let l = [offset[0] * aspect * self.size[0], offset[1] * self.size[1]];
        [self.center[0] * aspect + l[0] * cos - l[1] * sin, self.center[1] + l[0] * sin + l[1] * cos]
    }

    /// The outline's corners in frame heights: a polygon's points, or a bezier flattened into at
    /// most [`MAX_SHAPE_POINTS`] lines (as many per span as fit, equally spaced in its parameter).
    pub fn outline(&self, aspect: f32) -> Vec<[f32; 2]> {
        match self.shape {
            Shape::Polygon => self.points.iter().take(MAX_POLYGON_POINTS).map(|p| self.place(*p, aspect)).collect(),
            Shape::Bezier => {
                let n = self.points.len().min(MAX_BEZIER_POINTS).min(self.handles.len());
                if n == 0 {
                    return Vec::new();
                }
                let steps = MAX_SHAPE_POINTS / n;
                let mut out = Vec::with_capacity(n * steps);
                for i in 0..n {
                    let j = (i + 1) % n;
                    let (a, b) = (self.points[i], self.points[j]);
                    let (ha, hb) = (self.handles[i], self.handles[j]);
                    let c = [
                        self.place(a, aspect),
                        self.place([a[0] + ha[2], a[1] + ha[3]], aspect),
                        self.place([b[0] + hb[0], b[1] + hb[1]], aspect),
                        self.place(b, aspect),
                    ];
                    for s in 0..steps {
                        out.push(cubic(&c, s as f32 / steps as f32));
                    }
                }
                out
            }
            _ => Vec::new(),
        }
    }

    /// The numbers `key_mix.wgsl` reads for this window on a frame `aspect` (width / height) wide.
    pub fn uniform(&self, aspect: f32) -> WindowUniform {
        let (sin, cos) = self.rotation.to_radians().sin_cos();
        let mut points = [[0.0; 4]; MAX_SHAPE_POINTS / 2];
        let outline = self.outline(aspect);
        for (i, p) in outline.iter().enumerate() {
            points[i / 2][(i % 2) * 2] = p[0];
            points[i / 2][(i % 2) * 2 + 1] = p[1];
        }
        // Polygons and beziers are both evaluated as the polygon of their outline.
        let shape = if self.shape == Shape::Bezier { Shape::Polygon } else { self.shape };
        WindowUniform {
            shape: shape as u32,
            invert: u32::from(self.invert),
            point_count: outline.len() as u32,
            _pad: 0,
            geometry: [self.center[0] * aspect, self.center[1], self.size[0] * 0.5, self.size[1] * 0.5],
            transform: [cos, sin, self.softness_inside, self.softness_outside],
            points,
        }
    }
}

/// Puts a new point halfway along the edge from point `after` to the next (a bezier's gets short
/// handles along that edge); nothing when the shape already holds its most points.
pub fn insert_point(w: &mut Window, after: usize) {
    let most = if w.shape == Shape::Bezier { MAX_BEZIER_POINTS } else { MAX_POLYGON_POINTS };
    let n = w.points.len();
    if n == 0 || n >= most || after >= n {
        return;
    }
    let (a, b) = (w.points[after], w.points[(after + 1) % n]);
    w.points.insert(after + 1, [(a[0] + b[0]) * 0.5, (a[1] + b[1]) * 0.5]);
    if w.shape == Shape::Bezier {
        let d = [(b[0] - a[0]) / 6.0, (b[1] - a[1]) / 6.0];
        w.handles.insert((after + 1).min(w.handles.len()), [-d[0], -d[1], d[0], d[1]]);
    }
}

/// Removes point `i` of a polygon or bezier (and its handles); a shape keeps at least three.
pub fn remove_point(w: &mut Window, i: usize) {
    if w.points.len() <= 3 || i >= w.points.len() {
        return;
    }
    w.points.remove(i);
    if i < w.handles.len() {
        w.handles.remove(i);
    }
}

/// The cubic bezier with control points `c` at `t`.
fn cubic(c: &[[f32; 2]; 4], t: f32) -> [f32; 2] {
    let u = 1.0 - t;
    let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
    [0, 1].map(|k| w[0] * c[0][k] + w[1] * c[1][k] + w[2] * c[2][k] + w[3] * c[3][k])
}
