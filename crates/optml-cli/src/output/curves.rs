//! Learning curves of a stochastic run: training and validation loss and accuracy, against
//! epochs and against seconds (four panels).

use std::path::Path;

use optml::solvers::stochastic::EpochRecord;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::plot::{save, DrawResult, Figure};
use crate::CliResult;

/// Draws the curves of `records` into `path` (.svg or .png).
pub fn learning_curves(path: &Path, title: &str, records: &[EpochRecord]) -> CliResult {
    save(path, (1200, 800), &Curves { title, records })
}

struct Curves<'a> {
    title: &'a str,
    records: &'a [EpochRecord],
}

type Pick = fn(&EpochRecord) -> Option<f64>;

impl Figure for Curves<'_> {
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let root = root.titled(self.title, ("sans-serif", 22))?;
        let panels = root.split_evenly((2, 2));
        let losses: [(&str, Pick); 2] = [
            ("training", |r| Some(r.train_loss)),
            ("validation", |r| r.val_loss),
        ];
        let accuracies: [(&str, Pick); 2] = [
            ("training", |r| r.train_accuracy),
            ("validation", |r| r.val_accuracy),
        ];
        let epoch: fn(&EpochRecord) -> f64 = |r| r.epoch as f64;
        let seconds: fn(&EpochRecord) -> f64 = |r| r.seconds;
        for (area, label, x, xd, lines) in [
            (&panels[0], "loss", epoch, "epoch", &losses),
            (&panels[1], "accuracy", epoch, "epoch", &accuracies),
            (&panels[2], "loss", seconds, "seconds", &losses),
            (&panels[3], "accuracy", seconds, "seconds", &accuracies),
        ] {
            panel(area, label, xd, self.records, x, lines)?;
        }
        root.present()?;
        Ok(())
    }
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    label: &str,
    x_desc: &str,
    records: &[EpochRecord],
    x: fn(&EpochRecord) -> f64,
    lines: &[(&str, Pick)],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let ys: Vec<f64> = lines
        .iter()
        .flat_map(|(_, y)| records.iter().filter_map(y))
        .filter(|v| v.is_finite())
        .collect();
    if ys.is_empty() {
        return Ok(());
    }
    let lo = ys.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.05).max(1e-12);
    let x_max = records.iter().map(x).fold(1e-9, f64::max);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .caption(label, ("sans-serif", 18))
        .build_cartesian_2d(0.0..x_max, (lo - pad)..(hi + pad))?;
    chart.configure_mesh().x_desc(x_desc).draw()?;
    for (k, (name, y)) in lines.iter().enumerate() {
        let color = Palette99::pick(k).to_rgba();
        let points: Vec<(f64, f64)> = records
            .iter()
            .filter_map(|r| y(r).map(|v| (x(r), v)))
            .filter(|(_, v)| v.is_finite())
            .collect();
        if points.is_empty() {
            continue;
        }
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))?
            .label(*name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}
