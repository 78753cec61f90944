//! Pipelines: a name and a small graph of steps, written as text, one step per line:
//!
//! ```text
//! prep: python prep.py
//! split after prep: python split.py --test 0.2
//! train after prep, split on gpu-cluster using pytorch-gpu:2: python train.py --lr 0.01
//! ```
//!
//! Before the first colon that is followed by a space (or ends the line) come the step's name
//! and its optional parts, in any order: `after` and the steps it depends on, `on` and a compute
//! target, `using` and an environment (`name` for its latest version, `name:version` for one).
//! After it comes the command. Blank lines and lines starting with `#` are skipped.

use serde::{Deserialize, Serialize};

use super::run::asset_name;
use super::Invalid;

pub const MAX_STEPS: usize = 50;
pub const MAX_COMMAND: usize = 1000;
const MAX_STEP_NAME: usize = 64;

/// The rule, in the words the form's help text uses.
pub const SPEC_HELP: &str = "One step per line: name [after step, step] [on compute] \
     [using environment or environment:version]: command. For example \
     \"train after prep, split on gpu-cluster using pytorch:2: python train.py --lr 0.01\". \
     Lines starting with # are comments.";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineName(String);

impl PipelineName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        asset_name(input, "pipeline").map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

/// An environment a step runs in: its latest version, or a numbered one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentRef {
    pub name: String,
    pub version: Option<i64>,
}

impl std::fmt::Display for EnvironmentRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.version {
            Some(v) => write!(f, "{}:{v}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub name: String,
    pub command: String,
    pub compute: Option<String>,
    pub environment: Option<EnvironmentRef>,
    /// The steps that must complete before this one starts, by name, as written.
    pub after: Vec<String>,
}

/// The steps of a pipeline, in the order written; dependencies name steps of the same graph
/// and form no cycle.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineGraph {
    pub steps: Vec<Step>,
    /// The line each step was written on (for messages about a step found later, such as an
    /// unknown compute); empty for a graph read back from storage.
    #[serde(skip)]
    pub lines: Vec<usize>,
}

impl PipelineGraph {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let mut graph = Self::default();
        for (n, line) in input.lines().enumerate() {
            let text = line.trim();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            let step =
                parse_step(text).map_err(|e| Invalid::new(format!("Line {}: {e}", n + 1)))?;
            if let Some(first) = graph.index_of(&step.name) {
                return Err(Invalid::new(format!(
                    "Line {}: the step name {:?} is used on line {} already.",
                    n + 1,
                    step.name,
                    graph.lines[first]
                )));
            }
            graph.steps.push(step);
            graph.lines.push(n + 1);
        }
        if graph.steps.is_empty() {
            return Err(Invalid::new(
                "Write at least one step, such as \"train: python train.py\".",
            ));
        }
        if graph.steps.len() > MAX_STEPS {
            return Err(Invalid::new(format!(
                "A pipeline has at most {MAX_STEPS} steps; this one has {}.",
                graph.steps.len()
            )));
        }
        for (i, step) in graph.steps.iter().enumerate() {
            if let Some(unknown) = step.after.iter().find(|d| graph.index_of(d).is_none()) {
                return Err(Invalid::new(format!(
                    "Line {}: {:?} comes after {unknown:?}, which is not a step of this pipeline.",
                    graph.lines[i], step.name
                )));
            }
        }
        if let Some(cycle) = graph.cycle() {
            return Err(Invalid::new(format!(
                "The steps depend on each other in a circle: {}.",
                cycle.join(" → ")
            )));
        }
        Ok(graph)
    }

    /// The position of the step named `name`, ignoring case.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.name.eq_ignore_ascii_case(name))
    }

    /// The line step `index` was written on (its position when read back from storage).
    pub fn line_of(&self, index: usize) -> usize {
        self.lines.get(index).copied().unwrap_or(index + 1)
    }

    /// For each step, the positions of the steps it depends on.
    pub fn dependencies(&self) -> Vec<Vec<usize>> {
        self.steps
            .iter()
            .map(|s| s.after.iter().filter_map(|d| self.index_of(d)).collect())
            .collect()
    }

    /// Every `(from, to)` edge: `to` runs after `from`.
    pub fn edges(&self) -> Vec<(usize, usize)> {
        let deps = self.dependencies();
        deps.iter().enumerate().flat_map(|(to, from)| from.iter().map(move |f| (*f, to))).collect()
    }

    /// The steps that (directly or not) wait for step `index`.
    pub fn dependents_of(&self, index: usize) -> Vec<usize> {
        let deps = self.dependencies();
        let mut found = vec![false; self.steps.len()];
        let mut frontier = vec![index];
        while let Some(current) = frontier.pop() {
            for (step, on) in deps.iter().enumerate() {
                if on.contains(&current) && !found[step] {
                    found[step] = true;
                    frontier.push(step);
                }
            }
        }
        (0..self.steps.len()).filter(|i| found[*i]).collect()
    }

    /// A circle of dependencies, as step names starting and ending with the same step.
    fn cycle(&self) -> Option<Vec<String>> {
        // Depth-first search: 0 = unseen, 1 = on the current path, 2 = done.
        fn visit(at: usize, deps: &[Vec<usize>], mark: &mut [u8], path: &mut Vec<usize>) -> bool {
            mark[at] = 1;
            path.push(at);
            for &next in &deps[at] {
                if mark[next] == 1 {
                    path.push(next);
                    return true;
                }
                if mark[next] == 0 && visit(next, deps, mark, path) {
                    return true;
                }
            }
            mark[at] = 2;
            path.pop();
            false
        }
        let deps = self.dependencies();
        let mut mark = vec![0u8; self.steps.len()];
        for start in 0..self.steps.len() {
            let mut path = Vec::new();
            if mark[start] == 0 && visit(start, &deps, &mut mark, &mut path) {
                let last = *path.last()?;
                let from = path.iter().position(|s| *s == last)?;
                // The path follows "depends on" links; people read a cycle in run order.
                let mut names: Vec<String> =
                    path[from..].iter().map(|i| self.steps[*i].name.clone()).collect();
                names.reverse();
                return Some(names);
            }
        }
        None
    }

    /// The graph as the form shows it: the text `parse` reads back to the same steps.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for step in &self.steps {
            text.push_str(&step.name);
            if !step.after.is_empty() {
                text.push_str(" after ");
                text.push_str(&step.after.join(", "));
            }
            if let Some(compute) = &step.compute {
                text.push_str(" on ");
                text.push_str(compute);
            }
            if let Some(env) = &step.environment {
                text.push_str(&format!(" using {env}"));
            }
            text.push_str(": ");
            text.push_str(&step.command);
            text.push('\n');
        }
        text
    }
}

