//! The node graph: a grade's nodes wired beyond a serial list. A node takes its picture from the
//! node before it (the serial default, stored as nothing), or from the `inputs` it names: the source,
//! or earlier nodes. Mixers combine several inputs:
//!
//! - **Parallel** (DaVinci Resolve's parallel mixer): each input's difference from the inputs'
//!   common ancestor adds up, `common + Σ (input − common)`, so parallel corrections do not compound.
//! - **Layer** (Resolve's layer mixer): inputs stack first to last, a later (higher) input over the
//!   ones before it, with a composite mode (normal, add, multiply, screen) and an opacity; a keyed
//!   input covers only its key (its matte is its alpha).
//!
//! An **outside** node takes the inverse of another node's key as its own (Resolve's outside node).
//! A mixer node's own op (neutral when made) then applies to the mixed picture like any node's.
//!
//! Nodes only ever read earlier nodes, so the list order is an evaluation order and no cycle can be
//! written. The graph helpers here keep that true as nodes are added, removed, moved and wired.

use serde::{Deserialize, Serialize};

use super::{Grade, Node, Op};
use crate::ops::primaries::Primaries;

/// Most inputs one mixer takes.
pub const MAX_MIXER_INPUTS: usize = 8;

/// The name of the source in a node's `inputs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceName {
    /// The grade's input picture.
    Source,
}

/// Where a node's picture comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Input {
    /// The grade's input (`"source"` in files).
    Source(SourceName),
    /// An earlier node's output, by its 0-based index.
    Node(usize),
}

impl Input {
    /// The grade's input.
    pub const SOURCE: Input = Input::Source(SourceName::Source);
}

/// How a layer mixer puts a layer over the ones below.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Composite {
    /// The layer replaces what is below.
    #[default]
    Normal,
    /// Added to what is below.
    Add,
    /// Multiplied with what is below.
    Multiply,
    /// `1 − (1 − below)(1 − layer)` (meant for display-referred values up to 1).
    Screen,
}

fn one() -> f32 {
    1.0
}

/// What a mixer node does with its inputs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Mixer {
    /// The inputs' differences from their common ancestor add up.
    Parallel,
    /// The inputs stack, later over earlier.
    Layer {
        /// How each layer goes over the ones below.
        #[serde(default)]
        composite: Composite,
        /// Each layer's strength (0..1).
        #[serde(default = "one")]
        opacity: f32,
    },
}

impl Node {
    /// The node's inputs: the ones it names, or the node before it (the source for the first).
    pub fn inputs_at(&self, index: usize) -> Vec<Input> {
        if self.inputs.is_empty() {
            vec![if index == 0 { Input::SOURCE } else { Input::Node(index - 1) }]
        } else {
            self.inputs.clone()
        }
    }

    /// A mixer node of `mixer` over `inputs`, its own op neutral.
    pub fn mixer(mixer: Mixer, inputs: Vec<Input>) -> Self {
        let label = match mixer {
            Mixer::Parallel => "parallel",
            Mixer::Layer { .. } => "layer",
        };
        Node { label: label.into(), inputs, mixer: Some(mixer), ..Node::new(Op::Primaries(Primaries::default())) }
    }
}

fn shift(input: &mut Input, at: usize, by: isize) {
    if let Input::Node(j) = input
        && *j >= at
    {
        *j = j.saturating_add_signed(by);
    }
}

impl Grade {
    /// True when any node is wired beyond the serial list.
    pub fn is_graph(&self) -> bool {
        self.nodes.iter().any(|n| !n.inputs.is_empty() || n.mixer.is_some() || n.outside.is_some())
    }

    /// Every node's inputs written out (nothing implicit), for edits that move nodes.
    fn explicit(&mut self) {
        for i in 0..self.nodes.len() {
            let inputs = self.nodes[i].inputs_at(i);
            self.nodes[i].inputs = inputs;
        }
    }

    /// Drops inputs that say what the serial default says (the node before), so serial grades stay
    /// plain lists on disk.
    fn tidy(&mut self) {
        for (i, n) in self.nodes.iter_mut().enumerate() {
            let previous = if i == 0 { Input::SOURCE } else { Input::Node(i - 1) };
            if n.mixer.is_none() && n.inputs == [previous] {
                n.inputs.clear();
            }
        }
    }

    /// Inserts `node` at `at`, in the chain: what read the node before it now reads the new node
    /// when it read it as the serial default; named inputs keep pointing at the same nodes.
    pub fn insert_node(&mut self, at: usize, node: Node) {
        let at = at.min(self.nodes.len());
        for n in &mut self.nodes {
            n.inputs.iter_mut().for_each(|i| shift(i, at, 1));
            if let Some(o) = n.outside.as_mut()
                && *o >= at
            {
                *o += 1;
            }
        }
        self.nodes.insert(at, node);
    }

    /// Removes node `at`; what read it reads its input instead, an outside node of it becomes a
    /// plain node.
    pub fn remove_node(&mut self, at: usize) {
        if at >= self.nodes.len() {
            return;
        }
        self.explicit();
        let replacement = self.nodes[at].inputs.first().copied().unwrap_or(Input::SOURCE);
        self.nodes.remove(at);
        for n in &mut self.nodes {
            for i in &mut n.inputs {
                if *i == Input::Node(at) {
                    *i = replacement;
                } else {
                    shift(i, at + 1, -1);
                }
            }
            // A mixer fed twice by the same node now is fed once.
            let mut seen = Vec::new();
            n.inputs.retain(|i| {
                let new = !seen.contains(i);
                seen.push(*i);
                new
            });
            match n.outside {
                Some(o) if o == at => n.outside = None,
                Some(o) if o > at => n.outside = Some(o - 1),
                _ => {}
            }
        }
        self.tidy();
    }

