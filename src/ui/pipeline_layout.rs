//! Where a pipeline's steps go in its picture: layered left to right, each step one layer
//! right of the furthest step it depends on (longest path), steps of a layer in the order they
//! were written, layers centred on the tallest, edges as curves from the right side of a step
//! to the left side of the one that waits for it. An edge that skips layers would cross the
//! steps between, so it runs as an elbow through a lane of its own above them. Pure, so the
//! drawing component only draws.

pub const NODE_WIDTH: f64 = 150.0;
pub const NODE_HEIGHT: f64 = 44.0;
const GAP_X: f64 = 52.0;
const GAP_Y: f64 = 20.0;
const PADDING: f64 = 16.0;
/// The height of each lane above the steps for an edge that skips layers.
const LANE: f64 = 10.0;
/// Room left before a target for the arrowhead the edge ends in.
pub const ARROW: f64 = 8.0;
/// Characters of a step name that fit in a box; longer names end in "…" (the full name is in
/// the box's title).
const LABEL_CHARS: usize = 18;

#[derive(Clone, Debug, PartialEq)]
pub struct NodeBox {
    pub index: usize,
    pub layer: usize,
    pub x: f64,
    pub y: f64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EdgePath {
    pub from: usize,
    pub to: usize,
    /// SVG path data.
    pub path: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GraphLayout {
    pub width: f64,
    pub height: f64,
    /// In step order.
    pub nodes: Vec<NodeBox>,
    pub edges: Vec<EdgePath>,
}

/// Each step's layer: 0 without dependencies, else one more than its deepest dependency.
/// `deps` must be acyclic (as a parsed pipeline graph is); a cycle is cut where it closes.
pub fn layers(deps: &[Vec<usize>]) -> Vec<usize> {
    fn depth(
        at: usize,
        deps: &[Vec<usize>],
        memo: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> usize {
        if let Some(d) = memo[at] {
            return d;
        }
        seen[at] = true;
        let mut d = 0;
        for &dep in &deps[at] {
            if dep < deps.len() && !seen[dep] {
                d = d.max(depth(dep, deps, memo, seen) + 1);
            }
        }
        seen[at] = false;
        memo[at] = Some(d);
        d
    }
    let mut memo = vec![None; deps.len()];
    let mut seen = vec![false; deps.len()];
    (0..deps.len()).map(|i| depth(i, deps, &mut memo, &mut seen)).collect()
}

/// Characters of the smaller second line of a box.
pub const DETAIL_CHARS: usize = 25;

/// `text` cut to `max` characters, ending in "…" when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// The picture of steps named `names`, where `deps[i]` lists the steps step `i` waits for.
pub fn layout(names: &[String], deps: &[Vec<usize>]) -> GraphLayout {
    let layer_of = layers(deps);
    let layer_count = layer_of.iter().max().map_or(0, |m| m + 1);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    for (step, layer) in layer_of.iter().enumerate() {
        members[*layer].push(step);
    }
    let tallest = members.iter().map(Vec::len).max().unwrap_or(0);
    let column_height = |count: usize| {
        if count == 0 {
            0.0
        } else {
            count as f64 * NODE_HEIGHT + (count - 1) as f64 * GAP_Y
        }
    };
    let skips = |from: usize, to: usize| layer_of[to] > layer_of[from] + 1;
    let long_edges = deps
        .iter()
        .enumerate()
        .flat_map(|(to, from)| from.iter().filter(move |f| **f < deps.len() && skips(**f, to)))
        .count();
    let lanes = long_edges as f64 * LANE;
    let height = 2.0 * PADDING + lanes + column_height(tallest);
    let width = if layer_count == 0 {
        2.0 * PADDING
    } else {
        2.0 * PADDING + layer_count as f64 * NODE_WIDTH + (layer_count - 1) as f64 * GAP_X
    };
    let mut nodes: Vec<NodeBox> = Vec::with_capacity(names.len());
    for (index, name) in names.iter().enumerate() {
        let layer = layer_of[index];
        let column = &members[layer];
        let position = column.iter().position(|s| *s == index).unwrap_or(0);
        let top = PADDING + lanes + (column_height(tallest) - column_height(column.len())) / 2.0;
        nodes.push(NodeBox {
            index,
            layer,
            x: PADDING + layer as f64 * (NODE_WIDTH + GAP_X),
            y: top + position as f64 * (NODE_HEIGHT + GAP_Y),
            label: shorten(name, LABEL_CHARS),
        });
    }
    let mut edges = Vec::new();
    let mut lane = 0;
    for (to, from_all) in deps.iter().enumerate() {
        for &from in from_all.iter().filter(|f| **f < nodes.len()) {
            let (a, b) = (&nodes[from], &nodes[to]);
            let (x1, y1) = (a.x + NODE_WIDTH, a.y + NODE_HEIGHT / 2.0);
            let (x2, y2) = (b.x - ARROW, b.y + NODE_HEIGHT / 2.0);
            let path = if skips(from, to) {
                let y = PADDING + (lane as f64 + 0.5) * LANE;
                lane += 1;
                let (out, into) = (x1 + GAP_X / 2.0, b.x - GAP_X / 2.0);
                format!("M {x1} {y1} H {out} V {y} H {into} V {y2} H {x2}")
            } else {
                let bend = (x2 - x1) / 2.0;
                format!("M {x1} {y1} C {} {y1}, {} {y2}, {x2} {y2}", x1 + bend, x2 - bend)
            };
            edges.push(EdgePath { from, to, path });
        }
    }
    GraphLayout { width, height, nodes, edges }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("step{i}")).collect()
    }

    #[test]
    fn a_step_sits_one_layer_right_of_its_deepest_dependency() {
        // 0 → 1 → 2, and 0 → 2 directly: 2 goes by the longest path.
        assert_eq!(layers(&[vec![], vec![0], vec![0, 1], vec![]]), [0, 1, 2, 0]);
    }

    #[test]
    fn steps_of_a_layer_keep_their_written_order_and_layers_are_centred() {
        let deps = vec![vec![], vec![0], vec![0], vec![0]];
        let picture = layout(&names(4), &deps);
        let ys: Vec<f64> = picture.nodes[1..].iter().map(|n| n.y).collect();
        assert!(ys.windows(2).all(|w| w[0] < w[1]), "{ys:?}");
        assert!(picture.nodes[1..].iter().all(|n| n.x == picture.nodes[1].x));
        // The lone first step is level with the middle of the three after it.
        assert_eq!(picture.nodes[0].y, picture.nodes[2].y);
    }

    #[test]
    fn the_picture_widens_with_each_layer() {
        let chain = |n: usize| -> Vec<Vec<usize>> {
            (0..n).map(|i| if i == 0 { vec![] } else { vec![i - 1] }).collect()
        };
        let one = layout(&names(1), &chain(1));
        let three = layout(&names(3), &chain(3));
        assert_eq!(three.width - one.width, 2.0 * (NODE_WIDTH + GAP_X));
        assert_eq!(one.height, three.height);
        assert!(three.nodes.iter().all(|n| n.x + NODE_WIDTH <= three.width));
    }

    #[test]
    fn edges_run_from_a_steps_right_side_to_the_left_side_of_what_waits_for_it() {
        let picture = layout(&names(2), &[vec![], vec![0]]);
        assert_eq!(picture.edges.len(), 1);
        let edge = &picture.edges[0];
        assert_eq!((edge.from, edge.to), (0, 1));
        let (a, b) = (&picture.nodes[0], &picture.nodes[1]);
        let start = format!("M {} {}", a.x + NODE_WIDTH, a.y + NODE_HEIGHT / 2.0);
        let end = format!("{} {}", b.x - ARROW, b.y + NODE_HEIGHT / 2.0);
        assert!(edge.path.starts_with(&start), "{}", edge.path);
        assert!(edge.path.ends_with(&end), "{}", edge.path);
    }

    #[test]
    fn an_edge_that_skips_layers_runs_above_the_steps_between() {
        // 0 → 1 → 2, and 0 → 2 past 1.
        let picture = layout(&names(3), &[vec![], vec![0], vec![0, 1]]);
        let skipping = picture.edges.iter().find(|e| (e.from, e.to) == (0, 2)).unwrap();
        let lane: f64 =
            skipping.path.split(" V ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        assert!(
            picture.nodes.iter().all(|n| lane < n.y),
            "{} runs above every step",
            skipping.path
        );
        assert!(lane > 0.0);
        let direct = picture.edges.iter().find(|e| (e.from, e.to) == (1, 2)).unwrap();
        assert!(direct.path.contains(" C "), "neighbours are joined by a curve");
        let no_skips = layout(&names(3), &[vec![], vec![0], vec![1]]);
        assert_eq!(picture.height - no_skips.height, LANE, "one lane for the one long edge");
    }

    #[test]
    fn long_names_are_shortened_to_fit_their_box() {
        let long = vec!["a-very-long-step-name-indeed".to_owned()];
        let picture = layout(&long, &[vec![]]);
        assert_eq!(picture.nodes[0].label.chars().count(), LABEL_CHARS);
        assert!(picture.nodes[0].label.ends_with('…'));
        assert_eq!(layout(&[], &[]).nodes, []);
    }
}
