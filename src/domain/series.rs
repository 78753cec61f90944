//! Metric time series helpers shared by the server and the browser, so a chart rendered on the
//! server and the one redrawn after hydration are built from exactly the same numbers.

use std::ops::Range;

/// Reduces `points` (sorted by x) to at most `max_points` while keeping the series' visual
/// shape, so a chart with a few hundred pixels never has to draw (or ship) a million points.
///
/// Uses Largest-Triangle-Three-Buckets (Steinarsson, 2013): the first and last points are kept,
/// the points between them are split into `max_points - 2` buckets, and each bucket contributes
/// the point forming the largest triangle with the previously chosen point and the centroid of
/// the next bucket. Unlike averaging or every-n-th sampling, this keeps spikes visible.
///
/// Series that already fit are returned unchanged. With fewer than three points there are no
/// buckets, so `max_points` of 2, 1 and 0 give the endpoints, the first point, and nothing.
pub fn downsample(points: &[(f64, f64)], max_points: usize) -> Vec<(f64, f64)> {
    if points.len() <= max_points {
        return points.to_vec();
    }
    // From here on `points.len() > max_points`, so the slices below are never out of bounds.
    match max_points {
        0 => Vec::new(),
        1 => points[..1].to_vec(),
        2 => vec![points[0], points[points.len() - 1]],
        _ => largest_triangle_three_buckets(points, max_points),
    }
}

/// LTTB proper; requires `points.len() > max_points >= 3`, which makes every bucket non-empty.
fn largest_triangle_three_buckets(points: &[(f64, f64)], max_points: usize) -> Vec<(f64, f64)> {
    let first = points[0];
    let last = points[points.len() - 1];
    let inner = &points[1..points.len() - 1];
    let buckets = max_points - 2;

    let mut sampled = Vec::with_capacity(max_points);
    sampled.push(first);
    let mut previous = first;
    for bucket in 0..buckets {
        let candidates = &inner[bucket_bounds(bucket, inner.len(), buckets)];
        let next = if bucket + 1 < buckets {
            centroid(&inner[bucket_bounds(bucket + 1, inner.len(), buckets)])
        } else {
            last
        };
        if let Some(chosen) = largest_triangle(previous, candidates, next) {
            sampled.push(chosen);
            previous = chosen;
        }
    }
    sampled.push(last);
    sampled
}

/// The index range of bucket `bucket` when `len` items are split into `buckets` buckets whose
/// sizes differ by at most one.
fn bucket_bounds(bucket: usize, len: usize, buckets: usize) -> Range<usize> {
    bucket_start(bucket, len, buckets)..bucket_start(bucket + 1, len, buckets)
}

/// `floor(bucket * len / buckets)`, in integers so bucket edges are exact. The product is taken
/// in `u128` because it overflows a 32-bit `usize` (the browser's wasm32) for long series.
fn bucket_start(bucket: usize, len: usize, buckets: usize) -> usize {
    // `usize` to `u128` is lossless on every target Rust supports.
    let start = bucket as u128 * len as u128 / buckets as u128;
    // The quotient is at most `len` whenever `bucket <= buckets`, so it fits back.
    usize::try_from(start).unwrap_or(len)
}

/// The average point of a non-empty bucket: where the next bucket "pulls" the line.
fn centroid(points: &[(f64, f64)]) -> (f64, f64) {
    let (sum_x, sum_y) = points.iter().fold((0.0, 0.0), |(sx, sy), &(x, y)| (sx + x, sy + y));
    // Counts above 2^53 would round, which only nudges an average; it cannot misbehave.
    let count = points.len() as f64;
    (sum_x / count, sum_y / count)
}

/// The candidate that forms the largest triangle with `previous` and `next` (the first one on
/// ties, so the result does not depend on float noise between equal areas).
fn largest_triangle(
    previous: (f64, f64),
    candidates: &[(f64, f64)],
    next: (f64, f64),
) -> Option<(f64, f64)> {
    let mut best: Option<((f64, f64), f64)> = None;
    for &candidate in candidates {
        let area = doubled_triangle_area(previous, candidate, next);
        if best.is_none_or(|(_, best_area)| area > best_area) {
            best = Some((candidate, area));
        }
    }
    best.map(|(point, _)| point)
}

/// Twice the triangle's area: only compared, so the halving is skipped.
fn doubled_triangle_area(a: (f64, f64), b: (f64, f64), c: (f64, f64)) -> f64 {
    ((a.0 - c.0) * (b.1 - a.1) - (a.0 - b.0) * (c.1 - a.1)).abs()
}

