//! Reports as documents: the labels and layout of every report, in either
//! language. Figures come computed from [`crate::report`].

use super::doc::{Chart, ChartKind, Series};
use super::{findings_section, findings_summary, Cell, Doc, Section};
use crate::lang::Lang;
use crate::report::annual::AnnualReport;
use crate::report::kpi::Kpi;
use crate::report::monthly::{MonthlyReport, OverdueCase};
use crate::report::overdue::OverdueReport;
use crate::report::resolution::{GroupBy, ResolutionReport};
use crate::report::villages::{VillageScore, VillagesReport};
use crate::report::Verdict;
use crate::rules::Finding;

fn verdict_line(v: Verdict, findings: &[Finding], lang: Lang) -> String {
    // A word that stands out without colour too.
    let word = match v {
        Verdict::Pass => lang.t("【合格】", "PASS"),
        Verdict::Fail => lang.t("【不合格】", "FAIL"),
    };
    format!("{}{}（{}）", lang.t("结论：", "Verdict: "), word, findings_summary(findings, lang))
        .replace("（", if lang == Lang::En { " (" } else { "（" })
        .replace("）", if lang == Lang::En { ")" } else { "）" })
}

fn as_of_line(as_of: chrono::NaiveDate, lang: Lang) -> String {
    format!("{}{as_of}", lang.t("数据截至：", "As of: "))
}

fn metrics(title: &str, lang: Lang, rows: Vec<(&str, Cell)>) -> Section {
    let mut s = Section::new(title, &[lang.t("项目", "item"), lang.t("数值", "value")]);
    for (k, v) in rows {
        s.row(vec![k.into(), v]);
    }
    s
}

/// The overdue cases as a section.
pub fn overdue_section(cases: &[OverdueCase], lang: Lang) -> Section {
    let mut s = Section::new(
        lang.t("逾期事项", "Overdue cases"),
        &[
            lang.t("案号", "case"),
            lang.t("台账", "ledger"),
            lang.t("受理日期", "start"),
            lang.t("期限", "deadline"),
            lang.t("超期天数", "days over"),
            lang.t("规则", "rule"),
            lang.t("村社区", "village"),
        ],
    )
    .when_empty(lang.t("没有逾期事项。", "No overdue cases."));
    for c in cases {
        let ledger = crate::ledger::LedgerKind::parse(c.ledger).map(|k| k.label(lang)).unwrap_or(c.ledger);
        s.row(vec![
            c.case.as_str().into(),
            ledger.into(),
            c.start.into(),
            c.deadline.into(),
            Cell::Int(c.days_over),
            c.code.code().into(),
            c.village.clone().into(),
        ]);
    }
    s
}

