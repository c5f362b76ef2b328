//! Every plot the CLI draws, and the one place ([`save`]) that picks its format from the
//! file name: `.svg` is SVG, `.png` is PNG, anything else is refused with the file named.
//! Convergence plots show ‖∇f‖ and f − f_best against time on a log axis, one line per solver,
//! each curve thinned to a few hundred points.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use optml::monitor::IterInfo;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::CliResult;

/// What drawing returns, whatever the backend.
pub type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// A picture that can be drawn on any plotters backend.
pub trait Figure {
    /// Draws on `root` (and presents it).
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static;
}

/// The image formats a plot can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Svg,
    Png,
}

/// The format the extension of `path` names, once its folder is known to exist.
fn format_of(path: &Path) -> Result<Format, String> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let format = if ext.eq_ignore_ascii_case("svg") {
        Format::Svg
    } else if ext.eq_ignore_ascii_case("png") {
        Format::Png
    } else {
        return Err(format!(
            "cannot plot to {}: the file name must end in .svg or .png",
            path.display()
        ));
    };
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => Err(format!(
            "cannot plot to {}: there is no folder {}",
            path.display(),
            dir.display()
        )),
        _ => Ok(format),
    }
}

/// Parses a `--plot` path, refusing before any work is done one that names no format or
/// lies in a folder that does not exist.
pub fn plot_path(s: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(s);
    format_of(&path)?;
    Ok(path)
}

/// Draws `figure` into `path` at `size` pixels, as SVG or PNG by the file's extension; every
/// error names the file.
pub fn save(path: &Path, size: (u32, u32), figure: &impl Figure) -> CliResult {
    let format = format_of(path)?;
    ensure_font()?;
    let drawn = match format {
        Format::Svg => figure.draw(SVGBackend::new(path, size).into_drawing_area()),
        Format::Png => figure.draw(BitMapBackend::new(path, size).into_drawing_area()),
    };
    drawn.map_err(|e| format!("cannot write plot {}: {e}", path.display()).into())
}

/// Where a TrueType font for the labels is looked for (plotters draws text with ab_glyph).
const FONT_PATHS: [&str; 4] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
];

/// Registers a system font as "sans-serif" once.
fn ensure_font() -> CliResult {
    static FONT: OnceLock<bool> = OnceLock::new();
    let ok = *FONT.get_or_init(|| {
        let bytes = std::env::var_os("OPTML_FONT")
            .map(std::path::PathBuf::from)
            .into_iter()
            .chain(FONT_PATHS.iter().map(Into::into))
            .find_map(|p| std::fs::read(p).ok());
        match bytes {
            Some(b) => {
                let b: &'static [u8] = Box::leak(b.into_boxed_slice());
                plotters::style::register_font("sans-serif", FontStyle::Normal, b).is_ok()
            }
            None => false,
        }
    });
    if ok {
        Ok(())
    } else {
        Err("plots need a TrueType font: install fonts-dejavu-core or set OPTML_FONT=/path/to/font.ttf".into())
    }
}

/// Draws the convergence of each (name, trace) into `path` (.svg or .png).
pub fn convergence(path: &Path, title: &str, series: &[(String, Vec<IterInfo>)]) -> CliResult {
    save(path, (1200, 480), &Convergence { title, series })
}

/// ‖∇f‖ and f − f_best against time, one line per solver.
struct Convergence<'a> {
    title: &'a str,
    series: &'a [(String, Vec<IterInfo>)],
}