/// Weights at or above 1 would freeze the average at its first value (and make debiasing
/// divide by zero), so smoothing stops just short of that.
const MAX_SMOOTHING_WEIGHT: f64 = 0.999;

/// TensorBoard-style exponential moving average, so the smoothing slider behaves the way people
/// who train models already know.
///
/// The average is debiased: a plain EMA starts from zero and so drags the first values towards
/// zero; dividing by `1 - weight^n` removes that, and the first smoothed value equals the first
/// raw value. `weight` is clamped to `[0, 0.999]` (NaN counts as 0); 0 returns the input.
/// Non-finite values are passed through as they are and left out of the average, so one `NaN`
/// loss does not turn the rest of the curve into `NaN`.
pub fn smooth(values: &[f64], weight: f64) -> Vec<f64> {
    let weight = clamp_smoothing_weight(weight);
    if weight == 0.0 {
        return values.to_vec();
    }
    let mut average = 0.0;
    // `weight^n` after n finite values: the share of the zero start still inside `average`.
    let mut zero_start_share = 1.0;
    values
        .iter()
        .map(|&value| {
            if !value.is_finite() {
                return value;
            }
            average = average * weight + (1.0 - weight) * value;
            zero_start_share *= weight;
            average / (1.0 - zero_start_share)
        })
        .collect()
}

fn clamp_smoothing_weight(weight: f64) -> f64 {
    if weight.is_nan() {
        0.0
    } else {
        weight.clamp(0.0, MAX_SMOOTHING_WEIGHT)
    }
}

/// What a metric card shows next to its chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SeriesSummary {
    /// The most recent value, as recorded (it may be `NaN` if the last step diverged).
    pub last: f64,
    /// Smallest value, ignoring `NaN`; `NaN` only when every value is `NaN`.
    pub min: f64,
    /// Largest value, ignoring `NaN`; `NaN` only when every value is `NaN`.
    pub max: f64,
    /// How many values were recorded, `NaN`s included.
    pub count: usize,
}

