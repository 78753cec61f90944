//! Believable training curves for demo runs, from a small deterministic generator (the same
//! seed gives the same run, so demo data is reproducible and needs no random-number crate).

use crate::domain::run::MetricPoint;

/// xorshift64*: fast, small, and good enough for noise.
pub struct Noise(u64);

impl Noise {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        // The top 53 bits fill an f64's mantissa exactly.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [low, high).
    pub fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// One of `choices`.
    pub fn pick<'a, T>(&mut self, choices: &'a [T]) -> &'a T {
        let index = (self.unit() * choices.len() as f64) as usize;
        &choices[index.min(choices.len() - 1)]
    }
}

/// How one run trained: how fast it learns, how far it gets, how noisy it is.
pub struct Curve {
    pub rate: f64,
    pub floor: f64,
    pub start: f64,
    pub noise: f64,
}

impl Curve {
    pub fn new(noise: &mut Noise) -> Self {
        Self {
            rate: noise.between(0.01, 0.06),
            floor: noise.between(0.05, 0.35),
            start: noise.between(1.8, 2.6),
            noise: noise.between(0.01, 0.05),
        }
    }

    fn loss(&self, step: f64) -> f64 {
        self.floor + (self.start - self.floor) * (-self.rate * step).exp()
    }
}

/// loss, val_loss, accuracy and learning_rate over `steps` steps.
pub fn training_points(curve: &Curve, steps: i64, noise: &mut Noise) -> Vec<MetricPoint> {
    let mut points = Vec::with_capacity(usize::try_from(steps).unwrap_or(0) * 4);
    for step in 0..steps {
        let x = step as f64;
        let loss = curve.loss(x) * (1.0 + noise.between(-curve.noise, curve.noise) * 4.0);
        let val = curve.loss(x * 0.9) * 1.08 + noise.between(0.0, curve.noise);
        let accuracy = (1.0 - curve.loss(x) / (curve.start * 1.15)).clamp(0.0, 0.995)
            + noise.between(-curve.noise, curve.noise) / 2.0;
        let learning_rate = 0.001 * 0.5_f64.powf((x / 40.0).floor());
        for (key, value) in [
            ("loss", loss.max(0.0)),
            ("val_loss", val.max(0.0)),
            ("accuracy", accuracy.clamp(0.0, 1.0)),
            ("learning_rate", learning_rate),
        ] {
            points.push(MetricPoint { key: key.to_owned(), step, value });
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_run_and_loss_falls() {
        let mut a = Noise::new(7);
        let mut b = Noise::new(7);
        assert_eq!(a.unit(), b.unit());
        let curve = Curve::new(&mut a);
        let points = training_points(&curve, 100, &mut a);
        let loss: Vec<f64> = points.iter().filter(|p| p.key == "loss").map(|p| p.value).collect();
        assert_eq!(loss.len(), 100);
        assert!(loss[99] < loss[0] / 2.0, "{} then {}", loss[0], loss[99]);
        assert!(points.iter().all(|p| p.value.is_finite() && p.value >= 0.0));
    }
}