impl super::Parse for PipelineGraph {
    fn parse(input: &str) -> Result<Self, Invalid> {
        PipelineGraph::parse(input)
    }
}

/// Where the head of a line (name and parts) ends: the first colon followed by a space or the
/// end of the line, so `using sklearn:2: cmd` keeps the version.
fn split_head(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    (0..bytes.len())
        .find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()))
        .map(|i| (&line[..i], &line[i + 1..]))
}

fn parse_step(line: &str) -> Result<Step, String> {
    let Some((head, command)) = split_head(line) else {
        return Err("write a step as \"name: command\", such as \"prep: python prep.py\".".into());
    };
    let command = command.trim();
    if command.is_empty() {
        return Err("give the step a command after the colon.".into());
    }
    if command.chars().count() > MAX_COMMAND {
        return Err(format!("a command has at most {MAX_COMMAND} characters."));
    }
    let mut words = head.split_whitespace();
    let name = step_name(words.next().unwrap_or_default())?;
    let mut step =
        Step { name, command: command.to_owned(), compute: None, environment: None, after: vec![] };
    let rest: Vec<&str> = words.collect();
    let mut i = 0;
    while i < rest.len() {
        let keyword = rest[i];
        i += 1;
        match keyword.to_ascii_lowercase().as_str() {
            "after" if step.after.is_empty() => {
                // Names run until the next keyword; commas and spaces both separate them.
                while i < rest.len() && !is_keyword(rest[i]) {
                    for dep in rest[i].split(',').filter(|d| !d.is_empty()) {
                        let dep = step_name(dep)?;
                        if step.after.iter().any(|d| d.eq_ignore_ascii_case(&dep)) {
                            return Err(format!("{dep:?} is listed twice after \"after\"."));
                        }
                        step.after.push(dep);
                    }
                    i += 1;
                }
                if step.after.is_empty() {
                    return Err(
                        "name the steps that come before, as in \"after prep, split\".".into()
                    );
                }
            }
            "on" if step.compute.is_none() => {
                let compute = rest
                    .get(i)
                    .filter(|w| !is_keyword(w))
                    .ok_or("name the compute after \"on\".")?;
                step.compute = Some((*compute).to_owned());
                i += 1;
            }
            "using" if step.environment.is_none() => {
                let env = rest
                    .get(i)
                    .filter(|w| !is_keyword(w))
                    .ok_or("name the environment after \"using\".")?;
                step.environment = Some(environment_ref(env)?);
                i += 1;
            }
            "after" | "on" | "using" => return Err(format!("\"{keyword}\" appears twice.")),
            _ => {
                return Err(format!(
                    "expected \"after\", \"on\" or \"using\" before the colon, not {keyword:?}."
                ))
            }
        }
    }
    Ok(step)
}

