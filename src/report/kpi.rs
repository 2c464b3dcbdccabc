//! The petition indicators of a town over a period and their score (SPEC
//! §11.1; 国信发〔2022〕11号, as a district scores its towns on “解决信访问题”).
//! A section of the monthly and annual reports, and each town's row in the
//! district's.

use super::{round4, Tally};
use crate::config::{KpiSettings, Settings};
use crate::ledger::case::Case;
use crate::ledger::Ledgers;
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// A rate with what it is made of; `rate` is `None` when there is nothing to measure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Ratio {
    pub rate: Option<f64>,
    pub numerator: usize,
    pub denominator: usize,
}

impl Ratio {
    pub fn new(numerator: usize, denominator: usize) -> Ratio {
        let rate = (denominator > 0).then(|| round4(numerator as f64 / denominator as f64));
        Ratio { rate, numerator, denominator }
    }

    /// The rate, or in full when there is nothing to measure (how the score counts it).
    fn or_full(&self) -> f64 {
        self.rate.unwrap_or(1.0)
    }
}

/// The indicators of §11.1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Kpi {
    /// 及时受理率: letters answered within `accept_within_days`.
    pub timely_acceptance: Ratio,
    /// 按期办结率: cases resolved within their handling limit.
    pub on_time: Ratio,
    /// 参评率: resolved cases the person rated.
    pub rated: Ratio,
    /// 满意率: rated cases whose latest rating counts as satisfied.
    pub satisfied: Ratio,
    /// 领导包案化解率: assigned visit cases resolved.
    pub lead_resolution: Ratio,
    /// 化解率 (§6.2).
    pub resolution: Ratio,
    /// 重复信访: repeat receptions dated in the period.
    pub repeats: usize,
    /// 上交: escalations dated in the period.
    pub escalations: usize,
    pub score: f64,
}

/// The indicators over the cases started from `from` to `to`, as of `as_of`
/// (the ledgers read to that date).
pub fn build(settings: &Settings, ledgers: &Ledgers, from: NaiveDate, to: NaiveDate, as_of: NaiveDate) -> Kpi {
    let rules = &settings.rules;
    let visits: Vec<&Case> = ledgers.visits.started(from, to).filter(|c| !c.voided).collect();
    let letters: Vec<&Case> = ledgers.letters.started(from, to).filter(|c| !c.voided).collect();

    let (mut answered, mut due) = (0, 0);
    for c in &letters {
        let limit = c.start + Duration::days(rules.accept_within_days);
        if c.first_reply.is_some() || as_of > limit {
            due += 1;
            if c.first_reply.is_some_and(|d| d <= limit) {
                answered += 1;
            }
        }
    }

    let (mut in_time, mut closed_or_late) = (0, 0);
    let (mut resolved, mut rated, mut satisfied) = (0, 0, 0);
    for c in visits.iter().chain(&letters) {
        let limit = c.handle_deadline(rules);
        let done = c.resolved_on();
        if done.is_some() || as_of > limit {
            closed_or_late += 1;
            if done.is_some_and(|d| d <= limit) {
                in_time += 1;
            }
        }
        if done.is_some() {
            resolved += 1;
            if let Some(r) = c.rating_as_of(as_of) {
                rated += 1;
                if settings.kpi.satisfied_ratings.contains(&r) {
                    satisfied += 1;
                }
            }
        }
    }

    let assigned: Vec<&&Case> = visits.iter().filter(|c| c.assigned_on.is_some()).collect();
    let lead = Ratio::new(assigned.iter().filter(|c| c.is_resolved()).count(), assigned.len());
    let tally = Tally::of(visits.iter().copied());
    let in_period = |d: NaiveDate| from <= d && d <= to;
    let repeats = ledgers.visits.repeats.iter().filter(|e| in_period(e.date)).count();
    let escalations = [&ledgers.visits, &ledgers.disputes]
        .iter()
        .flat_map(|b| b.escalations.iter().map(move |e| (b, e)))
        .filter(|(b, e)| in_period(e.date) && b.case(e.case).is_some_and(|c| !c.voided))
        .count();

    let mut kpi = Kpi {
        timely_acceptance: Ratio::new(answered, due),
        on_time: Ratio::new(in_time, closed_or_late),
        rated: Ratio::new(rated, resolved),
        satisfied: Ratio::new(satisfied, rated),
        lead_resolution: lead,
        resolution: Ratio::new(tally.resolved, tally.received),
        repeats,
        escalations,
        score: 0.0,
    };
    kpi.score = score(&kpi, &settings.kpi);
    kpi
}

