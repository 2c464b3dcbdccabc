//! A [`Chart`] as inline SVG (plotters' SVG backend: no font files, the
//! text left to the viewer), for the web page and the e-mail.

use super::doc::{Chart, ChartKind};
use plotters::prelude::*;

const PALETTE: [RGBColor; 4] =
    [RGBColor(0x2f, 0x6f, 0xb5), RGBColor(0xe0, 0x7b, 0x24), RGBColor(0x3a, 0x9a, 0x4a), RGBColor(0x8e, 0x4f, 0xa8)];

/// The chart as an `<svg>` element of the given size.
pub fn svg(chart: &Chart, width: u32, height: u32) -> String {
    let mut out = String::new();
    // Drawing into a string cannot fail for want of space; a failure leaves what was drawn.
    let _ = draw(chart, &mut out, width, height);
    out
}

/// Draws charts as PNG pictures (for the Word document), with the fonts
/// this machine has: a Chinese one first, so that the labels read.
pub struct Painter {
    options: resvg::usvg::Options<'static>,
}

/// Fonts that carry Chinese, the most common first.
const CHINESE_FONTS: [&str; 9] = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "微软雅黑",
    "SimHei",
    "黑体",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "Noto Sans SC",
];

impl Painter {
    /// Loads the system's fonts (once a document).
    pub fn new() -> Painter {
        let mut options = resvg::usvg::Options::default();
        let db = options.fontdb_mut();
        db.load_system_fonts();
        let has = |name: &str| db.faces().any(|f| f.families.iter().any(|(n, _)| n == name));
        let family = CHINESE_FONTS
            .iter()
            .map(|s| s.to_string())
            .find(|n| has(n))
            .or_else(|| db.faces().find_map(|f| f.families.first().map(|(n, _)| n.clone())));
        if let Some(family) = family {
            db.set_sans_serif_family(family.clone());
            db.set_serif_family(family);
        }
        Painter { options }
    }

    /// The chart as a PNG of `width`×`height` pixels drawn at twice that
    /// resolution for print; `None` if it cannot be drawn.
    pub fn png(&self, chart: &Chart, width: u32, height: u32) -> Option<Vec<u8>> {
        let svg = svg(chart, width, height);
        let tree = resvg::usvg::Tree::from_str(&svg, &self.options).ok()?;
        let mut pixmap = resvg::tiny_skia::Pixmap::new(width * 2, height * 2)?;
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(2.0, 2.0), &mut pixmap.as_mut());
        pixmap.encode_png().ok()
    }
}

impl Default for Painter {
    fn default() -> Self {
        Painter::new()
    }
}

/// How tall a chart is drawn: a ranking grows with its rows.
pub fn height(chart: &Chart) -> u32 {
    if chart.kind == ChartKind::Bar {
        (chart.categories.len() as u32 * 26 + 90).max(240)
    } else {
        300
    }
}

fn label(chart: &Chart, v: f64) -> String {
    if chart.percent {
        format!("{:.0}%", v * 100.0)
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        // Counts are whole: no tick between them.
        String::new()
    }
}

