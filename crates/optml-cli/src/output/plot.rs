//! Every plot the CLI draws, and the one place ([`save`]) that picks its format from the
//! file name: `.svg` is SVG, `.png` is PNG, anything else is refused with the file named.

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
    // Suboptimality relative to the best value seen; the best point itself has none to plot.
    let floor = 1e-16 * f_best.abs().max(1e-300);
    let subopt = |i: &IterInfo| i.f - f_best;
    panel(&panels[0], "gradient norm", t_max, series, |i| i.grad_norm)?;
    panel(&panels[1], "f − f_best", t_max, series, move |i| {
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
    t_max: f64,
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
        .build_cartesian_2d(0.0..t_max * 1.05, (lo..hi).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("seconds")
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    for (k, (name, trace)) in series.iter().enumerate() {
        let color = Palette99::pick(k).to_rgba();
        let points: Vec<(f64, f64)> = trace
            .iter()
            .map(|i| (i.seconds, y(i)))
            .filter(|(_, v)| v.is_finite() && *v > 0.0)
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
            .label(name.clone())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2)));
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 2, color.filled())))?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()?;
    Ok(())
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

    use super::{format_of, Format};

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
