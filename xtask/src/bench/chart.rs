//! The results as an SVG chart, written by hand: per workload, throughput and p99 latency of
//! Atelier and MLflow as bars on logarithmic axes, each target marked.

use std::fmt::Write;

use super::load::Measured;
use super::results::{thousands, Row};

const LABEL_WIDTH: f64 = 200.0;
const PANEL_WIDTH: f64 = 330.0;
const GAP: f64 = 40.0;
const ROW_HEIGHT: f64 = 30.0;
const BAR: f64 = 11.0;
const TOP: f64 = 64.0;
const ATELIER: &str = "#2563eb";
const MLFLOW: &str = "#f59e0b";

/// A logarithmic axis from 10^low to 10^high, drawn `PANEL_WIDTH` wide from `x0`.
struct Axis {
    x0: f64,
    low: i32,
    high: i32,
}

impl Axis {
    fn over(x0: f64, smallest: f64, values: impl Iterator<Item = f64>) -> Self {
        let largest = values.fold(smallest * 10.0, f64::max);
        Self { x0, low: smallest.log10().floor() as i32, high: largest.log10().ceil() as i32 }
    }

    fn x(&self, value: f64) -> f64 {
        let span = f64::from(self.high - self.low).max(1.0);
        let at = (value.max(10f64.powi(self.low)).log10() - f64::from(self.low)) / span;
        self.x0 + at.clamp(0.0, 1.0) * PANEL_WIDTH
    }

    fn draw(&self, svg: &mut String, bottom: f64, title: &str) {
        let _ = writeln!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" class="title">{title}</text>"#,
            self.x0,
            TOP - 22.0
        );
        for power in self.low..=self.high {
            let x = self.x(10f64.powi(power));
            let label = match power {
                p if p < 0 => format!("{}", 10f64.powi(p)),
                p => thousands(10f64.powi(p)),
            };
            let _ = writeln!(
                svg,
                r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="#e5e7eb"/><text x="{x:.1}" y="{:.1}" class="tick">{label}</text>"##,
                TOP - 6.0,
                bottom + 14.0,
            );
        }
    }
}

pub fn svg(rows: &[Row], caption: &str) -> String {
    let rate_axis = Axis::over(
        LABEL_WIDTH,
        1.0,
        rows.iter().flat_map(rates).chain(rows.iter().filter_map(|r| r.target.min_rate)),
    );
    let p99_axis = Axis::over(
        LABEL_WIDTH + PANEL_WIDTH + GAP,
        0.1,
        rows.iter().flat_map(|r| measured(r).map(|m| m.p99_ms)),
    );
    let bottom = TOP + ROW_HEIGHT * rows.len() as f64;
    let width = LABEL_WIDTH + 2.0 * PANEL_WIDTH + GAP + 80.0;
    let height = bottom + 44.0;
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="system-ui, sans-serif" font-size="11">
<style>.title{{font-weight:600;font-size:12px}}.tick{{fill:#6b7280;text-anchor:middle;font-size:10px}}.label{{text-anchor:end}}.value{{fill:#374151;font-size:9px}}</style>
<rect width="100%" height="100%" fill="#ffffff"/>
<rect x="{LABEL_WIDTH}" y="8" width="10" height="10" fill="{ATELIER}"/><text x="{:.0}" y="17">Atelier</text>
<rect x="{:.0}" y="8" width="10" height="10" fill="{MLFLOW}"/><text x="{:.0}" y="17">MLflow</text>
<line x1="{:.0}" y1="8" x2="{:.0}" y2="18" stroke="#111827" stroke-width="2"/><text x="{:.0}" y="17">target</text>
"##,
        LABEL_WIDTH + 14.0,
        LABEL_WIDTH + 70.0,
        LABEL_WIDTH + 84.0,
        LABEL_WIDTH + 140.0,
        LABEL_WIDTH + 140.0,
        LABEL_WIDTH + 146.0,
    );
    rate_axis.draw(&mut svg, bottom, "Throughput a second (higher is better)");
    p99_axis.draw(&mut svg, bottom, "p99 latency in ms (lower is better)");
    for (i, row) in rows.iter().enumerate() {
        let y = TOP + ROW_HEIGHT * i as f64;
        let _ = writeln!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" class="label">{}</text>"#,
            LABEL_WIDTH - 8.0,
            y + ROW_HEIGHT / 2.0 + 4.0,
            escape(row.label)
        );
        let bars = [(Some(&row.atelier), ATELIER, 0.0), (row.mlflow.as_ref(), MLFLOW, BAR + 1.0)];
        for (measured, color, offset) in bars {
            let Some(m) = measured else { continue };
            let top = y + 3.0 + offset;
            if m.requests == 0 {
                let text = format!("no answer within {:.0} s", m.seconds);
                let _ = writeln!(
                    svg,
                    r#"<text x="{:.1}" y="{:.1}" class="value" fill="{color}">{text}</text>"#,
                    rate_axis.x0 + 3.0,
                    top + BAR - 2.0
                );
                continue;
            }
            let errors = if m.failed() {
                format!(" ({:.0}% errors)", m.errors as f64 * 100.0 / m.requests as f64)
            } else {
                String::new()
            };
            let rate = row.rate(m);
            bar(&mut svg, &rate_axis, top, rate, color, &format!("{}{errors}", thousands(rate)));
            bar(&mut svg, &p99_axis, top, m.p99_ms, color, &format!("{:.1} ms", m.p99_ms));
        }
        if let Some(min) = row.target.min_rate {
            mark(&mut svg, rate_axis.x(min), y);
        }
        if let Some(max) = row.target.max_p99_ms {
            mark(&mut svg, p99_axis.x(max), y);
        }
    }
    let _ = writeln!(
        svg,
        r#"<text x="{LABEL_WIDTH}" y="{:.1}" class="value">{}</text></svg>"#,
        height - 8.0,
        escape(caption)
    );
    svg
}

fn measured(row: &Row) -> impl Iterator<Item = &Measured> {
    std::iter::once(&row.atelier).chain(row.mlflow.as_ref()).filter(|m| m.requests > 0)
}

fn rates(row: &Row) -> Vec<f64> {
    measured(row).map(|m| row.rate(m)).collect()
}

fn bar(svg: &mut String, axis: &Axis, top: f64, value: f64, color: &str, text: &str) {
    let end = axis.x(value);
    let _ = writeln!(
        svg,
        r#"<rect x="{:.1}" y="{top:.1}" width="{:.1}" height="{BAR}" fill="{color}"/><text x="{:.1}" y="{:.1}" class="value">{text}</text>"#,
        axis.x0,
        (end - axis.x0).max(1.0),
        end + 3.0,
        top + BAR - 2.0
    );
}

fn mark(svg: &mut String, x: f64, y: f64) {
    let _ = writeln!(
        svg,
        r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#111827" stroke-width="2"/>"##,
        y + 1.0,
        y + ROW_HEIGHT - 3.0
    );
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
