//! A [`Doc`] as a small self-contained HTML page (for the e-mail's HTML part).

use super::doc::{Doc, Emphasis};

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The report as one self-contained page (no external files, styles or
/// scripts): its lines, its charts as inline SVG, its tables, the
/// 台账校验码; laid out to print on A4 as it looks on screen. The e-mail's
/// HTML part is this page.
pub fn html(doc: &Doc) -> String {
    let mut o = String::from(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
    );
    o.push_str(&format!("<title>{}</title>", escape(&doc.title)));
    o.push_str(
        "<style>\
         @page{size:A4 landscape;margin:12mm}\
         body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;font-size:11pt;\
         color:#222;max-width:270mm;margin:1em auto;padding:0 1em}\
         h1{font-size:16pt;margin:.2em 0 .4em}h2{font-size:12.5pt;margin:1.2em 0 .4em;border-bottom:1px solid #bbb}\
         p.lead{margin:.2em 0}p.verdict{font-weight:bold;font-size:12pt}\
         table{border-collapse:collapse;margin-bottom:.8em;page-break-inside:auto}\
         tr{page-break-inside:avoid}thead{display:table-header-group}\
         th,td{border:1px solid #999;padding:2px 6px;vertical-align:top}th{background:#ddebf7}\
         td.n{text-align:right}.charts{display:flex;flex-wrap:wrap;gap:8px}\
         .chart{page-break-inside:avoid}.footer{white-space:pre-line;color:#555;font-size:9.5pt;margin-top:1.5em}\
         @media print{body{margin:0;max-width:none}h2{page-break-after:avoid}}\
         </style></head><body>\n",
    );
    o.push_str(&format!("<h1>{}</h1>\n", escape(&doc.title)));
    for l in &doc.lines {
        let (class, colour) = match Emphasis::of(l) {
            Emphasis::Failed => ("lead verdict", " style=\"color:#b00020\""),
            Emphasis::Passed => ("lead verdict", " style=\"color:#1b7a32\""),
            Emphasis::Plain => ("lead", ""),
        };
        o.push_str(&format!("<p class=\"{class}\"{colour}>{}</p>\n", escape(l)));
    }
    if !doc.charts.is_empty() {
        o.push_str("<div class=\"charts\">\n");
        for chart in &doc.charts {
            let svg = super::chart::svg(chart, 600, super::chart::height(chart));
            o.push_str(&format!("<div class=\"chart\">{svg}</div>\n"));
        }
        o.push_str("</div>\n");
    }
    for s in &doc.sections {
        if !s.title.is_empty() {
            o.push_str(&format!("<h2>{}</h2>\n", escape(&s.title)));
        }
        if let (Some(note), true) = (&s.empty_note, s.rows.is_empty()) {
            o.push_str(&format!("<p>{}</p>\n", escape(note)));
            continue;
        }
        o.push_str("<table>\n<thead><tr>");
        for h in &s.headers {
            o.push_str(&format!("<th>{}</th>", escape(h)));
        }
        o.push_str("</tr></thead>\n<tbody>\n");
        for r in &s.rows {
            o.push_str("<tr>");
            for c in r {
                let class = if c.is_number() { " class=\"n\"" } else { "" };
                o.push_str(&format!("<td{class}>{}</td>", escape(&c.display())));
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody></table>\n");
    }
    if let Some(f) = doc.footer() {
        o.push_str(&format!("<p class=\"footer\">{}</p>\n", escape(f)));
    }
    o.push_str("</body></html>\n");
    o
}
