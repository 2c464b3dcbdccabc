//! The district's reports as documents: each town a row, the totals, the
//! ranking chart, the towns left out (DT01).

use super::doc::{Chart, ChartKind, Series};
use super::{Cell, Doc, Section};
use crate::district::{
    DistrictCheck, DistrictFinding, DistrictKpi, DistrictMonthly, InvalidTown, Town, TownKpi, TownMonth,
};
use crate::lang::Lang;
use crate::report::kpi::Kpi;
use crate::report::Verdict;
use crate::rules::Severity;
use chrono::NaiveDate;

fn invalid_label(t: &InvalidTown, lang: Lang) -> String {
    lang.pick(format!("数据无效（{} 处问题）", t.problems), format!("invalid data ({} problem(s))", t.problems))
}

fn verdict_label(v: Verdict, lang: Lang) -> &'static str {
    match v {
        Verdict::Pass => lang.t("合格", "pass"),
        Verdict::Fail => lang.t("不合格", "FAIL"),
    }
}

fn findings_section(findings: &[DistrictFinding], lang: Lang) -> Section {
    let mut s = Section::new(
        lang.t("发现的问题", "Findings"),
        &[lang.t("级别", "severity"), lang.t("代码", "code"), lang.t("镇", "town"), lang.t("说明", "message")],
    )
    .when_empty(lang.t("没有发现问题。", "No findings."));
    for f in findings {
        s.row(vec![f.severity.label(lang).into(), f.code.into(), f.town.as_str().into(), f.message.as_str().into()]);
    }
    s
}

fn left_out_line(left_out: usize, lang: Lang) -> Option<String> {
    (left_out > 0).then(|| {
        lang.pick(
            format!("合计不含数据无效的 {left_out} 个镇（见 DT01）"),
            format!("The totals leave out {left_out} town(s) with invalid data (see DT01)"),
        )
    })
}

fn as_of_line(as_of: NaiveDate, lang: Lang) -> String {
    format!("{}{as_of}", lang.t("数据截至：", "As of: "))
}

fn score_chart<'a>(towns: impl Iterator<Item = (&'a str, f64)>, lang: Lang) -> Chart {
    let (categories, values): (Vec<String>, Vec<Option<f64>>) = towns.map(|(n, s)| (n.to_string(), Some(s))).unzip();
    Chart {
        title: lang.t("各镇信访考核得分排名", "Towns' indicator scores, ranked").into(),
        kind: ChartKind::Bar,
        categories,
        series: vec![Series { name: lang.t("得分", "score").into(), values }],
        percent: false,
    }
}

/// The indicators of each town and of the district.
fn kpi_section<'a>(rows: impl Iterator<Item = (String, Option<&'a Kpi>, String)>, lang: Lang) -> Section {
    let mut s = Section::new(
        lang.t("信访工作考核指标", "Petition indicators"),
        &[
            lang.t("镇", "town"),
            lang.t("及时受理率", "timely acceptance"),
            lang.t("按期办结率", "on time"),
            lang.t("参评率", "rated"),
            lang.t("满意率", "satisfied"),
            lang.t("领导包案化解率", "lead resolution"),
            lang.t("重复信访", "repeats"),
            lang.t("上交", "escalations"),
            lang.t("得分", "score"),
            lang.t("名次", "rank"),
        ],
    );
    for (name, k, rank) in rows {
        let mut cells: Vec<Cell> = vec![name.into()];
        match k {
            Some(k) => cells.extend([
                Cell::Rate(k.timely_acceptance.rate),
                Cell::Rate(k.on_time.rate),
                Cell::Rate(k.rated.rate),
                Cell::Rate(k.satisfied.rate),
                Cell::Rate(k.lead_resolution.rate),
                k.repeats.into(),
                k.escalations.into(),
                Cell::Score(k.score),
            ]),
            None => cells.extend((0..8).map(|_| Cell::Empty)),
        }
        cells.push(rank.into());
        s.row(cells);
    }
    s
}

