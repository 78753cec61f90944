//! Line charts of metric series, drawn as SVG by the app: axes with labelled ticks, a log
//! scale, smoothing (with the raw line kept faint behind), and the values under the pointer.
//! Rendered on the server, so a chart is there before any script runs.

use leptos::prelude::*;

use super::chart_scale::{
    format_tick, log_ticks, nearest_index, nice_ticks, padded_domain, path_data, Scale,
};
use crate::domain::series::smooth;

/// One line: what it is (a run, or a metric) and its (step, value) points in step order.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChartLine {
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

/// Colours for lines, in order: distinguishable, and dark enough on white.
pub const PALETTE: [&str; 8] =
    ["#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2", "#be185d", "#4d7c0f"];

const WIDTH: f64 = 520.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;

/// The scales for `lines`, or `None` when nothing can be drawn (no points, or no positive
/// values on a log scale).
fn scales(lines: &[ChartLine], log: bool) -> Option<(Scale, Scale)> {
    let xs = lines.iter().flat_map(|l| l.points.iter().map(|p| p.0));
    let (x_min, x_max) = xs.fold(None, |acc: Option<(f64, f64)>, x| {
        Some(acc.map_or((x, x), |(lo, hi)| (lo.min(x), hi.max(x))))
    })?;
    let x_domain = if x_min < x_max { (x_min, x_max) } else { (x_min - 1.0, x_max + 1.0) };
    let y_domain = padded_domain(lines.iter().flat_map(|l| l.points.iter().map(|p| p.1)), log)?;
    let x = Scale::linear(x_domain, (LEFT, WIDTH - RIGHT));
    let y_range = (HEIGHT - BOTTOM, TOP);
    let y =
        if log { Scale::logarithmic(y_domain, y_range) } else { Scale::linear(y_domain, y_range) };
    Some((x, y))
}

fn smoothed(points: &[(f64, f64)], weight: f64) -> Vec<(f64, f64)> {
    let values: Vec<f64> = points.iter().map(|p| p.1).collect();
    points.iter().zip(smooth(&values, weight)).map(|(p, v)| (p.0, v)).collect()
}

