//! Geometry for the app's SVG line charts: mapping values to pixels, choosing axis ticks and
//! their labels, and building path data. Only `std`, and deterministic, because the server
//! renders the same markup the browser must reproduce on hydration.

use std::fmt::Write;

/// Maps values of a domain (data units) onto a range (pixels), linearly or by powers of ten.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
    pub log: bool,
}

impl Scale {
    pub fn linear(domain: (f64, f64), range: (f64, f64)) -> Scale {
        Scale { domain, range, log: false }
    }

    /// A base-10 logarithmic scale: equal distances for equal ratios, for metrics such as
    /// losses or learning rates that span orders of magnitude.
    pub fn logarithmic(domain: (f64, f64), range: (f64, f64)) -> Scale {
        Scale { domain, range, log: true }
    }

    /// The pixel position of `v`, or `None` when it cannot be drawn: not finite, not positive
    /// on a log scale, or the scale's own domain is unusable (non-positive bounds on a log
    /// scale). A degenerate domain (both ends equal) puts every value in the middle of the
    /// range, so a constant series draws as a centred line instead of dividing by zero.
    pub fn apply(&self, v: f64) -> Option<f64> {
        let value = self.linearize(v)?;
        let start = self.linearize(self.domain.0)?;
        let end = self.linearize(self.domain.1)?;
        let (range_start, range_end) = self.range;
        let px = if start == end {
            (range_start + range_end) / 2.0
        } else {
            range_start + (value - start) / (end - start) * (range_end - range_start)
        };
        px.is_finite().then_some(px)
    }

    /// The value at pixel `px`, for hover read-outs. A degenerate range gives the domain's
    /// start; a log scale whose domain is not positive gives `NaN`.
    pub fn invert(&self, px: f64) -> f64 {
        let (Some(start), Some(end)) =
            (self.linearize(self.domain.0), self.linearize(self.domain.1))
        else {
            return f64::NAN;
        };
        let (range_start, range_end) = self.range;
        let value = if range_start == range_end {
            start
        } else {
            start + (px - range_start) / (range_end - range_start) * (end - start)
        };
        self.unlinearize(value)
    }

    /// `v` in the space where this scale is a straight line: `log10(v)` on a log scale.
    fn linearize(&self, v: f64) -> Option<f64> {
        if !v.is_finite() || (self.log && v <= 0.0) {
            return None;
        }
        Some(if self.log { v.log10() } else { v })
    }

    /// The inverse of [`Scale::linearize`].
    fn unlinearize(&self, v: f64) -> f64 {
        if self.log {
            10f64.powf(v)
        } else {
            v
        }
    }
}

/// Share of the span added above and below a linear domain, so lines do not touch the frame.
const DOMAIN_PADDING: f64 = 0.05;

/// The domain a chart of `values` should show: the extent of the finite values (on a log
/// scale, of the finite positive ones), `None` if there are none.
///
/// A single repeated value is widened so it still has a height to draw in: by ±1 around zero,
/// by ±10% otherwise, and by a factor of ten each way on a log scale. Linear domains then get
/// 5% padding on both sides, except that padding never pushes a lower bound at or above zero
/// below it: counts and losses keep their zero baseline instead of showing an impossible
/// negative band. (Widening a constant 0 to ±1 is not padding, so that stays `-1.1..1.1`.)
pub fn padded_domain(values: impl Iterator<Item = f64>, log: bool) -> Option<(f64, f64)> {
    let (min, max) = finite_extent(values.filter(|v| !log || *v > 0.0))?;
    if log {
        return Some(if min == max { (min / 10.0, max * 10.0) } else { (min, max) });
    }
    let (low, high) = if min == max { widen_constant(min) } else { (min, max) };
    Some(pad_linear(low, high))
}

/// Smallest and largest finite value, `None` when there is none.
fn finite_extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.filter(|v| v.is_finite()).fold(None, |extent, v| match extent {
        None => Some((v, v)),
        Some((min, max)) => Some((min.min(v), max.max(v))),
    })
}

