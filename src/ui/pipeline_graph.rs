//! A pipeline's graph as an SVG drawn by the app: boxes for steps, curves with arrowheads for
//! "runs after", each box coloured by its step's status on a run's page. Where things go is
//! `pipeline_layout`'s business; this only draws.

use leptos::prelude::*;

use crate::domain::pipeline::PipelineGraph;
use crate::domain::RunStatus;
use crate::ui::pipeline_layout::{layout, shorten, ARROW, DETAIL_CHARS, NODE_HEIGHT, NODE_WIDTH};

#[component]
pub fn PipelineGraphView(
    graph: PipelineGraph,
    /// Each step's status, in step order, on a run's page.
    #[prop(optional)]
    statuses: Option<Vec<RunStatus>>,
    /// Distinguishes the arrowhead marker when a page draws two graphs.
    #[prop(default = "pipeline-arrow")]
    marker_id: &'static str,
) -> impl IntoView {
    let names: Vec<String> = graph.steps.iter().map(|s| s.name.clone()).collect();
    let picture = layout(&names, &graph.dependencies());
    let marker_url = format!("url(#{marker_id})");
    let edges = picture
        .edges
        .iter()
        .map(|e| {
            let title = format!("{} → {}", names[e.from], names[e.to]);
            view! {
                <path class="pipeline-edge" d=e.path.clone() marker-end=marker_url.clone()>
                    <title>{title}</title>
                </path>
            }
        })
        .collect_view();
    let nodes = picture
        .nodes
        .iter()
        .map(|n| {
            let step = &graph.steps[n.index];
            let status = statuses.as_ref().and_then(|s| s.get(n.index).copied());
            let class = match status {
                Some(s) => format!("pipeline-node status-{}", s.as_str()),
                None => "pipeline-node".to_owned(),
            };
            let mut title = format!("{}: {}", step.name, step.command);
            if let Some(s) = status {
                title = format!("{title} ({})", s.label());
            }
            // On a run, the status; otherwise where and with what the step runs.
            let detail = match status {
                Some(s) => s.label().to_owned(),
                None => {
                    let compute = step.compute.as_ref().map(|c| format!("on {c}"));
                    let env = step.environment.as_ref().map(|e| format!("using {e}"));
                    shorten(&compute.into_iter().chain(env).collect::<Vec<_>>().join(" "), DETAIL_CHARS)
                }
            };
            view! {
                <g class=class data-step=step.name.clone() transform=format!("translate({} {})", n.x, n.y)>
                    <title>{title}</title>
                    <rect width=NODE_WIDTH height=NODE_HEIGHT rx="6"/>
                    <text class="pipeline-node-name" x="10" y="18">{n.label.clone()}</text>
                    <text class="pipeline-node-detail" x="10" y="34">{detail}</text>
                </g>
            }
        })
        .collect_view();
    let label = format!("Graph of {} steps", names.len());
    view! {
        <div class="pipeline-graph-scroll">
            <svg
                class="pipeline-graph"
                role="img"
                aria-label=label
                width=picture.width
                height=picture.height
                viewBox=format!("0 0 {} {}", picture.width, picture.height)
            >
                <defs>
                    <marker
                        id=marker_id
                        viewBox="0 0 10 10"
                        refX="0"
                        refY="5"
                        markerWidth=ARROW
                        markerHeight=ARROW
                        markerUnits="userSpaceOnUse"
                        orient="auto"
                    >
                        <path d="M 0 0 L 10 5 L 0 10 z" class="pipeline-arrowhead"/>
                    </marker>
                </defs>
                <g class="pipeline-edges">{edges}</g>
                <g class="pipeline-nodes">{nodes}</g>
            </svg>
        </div>
    }
}