pub fn monthly(r: &MonthlyReport, lang: Lang) -> Doc {
    let mut leaders = Section::new(
        lang.t("领导接访与阅批", "Leaders"),
        &[
            lang.t("姓名", "name"),
            lang.t("类别", "role"),
            lang.t("安排接待日", "scheduled"),
            lang.t("实际接访", "held"),
            lang.t("应接访", "required"),
            lang.t("未按日程接待", "missed days"),
            lang.t("阅批来信", "letters reviewed"),
            lang.t("应阅批", "required"),
        ],
    );
    for l in &r.leaders {
        leaders.row(vec![
            l.name.as_str().into(),
            l.role.label(lang).into(),
            l.scheduled.into(),
            l.held.into(),
            l.sessions_required.into(),
            match &l.missed {
                Some(days) => days.iter().map(|d| d.format("%m-%d").to_string()).collect::<Vec<_>>().join(" ").into(),
                None => "—".into(),
            },
            l.letters_reviewed.into(),
            l.letters_required.map_or(Cell::Empty, Cell::from),
        ]);
    }
    let v = &r.visits;
    let visits = metrics(
        lang.t("接访事项（本月受理的事项）", "Visits (cases started this month)"),
        lang,
        vec![
            (lang.t("受理", "received"), v.received.into()),
            (lang.t("化解", "resolved"), v.resolved.into()),
            (lang.t("本月化解率", "resolution rate"), Cell::Rate(v.resolution_rate)),
            (lang.t("年初至今受理", "year to date: received"), v.ytd_received.into()),
            (lang.t("年初至今化解", "year to date: resolved"), v.ytd_resolved.into()),
            (lang.t("年初至今化解率", "year to date: rate"), Cell::Rate(v.ytd_resolution_rate)),
            (lang.t("目标化解率", "target"), Cell::Rate(Some(v.target))),
            (lang.t("包案", "assigned"), v.assigned.into()),
            (lang.t("转办", "referred"), v.referred.into()),
            (lang.t("上交", "escalated"), v.escalations.into()),
            (lang.t("本月事项超期", "overdue, of this month's cases"), v.overdue.into()),
            (lang.t("本月重复来访", "repeat receptions this month"), v.repeat_receptions.into()),
        ],
    );
    let l = &r.letters;
    let letters = metrics(
        lang.t("群众来信（本月收到的来信）", "Letters (received this month)"),
        lang,
        vec![
            (lang.t("收信", "received"), l.received.into()),
            (lang.t("联名信", "joint"), l.joint.into()),
            (lang.t("言辞过激", "harsh"), l.harsh.into()),
            (lang.t("按时阅批", "reviewed on time"), l.reviewed_on_time.into()),
            (lang.t("已答复", "replied"), l.replied.into()),
            (lang.t("已办结", "concluded"), l.resolved.into()),
        ],
    );
    let d = &r.disputes;
    let disputes = metrics(
        lang.t("矛盾纠纷排查调处", "Disputes and screening"),
        lang,
        vec![
            (lang.t("应排查（村·周、敏感期村·日）", "screenings required"), d.screenings_required.into()),
            (lang.t("已排查", "screenings done"), d.screenings_done.into()),
            (lang.t("新登记纠纷", "opened"), d.opened.into()),
            (lang.t("已化解", "resolved"), d.resolved.into()),
            (lang.t("上报镇级", "referred to the town"), d.referred.into()),
            (lang.t("上交", "escalated"), d.escalated.into()),
        ],
    );
    let work = metrics(
        lang.t("群众工作日", "Mass work days"),
        lang,
        vec![
            (lang.t("本月天数", "days this month"), r.work_days.into()),
            (lang.t("应有天数", "required"), r.work_days_required.into()),
        ],
    );
    Doc {
        errors: Some(r.findings.iter().filter(|f| f.severity == crate::rules::Severity::Error).count()),
        figures: vec![
            (lang.t("本月受理", "received this month").into(), v.received.into()),
            (lang.t("本月化解", "resolved").into(), v.resolved.into()),
            (lang.t("本月化解率", "resolution rate").into(), Cell::Rate(v.resolution_rate)),
            (lang.t("年初至今化解率", "year to date").into(), Cell::Rate(v.ytd_resolution_rate)),
            (lang.t("目标化解率", "target").into(), Cell::Rate(Some(v.target))),
            (lang.t("本月事项超期", "overdue, of this month's cases").into(), v.overdue.into()),
            (lang.t("全部超期事项", "all overdue obligations").into(), r.overdue.len().into()),
            (lang.t("上交", "escalated").into(), v.escalations.into()),
            (lang.t("收到来信", "letters received").into(), r.letters.received.into()),
            (
                lang.t("排查完成/应排查", "screenings done/required").into(),
                format!("{}/{}", r.disputes.screenings_done, r.disputes.screenings_required).into(),
            ),
            (lang.t("群众工作日", "mass work days").into(), r.work_days.into()),
            (lang.t("信访考核得分", "indicator score").into(), Cell::Score(r.kpi.score)),
        ],
        charts: vec![Chart {
            title: lang.t("各位领导本月接访：实际与应接访", "Sessions held against required, by leader").into(),
            kind: ChartKind::Column,
            categories: r.leaders.iter().map(|l| l.name.clone()).collect(),
            series: vec![
                Series {
                    name: lang.t("实际接访", "held").into(),
                    values: r.leaders.iter().map(|l| Some(l.held as f64)).collect(),
                },
                Series {
                    name: lang.t("应接访", "required").into(),
                    values: r.leaders.iter().map(|l| l.sessions_required.map(f64::from)).collect(),
                },
            ],
            percent: false,
        }],
        title: lang.pick(
            format!("{} {} 接访下访月报", r.township, r.month.label(Lang::Zh)),
            format!("{}: receptions and visits, {}", r.township, r.month.label(Lang::En)),
        ),
        lines: vec![verdict_line(r.verdict, &r.findings, lang), as_of_line(r.as_of, lang)],
        sections: vec![
            leaders,
            visits,
            letters,
            disputes,
            work,
            Section {
                title: lang.pick(
                    format!("全部超期事项（截至 {}，不论受理月份）", r.as_of),
                    format!("All overdue obligations (as of {}, whatever month the case started)", r.as_of),
                ),
                ..overdue_section(&r.overdue, lang)
            },
            kpi_section(&r.kpi, lang),
            findings_section(&r.findings, lang),
        ],
        ..Doc::default()
    }
}

