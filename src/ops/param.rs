//! A small parameter schema: an op lists its plain parameters (name, range, neutral, unit) once, and
//! the app draws them with generic widgets. Wheels, curves and keys keep their own widgets.

/// How a parameter is edited, with its neutral value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamKind {
    /// A number with a slider over `min..=max` (typed values beyond it are kept: the op validates).
    Number {
        /// Slider start.
        min: f32,
        /// Slider end.
        max: f32,
        /// The value that does nothing (double-click resets to it).
        neutral: f32,
    },
    /// A whole number (a seed).
    Integer {
        /// Reset value.
        neutral: u32,
    },
    /// One of a few named choices.
    Choice {
        /// The choices' labels.
        options: &'static [&'static str],
        /// Reset choice.
        neutral: usize,
    },
    /// An RGB colour, with named presets.
    Colour {
        /// Reset colour.
        neutral: [f32; 3],
        /// Named colours offered as buttons.
        presets: &'static [(&'static str, [f32; 3])],
    },
    /// A position in normalised frame coordinates.
    Point {
        /// Reset position.
        neutral: [f32; 2],
    },
}

impl ParamKind {
    /// The parameter's neutral value.
    pub fn neutral(self) -> ParamValue {
        match self {
            ParamKind::Number { neutral, .. } => ParamValue::Number(neutral),
            ParamKind::Integer { neutral } => ParamValue::Integer(neutral),
            ParamKind::Choice { neutral, .. } => ParamValue::Choice(neutral),
            ParamKind::Colour { neutral, .. } => ParamValue::Colour(neutral),
            ParamKind::Point { neutral } => ParamValue::Point(neutral),
        }
    }
}

/// A parameter's value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamValue {
    /// [`ParamKind::Number`].
    Number(f32),
    /// [`ParamKind::Integer`].
    Integer(u32),
    /// [`ParamKind::Choice`]: the index of the choice.
    Choice(usize),
    /// [`ParamKind::Colour`].
    Colour([f32; 3]),
    /// [`ParamKind::Point`].
    Point([f32; 2]),
}

impl ParamValue {
    /// The number, or 0 for another kind.
    pub fn number(self) -> f32 {
        if let ParamValue::Number(v) = self { v } else { 0.0 }
    }

    /// The whole number, or 0 for another kind.
    pub fn integer(self) -> u32 {
        if let ParamValue::Integer(v) = self { v } else { 0 }
    }

    /// The choice, or 0 for another kind.
    pub fn choice(self) -> usize {
        if let ParamValue::Choice(v) = self { v } else { 0 }
    }

    /// The colour, or white for another kind.
    pub fn colour(self) -> [f32; 3] {
        if let ParamValue::Colour(v) = self { v } else { [1.0; 3] }
    }

    /// The point, or the centre for another kind.
    pub fn point(self) -> [f32; 2] {
        if let ParamValue::Point(v) = self { v } else { [0.5; 2] }
    }
}

/// One parameter of op `T`: its label (also the undo step's name), unit, widget, and how to read and
/// write it.
pub struct Param<T> {
    /// Label, e.g. "Sharpen amount".
    pub label: &'static str,
    /// Unit shown after the value ("" for none).
    pub unit: &'static str,
    /// Widget, range and neutral value.
    pub kind: ParamKind,
    /// Reads the value.
    pub get: fn(&T) -> ParamValue,
    /// Writes the value.
    pub set: fn(&mut T, ParamValue),
}

/// A [`ParamKind::Number`] parameter of a plain `f32` field: `number!(Type, field, "Label", min..=max,
/// neutral, "unit")`.
#[macro_export]
macro_rules! number_param {
    ($t:ty, $field:ident, $label:expr, $min:expr, $max:expr, $neutral:expr, $unit:expr) => {
        $crate::ops::Param::<$t> {
            label: $label,
            unit: $unit,
            kind: $crate::ops::ParamKind::Number { min: $min, max: $max, neutral: $neutral },
            get: |o| $crate::ops::ParamValue::Number(o.$field),
            set: |o, v| o.$field = v.number(),
        }
    };
}