/// A non-empty linear domain around a constant value.
fn widen_constant(v: f64) -> (f64, f64) {
    if v == 0.0 {
        (-1.0, 1.0)
    } else {
        let half_width = v.abs() * 0.1;
        (v - half_width, v + half_width)
    }
}

fn pad_linear(low: f64, high: f64) -> (f64, f64) {
    // Scaled before subtracting so spans near f64::MAX do not overflow to infinity.
    let padding = high * DOMAIN_PADDING - low * DOMAIN_PADDING;
    let padded_low = low - padding;
    let padded_low = if low >= 0.0 { padded_low.max(0.0) } else { padded_low };
    (padded_low, high + padding)
}

/// A tick step of `significand × 10^exponent`, kept apart so ticks can be computed as exact
/// decimals rather than as accumulated float products.
#[derive(Clone, Copy, Debug, PartialEq)]
struct TickStep {
    significand: f64,
    exponent: i32,
}

/// About `target` (at least 2) evenly spaced "nice" tick values within `[min, max]`, ascending:
/// steps of 1, 2 or 5 × 10^k, as people label axes by hand. Each tick is the float nearest to
/// its decimal value, so labels read `0.3`, never `0.30000000000000004`.
///
/// Bounds in either order are accepted; equal bounds give that one value; non-finite bounds
/// give no ticks.
pub fn nice_ticks(min: f64, max: f64, target: usize) -> Vec<f64> {
    if !min.is_finite() || !max.is_finite() {
        return Vec::new();
    }
    let (min, max) = if min <= max { (min, max) } else { (max, min) };
    if min == max {
        return vec![min];
    }
    let target = u32::try_from(target.max(2)).unwrap_or(u32::MAX);
    let Some(step) = nice_step(min, max, target) else {
        return Vec::new();
    };
    let step_size = step.significand * 10f64.powi(step.exponent);
    // One extra index on each side absorbs rounding in the division; the range check below
    // then keeps exactly the ticks inside the bounds.
    let first_index = (min / step_size).ceil() - 1.0;
    let last_index = (max / step_size).floor() + 1.0;
    // A nice step leaves at most about 1.6 × target intervals; the cap guarantees the loop ends
    // even where indices are too large for `+ 1.0` to change them.
    let max_candidates = target.saturating_mul(2).saturating_add(4);

    let mut ticks: Vec<f64> = (0..max_candidates)
        .map(|offset| first_index + f64::from(offset))
        .take_while(|index| *index <= last_index)
        .filter_map(|index| decimal(index * step.significand, step.exponent))
        .filter(|tick| (min..=max).contains(tick))
        .collect();
    ticks.dedup();
    ticks
}

/// The 1-2-5 step closest to giving `target` intervals over `[min, max]` (the thresholds
/// are the geometric means between neighbouring choices, as in d3's `tickStep`).
fn nice_step(min: f64, max: f64, target: u32) -> Option<TickStep> {
    let count = f64::from(target);
    let rough = max / count - min / count;
    if !(rough.is_finite() && rough > 0.0) {
        return None;
    }
    // log10 of a positive finite f64 lies within ±324, so the cast cannot saturate.
    let exponent = rough.log10().floor() as i32;
    let error = rough / 10f64.powi(exponent);
    let step = if error >= 50f64.sqrt() {
        TickStep { significand: 1.0, exponent: exponent + 1 }
    } else if error >= 10f64.sqrt() {
        TickStep { significand: 5.0, exponent }
    } else if error >= 2f64.sqrt() {
        TickStep { significand: 2.0, exponent }
    } else {
        TickStep { significand: 1.0, exponent }
    };
    Some(step)
}