fn rank_cell(rank: usize, flagged: bool, lang: Lang) -> String {
    if flagged {
        format!("{rank} {}", lang.t("约谈", "talk"))
    } else {
        rank.to_string()
    }
}

/// `district report monthly`.
pub fn monthly(r: &DistrictMonthly, lang: Lang) -> Doc {
    let mut s = Section::new(
        lang.t("各镇本月情况", "Towns this month"),
        &[
            lang.t("镇", "town"),
            lang.t("结论", "verdict"),
            lang.t("错误/警告", "errors/warnings"),
            lang.t("受理", "received"),
            lang.t("化解", "resolved"),
            lang.t("本月化解率", "month rate"),
            lang.t("累计化解率", "YTD rate"),
            lang.t("来信/答复", "letters/replied"),
            lang.t("排查/应排", "screenings/req."),
            lang.t("上交", "escalations"),
            lang.t("超期", "overdue"),
        ],
    );
    for t in &r.towns {
        match t {
            Town::Valid(t) => s.row(vec![
                t.town.as_str().into(),
                verdict_label(t.verdict, lang).into(),
                format!("{}/{}", t.errors, t.warnings).into(),
                t.visits.received.into(),
                t.visits.resolved.into(),
                Cell::Rate(t.visits.resolution_rate),
                Cell::Rate(t.visits.ytd_resolution_rate),
                format!("{}/{}", t.letters.received, t.letters.replied).into(),
                format!("{}/{}", t.disputes.screenings_done, t.disputes.screenings_required).into(),
                t.visits.escalations.into(),
                t.overdue.into(),
            ]),
            Town::Invalid(i) => {
                let mut cells: Vec<Cell> = vec![i.town.as_str().into(), invalid_label(i, lang).into()];
                cells.extend((0..9).map(|_| Cell::Empty));
                s.row(cells);
            }
        }
    }
    let x = &r.totals;
    s.row(vec![
        lang.t("合计", "total").into(),
        Cell::Empty,
        Cell::Empty,
        x.received.into(),
        x.resolved.into(),
        Cell::Rate(x.resolution_rate),
        Cell::Rate(x.ytd_resolution_rate),
        format!("{}/{}", x.letters_received, x.letters_replied).into(),
        format!("{}/{}", x.screenings_done, x.screenings_required).into(),
        x.escalations.into(),
        x.overdue.into(),
    ]);
    let valid = || r.towns.iter().filter_map(Town::valid);
    let mut ranked: Vec<&TownMonth> = valid().collect();
    ranked.sort_by_key(|t| t.rank);
    let kpi_rows = ranked
        .iter()
        .map(|t| (t.town.clone(), Some(&t.kpi), rank_cell(t.rank, t.flagged, lang)))
        .chain(std::iter::once((lang.t("合计", "total").to_string(), Some(&x.kpi), String::new())));
    let failed = valid().filter(|t| t.verdict == Verdict::Fail).count();
    let mut lines = vec![
        match (failed, x.towns_left_out) {
            (0, 0) => lang.pick(
                format!("结论：{} 个镇全部合格", r.towns.len()),
                format!("Verdict: all {} town(s) pass", r.towns.len()),
            ),
            (f, n) => lang.pick(
                format!("结论：{} 个镇中 {f} 个不合格，{n} 个数据无效", r.towns.len()),
                format!("Verdict: {f} of {} town(s) FAIL, {n} with invalid data", r.towns.len()),
            ),
        },
        as_of_line(r.as_of, lang),
    ];
    lines.extend(left_out_line(x.towns_left_out, lang));
    Doc {
        title: lang.pick(
            format!("{} {}年{}月 各镇干部接访下访工作通报", r.district, r.month.year, r.month.month),
            format!("{}: towns' reception of the people, {}", r.district, r.month),
        ),
        lines,
        errors: Some(r.findings.len() + valid().filter(|t| t.errors > 0).count()),
        figures: vec![
            (lang.t("镇数", "towns").into(), x.towns.into()),
            (lang.t("本月受理", "received").into(), x.received.into()),
            (lang.t("本月化解率", "resolution rate").into(), Cell::Rate(x.resolution_rate)),
            (lang.t("年初至今化解率", "YTD resolution rate").into(), Cell::Rate(x.ytd_resolution_rate)),
            (lang.t("全部超期事项", "overdue").into(), x.overdue.into()),
            (lang.t("全区考核得分", "district score").into(), Cell::Score(x.kpi.score)),
        ],
        charts: vec![score_chart(ranked.iter().map(|t| (t.town.as_str(), t.kpi.score)), lang)],
        sections: vec![s, kpi_section(kpi_rows, lang), findings_section(&r.findings, lang)],
        ..Doc::default()
    }
}