/// The score of §11.1: 5 × timely_acceptance + 10 × on_time + max(0, 10 −
/// repeats) + 10 × satisfied + 5 × rated − (1 when lead_resolution < 0.85),
/// weights from `[kpi]`; a rate with nothing to measure scores in full.
pub fn score(k: &Kpi, w: &KpiSettings) -> f64 {
    let repeats = (w.repeats - w.repeat_penalty * k.repeats as f64).max(0.0);
    let lead = match k.lead_resolution.rate {
        Some(r) if r < w.lead_resolution_below => w.lead_resolution_penalty,
        _ => 0.0,
    };
    let raw = w.timely_acceptance * k.timely_acceptance.or_full()
        + w.on_time * k.on_time.or_full()
        + repeats
        + w.satisfied * k.satisfied.or_full()
        + w.rated * k.rated.or_full()
        - lead;
    (raw * 100.0).round() / 100.0
}

/// What an indicator measures, for `qunli explain`.
pub struct IndicatorDoc {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// What it measures and how: (中文, English).
    pub formula: (&'static str, &'static str),
    /// Its weight in the score and where the figure comes from.
    pub score: (&'static str, &'static str),
}

const SOURCE: &str = "国信发〔2022〕11号；区对镇信访工作考核细则“解决信访问题”（40分）";

/// The indicators of §11.1.
pub const INDICATORS: [IndicatorDoc; 8] = [
    IndicatorDoc {
        key: "timely_acceptance",
        zh: "及时受理率",
        en: "timely acceptance",
        formula: (
            "本期收到的来信中，收信后 accept_within_days（默认 15）日内有“答复”的件数 ÷ 已答复或答复期限已过的来信件数。来访当面登记，不计入。",
            "letters of the period given a reply within accept_within_days (15) of receipt ÷ letters that have a reply or whose reply deadline has passed. Visits are received in person and not counted.",
        ),
        score: ("[kpi.weights] timely_acceptance，默认 5 分 × 比率", "[kpi.weights] timely_acceptance, default 5 points × the rate"),
    },
    IndicatorDoc {
        key: "on_time",
        zh: "按期办结率",
        en: "resolved on time",
        formula: (
            "本期受理的来访和来信中，在办理时限（handle_within_days，默认 60 日；延期后再加 extension_max_days，默认 30 日；办结后再次来访的从再次来访起算）内办结的件数 ÷ 已办结或时限已过的件数。",
            "visit and letter cases of the period resolved within their handling limit (handle_within_days, 60; + extension_max_days, 30, once extended; from the repeat reception when received again after resolving) ÷ cases resolved or past their limit.",
        ),
        score: ("[kpi.weights] on_time，默认 10 分 × 比率", "[kpi.weights] on_time, default 10 points × the rate"),
    },
    IndicatorDoc {
        key: "rated",
        zh: "参评率",
        en: "rated",
        formula: (
            "本期受理且已办结的事项中，群众作了评价（visit/letter rate）的件数 ÷ 已办结件数。",
            "resolved cases of the period that the person rated (visit/letter rate) ÷ resolved cases of the period.",
        ),
        score: ("[kpi.weights] rated，默认 5 分 × 比率", "[kpi.weights] rated, default 5 points × the rate"),
    },
    IndicatorDoc {
        key: "satisfied",
        zh: "满意率",
        en: "satisfied",
        formula: (
            "已评价事项中，最后一次评价属于 [kpi] satisfied（默认“满意”和“基本满意”）的件数 ÷ 已评价件数。",
            "rated cases whose latest rating is in [kpi] satisfied (default satisfied and basic) ÷ rated cases.",
        ),
        score: ("[kpi.weights] satisfied，默认 10 分 × 比率", "[kpi.weights] satisfied, default 10 points × the rate"),
    },
    IndicatorDoc {
        key: "repeats",
        zh: "重复信访",
        en: "repeat receptions",
        formula: (
            "本期内同一事项再次来访登记（重复访）的次数。",
            "repeat receptions (a receive of an existing visit case) dated in the period.",
        ),
        score: (
            "[kpi.weights] repeats 默认 10 分，每次扣 [kpi] repeat_penalty（默认 1）分，最低 0 分",
            "[kpi.weights] repeats, default 10 points, less [kpi] repeat_penalty (1) for each, never below 0",
        ),
    },
    IndicatorDoc {
        key: "lead_resolution",
        zh: "领导包案化解率",
        en: "lead resolution",
        formula: (
            "本期受理、已有领导包案（assign）的来访事项中已化解的件数 ÷ 包案件数。",
            "visit cases of the period with an assign that are resolved ÷ visit cases of the period with an assign.",
        ),
        score: (
            "低于 [kpi] lead_resolution_below（默认 0.85）时扣 [kpi] lead_resolution_penalty（默认 1）分",
            "below [kpi] lead_resolution_below (0.85): [kpi] lead_resolution_penalty (1) point off",
        ),
    },
    IndicatorDoc {
        key: "resolution",
        zh: "化解率",
        en: "resolution",
        formula: (
            "本期受理的来访事项中已化解的件数 ÷ 受理件数（与月报相同）。",
            "visit cases of the period resolved ÷ received (as in the monthly report).",
        ),
        score: ("不计分；目标见 [rules] resolution_target（默认 90%）", "not scored; the target is [rules] resolution_target (90%)"),
    },
    IndicatorDoc {
        key: "escalations",
        zh: "上交",
        en: "escalations",
        formula: (
            "本期内来访和矛盾纠纷的“上交”次数（到区、到市、进京、民转刑）。",
            "escalate events of visits and disputes dated in the period (district, city, Beijing, criminal).",
        ),
        score: ("不计分，单列", "not scored; shown on its own"),
    },
];