    /// Swaps nodes `i` and `i + 1` of a serial stretch (Up and Down in the node list). Refused,
    /// false, where wiring ties them (a named input, a mixer or an outside node there): those move
    /// by rewiring in the node graph.
    pub fn swap_nodes(&mut self, i: usize) -> bool {
        if i + 1 >= self.nodes.len() {
            return false;
        }
        let plain = |n: &Node| n.inputs.is_empty() && n.mixer.is_none() && n.outside.is_none();
        let named = |j: usize| self.nodes.iter().any(|n| n.inputs.contains(&Input::Node(j)) || n.outside == Some(j));
        if !plain(&self.nodes[i]) || !plain(&self.nodes[i + 1]) || named(i) || named(i + 1) {
            return false;
        }
        self.nodes.swap(i, i + 1);
        true
    }

    /// Makes node `i` one branch of a parallel (or layer) mixer: a new neutral node beside it reads
    /// what node `i` reads, and a mixer after both combines them; what read node `i` reads the mixer.
    /// Returns the new node's index.
    pub fn add_beside(&mut self, i: usize, mixer: Mixer) -> Option<usize> {
        if i >= self.nodes.len() {
            return None;
        }
        self.explicit();
        let input = self.nodes[i].inputs.first().copied().unwrap_or(Input::SOURCE);
        // Readers of node i (by index, before inserting) move to the mixer.
        let readers: Vec<usize> = (i + 1..self.nodes.len()).collect();
        let mut branch = Node::new(Op::Primaries(Primaries::default()));
        branch.inputs = vec![input];
        self.insert_node(i + 1, branch);
        self.insert_node(i + 2, Node::mixer(mixer, vec![Input::Node(i), Input::Node(i + 1)]));
        for r in readers {
            let r = r + 2;
            for inp in &mut self.nodes[r].inputs {
                if *inp == Input::Node(i) {
                    *inp = Input::Node(i + 2);
                }
            }
        }
        self.tidy();
        Some(i + 1)
    }

    /// Adds an outside node of node `i` right after it (reading its output, keyed by the inverse of
    /// its key). Returns its index.
    pub fn add_outside(&mut self, i: usize) -> Option<usize> {
        if i >= self.nodes.len() || self.nodes[i].key.is_none() {
            return None;
        }
        let node = Node { label: "outside".into(), outside: Some(i), ..Node::new(Op::Primaries(Primaries::default())) };
        self.insert_node(i + 1, node);
        // It reads node i as the serial default, and what followed node i now follows it.
        Some(i + 1)
    }

    /// Wires input `slot` of node `node` to `from` (a new input for a mixer when `slot` is past its
    /// last). Refused, false, when `from` is not before `node` (nodes read only earlier nodes) or a
    /// plain node would get a second input.
    pub fn connect(&mut self, node: usize, slot: usize, from: Input) -> bool {
        let Some(n) = self.nodes.get(node) else { return false };
        if let Input::Node(j) = from
            && j >= node
        {
            return false;
        }
        let most = if n.mixer.is_some() { MAX_MIXER_INPUTS } else { 1 };
        let mut inputs = n.inputs_at(node);
        match slot {
            s if s < inputs.len() => inputs[s] = from,
            s if s == inputs.len() && s < most && !inputs.contains(&from) => inputs.push(from),
            _ => return false,
        }
        self.nodes[node].inputs = inputs;
        self.tidy();
        true
    }

    /// Problems with the wiring of node `i` (`Err` says what).
    pub fn validate_wiring(&self, i: usize) -> Result<(), String> {
        let n = &self.nodes[i];
        for input in &n.inputs {
            if let Input::Node(j) = input
                && *j >= i
            {
                return Err(format!("input node {} is not before it: a node reads only earlier nodes", j + 1));
            }
        }
        match n.mixer {
            Some(m) => {
                if !(2..=MAX_MIXER_INPUTS).contains(&n.inputs.len()) {
                    return Err(format!("a mixer needs 2 to {MAX_MIXER_INPUTS} inputs, got {}", n.inputs.len()));
                }
                if let Mixer::Layer { opacity, .. } = m
                    && !(0.0..=1.0).contains(&opacity)
                {
                    return Err(format!("layer opacity must be between 0 and 1, got {opacity}"));
                }
            }
            None if n.inputs.len() > 1 => {
                return Err(format!("only a mixer takes more than one input, got {}", n.inputs.len()));
            }
            None => {}
        }
        if let Some(o) = n.outside {
            if o >= i {
                return Err(format!("outside of node {}, which is not before it", o + 1));
            }
            if self.nodes[o].key.is_none() {
                return Err(format!("outside of node {}, which has no key", o + 1));
            }
            // (The viewer's matte view may set `show_matte` on it: that is no key of its own.)
            if n.key.as_ref().is_some_and(|k| k.qualifier.is_some() || !k.windows.is_empty() || k.invert) {
                return Err("an outside node takes its key from the other node; it has none of its own".into());
            }
        }
        Ok(())
    }

    /// Where each node sits in the node graph drawing: a column (its distance from the source along
    /// its longest path) and a row within the column.
    pub fn layout(&self) -> Vec<(usize, usize)> {
        let mut column = vec![0usize; self.nodes.len()];
        for i in 0..self.nodes.len() {
            column[i] = self.nodes[i]
                .inputs_at(i)
                .iter()
                .map(|input| match input {
                    Input::Node(j) if *j < i => column[*j] + 1,
                    _ => 1,
                })
                .max()
                .unwrap_or(1);
        }
        let mut rows = std::collections::HashMap::new();
        column
            .iter()
            .map(|c| {
                let row = rows.entry(*c).or_insert(0usize);
                *row += 1;
                (*c, *row - 1)
            })
            .collect()
    }
}