/// The float nearest to `significand × 10^exponent` for an integral `significand`. Parsing the
/// decimal text lets the standard library do the correctly rounded conversion; multiplying by
/// `10^exponent` would add noise to every tick with a fractional step.
fn decimal(significand: f64, exponent: i32) -> Option<f64> {
    let value: f64 = format!("{significand}e{exponent}").parse().ok()?;
    // Normalises -0 (from index -0.0) so labels never read "-0".
    Some(if value == 0.0 { 0.0 } else { value })
}

/// How many ticks a log axis asks `nice_ticks` for when its range is within one decade.
const LOG_FALLBACK_TICK_TARGET: usize = 5;

/// Ticks for a log axis: the powers of ten within `[min, max]` (`min > 0`). A range too narrow
/// to hold two of them falls back to nice linear ticks, keeping only the positive ones.
pub fn log_ticks(min: f64, max: f64) -> Vec<f64> {
    let powers = powers_of_ten_within(min, max);
    if powers.len() >= 2 {
        return powers;
    }
    nice_ticks(min, max, LOG_FALLBACK_TICK_TARGET).into_iter().filter(|tick| *tick > 0.0).collect()
}

fn powers_of_ten_within(min: f64, max: f64) -> Vec<f64> {
    if !(min > 0.0 && min <= max && max.is_finite()) {
        return Vec::new();
    }
    // log10 of a positive finite f64 lies within ±324, so the casts cannot saturate. One extra
    // exponent each side absorbs rounding in log10; the range check keeps the exact set.
    let lowest = min.log10().floor() as i32 - 1;
    let highest = max.log10().ceil() as i32 + 1;
    (lowest..=highest)
        .filter_map(|exponent| decimal(1.0, exponent))
        .filter(|power| (min..=max).contains(power))
        .collect()
}

/// A short axis label: `0`, integers below 10,000 as they are (`250`), thousands and millions
/// with a suffix and at most one decimal (`12k`, `1.5M`), magnitudes below 0.001 or from 1e9 up
/// in exponent form (`1e-5`, `2.5e9`), and anything else with up to 4 significant digits
/// (`0.125`, `3.142`). Trailing zeros are always dropped.
pub fn format_tick(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    if !v.is_finite() {
        return v.to_string();
    }
    let magnitude = v.abs();
    if !(0.001..1e9).contains(&magnitude) {
        return exponent_form(v);
    }
    if magnitude < 10_000.0 {
        return if v.fract() == 0.0 { v.to_string() } else { significant_digits(v) };
    }
    suffixed(v)
}

/// `12k`, `1.5M`; values that round up to the next suffix move to it (999,990 is `1M`).
fn suffixed(v: f64) -> String {
    let thousands = round_to_tenth(v / 1e3);
    if thousands.abs() < 1_000.0 {
        return format!("{thousands}k");
    }
    let millions = round_to_tenth(v / 1e6);
    if millions.abs() < 1_000.0 {
        return format!("{millions}M");
    }
    exponent_form(v)
}

/// `2.5e9`, `1e-5`: up to 4 significant digits.
fn exponent_form(v: f64) -> String {
    let text = format!("{v:.3e}");
    match text.split_once('e') {
        Some((mantissa, exponent)) => format!("{}e{exponent}", trim_fraction_zeros(mantissa)),
        None => text,
    }
}

/// Up to 4 significant digits for magnitudes in `[0.001, 10,000)`.
fn significant_digits(v: f64) -> String {
    // Here log10 lies in [-3, 4), so the cast is exact and the decimals fall in 0..=6.
    let leading_exponent = v.abs().log10().floor() as i32;
    let decimals = usize::try_from(3 - leading_exponent).unwrap_or(0);
    trim_fraction_zeros(&format!("{v:.decimals$}")).to_string()
}

/// `1.500` → `1.5`, `2.000` → `2`; text without a decimal point is left alone.
fn trim_fraction_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// `v` rounded to one decimal; `Display` then prints at most one fractional digit.
fn round_to_tenth(v: f64) -> f64 {
    let rounded = (v * 10.0).round() / 10.0;
    // Adding +0 turns -0 into 0, so tiny negatives never print as "-0".
    rounded + 0.0
}