impl IndicatorDoc {
    /// The indicator named by its key or its Chinese name.
    pub fn find(name: &str) -> Option<&'static IndicatorDoc> {
        let name = name.trim();
        INDICATORS.iter().find(|d| d.key.eq_ignore_ascii_case(name) || d.zh == name)
    }

    /// Its explanation as text.
    pub fn text(&self, lang: crate::lang::Lang) -> String {
        format!(
            "{key} {zh}\n\n{l_what}\n  {what}\n\n{l_score}\n  {score}\n\n{l_src}\n  {SOURCE}\n",
            key = self.key,
            zh = lang.pick(self.zh.to_string(), self.en.to_string()),
            l_what = lang.t("计算方法：", "How it is computed:"),
            what = lang.pick(self.formula.0.to_string(), self.formula.1.to_string()),
            l_score = lang.t("计分（满分 40）：", "In the score (of 40):"),
            score = lang.pick(self.score.0.to_string(), self.score.1.to_string()),
            l_src = lang.t("依据：", "Source:"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kpi(rates: [Option<f64>; 5], repeats: usize) -> Kpi {
        let r = |x: Option<f64>| Ratio { rate: x, numerator: 0, denominator: 0 };
        Kpi {
            timely_acceptance: r(rates[0]),
            on_time: r(rates[1]),
            rated: r(rates[2]),
            satisfied: r(rates[3]),
            lead_resolution: r(rates[4]),
            repeats,
            ..Kpi::default()
        }
    }

    #[test]
    fn nothing_to_measure_scores_in_full() {
        assert_eq!(score(&kpi([None; 5], 0), &KpiSettings::default()), 40.0);
    }

    #[test]
    fn the_published_weights() {
        let w = KpiSettings::default();
        // 5×0.9 + 10×0.5 + (10−2) + 10×0.8 + 5×0.6 − 1 (lead 0.8 < 0.85)
        let k = kpi([Some(0.9), Some(0.5), Some(0.6), Some(0.8), Some(0.8)], 2);
        assert_eq!(score(&k, &w), 4.5 + 5.0 + 8.0 + 8.0 + 3.0 - 1.0);
        // No penalty at the threshold; repeats never below zero.
        let k = kpi([Some(1.0), Some(1.0), Some(1.0), Some(1.0), Some(0.85)], 25);
        assert_eq!(score(&k, &w), 30.0);
    }

    #[test]
    fn changed_weights() {
        let w =
            KpiSettings { on_time: 20.0, repeat_penalty: 2.0, lead_resolution_below: 0.9, ..KpiSettings::default() };
        let k = kpi([Some(1.0), Some(0.5), Some(1.0), Some(1.0), Some(0.85)], 3);
        assert_eq!(score(&k, &w), 5.0 + 10.0 + 4.0 + 10.0 + 5.0 - 1.0);
    }
}