/// Last, min, max and count of a series; `None` when it is empty.
pub fn summarize(values: &[f64]) -> Option<SeriesSummary> {
    let last = *values.last()?;
    // `f64::min`/`max` return the other operand when one is NaN, so starting from NaN and
    // folding skips every NaN and stays NaN only if there was nothing else.
    let (min, max) =
        values.iter().fold((f64::NAN, f64::NAN), |(min, max), &v| (min.min(v), max.max(v)));
    Some(SeriesSummary { last, min, max, count: values.len() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(len: usize) -> Vec<(f64, f64)> {
        (0..len).map(|i| (i as f64, (i % 7) as f64)).collect()
    }

    fn assert_close(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 1e-9, "{actual} is not {expected}");
    }

    #[test]
    fn downsample_returns_short_series_unchanged() {
        let points = ramp(5);
        assert_eq!(downsample(&points, 5), points);
        assert_eq!(downsample(&points, 100), points);
        assert_eq!(downsample(&points[..1], 2), points[..1]);
        assert_eq!(downsample(&[], 0), vec![]);
    }

    #[test]
    fn downsample_below_three_points_keeps_endpoints_only() {
        let points = ramp(10);
        assert_eq!(downsample(&points, 2), vec![(0.0, 0.0), (9.0, 2.0)]);
        assert_eq!(downsample(&points, 1), vec![(0.0, 0.0)]);
        assert_eq!(downsample(&points, 0), vec![]);
        assert_eq!(downsample(&points[..3], 2), vec![(0.0, 0.0), (2.0, 2.0)]);
    }

    #[test]
    fn downsample_picks_the_peak_of_a_single_bucket() {
        let points = [(0.0, 0.0), (1.0, 0.0), (2.0, 5.0), (3.0, 0.0), (4.0, 0.0)];
        assert_eq!(downsample(&points, 3), vec![(0.0, 0.0), (2.0, 5.0), (4.0, 0.0)]);
    }

    #[test]
    fn downsample_keeps_endpoints_size_and_order() {
        let points = ramp(1_000);
        for max_points in [3, 4, 10, 99, 999] {
            let sampled = downsample(&points, max_points);
            assert_eq!(sampled.len(), max_points);
            assert_eq!(sampled[0], points[0]);
            assert_eq!(sampled[max_points - 1], points[999]);
            assert!(sampled.windows(2).all(|w| w[0].0 < w[1].0), "x must strictly increase");
            assert!(sampled.iter().all(|p| points.contains(p)), "only input points are kept");
        }
    }

    #[test]
    fn downsample_breaks_area_ties_towards_the_first_candidate() {
        // On a straight line every triangle is flat, so each bucket's first point wins.
        let line: Vec<(f64, f64)> = (0..10).map(|i| (f64::from(i), f64::from(i))).collect();
        assert_eq!(downsample(&line, 4), vec![(0.0, 0.0), (1.0, 1.0), (5.0, 5.0), (9.0, 9.0)]);
    }

    #[test]
    fn downsample_keeps_a_lone_spike() {
        let mut points: Vec<(f64, f64)> = (0..500).map(|i| (f64::from(i), 1.0)).collect();
        points[333].1 = 100.0;
        points[77].1 = -50.0;
        let sampled = downsample(&points, 12);
        assert!(sampled.contains(&(333.0, 100.0)));
        assert!(sampled.contains(&(77.0, -50.0)));
    }

    #[test]
    fn bucket_starts_cover_everything_without_overflow() {
        assert_eq!(bucket_start(0, 10, 3), 0);
        assert_eq!(bucket_start(3, 10, 3), 10);
        assert_eq!(bucket_bounds(1, 10, 3), 3..6);
        let huge = usize::MAX / 2;
        assert_eq!(bucket_start(huge - 1, huge, huge), huge - 1);
    }

    #[test]
    fn smooth_with_zero_weight_is_identity() {
        let values = [3.0, -1.0, f64::NAN, 8.5];
        let smoothed = smooth(&values, 0.0);
        assert_eq!(smoothed[..2], values[..2]);
        assert!(smoothed[2].is_nan());
        assert_eq!(smoothed[3], 8.5);
        assert_eq!(smooth(&[1.0, 2.0], -3.0), vec![1.0, 2.0]);
        assert_eq!(smooth(&[1.0, 2.0], f64::NAN), vec![1.0, 2.0]);
    }

    #[test]
    fn smooth_is_debiased() {
        let smoothed = smooth(&[5.0, 5.0, 5.0, 5.0], 0.9);
        for value in smoothed {
            assert_close(value, 5.0);
        }
        assert_close(smooth(&[7.0, 100.0], 0.99)[0], 7.0);
    }

    #[test]
    fn smooth_matches_hand_computed_values() {
        // average: 0.5*0 + 0.5*0 = 0, debias 1-0.5 → 0; then 0.5*0 + 0.5*1 = 0.5, / 0.75.
        let smoothed = smooth(&[0.0, 1.0], 0.5);
        assert_close(smoothed[0], 0.0);
        assert_close(smoothed[1], 2.0 / 3.0);
    }

    #[test]
    fn smooth_passes_non_finite_values_through_without_poisoning() {
        let smoothed = smooth(&[1.0, f64::NAN, f64::INFINITY, 1.0], 0.6);
        assert_close(smoothed[0], 1.0);
        assert!(smoothed[1].is_nan());
        assert_eq!(smoothed[2], f64::INFINITY);
        assert_close(smoothed[3], 1.0);
    }

    #[test]
    fn smooth_clamps_weight_below_one() {
        let values = [0.0, 10.0, 20.0];
        assert_eq!(smooth(&values, 5.0), smooth(&values, MAX_SMOOTHING_WEIGHT));
        assert!(smooth(&values, 1.0).iter().all(|v| v.is_finite()));
    }

    #[test]
    fn summarize_empty_is_none() {
        assert_eq!(summarize(&[]), None);
    }

    #[test]
    fn summarize_reports_last_min_max_and_count() {
        let summary = summarize(&[3.0, -2.0, f64::NAN, 9.0, 4.0]).expect("non-empty");
        assert_eq!(summary, SeriesSummary { last: 4.0, min: -2.0, max: 9.0, count: 5 });
    }

    #[test]
    fn summarize_ignores_nan_for_extremes_only() {
        let summary = summarize(&[f64::NAN, 2.0, f64::NAN]).expect("non-empty");
        assert!(summary.last.is_nan());
        assert_eq!((summary.min, summary.max, summary.count), (2.0, 2.0, 3));

        let all_nan = summarize(&[f64::NAN]).expect("non-empty");
        assert!(all_nan.min.is_nan() && all_nan.max.is_nan());
    }
}
