//! `optml game --plot`: the (x, y) trajectory of a 2-D game, a GAN's samples against its
//! mixture, or the measure per iteration.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use optml::games::Mixture;

use crate::output::plot::{save, DrawResult, Figure};
use crate::CliResult;

/// (iteration, x₁, y₁, measure) per recorded iterate.
type History = [(usize, f64, f64, f64)];

/// The path of (x, y) in the plane, with the equilibrium marked.
pub fn trajectory(path: &Path, title: &str, history: &History, eq: (f64, f64)) -> CliResult {
    save(path, (640, 640), &Trajectory { title, history, eq })
}

/// The measure against the iteration, on a log axis.
pub fn measure(path: &Path, title: &str, name: &str, history: &History) -> CliResult {
    save(
        path,
        (900, 520),
        &Measure {
            title,
            name,
            history,
        },
    )
}

struct Trajectory<'a> {
    title: &'a str,
    history: &'a History,
    eq: (f64, f64),
}

impl Figure for Trajectory<'_> {
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let pts: Vec<(f64, f64)> = self
            .history
            .iter()
            .map(|h| (h.1, h.2))
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .collect();
        let r = pts
            .iter()
            .map(|p| (p.0 - self.eq.0).abs().max((p.1 - self.eq.1).abs()))
            .fold(1e-3, f64::max)
            * 1.1;
        let mut chart = ChartBuilder::on(&root)
            .caption(self.title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(self.eq.0 - r..self.eq.0 + r, self.eq.1 - r..self.eq.1 + r)?;
        chart.configure_mesh().x_desc("x").y_desc("y").draw()?;
        chart.draw_series(LineSeries::new(pts.clone(), BLUE.stroke_width(2)))?;
        chart.draw_series(pts.iter().map(|&p| Circle::new(p, 2, BLUE.filled())))?;
        chart.draw_series(std::iter::once(Cross::new(self.eq, 8, RED.stroke_width(3))))?;
        root.present()?;
        Ok(())
    }
}

struct Measure<'a> {
    title: &'a str,
    name: &'a str,
    history: &'a History,
}

impl Figure for Measure<'_> {
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let pts: Vec<(f64, f64)> = self
            .history
            .iter()
            .map(|h| (h.0 as f64, h.3))
            .filter(|p| p.1.is_finite() && p.1 > 0.0)
            .collect();
        let hi = pts.iter().map(|p| p.1).fold(1e-300, f64::max) * 2.0;
        let lo = pts
            .iter()
            .map(|p| p.1)
            .fold(f64::INFINITY, f64::min)
            .min(hi / 4.0)
            / 2.0;
        let last = pts.last().map_or(1.0, |p| p.0.max(1.0));
        let mut chart = ChartBuilder::on(&root)
            .caption(self.title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..last, (lo..hi).log_scale())?;
        chart
            .configure_mesh()
            .x_desc("iteration")
            .y_desc(self.name)
            .y_label_formatter(&|v| format!("{v:.0e}"))
            .draw()?;
        chart.draw_series(LineSeries::new(pts, BLUE.stroke_width(2)))?;
        root.present()?;
        Ok(())
    }
}

/// Generated points (row-major n × 2) over the mixture's centres and their 3σ circles.
pub fn samples(path: &Path, title: &str, points: &[f64], mixture: &Mixture) -> CliResult {
    save(
        path,
        (640, 640),
        &Samples {
            title,
            points,
            mixture,
        },
    )
}

struct Samples<'a> {
    title: &'a str,
    points: &'a [f64],
    mixture: &'a Mixture,
}

impl Figure for Samples<'_> {
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let r = self.mixture.radius.abs() * 1.6 + 6.0 * self.mixture.sigma;
        let inside = |p: &[f64]| p[0].abs() <= r && p[1].abs() <= r;
        let total = self.points.len() / 2;
        let outside = self.points.chunks_exact(2).filter(|p| !inside(p)).count();
        let caption = if outside > 0 {
            format!(
                "{} ({outside} of {total} samples off the frame)",
                self.title
            )
        } else {
            self.title.to_string()
        };
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(-r..r, -r..r)?;
        chart.configure_mesh().draw()?;
        chart
            .draw_series(
                self.points
                    .chunks_exact(2)
                    .filter(|p| inside(p))
                    .map(|p| Circle::new((p[0], p[1]), 1, BLUE.mix(0.3).filled())),
            )?
            .label("generated")
            .legend(|(x, y)| Circle::new((x, y), 3, BLUE.filled()));
        // Each centre with its 3σ circle (drawn as a polygon in data coordinates).
        let three = 3.0 * self.mixture.sigma;
        for k in 0..self.mixture.modes {
            let c = self.mixture.centre(k);
            let ring: Vec<(f64, f64)> = (0..=48)
                .map(|i| {
                    let t = 2.0 * std::f64::consts::PI * i as f64 / 48.0;
                    (c[0] + three * t.cos(), c[1] + three * t.sin())
                })
                .collect();
            chart.draw_series(LineSeries::new(ring, RED.stroke_width(2)))?;
        }
        chart
            .draw_series(
                (0..self.mixture.modes)
                    .map(|k| self.mixture.centre(k))
                    .map(|c| Cross::new((c[0], c[1]), 5, RED.stroke_width(2))),
            )?
            .label("mode centre, 3σ circle")
            .legend(|(x, y)| Cross::new((x, y), 5, RED.stroke_width(2)));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
        root.present()?;
        Ok(())
    }
}
