//! The phase-transition experiment of `optml phase --sweep`: the success rate of Wirtinger Flow
//! and Truncated Wirtinger Flow against the oversampling m/n for real Gaussian measurements
//! (success: ‖x̂ ∓ x‖/‖x‖ ≤ 10⁻⁵), as a markdown table and a plot.

use std::io::Write;
use std::path::Path;

use optml::monitor::quiet;
use optml::nonconvex::phase_retrieval::{
    distance_up_to_phase, planted, TruncatedWirtingerFlow, WirtingerFlow,
};
use optml::solvers::Stop;
use plotters::coord::Shift;
use plotters::prelude::*;
use rayon::prelude::*;

use crate::output::plot;
use crate::CliResult;

/// Relative error below which a trial counts as a recovery.
pub const SUCCESS: f64 = 1e-5;

/// One row per ratio: (m/n, WF success rate, TWF success rate).
pub type Rates = Vec<(f64, f64, f64)>;

/// The misfit ‖ |Ax̂|² − y ‖/‖y‖ at which a trial's run stops.
pub const TOL: f64 = 1e-8;

/// Runs `trials` planted instances (seeds `seed`, `seed` + 1, ...) per ratio, both methods on
/// each under `stop`, in parallel over trials.
pub fn sweep(n: usize, ratios: &[f64], trials: usize, stop: Stop, seed: u64) -> CliResult<Rates> {
    let mut rows = vec![];
    for &ratio in ratios {
        let m = (ratio * n as f64).round() as usize;
        if m == 0 {
            return Err(format!("ratio {ratio} gives no measurements").into());
        }
        let hits: Vec<(bool, bool)> = (0..trials)
            .into_par_iter()
            .map(|t| -> Result<(bool, bool), String> {
                let s = seed.wrapping_add(t as u64);
                let p = planted::<f64>(n, m, s).map_err(|e| e.to_string())?;
                let xn = p.signal.iter().map(|v| v * v).sum::<f64>().sqrt();
                let ok = |z: &[f64]| distance_up_to_phase(z, &p.signal) <= SUCCESS * xn;
                let wf = WirtingerFlow {
                    stop,
                    seed: s,
                    ..WirtingerFlow::default()
                }
                .solve(&p.measurements, &mut quiet())
                .map(|(z, _)| ok(&z))
                .unwrap_or(false);
                let twf = TruncatedWirtingerFlow {
                    stop,
                    seed: s,
                    ..TruncatedWirtingerFlow::default()
                }
                .solve(&p.measurements, &mut quiet())
                .map(|(z, _)| ok(&z))
                .unwrap_or(false);
                Ok((wf, twf))
            })
            .collect::<Result<_, _>>()?;
        let rate = |f: fn(&(bool, bool)) -> bool| {
            hits.iter().filter(|h| f(h)).count() as f64 / trials as f64
        };
        let row = (ratio, rate(|h| h.0), rate(|h| h.1));
        println!("m/n = {:>5.2}: WF {:.2}, TWF {:.2}", row.0, row.1, row.2);
        rows.push(row);
    }
    Ok(rows)
}

/// The rates as a markdown table.
pub fn write_table(path: &Path, n: usize, trials: usize, rows: &Rates) -> CliResult {
    optml::write_atomic(path, |w| {
        writeln!(
            w,
            "Success rate (relative error ≤ {SUCCESS:.0e} up to sign), real Gaussian \
             measurements, n = {n}, {trials} trials per point.\n"
        )?;
        writeln!(w, "| m/n | Wirtinger Flow | Truncated WF |")?;
        writeln!(w, "|---:|---:|---:|")?;
        for (r, wf, twf) in rows {
            writeln!(w, "| {r:.2} | {wf:.2} | {twf:.2} |")?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The rates against m/n, as SVG or PNG by the extension of `path`.
pub fn write_plot(path: &Path, n: usize, trials: usize, rows: &Rates) -> CliResult {
    plot::save(path, (800, 480), &RatePlot { n, trials, rows })
}

/// The success rates of both methods against m/n.
struct RatePlot<'a> {
    n: usize,
    trials: usize,
    rows: &'a Rates,
}

impl plot::Figure for RatePlot<'_> {
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> plot::DrawResult
    where
        DB::ErrorType: 'static,
    {
        let RatePlot { n, trials, rows } = *self;
        root.fill(&WHITE)?;
        let hi = rows.iter().map(|r| r.0).fold(0.0, f64::max);
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .caption(
                format!("Phase retrieval, real Gaussian, n = {n}, {trials} trials"),
                ("sans-serif", 18),
            )
            .build_cartesian_2d(0.0..hi + 0.5, 0.0..1.05)?;
        chart
            .configure_mesh()
            .x_desc("m / n")
            .y_desc("success rate")
            .draw()?;
        for (k, name) in ["Wirtinger Flow", "Truncated WF"].iter().enumerate() {
            let color = Palette99::pick(k).to_rgba();
            let pts: Vec<(f64, f64)> = rows
                .iter()
                .map(|r| (r.0, if k == 0 { r.1 } else { r.2 }))
                .collect();
            chart
                .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))?
                .label(*name)
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2))
                });
            chart.draw_series(pts.iter().map(|&p| Circle::new(p, 3, color.filled())))?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .position(SeriesLabelPosition::LowerRight)
            .draw()?;
        root.present()?;
        Ok(())
    }
}