/// `district report kpi`.
pub fn kpi(r: &DistrictKpi, lang: Lang) -> Doc {
    let valid: Vec<&TownKpi> = r.towns.iter().filter_map(Town::valid).collect();
    let rows = r
        .towns
        .iter()
        .map(|t| match t {
            Town::Valid(v) => (v.town.clone(), Some(&v.kpi), rank_cell(v.rank, v.flagged, lang)),
            Town::Invalid(i) => (i.town.clone(), None, invalid_label(i, lang)),
        })
        .chain(std::iter::once((lang.t("合计", "total").to_string(), Some(&r.totals), String::new())));
    let mut lines = vec![
        lang.pick(format!("期间：{} 至 {}", r.from, r.to), format!("Period: {} to {}", r.from, r.to)),
        as_of_line(r.as_of, lang),
    ];
    lines.extend(left_out_line(r.towns.len() - valid.len(), lang));
    Doc {
        title: lang.pick(
            format!("{} 各镇信访工作考核指标", r.district),
            format!("{}: towns' petition indicators", r.district),
        ),
        lines,
        errors: Some(r.findings.len()),
        figures: vec![
            (lang.t("镇数", "towns").into(), valid.len().into()),
            (lang.t("全区考核得分", "district score").into(), Cell::Score(r.totals.score)),
        ],
        charts: vec![score_chart(valid.iter().map(|t| (t.town.as_str(), t.kpi.score)), lang)],
        sections: vec![kpi_section(rows, lang), findings_section(&r.findings, lang)],
        ..Doc::default()
    }
}

/// `district check`: one line a town, then the details.
pub fn check(c: &DistrictCheck, lang: Lang) -> Doc {
    let mut s = Section::new(
        "",
        &[
            lang.t("镇", "town"),
            lang.t("数据", "data"),
            lang.t("错误", "errors"),
            lang.t("警告", "warnings"),
            lang.t("台账历史", "history"),
        ],
    );
    let mut details = Section::new(
        lang.t("详细情况", "Details"),
        &[lang.t("镇", "town"), lang.t("级别", "severity"), lang.t("代码", "code"), lang.t("说明", "message")],
    )
    .when_empty(lang.t("没有发现问题。", "No findings."));
    for t in &c.towns {
        match t {
            Town::Valid(t) => {
                s.row(vec![
                    t.town.as_str().into(),
                    lang.t("有效", "valid").into(),
                    t.errors.into(),
                    t.warnings.into(),
                    t.history.into(),
                ]);
                for f in &t.findings {
                    details.row(vec![
                        t.town.as_str().into(),
                        f.severity.label(lang).into(),
                        f.code.code().into(),
                        f.message.as_str().into(),
                    ]);
                }
            }
            Town::Invalid(i) => {
                s.row(vec![
                    i.town.as_str().into(),
                    invalid_label(i, lang).into(),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                ]);
                details.row(vec![
                    i.town.as_str().into(),
                    Severity::Error.label(lang).into(),
                    "DT01".into(),
                    i.message.as_str().into(),
                ]);
            }
        }
    }
    Doc {
        title: format!("{} {}", c.district, lang.t("各镇检查结果", "towns' check")),
        lines: vec![],
        sections: vec![s, details],
        ..Doc::default()
    }
}