impl Figure for Convergence<'_> {
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        draw(root, self.title, self.series)
    }
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    series: &[(String, Vec<IterInfo>)],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let root = root.titled(title, ("sans-serif", 22))?;
    let panels = root.split_evenly((1, 2));
    let f_best = series
        .iter()
        .flat_map(|(_, t)| t.iter().map(|i| i.f))
        .fold(f64::INFINITY, f64::min);
    let t_max = series
        .iter()
        .flat_map(|(_, t)| t.iter().map(|i| i.seconds))
        .fold(1e-6, f64::max);
    // The log time axis starts a little before the earliest first iteration (the starting
    // points, at t ≈ 0, are drawn on its left edge) and spans at most seven decades.
    let t_first = series
        .iter()
        .filter_map(|(_, t)| t.iter().find(|i| i.iter >= 1).map(|i| i.seconds))
        .filter(|s| *s > 0.0)
        .fold(t_max, f64::min);
    let times = (t_first / 2.0).max(t_max * 1e-7)..t_max * 1.5;
    // Suboptimality relative to the best value seen; the best point itself has none to plot.
    let floor = 1e-16 * f_best.abs().max(1e-300);
    let subopt = |i: &IterInfo| i.f - f_best;
    panel(&panels[0], "gradient norm", times.clone(), series, |i| {
        i.grad_norm
    })?;
    panel(&panels[1], "f − f_best", times, series, move |i| {
        let s = subopt(i);
        if s > floor {
            s
        } else {
            f64::NAN
        }
    })?;
    root.present()?;
    Ok(())
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    label: &str,
    times: std::ops::Range<f64>,
    series: &[(String, Vec<IterInfo>)],
    y: impl Fn(&IterInfo) -> f64,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let values: Vec<f64> = series
        .iter()
        .flat_map(|(_, t)| t.iter().map(&y))
        .filter(|v| v.is_finite() && *v > 0.0)
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(0.0, f64::max);
    let (lo, hi) = if values.is_empty() {
        (1e-16, 1.0)
    } else {
        (lo / 2.0, hi * 2.0)
    };
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .caption(label, ("sans-serif", 18))
        .build_cartesian_2d(times.clone().log_scale(), (lo..hi).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("seconds (log scale)")
        .x_label_formatter(&|v| format!("{v:.0e}"))
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    for (k, (name, trace)) in series.iter().enumerate() {
        let color = Palette99::pick(k).to_rgba();
        let points: Vec<(f64, f64)> = trace
            .iter()
            .map(|i| (i.seconds.max(times.start), y(i)))
            .filter(|(_, v)| v.is_finite() && *v > 0.0)
            .collect();
        let points = thin_log_x(&points, times.clone(), CURVE_BUCKETS);
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
            .label(name.clone())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2)));
        // A marker per iteration while they can be told apart.
        if points.len() <= MAX_MARKERS {
            chart.draw_series(points.iter().map(|&p| Circle::new(p, 2, color.filled())))?;
        }
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::LowerLeft)
        .draw()?;
    Ok(())
}

/// Slices of the log time axis a curve is thinned over (at most four points each).
const CURVE_BUCKETS: usize = 100;

/// Curves with more points than this are drawn without a marker per point.
const MAX_MARKERS: usize = 80;

/// At most 4·`buckets` of `points` (x > 0 and non-decreasing): in each of `buckets` equal
/// slices of log x over `range`, the first and last point and those with the smallest and
/// largest y, in order. The curve keeps its shape and its envelope on a log x axis, and a trace
/// of 20 000 iterations is drawn with a few hundred points.
pub fn thin_log_x(
    points: &[(f64, f64)],
    range: std::ops::Range<f64>,
    buckets: usize,
) -> Vec<(f64, f64)> {
    if points.len() <= 4 * buckets {
        return points.to_vec();
    }
    let (lo, span) = (range.start.ln(), (range.end / range.start).ln());
    let slice = |x: f64| {
        let t = ((x.ln() - lo) / span * buckets as f64).floor();
        if t.is_finite() {
            t.clamp(0.0, (buckets - 1) as f64) as usize
        } else {
            0
        }
    };
    let mut keep = Vec::with_capacity(4 * buckets);
    let mut start = 0;
    while start < points.len() {
        let b = slice(points[start].0);
        let mut end = start + 1;
        while end < points.len() && slice(points[end].0) == b {
            end += 1;
        }
        let by_y = |a: &usize, c: &usize| points[*a].1.total_cmp(&points[*c].1);
        let low = (start..end).min_by(by_y).unwrap_or(start);
        let high = (start..end).max_by(by_y).unwrap_or(start);
        let mut picked = [start, low, high, end - 1];
        picked.sort_unstable();
        for (j, &i) in picked.iter().enumerate() {
            if j == 0 || picked[j - 1] != i {
                keep.push(points[i]);
            }
        }
        start = end;
    }
    keep
}

