//! A [`Doc`] as a small self-contained HTML page (for the e-mail's HTML part).

use super::doc::{Cell, Doc};

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

pub fn html(doc: &Doc) -> String {
    let mut o = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><style>\
         body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:1em}\
         th,td{border:1px solid #999;padding:2px 6px}td.n{text-align:right}</style></head><body>\n",
    );
    o.push_str(&format!("<h1>{}</h1>\n", escape(&doc.title)));
    for l in &doc.lines {
        o.push_str(&format!("<p>{}</p>\n", escape(l)));
    }
    for s in &doc.sections {
        if !s.title.is_empty() {
            o.push_str(&format!("<h2>{}</h2>\n", escape(&s.title)));
        }
        if let (Some(note), true) = (&s.empty_note, s.rows.is_empty()) {
            o.push_str(&format!("<p>{}</p>\n", escape(note)));
            continue;
        }
        o.push_str("<table>\n<tr>");
        for h in &s.headers {
            o.push_str(&format!("<th>{}</th>", escape(h)));
        }
        o.push_str("</tr>\n");
        for r in &s.rows {
            o.push_str("<tr>");
            for c in r {
                let class =
                    if matches!(c, Cell::Int(_) | Cell::Rate(_) | Cell::Score(_)) { " class=\"n\"" } else { "" };
                o.push_str(&format!("<td{class}>{}</td>", escape(&c.display())));
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</table>\n");
    }
    if let Some(f) = doc.footer() {
        o.push_str(&format!("<p class=\"footer\" style=\"white-space:pre-line\">{}</p>\n", escape(f)));
    }
    o.push_str("</body></html>\n");
    o
}