fn draw<'o>(
    chart: &Chart,
    out: &'o mut String,
    width: u32,
    height: u32,
) -> Result<(), Box<dyn std::error::Error + 'o>> {
    let root = SVGBackend::with_string(out, (width, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let n = chart.categories.len().max(1);
    let max = chart.series.iter().flat_map(|s| s.values.iter().flatten()).fold(0.0f64, |a, b| a.max(*b));
    // Room above the highest value for the legend.
    let top = match (chart.percent, chart.kind) {
        (true, _) => 1.0,
        // A ranking has no legend: a little room past the longest bar.
        (false, ChartKind::Bar) => (max * 1.1).max(1.0),
        (false, _) => (max * 1.45).max(1.0),
    };
    // Whole numbers for counts, tenths for rates.
    let ticks = if chart.percent { 11 } else { (top.floor() as usize + 1).clamp(2, 11) };
    let cats = &chart.categories;
    let name_at = |x: f64| -> String {
        let i = x.floor();
        if x - i > 0.4 && x - i < 0.6 {
            cats.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let caption = (chart.title.as_str(), ("sans-serif", 18));
    match chart.kind {
        ChartKind::Bar => {
            // A ranking: the first at the top.
            let mut c = ChartBuilder::on(&root)
                .caption(caption.0, caption.1)
                .margin(12)
                .x_label_area_size(30)
                .y_label_area_size(90)
                .build_cartesian_2d(0f64..top, 0f64..n as f64)?;
            c.configure_mesh()
                .disable_y_mesh()
                .y_labels(n * 2 + 1)
                .y_label_formatter(&|y| name_at(n as f64 - y))
                .x_labels(ticks)
                .x_label_formatter(&|x| label(chart, *x))
                .draw()?;
            let s = chart.series.first();
            let values = s.map(|s| s.values.clone()).unwrap_or_default();
            c.draw_series(values.iter().enumerate().filter_map(|(i, v)| {
                let y = n as f64 - i as f64;
                v.map(|v| Rectangle::new([(0.0, y - 0.8), (v, y - 0.2)], PALETTE[0].filled()))
            }))?;
        }
        ChartKind::Column | ChartKind::Line => {
            let mut c = ChartBuilder::on(&root)
                .caption(caption.0, caption.1)
                .margin(12)
                .x_label_area_size(36)
                .y_label_area_size(48)
                .build_cartesian_2d(0f64..n as f64, 0f64..top)?;
            c.configure_mesh()
                .disable_x_mesh()
                .x_labels(n * 2 + 1)
                .x_label_formatter(&|x| name_at(*x))
                .y_labels(ticks)
                .y_label_formatter(&|y| label(chart, *y))
                .draw()?;
            let k = chart.series.len().max(1) as f64;
            for (si, s) in chart.series.iter().enumerate() {
                let color = PALETTE[si % PALETTE.len()];
                if chart.kind == ChartKind::Column {
                    let w = 0.8 / k;
                    c.draw_series(s.values.iter().enumerate().filter_map(|(i, v)| {
                        let x0 = i as f64 + 0.1 + si as f64 * w;
                        v.map(|v| Rectangle::new([(x0, 0.0), (x0 + w * 0.9, v)], color.filled()))
                    }))?
                    .label(s.name.as_str())
                    .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
                } else {
                    // A gap where there is nothing to measure.
                    let points: Vec<(f64, f64)> =
                        s.values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i as f64 + 0.5, v))).collect();
                    c.draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
                        .label(s.name.as_str())
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], color.stroke_width(2)));
                    c.draw_series(points.into_iter().map(|p| Circle::new(p, 3, color.filled())))?;
                }
            }
            // Rates run high (the target is 90%): their legend goes low; counts leave room above.
            let at = if chart.percent { SeriesLabelPosition::LowerRight } else { SeriesLabelPosition::UpperRight };
            c.configure_series_labels().position(at).border_style(BLACK).background_style(WHITE.mix(0.8)).draw()?;
        }
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::doc::Series;

    #[test]
    fn draws_every_kind_as_svg() {
        for kind in [ChartKind::Column, ChartKind::Bar, ChartKind::Line] {
            let chart = Chart {
                title: "各位领导本月接访".into(),
                kind,
                categories: vec!["管小波".into(), "张豪".into()],
                series: vec![Series { name: "实际接访".into(), values: vec![Some(2.0), None] }],
                percent: false,
            };
            let svg = svg(&chart, 600, 300);
            assert!(svg.starts_with("<svg") && svg.contains("各位领导本月接访") && svg.contains("管小波"), "{svg}");
            let png = Painter::new().png(&chart, 600, 300).expect("drawn");
            assert!(png.starts_with(b"\x89PNG"), "a PNG picture");
        }
    }
}