/// Draws a performance profile: per solver, the share of problems ρ(τ) it solves within a
/// factor τ of the best solver's cost, as a step function over log₂ τ.
pub fn performance_profile(
    path: &Path,
    title: &str,
    names: &[&str],
    curves: &[Vec<(f64, f64)>],
) -> CliResult {
    let profile = Profile {
        title,
        names,
        curves,
    };
    save(path, (900, 600), &profile)
}

/// A performance profile's curves, one per solver.
struct Profile<'a> {
    title: &'a str,
    names: &'a [&'a str],
    curves: &'a [Vec<(f64, f64)>],
}

impl Figure for Profile<'_> {
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        draw_profile(root, self.title, self.names, self.curves)
    }
}

fn draw_profile<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    names: &[&str],
    curves: &[Vec<(f64, f64)>],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let tau_max = curves
        .iter()
        .flatten()
        .map(|&(t, _)| t.log2())
        .fold(1.0, f64::max)
        * 1.1;
    let mut chart = ChartBuilder::on(&root)
        .margin(16)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .caption(title, ("sans-serif", 20))
        .build_cartesian_2d(0.0..tau_max, 0.0..1.02)?;
    chart
        .configure_mesh()
        .x_desc("log₂ τ (cost ÷ best cost)")
        .y_desc("share of problems solved within τ")
        .draw()?;
    for (k, (name, curve)) in names.iter().zip(curves).enumerate() {
        let color = Palette99::pick(k).to_rgba();
        let mut steps = vec![(0.0, 0.0)];
        for &(tau, rho) in curve {
            let x = tau.log2();
            steps.push((x, steps.last().map_or(0.0, |p| p.1)));
            steps.push((x, rho));
        }
        steps.push((tau_max, steps.last().map_or(0.0, |p| p.1)));
        chart
            .draw_series(LineSeries::new(steps, color.stroke_width(2)))?
            .label(name.to_string())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2)));
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{format_of, thin_log_x, Format};

    /// A long oscillating trace keeps at most four points per slice, its end points, and the
    /// extremes of y; a short one is kept whole.
    #[test]
    fn thinning_keeps_ends_and_envelope() {
        let points: Vec<(f64, f64)> = (1..=20_000)
            .map(|k| {
                let x = k as f64 * 1e-4;
                (
                    x,
                    if k == 12_345 {
                        1e-9
                    } else {
                        1.0 + (k % 7) as f64
                    },
                )
            })
            .collect();
        let thin = thin_log_x(&points, 1e-4..2.0, 100);
        assert!(thin.len() <= 400 && thin.len() > 100, "{}", thin.len());
        assert_eq!(thin.first(), points.first());
        assert_eq!(thin.last(), points.last());
        assert!(thin.contains(&points[12_344]));
        assert!(thin.iter().any(|p| p.1 == 7.0) && thin.iter().any(|p| p.1 == 1.0));
        assert!(thin.windows(2).all(|w| w[0].0 <= w[1].0));
        assert_eq!(thin_log_x(&points[..50], 1e-4..2.0, 100), &points[..50]);
    }

    #[test]
    fn the_extension_picks_the_format_and_anything_else_is_refused_by_name() {
        assert_eq!(format_of(Path::new("a.svg")), Ok(Format::Svg));
        assert_eq!(format_of(Path::new("a.SVG")), Ok(Format::Svg));
        assert_eq!(format_of(Path::new("a.png")), Ok(Format::Png));
        for bad in ["a.jpg", "a", "a.svg.bak"] {
            let err = format_of(Path::new(bad)).unwrap_err();
            assert!(err.contains(bad) && err.contains(".svg or .png"), "{err}");
        }
    }

    #[test]
    fn a_missing_folder_is_named_with_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nodir").join("t.svg");
        let err = format_of(&path).unwrap_err();
        assert!(err.contains(&path.display().to_string()), "{err}");
    }
}