#[component]
pub fn MetricChart(
    title: String,
    lines: Vec<ChartLine>,
    log_scale: Signal<bool>,
    /// 0 (raw) to 0.99 (very smooth).
    smoothing: Signal<f64>,
) -> impl IntoView {
    let lines = StoredValue::new(lines);
    // Where the pointer is across the plot, 0 (left) to 1 (right).
    let hover = RwSignal::new(None::<f64>);
    let chart_title = title.clone();
    let drawing = move || {
        let log = log_scale.get();
        let weight = smoothing.get();
        lines.with_value(|lines| {
            let Some((x, y)) = scales(lines, log) else {
                let why = if log { "No positive values to draw on a log scale." } else { "No points yet." };
                return view! { <p class="muted chart-empty">{why}</p> }.into_any();
            };
            let y_ticks = if log {
                log_ticks(y.domain.0, y.domain.1)
            } else {
                nice_ticks(y.domain.0, y.domain.1, 5)
            };
            let x_ticks = nice_ticks(x.domain.0, x.domain.1, 6);
            let grid = y_ticks
                .iter()
                .filter_map(|&t| y.apply(t).map(|py| (t, py)))
                .map(|(t, py)| {
                    view! {
                        <line class="grid" x1=LEFT x2=WIDTH - RIGHT y1=py y2=py/>
                        <text class="tick" x=LEFT - 6.0 y=py + 4.0 text-anchor="end">{format_tick(t)}</text>
                    }
                })
                .collect_view();
            let x_axis = x_ticks
                .iter()
                .filter_map(|&t| x.apply(t).map(|px| (t, px)))
                .map(|(t, px)| {
                    view! {
                        <line class="axis" x1=px x2=px y1=HEIGHT - BOTTOM y2=HEIGHT - BOTTOM + 4.0/>
                        <text class="tick" x=px y=HEIGHT - BOTTOM + 16.0 text-anchor="middle">{format_tick(t)}</text>
                    }
                })
                .collect_view();
            let paths = lines
                .iter()
                .enumerate()
                .map(|(i, line)| {
                    let colour = PALETTE[i % PALETTE.len()];
                    let raw = path_data(&line.points, &x, &y);
                    if weight > 0.0 {
                        let smooth = path_data(&smoothed(&line.points, weight), &x, &y);
                        view! {
                            <path class="line raw" d=raw stroke=colour/>
                            <path class="line" d=smooth stroke=colour/>
                        }
                        .into_any()
                    } else {
                        view! { <path class="line" d=raw stroke=colour/> }.into_any()
                    }
                })
                .collect_view();
            let marker = move || {
                let fraction = hover.get()?;
                let step = x.invert(LEFT + fraction * (WIDTH - LEFT - RIGHT));
                let px = x.apply(step)?;
                Some(view! { <line class="hover-rule" x1=px x2=px y1=TOP y2=HEIGHT - BOTTOM/> })
            };
            view! {
                <svg
                    class="chart"
                    viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                    role="img"
                    aria-label=format!("Line chart of {chart_title} by step")
                >
                    {grid}
                    <line class="axis" x1=LEFT x2=WIDTH - RIGHT y1=HEIGHT - BOTTOM y2=HEIGHT - BOTTOM/>
                    <line class="axis" x1=LEFT x2=LEFT y1=TOP y2=HEIGHT - BOTTOM/>
                    {x_axis}
                    <text class="axis-label" x=(LEFT + WIDTH - RIGHT) / 2.0 y=HEIGHT - 6.0 text-anchor="middle">"Step"</text>
                    {paths}
                    {marker}
                    <rect
                        class="hover-area"
                        x=LEFT
                        y=TOP
                        width=WIDTH - LEFT - RIGHT
                        height=HEIGHT - TOP - BOTTOM
                        on:mousemove=move |ev| hover.set(pointer_fraction(&ev))
                        on:mouseleave=move |_| hover.set(None)
                    />
                </svg>
            }
            .into_any()
        })
    };
    let readout = move || {
        let fraction = hover.get()?;
        let log = log_scale.get();
        let weight = smoothing.get();
        lines.with_value(|lines| {
            let (x, _) = scales(lines, log)?;
            let step = x.invert(LEFT + fraction * (WIDTH - LEFT - RIGHT));
            let values = lines
                .iter()
                .enumerate()
                .filter_map(|(i, line)| {
                    let xs: Vec<f64> = line.points.iter().map(|p| p.0).collect();
                    let at = nearest_index(&xs, step)?;
                    let shown =
                        if weight > 0.0 { smoothed(&line.points, weight) } else { line.points.clone() };
                    let (s, v) = shown[at];
                    Some(view! {
                        <li>
                            <span class=format!("swatch swatch-{}", i % PALETTE.len())></span>
                            {format!("{}: {} at step {}", line.label, format_value(v), format_tick(s))}
                        </li>
                    })
                })
                .collect_view();
            Some(view! { <ul class="chart-readout-values">{values}</ul> })
        })
    };
    let legend = lines.with_value(|lines| {
        lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                view! {
                    <li><span class=format!("swatch swatch-{}", i % PALETTE.len())></span>{line.label.clone()}</li>
                }
            })
            .collect_view()
    });
    view! {
        <figure class="metric-chart">
            <figcaption>{title}</figcaption>
            {drawing}
            <ul class="chart-legend">{legend}</ul>
            <div class="chart-readout" aria-live="polite">{readout}</div>
        </figure>
    }
    .into_any()
}

/// A value as a readout shows it: enough digits to compare runs.
pub fn format_value(v: f64) -> String {
    let trimmed = |digits: &str| digits.trim_end_matches('0').trim_end_matches('.').to_owned();
    if v != 0.0 && (v.abs() < 0.001 || v.abs() >= 1e7) {
        let text = format!("{v:.4e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        format!("{}e{exponent}", trimmed(mantissa))
    } else {
        trimmed(&format!("{v:.4}"))
    }
}

/// How far across the hovered element the pointer is, 0 to 1.
fn pointer_fraction(ev: &leptos::ev::MouseEvent) -> Option<f64> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        // The target, not the current target: Leptos delegates events to the document root.
        let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
        let rect = target.get_bounding_client_rect();
        (rect.width() > 0.0)
            .then(|| ((f64::from(ev.client_x()) - rect.left()) / rect.width()).clamp(0.0, 1.0))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_four_decimals_without_trailing_zeros() {
        assert_eq!(format_value(0.5), "0.5");
        assert_eq!(format_value(0.123456), "0.1235");
        assert_eq!(format_value(12.0), "12");
        assert_eq!(format_value(0.00001234), "1.234e-5");
        assert_eq!(format_value(0.000125), "1.25e-4");
        assert_eq!(format_value(-3e9), "-3e9");
    }

    #[test]
    fn nothing_is_drawn_on_a_log_scale_without_positive_values() {
        let lines = [ChartLine { label: "loss".into(), points: vec![(0.0, -1.0), (1.0, 0.0)] }];
        assert!(scales(&lines, true).is_none());
        assert!(scales(&lines, false).is_some());
        assert!(scales(&[], false).is_none());
    }
}