fn is_keyword(word: &str) -> bool {
    ["after", "on", "using"].iter().any(|k| k.eq_ignore_ascii_case(word))
}

fn step_name(word: &str) -> Result<String, String> {
    let word = word.trim_matches(',');
    if word.is_empty() || word.chars().count() > MAX_STEP_NAME {
        return Err(format!("a step name has 1 to {MAX_STEP_NAME} characters."));
    }
    if !word.starts_with(|c: char| c.is_ascii_alphanumeric())
        || word.chars().any(|c| !(c.is_ascii_alphanumeric() || "_-.".contains(c)))
    {
        return Err(format!(
            "{word:?} is not a step name: letters, digits, '_', '-' and '.', starting with a \
             letter or digit."
        ));
    }
    if is_keyword(word) {
        return Err(format!("{word:?} is a keyword; give the step another name."));
    }
    Ok(word.to_owned())
}

fn environment_ref(word: &str) -> Result<EnvironmentRef, String> {
    let (name, version) = match word.split_once(':') {
        Some((name, version)) => {
            let version =
                version.parse::<i64>().ok().filter(|v| *v >= 1).ok_or_else(|| {
                    format!("{version:?} is not an environment version (1, 2, 3…).")
                })?;
            (name, Some(version))
        }
        None => (word, None),
    };
    let name = asset_name(name, "environment").map_err(|e| e.0)?;
    Ok(EnvironmentRef { name, version })
}

/// The order a pipelines list is in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PipelineSort {
    #[default]
    NameAscending,
    NameDescending,
    RecentlyChanged,
    LeastRecentlyChanged,
    MostSteps,
    FewestSteps,
}

impl PipelineSort {
    /// What its page cursors hold.
    pub fn key(self) -> super::listing::SortKey {
        match self {
            Self::NameAscending | Self::NameDescending => super::listing::SortKey::UniqueName,
            _ => super::listing::SortKey::Number,
        }
    }

    pub const ALL: [PipelineSort; 6] = [
        Self::NameAscending,
        Self::NameDescending,
        Self::RecentlyChanged,
        Self::LeastRecentlyChanged,
        Self::MostSteps,
        Self::FewestSteps,
    ];

    /// How the sort is written in a URL.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NameAscending => "name",
            Self::NameDescending => "-name",
            Self::RecentlyChanged => "-updated",
            Self::LeastRecentlyChanged => "updated",
            Self::MostSteps => "-steps",
            Self::FewestSteps => "steps",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NameAscending => "Name, A to Z",
            Self::NameDescending => "Name, Z to A",
            Self::RecentlyChanged => "Recently changed",
            Self::LeastRecentlyChanged => "Least recently changed",
            Self::MostSteps => "Most steps",
            Self::FewestSteps => "Fewest steps",
        }
    }

    /// Unknown values fall back to the default, so an old shared link still opens.
    pub fn from_url(input: &str) -> Self {
        Self::ALL.into_iter().find(|s| s.as_str() == input).unwrap_or_default()
    }

    /// The sort of the same column in the other direction (a column header's link).
    pub fn reversed(self) -> Self {
        match self {
            Self::NameAscending => Self::NameDescending,
            Self::NameDescending => Self::NameAscending,
            Self::RecentlyChanged => Self::LeastRecentlyChanged,
            Self::LeastRecentlyChanged => Self::RecentlyChanged,
            Self::MostSteps => Self::FewestSteps,
            Self::FewestSteps => Self::MostSteps,
        }
    }
}

#[cfg(test)]
#[path = "pipeline_tests.rs"]
mod tests;

impl super::listing::ListSort for PipelineSort {
    fn url_name(self) -> &'static str {
        self.as_str()
    }

    fn from_url_name(text: &str) -> Self {
        Self::from_url(text)
    }

    fn descending(self) -> bool {
        matches!(self, Self::NameDescending | Self::RecentlyChanged | Self::MostSteps)
    }

    fn title(self) -> &'static str {
        self.label()
    }
}