pub fn resolution(r: &ResolutionReport, lang: Lang) -> Doc {
    let key = match r.by {
        GroupBy::Leader => lang.t("接待领导", "leader"),
        GroupBy::Village => lang.t("村社区", "village"),
        GroupBy::Category => lang.t("类别", "category"),
        GroupBy::Mode => lang.t("方式", "mode"),
        GroupBy::Month => lang.t("月份", "month"),
    };
    let mut s = Section::new(
        "",
        &[
            key,
            lang.t("受理", "received"),
            lang.t("化解", "resolved"),
            lang.t("化解率", "rate"),
            lang.t("低于目标", "below target"),
        ],
    );
    for g in r.groups.iter().chain(std::iter::once(&r.total)) {
        s.row(vec![
            g.key.as_str().into(),
            g.received.into(),
            g.resolved.into(),
            Cell::Rate(g.resolution_rate),
            if g.below_target { lang.t("是", "yes") } else { "" }.into(),
        ]);
    }
    Doc {
        title: lang.pick(
            format!("{} 接访事项化解率（{} 至 {}）", r.township, r.from, r.to),
            format!("{}: resolution rates, {} to {}", r.township, r.from, r.to),
        ),
        lines: vec![format!("{}{:.0}%", lang.t("目标：", "Target: "), r.target * 100.0), as_of_line(r.as_of, lang)],
        sections: vec![s],
        ..Doc::default()
    }
}

/// The petition indicators (§11.1): each rate with its numerator and
/// denominator, the counts, the score.
pub fn kpi_section(k: &Kpi, lang: Lang) -> Section {
    let mut s = Section::new(
        lang.t("信访工作考核指标", "Petition indicators"),
        &[
            lang.t("指标", "indicator"),
            lang.t("数值", "value"),
            lang.t("分子", "numerator"),
            lang.t("分母", "denominator"),
        ],
    );
    let rates = [
        (lang.t("及时受理率", "timely acceptance"), &k.timely_acceptance),
        (lang.t("按期办结率", "resolved on time"), &k.on_time),
        (lang.t("参评率", "rated"), &k.rated),
        (lang.t("满意率", "satisfied"), &k.satisfied),
        (lang.t("领导包案化解率", "lead resolution"), &k.lead_resolution),
        (lang.t("化解率", "resolution"), &k.resolution),
    ];
    for (name, r) in rates {
        s.row(vec![name.into(), Cell::Rate(r.rate), r.numerator.into(), r.denominator.into()]);
    }
    s.row(vec![lang.t("重复信访", "repeat receptions").into(), k.repeats.into(), Cell::Empty, Cell::Empty]);
    s.row(vec![lang.t("上交", "escalations").into(), k.escalations.into(), Cell::Empty, Cell::Empty]);
    s.row(vec![lang.t("考核得分（满分 40）", "score (of 40)").into(), Cell::Score(k.score), Cell::Empty, Cell::Empty]);
    s
}