/// The `d` attribute of an SVG path through `points`: `M` to the first drawable point, `L` to
/// each next one. A point either scale cannot map (a `NaN` loss, a zero on a log axis) lifts
/// the pen, so the line shows a gap instead of bridging it; the next drawable point starts a
/// new `M`. Coordinates are rounded to one decimal (and printed without a trailing `.0`) to
/// keep the markup small. Empty when nothing is drawable.
pub fn path_data(points: &[(f64, f64)], x: &Scale, y: &Scale) -> String {
    let mut d = String::new();
    let mut pen_down = false;
    for &(px, py) in points {
        match (x.apply(px), y.apply(py)) {
            (Some(sx), Some(sy)) => {
                let command = if pen_down { 'L' } else { 'M' };
                // Writing into a String cannot fail.
                let _ = write!(d, "{command}{},{}", round_to_tenth(sx), round_to_tenth(sy));
                pen_down = true;
            }
            _ => pen_down = false,
        }
    }
    d
}

/// The index of the value in ascending `sorted_xs` closest to `x`, for snapping a hover
/// cursor to a data point; the lower index on ties. `None` when empty or `x` is NaN.
pub fn nearest_index(sorted_xs: &[f64], x: f64) -> Option<usize> {
    if sorted_xs.is_empty() || x.is_nan() {
        return None;
    }
    let above = sorted_xs.partition_point(|v| *v < x);
    if above == 0 {
        return Some(0);
    }
    if above == sorted_xs.len() {
        return Some(above - 1);
    }
    let below = above - 1;
    let closer_below = x - sorted_xs[below] <= sorted_xs[above] - x;
    Some(if closer_below { below } else { above })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 1e-9, "{actual} is not {expected}");
    }

    #[test]
    fn linear_scale_maps_domain_onto_range() {
        let scale = Scale::linear((0.0, 10.0), (0.0, 200.0));
        assert_eq!(scale.apply(0.0), Some(0.0));
        assert_eq!(scale.apply(2.5), Some(50.0));
        assert_eq!(scale.apply(10.0), Some(200.0));
        assert_eq!(scale.apply(-5.0), Some(-100.0));
    }

    #[test]
    fn linear_scale_handles_inverted_pixel_range() {
        // SVG y grows downwards, so y scales run from the bottom pixel to the top one.
        let y = Scale::linear((0.0, 1.0), (100.0, 0.0));
        assert_eq!(y.apply(0.0), Some(100.0));
        assert_eq!(y.apply(0.25), Some(75.0));
        assert_close(y.invert(75.0), 0.25);
    }

    #[test]
    fn scale_rejects_non_finite_values() {
        let scale = Scale::linear((0.0, 1.0), (0.0, 10.0));
        assert_eq!(scale.apply(f64::NAN), None);
        assert_eq!(scale.apply(f64::INFINITY), None);
        assert_eq!(scale.apply(f64::NEG_INFINITY), None);
    }

    #[test]
    fn degenerate_domain_maps_to_middle_of_range() {
        assert_eq!(Scale::linear((3.0, 3.0), (0.0, 100.0)).apply(42.0), Some(50.0));
        assert_eq!(Scale::logarithmic((5.0, 5.0), (10.0, 20.0)).apply(0.1), Some(15.0));
        assert_eq!(Scale::linear((3.0, 3.0), (0.0, 100.0)).invert(70.0), 3.0);
    }

    #[test]
    fn log_scale_spaces_decades_evenly() {
        let scale = Scale::logarithmic((1.0, 1000.0), (0.0, 300.0));
        assert_close(scale.apply(1.0).expect("positive"), 0.0);
        assert_close(scale.apply(10.0).expect("positive"), 100.0);
        assert_close(scale.apply(1000.0).expect("positive"), 300.0);
        assert_eq!(scale.apply(0.0), None);
        assert_eq!(scale.apply(-1.0), None);
        assert_eq!(Scale::logarithmic((0.0, 10.0), (0.0, 1.0)).apply(1.0), None);
    }

    #[test]
    fn invert_undoes_apply() {
        let linear = Scale::linear((-4.0, 12.0), (30.0, 630.0));
        let log = Scale::logarithmic((0.01, 100.0), (500.0, 0.0));
        for v in [-4.0, 0.0, 3.3, 12.0] {
            assert_close(linear.invert(linear.apply(v).expect("finite")), v);
        }
        for v in [0.01, 0.5, 7.0, 100.0] {
            let back = log.invert(log.apply(v).expect("positive"));
            assert!((back / v - 1.0).abs() < 1e-12, "{back} is not {v}");
        }
        assert_eq!(Scale::linear((2.0, 8.0), (5.0, 5.0)).invert(99.0), 2.0);
        assert!(Scale::logarithmic((-1.0, 8.0), (0.0, 5.0)).invert(1.0).is_nan());
    }

    #[test]
    fn padded_domain_pads_linear_extent_by_five_percent() {
        let domain = padded_domain([-10.0, 5.0, 10.0].into_iter(), false).expect("values");
        assert_close(domain.0, -11.0);
        assert_close(domain.1, 11.0);
    }

    #[test]
    fn padded_domain_does_not_pad_non_negative_values_below_zero() {
        assert_eq!(padded_domain([0.0, 10.0].into_iter(), false), Some((0.0, 10.5)));
        let domain = padded_domain([1.0, 101.0].into_iter(), false).expect("values");
        assert_eq!(domain.0, 0.0);
        assert_close(domain.1, 106.0);
        let domain = padded_domain([50.0, 60.0].into_iter(), false).expect("values");
        assert_close(domain.0, 49.5);
    }

    #[test]
    fn padded_domain_widens_constant_series() {
        let domain = padded_domain([0.0, 0.0].into_iter(), false).expect("values");
        assert_close(domain.0, -1.1);
        assert_close(domain.1, 1.1);
        let domain = padded_domain([-5.0].into_iter(), false).expect("values");
        assert_close(domain.0, -5.55);
        assert_close(domain.1, -4.45);
        let domain = padded_domain([20.0].into_iter(), false).expect("values");
        assert_close(domain.0, 17.8);
        assert_close(domain.1, 22.2);
        assert_eq!(padded_domain([3.0].into_iter(), true), Some((0.3, 30.0)));
    }

    #[test]
    fn padded_domain_ignores_unusable_values() {
        let values = [f64::NAN, 2.0, f64::INFINITY, -3.0, 0.0, 8.0];
        assert_eq!(padded_domain(values.into_iter(), true), Some((2.0, 8.0)));
        let domain = padded_domain(values.into_iter(), false).expect("values");
        assert_close(domain.0, -3.55);
        assert_close(domain.1, 8.55);
        assert_eq!(padded_domain([f64::NAN].into_iter(), false), None);
        assert_eq!(padded_domain([0.0, -1.0].into_iter(), true), None);
        assert_eq!(padded_domain(std::iter::empty(), false), None);
    }

    #[test]
    fn nice_ticks_use_round_steps() {
        assert_eq!(nice_ticks(0.0, 100.0, 5), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(nice_ticks(0.0, 10.0, 2), vec![0.0, 5.0, 10.0]);
        assert_eq!(nice_ticks(-3.0, 7.0, 5), vec![-2.0, 0.0, 2.0, 4.0, 6.0]);
        assert_eq!(nice_ticks(1.0, 1.9, 4), vec![1.0, 1.2, 1.4, 1.6, 1.8]);
    }

    #[test]
    fn nice_ticks_have_no_float_noise() {
        assert_eq!(
            nice_ticks(0.0, 1.0, 10),
            vec![0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
        );
        assert_eq!(nice_ticks(0.0003, 0.0011, 4), vec![0.0004, 0.0006, 0.0008, 0.001]);
        assert_eq!(nice_ticks(-0.35, 0.05, 4), vec![-0.3, -0.2, -0.1, 0.0]);
    }

    #[test]
    fn nice_ticks_stay_within_bounds_ascending_and_near_target() {
        for (min, max) in [(0.013, 0.97), (-1234.0, 98765.0), (1e-9, 3e-9), (5.0, 5.5)] {
            for target in [2, 5, 10] {
                let ticks = nice_ticks(min, max, target);
                assert!(ticks.iter().all(|t| (min..=max).contains(t)), "{ticks:?}");
                assert!(ticks.windows(2).all(|w| w[0] < w[1]), "{ticks:?}");
                // Two ticks may not both fit in the range when only two are asked for.
                let fewest = if target == 2 { 1 } else { 2 };
                assert!(ticks.len() >= fewest && ticks.len() <= 2 * target + 1, "{ticks:?}");
            }
        }
    }

    #[test]
    fn nice_ticks_degenerate_inputs() {
        assert_eq!(nice_ticks(4.0, 4.0, 5), vec![4.0]);
        assert_eq!(nice_ticks(10.0, 0.0, 2), vec![0.0, 5.0, 10.0]);
        assert_eq!(nice_ticks(f64::NAN, 1.0, 5), Vec::<f64>::new());
        assert_eq!(nice_ticks(0.0, f64::INFINITY, 5), Vec::<f64>::new());
        assert_eq!(nice_ticks(0.0, 10.0, 0), nice_ticks(0.0, 10.0, 2));
    }

    #[test]
    fn nice_ticks_never_emit_negative_zero() {
        let ticks = nice_ticks(-1.0, 1.0, 4);
        let zero = ticks.iter().find(|t| **t == 0.0).expect("zero tick");
        assert!(zero.is_sign_positive());
    }

    #[test]
    fn log_ticks_are_powers_of_ten() {
        assert_eq!(log_ticks(1.0, 1000.0), vec![1.0, 10.0, 100.0, 1000.0]);
        assert_eq!(log_ticks(0.0005, 0.2), vec![0.001, 0.01, 0.1]);
        assert_eq!(log_ticks(3.0, 2e5), vec![10.0, 100.0, 1000.0, 1e4, 1e5]);
        assert_eq!(log_ticks(1e-30, 1e-28), vec![1e-30, 1e-29, 1e-28]);
    }

    #[test]
    fn log_ticks_fall_back_to_positive_nice_ticks() {
        assert_eq!(log_ticks(2.0, 8.0), vec![2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
        assert_eq!(log_ticks(5.0, 50.0), vec![10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(log_ticks(-10.0, 10.0), vec![5.0, 10.0]);
    }

    #[test]
    fn format_tick_plain_integers_and_zero() {
        assert_eq!(format_tick(0.0), "0");
        assert_eq!(format_tick(-0.0), "0");
        assert_eq!(format_tick(250.0), "250");
        assert_eq!(format_tick(-42.0), "-42");
        assert_eq!(format_tick(9999.0), "9999");
    }

    #[test]
    fn format_tick_suffixes_thousands_and_millions() {
        assert_eq!(format_tick(10_000.0), "10k");
        assert_eq!(format_tick(12_000.0), "12k");
        assert_eq!(format_tick(12_345.0), "12.3k");
        assert_eq!(format_tick(-15_500.0), "-15.5k");
        assert_eq!(format_tick(999_990.0), "1M");
        assert_eq!(format_tick(1_500_000.0), "1.5M");
        assert_eq!(format_tick(250_000_000.0), "250M");
        assert_eq!(format_tick(999_990_000.0), "1e9");
    }

    #[test]
    fn format_tick_uses_exponents_for_extreme_magnitudes() {
        assert_eq!(format_tick(0.00001), "1e-5");
        assert_eq!(format_tick(-0.00025), "-2.5e-4");
        assert_eq!(format_tick(2.5e9), "2.5e9");
        assert_eq!(format_tick(1e9), "1e9");
        assert_eq!(format_tick(1.23456e12), "1.235e12");
    }

    #[test]
    fn format_tick_keeps_four_significant_digits() {
        assert_eq!(format_tick(0.125), "0.125");
        assert_eq!(format_tick(std::f64::consts::PI), "3.142");
        assert_eq!(format_tick(0.3), "0.3");
        assert_eq!(format_tick(0.1 + 0.2), "0.3");
        assert_eq!(format_tick(0.001), "0.001");
        assert_eq!(format_tick(0.0012346), "0.001235");
        assert_eq!(format_tick(1234.5678), "1235");
        assert_eq!(format_tick(-2.5), "-2.5");
    }

    #[test]
    fn path_data_draws_one_line() {
        let x = Scale::linear((0.0, 10.0), (0.0, 100.0));
        let y = Scale::linear((0.0, 1.0), (50.0, 0.0));
        let d = path_data(&[(0.0, 0.0), (5.0, 0.5), (10.0, 0.3)], &x, &y);
        assert_eq!(d, "M0,50L50,25L100,35");
    }

    #[test]
    fn path_data_rounds_to_one_decimal() {
        let x = Scale::linear((0.0, 3.0), (0.0, 1.0));
        let y = Scale::linear((0.0, 1.0), (0.0, 1.0));
        assert_eq!(path_data(&[(1.0, -0.01), (2.0, 0.25)], &x, &y), "M0.3,0L0.7,0.3");
    }

    #[test]
    fn path_data_breaks_the_line_at_undrawable_points() {
        let x = Scale::linear((0.0, 4.0), (0.0, 40.0));
        let y = Scale::logarithmic((1.0, 100.0), (20.0, 0.0));
        let points = [(0.0, 1.0), (1.0, 10.0), (2.0, f64::NAN), (3.0, 0.0), (4.0, 100.0)];
        assert_eq!(path_data(&points, &x, &y), "M0,20L10,10M40,0");
    }

    #[test]
    fn path_data_is_empty_when_nothing_is_drawable() {
        let x = Scale::linear((0.0, 1.0), (0.0, 10.0));
        let y = Scale::logarithmic((1.0, 10.0), (10.0, 0.0));
        assert_eq!(path_data(&[], &x, &y), "");
        assert_eq!(path_data(&[(0.0, -1.0), (f64::NAN, 5.0)], &x, &y), "");
    }

    #[test]
    fn nearest_index_finds_closest_value() {
        let xs = [0.0, 10.0, 20.0, 35.0];
        assert_eq!(nearest_index(&xs, -5.0), Some(0));
        assert_eq!(nearest_index(&xs, 4.9), Some(0));
        assert_eq!(nearest_index(&xs, 5.1), Some(1));
        assert_eq!(nearest_index(&xs, 20.0), Some(2));
        assert_eq!(nearest_index(&xs, 28.0), Some(3));
        assert_eq!(nearest_index(&xs, 1e9), Some(3));
    }

    #[test]
    fn nearest_index_prefers_lower_index_on_ties() {
        assert_eq!(nearest_index(&[0.0, 10.0, 20.0], 5.0), Some(0));
        assert_eq!(nearest_index(&[0.0, 10.0, 20.0], 15.0), Some(1));
        assert_eq!(nearest_index(&[1.0, 2.0, 2.0, 3.0], 2.0), Some(1));
    }

    #[test]
    fn nearest_index_of_nothing_is_none() {
        assert_eq!(nearest_index(&[], 1.0), None);
        assert_eq!(nearest_index(&[1.0], f64::NAN), None);
        assert_eq!(nearest_index(&[7.0], -100.0), Some(0));
    }
}