/// The assessment table (§6.5), in rank order.
fn village_scores_section(title: &str, villages: &[VillageScore], lang: Lang) -> Section {
    let mut s = Section::new(
        title,
        &[
            lang.t("名次", "rank"),
            lang.t("村社区", "village"),
            lang.t("排查完成率", "screening"),
            lang.t("纠纷化解率", "disputes"),
            lang.t("接访化解率", "visits"),
            lang.t("上交次数", "escalations"),
            lang.t("得分", "score"),
            lang.t("约谈", "talk"),
        ],
    );
    for v in villages {
        s.row(vec![
            v.rank.into(),
            v.name.as_str().into(),
            Cell::Rate(Some(v.screening)),
            Cell::Rate(v.disputes),
            Cell::Rate(v.visits),
            v.escalations.into(),
            Cell::Score(v.score),
            if v.flagged { lang.t("约谈", "yes") } else { "" }.into(),
        ]);
    }
    s
}

/// The ranking as horizontal bars, the first at the top.
fn village_scores_chart(villages: &[VillageScore], lang: Lang) -> Chart {
    Chart {
        title: lang.t("村（社区）考核得分排名", "Village scores, ranked").into(),
        kind: ChartKind::Bar,
        categories: villages.iter().map(|v| v.name.clone()).collect(),
        series: vec![Series {
            name: lang.t("得分", "score").into(),
            values: villages.iter().map(|v| Some(v.score)).collect(),
        }],
        percent: false,
    }
}

pub fn villages(r: &VillagesReport, lang: Lang) -> Doc {
    let s = village_scores_section("", &r.villages, lang);
    Doc {
        charts: vec![village_scores_chart(&r.villages, lang)],
        title: lang.pick(
            format!("{} 村（社区）干部接访下访工作考核（{}）", r.township, r.period),
            format!("{}: village assessment, {}", r.township, r.period),
        ),
        lines: vec![
            lang.t(
                "得分 = 100 ×（0.4 × 排查完成率 + 0.4 × 纠纷化解率 + 0.2 × 接访化解率）− 10 × 上交次数（权重见 [rules.assessment]）",
                "score = 100 × (0.4 × screening + 0.4 × disputes + 0.2 × visits) − 10 × escalations (weights: [rules.assessment])",
            )
            .into(),
            as_of_line(r.as_of, lang),
        ],
        sections: vec![s],
        ..Doc::default()
    }
}

pub fn overdue(r: &OverdueReport, lang: Lang) -> Doc {
    Doc {
        errors: Some(r.cases.len()),
        title: lang.pick(format!("{} 逾期事项", r.township), format!("{}: overdue cases", r.township)),
        lines: vec![
            lang.pick(format!("共 {} 项", r.cases.len()), format!("{} case(s) and deadline(s)", r.cases.len())),
            as_of_line(r.as_of, lang),
        ],
        sections: vec![overdue_section(&r.cases, lang)],
        ..Doc::default()
    }
}

pub fn annual(r: &AnnualReport, lang: Lang) -> Doc {
    let mut months = Section::new(
        lang.t("逐月情况", "Month by month"),
        &[
            lang.t("月份", "month"),
            lang.t("受理", "received"),
            lang.t("化解", "resolved"),
            lang.t("化解率", "rate"),
            lang.t("接访场次", "sessions"),
            lang.t("安排接待日", "scheduled"),
            lang.t("未按日程", "missed"),
            lang.t("群众工作日", "work days"),
            lang.t("收信", "letters"),
            lang.t("阅批", "reviews"),
            lang.t("新纠纷", "disputes"),
            lang.t("纠纷化解", "resolved"),
            lang.t("排查 完成/应排", "screenings done/req."),
            lang.t("上交", "escalations"),
        ],
    );
    for m in &r.months {
        months.row(vec![
            m.month.to_string().into(),
            m.received.into(),
            m.resolved.into(),
            Cell::Rate(m.resolution_rate),
            m.sessions.into(),
            m.scheduled.into(),
            m.missed.into(),
            m.work_days.into(),
            m.letters_received.into(),
            m.letters_reviewed.into(),
            m.disputes_opened.into(),
            m.disputes_resolved.into(),
            format!("{}/{}", m.screenings_done, m.screenings_required).into(),
            m.escalations.into(),
        ]);
    }
    let mut leaders = Section::new(
        lang.t("各位领导", "Leaders"),
        &[
            lang.t("姓名", "name"),
            lang.t("类别", "role"),
            lang.t("安排接待日", "scheduled"),
            lang.t("接访场次", "sessions"),
            lang.t("未按日程", "missed"),
            lang.t("阅批来信", "letters reviewed"),
            lang.t("受理", "received"),
            lang.t("化解", "resolved"),
            lang.t("化解率", "rate"),
        ],
    );
    for l in &r.leaders {
        leaders.row(vec![
            l.name.as_str().into(),
            l.role.label(lang).into(),
            l.scheduled.into(),
            l.held.into(),
            l.missed.into(),
            l.letters_reviewed.into(),
            l.received.into(),
            l.resolved.into(),
            Cell::Rate(l.resolution_rate),
        ]);
    }
    let group = |title: &str, first: &str, rows: &[crate::report::annual::GroupYear]| {
        let mut s = Section::new(
            title,
            &[
                first,
                lang.t("受理", "received"),
                lang.t("化解", "resolved"),
                lang.t("化解率", "rate"),
                lang.t("纠纷", "disputes"),
                lang.t("上交", "escalations"),
            ],
        );
        for g in rows {
            s.row(vec![
                g.name.as_str().into(),
                g.received.into(),
                g.resolved.into(),
                Cell::Rate(g.resolution_rate),
                g.disputes_opened.into(),
                g.escalations.into(),
            ]);
        }
        s
    };
    Doc {
        errors: Some(r.findings.iter().filter(|f| f.severity == crate::rules::Severity::Error).count()),
        figures: vec![
            (lang.t("全年受理", "received").into(), r.total.received.into()),
            (lang.t("全年化解", "resolved").into(), r.total.resolved.into()),
            (lang.t("全年化解率", "resolution rate").into(), Cell::Rate(r.resolution_rate)),
            (lang.t("目标化解率", "target").into(), Cell::Rate(Some(r.target))),
            (lang.t("接访场次", "sessions").into(), r.months.iter().map(|m| m.sessions).sum::<usize>().into()),
            (lang.t("上交", "escalations").into(), r.months.iter().map(|m| m.escalations).sum::<usize>().into()),
            (lang.t("信访考核得分", "indicator score").into(), Cell::Score(r.kpi.score)),
        ],
        charts: vec![
            Chart {
                title: lang.t("各月化解率与目标", "Resolution rate by month, against the target").into(),
                kind: ChartKind::Line,
                categories: r
                    .months
                    .iter()
                    .map(|m| lang.pick(format!("{}月", m.month.month), format!("{:02}", m.month.month)))
                    .collect(),
                series: vec![
                    Series {
                        name: lang.t("化解率", "resolution rate").into(),
                        values: r.months.iter().map(|m| m.resolution_rate).collect(),
                    },
                    Series {
                        name: lang.t("目标", "target").into(),
                        values: r.months.iter().map(|_| Some(r.target)).collect(),
                    },
                ],
                percent: true,
            },
            village_scores_chart(&r.village_scores, lang),
        ],
        title: lang.pick(
            format!("{} {} 年干部接访下访群众工作年度总结", r.township, r.year),
            format!("{}: annual review {}", r.township, r.year),
        ),
        lines: vec![
            verdict_line(r.verdict, &r.findings, lang),
            lang.pick(
                format!(
                    "全年受理 {} 件，化解 {} 件，化解率 {}（目标 {:.0}%）",
                    r.total.received,
                    r.total.resolved,
                    Cell::Rate(r.resolution_rate).display(),
                    r.target * 100.0
                ),
                format!(
                    "{} received, {} resolved, rate {} (target {:.0}%)",
                    r.total.received,
                    r.total.resolved,
                    Cell::Rate(r.resolution_rate).display(),
                    r.target * 100.0
                ),
            ),
            as_of_line(r.as_of, lang),
        ],
        sections: vec![
            months,
            leaders,
            group(lang.t("各村（社区）", "Villages"), lang.t("村社区", "village"), &r.villages),
            village_scores_section(
                lang.t("村（社区）全年考核", "Village assessment, whole year"),
                &r.village_scores,
                lang,
            ),
            group(lang.t("各类别", "Categories"), lang.t("类别", "category"), &r.categories),
            kpi_section(&r.kpi, lang),
            findings_section(&r.findings, lang),
        ],
        ..Doc::default()
    }
}
