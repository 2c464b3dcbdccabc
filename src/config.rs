//! `qunli.toml`: raw serde types, validated once into [`Settings`].

use crate::calendar::{Calendar, SensitivePeriod};
use crate::codes::{Level, Rule};
use crate::error::{nearest, Error, Result};
use crate::labeled_enum;
use crate::lang::Lang;
use chrono::NaiveDate;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use toml::Spanned;

labeled_enum! {
    /// A leader's role in the plan.
    pub enum Role {
        /// 党政主要负责人: two reception days and two letters a month.
        Principal => ("principal", "主要领导"),
        /// 其他班子成员.
        Member => ("member", "班子成员"),
    }
}

labeled_enum! {
    /// How often villages screen for disputes outside sensitive periods.
    pub enum Screening {
        Weekly => ("weekly", "每周"),
        Off => ("off", "关闭"),
    }
}

/// A scheduled reception day and the line of `qunli.toml` it is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduledDay {
    pub date: NaiveDate,
    pub line: usize,
}

/// A leader of the schedule.
#[derive(Clone, Debug)]
pub struct Leader {
    pub name: String,
    pub role: Role,
    pub title: Option<String>,
    pub days: Vec<ScheduledDay>,
    /// In office from / until (inclusive); `None`: since / for ever.
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Leader {
    /// Whether the leader is in office on `d`.
    pub fn in_office(&self, d: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= d) && self.until.is_none_or(|u| d <= u)
    }

    /// Whether the leader is in office from the first to the last day of
    /// `month`: only then do the month's requirements apply (SPEC §4).
    pub fn serves_whole(&self, month: crate::period::YearMonth) -> bool {
        self.in_office(month.first_day()) && self.in_office(month.last_day())
    }
}

/// `[reception]`: where and when reception days are held.
#[derive(Clone, Debug, Default)]
pub struct Reception {
    pub place: Option<String>,
    /// `09:00-12:00`: start and end.
    pub hours: Option<(chrono::NaiveTime, chrono::NaiveTime)>,
}

/// The village assessment's weights (§6.5).
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    pub screening: f64,
    pub disputes: f64,
    pub visits: f64,
    pub escalation_penalty: f64,
}

/// The `[rules]` table, every value filled in.
#[derive(Clone, Debug)]
pub struct RuleSettings {
    pub principal_sessions_per_month: u32,
    pub member_sessions_per_month: u32,
    pub principal_letters_per_month: u32,
    pub letter_review_within_workdays: u32,
    pub mass_work_days_per_month: u32,
    pub resolution_target: f64,
    pub accept_within_days: i64,
    pub handle_within_days: i64,
    pub extension_max_days: i64,
    pub hard_case_assign_within_days: i64,
    pub screening: Screening,
    pub assessment_bottom: usize,
    pub level: HashMap<Rule, Level>,
    pub assessment: Weights,
}

impl Default for RuleSettings {
    fn default() -> Self {
        Self {
            principal_sessions_per_month: 2,
            member_sessions_per_month: 1,
            principal_letters_per_month: 2,
            letter_review_within_workdays: 3,
            mass_work_days_per_month: 1,
            resolution_target: 0.90,
            accept_within_days: 15,
            handle_within_days: 60,
            extension_max_days: 30,
            hard_case_assign_within_days: 7,
            screening: Screening::Weekly,
            assessment_bottom: 2,
            level: HashMap::new(),
            assessment: Weights { screening: 0.4, disputes: 0.4, visits: 0.2, escalation_penalty: 10.0 },
        }
    }
}

/// `[kpi]`: how the petition indicators are scored (SPEC §11.1). The
/// defaults follow the published data-driven part (“解决信访问题”, 40 points)
/// of a district's assessment of its towns.
#[derive(Clone, Debug, PartialEq)]
pub struct KpiSettings {
    pub timely_acceptance: f64,
    pub on_time: f64,
    /// Points for having no repeat reception; `repeat_penalty` off for each.
    pub repeats: f64,
    pub repeat_penalty: f64,
    pub satisfied: f64,
    pub rated: f64,
    /// Points off when the lead-resolution rate is below `lead_resolution_below`.
    pub lead_resolution_penalty: f64,
    pub lead_resolution_below: f64,
    /// The ratings that count as satisfied.
    pub satisfied_ratings: Vec<crate::codes::Rating>,
}

impl Default for KpiSettings {
    fn default() -> Self {
        use crate::codes::Rating;
        KpiSettings {
            timely_acceptance: 5.0,
            on_time: 10.0,
            repeats: 10.0,
            repeat_penalty: 1.0,
            satisfied: 10.0,
            rated: 5.0,
            lead_resolution_penalty: 1.0,
            lead_resolution_below: 0.85,
            satisfied_ratings: vec![Rating::Satisfied, Rating::Basic],
        }
    }
}

/// `[email]` defaults for `--format email`.
#[derive(Clone, Debug, Default)]
pub struct EmailSettings {
    pub from: Option<String>,
    pub to: Vec<String>,
}

/// The validated configuration of a workspace.
#[derive(Clone, Debug)]
pub struct Settings {
    pub township: String,
    pub county: Option<String>,
    /// The years the workspace covers, in order (SPEC §3).
    pub years: Vec<i32>,
    pub lang: Lang,
    pub villages: Vec<String>,
    pub leaders: Vec<Leader>,
    pub hard_categories: Vec<String>,
    pub other_categories: Vec<String>,
    pub calendar: Calendar,
    pub builtin_calendar: bool,
    pub extra_holidays: Vec<NaiveDate>,
    pub extra_workdays: Vec<NaiveDate>,
    pub sensitive_periods: Vec<SensitivePeriod>,
    pub rules: RuleSettings,
    pub email: EmailSettings,
    pub reception: Reception,
    pub kpi: KpiSettings,
}

pub const DEFAULT_HARD: &[&str] = &[
    "土地征用",
    "房屋拆迁",
    "房屋产权证办理",
    "企业改制",
    "非法融资",
    "土地流转",
    "环境保护",
    "房地产建设",
    "劳动社保",
];
pub const DEFAULT_OTHER: &[&str] = &["邻里纠纷", "婚姻家庭", "债权债务", "村务管理", "政策咨询", "其他"];

impl Settings {
    pub fn leader(&self, name: &str) -> Option<&Leader> {
        self.leaders.iter().find(|l| l.name == name)
    }

    pub fn leader_index(&self, name: &str) -> Option<usize> {
        self.leaders.iter().position(|l| l.name == name)
    }

    pub fn village_index(&self, name: &str) -> Option<usize> {
        self.villages.iter().position(|v| v == name)
    }

    /// Every category, hard ones first.
    pub fn categories(&self) -> impl Iterator<Item = &str> {
        self.hard_categories.iter().chain(&self.other_categories).map(String::as_str)
    }

    pub fn category_index(&self, name: &str) -> Option<usize> {
        self.categories().position(|c| c == name)
    }

    pub fn category_name(&self, index: usize) -> &str {
        self.categories().nth(index).unwrap_or("")
    }

    /// Whether category `index` is one of the hard ones (疑难信访问题).
    pub fn is_hard(&self, index: usize) -> bool {
        index < self.hard_categories.len()
    }

    /// The first and last date a ledger row may carry: the covered years,
    /// and the year after the last for rows that carry on a case (SPEC §5.5).
    pub fn date_range(&self) -> (NaiveDate, NaiveDate) {
        (
            NaiveDate::from_ymd_opt(self.first_year(), 1, 1).expect("year validated"),
            NaiveDate::from_ymd_opt(self.last_year() + 1, 12, 31).expect("year validated"),
        )
    }

    pub fn first_year(&self) -> i32 {
        self.years[0]
    }

    pub fn last_year(&self) -> i32 {
        *self.years.last().expect("years validated non-empty")
    }

    /// Whether the workspace covers `year`.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The covered years as a person reads them: `2022–2024`, or `2022、2024`.
    pub fn covered_years(&self) -> String {
        let contiguous = self.years.windows(2).all(|w| w[1] == w[0] + 1);
        match (self.years.len(), contiguous) {
            (1, _) => self.years[0].to_string(),
            (_, true) => format!("{}–{}", self.first_year(), self.last_year()),
            _ => self.years.iter().map(i32::to_string).collect::<Vec<_>>().join("、"),
        }
    }

    /// Refuses a command about `what` in `year`, which the workspace does not cover.
    pub fn not_covered(&self, what: &str, year: i32, lang: Lang) -> Error {
        let years = self.covered_years();
        Error::Usage(lang.pick(
            format!(
                "{what}：{year} 年不在本工作区覆盖的年份（{years}）内；要覆盖新的一年，运行 `qunli year add {year}` \
                 并填入这一年的接待日"
            ),
            format!(
                "{what}: {year} is not a year this workspace covers ({years}); to cover it, run \
                 `qunli year add {year}` and enter that year's reception days"
            ),
        ))
    }

    /// Whether any leader has a reception day in `year` (the year's plan is typed in).
    pub fn planned(&self, year: i32) -> bool {
        use chrono::Datelike;
        self.leaders.iter().any(|l| l.days.iter().any(|d| d.date.year() == year))
    }

    /// The year a command means without `--year`: that of `d` when it is
    /// covered, else the last covered year before it, else the first.
    pub fn year_of(&self, d: NaiveDate) -> i32 {
        use chrono::Datelike;
        let y = d.year();
        self.years.iter().rev().copied().find(|&c| c <= y).unwrap_or(self.first_year())
    }

    pub fn in_sensitive_period(&self, d: NaiveDate) -> bool {
        self.sensitive_periods.iter().any(|p| p.contains(d))
    }

    /// A note for the user when the calendar falls back to weekends for a covered year.
    pub fn calendar_warning(&self) -> Option<String> {
        let outside: Vec<String> =
            self.years.iter().filter(|y| !self.calendar.covers(**y)).map(i32::to_string).collect();
        (self.builtin_calendar && !outside.is_empty()).then(|| {
            crate::lang::messages().pick(
                format!(
                    "内置节假日日历覆盖 {}–{} 年，不含 {}：这些年份只按周末计算（可在 qunli.toml 的 [calendar] 中补充 holidays 和 workdays）",
                    crate::calendar::cn::YEARS.start(),
                    crate::calendar::cn::YEARS.end(),
                    outside.join("、")
                ),
                format!(
                    "the built-in holiday calendar covers {}–{}, not {}: weekends alone are used \
                     (add [calendar] holidays and workdays to qunli.toml)",
                    crate::calendar::cn::YEARS.start(),
                    crate::calendar::cn::YEARS.end(),
                    outside.join(", ")
                ),
            )
        })
    }
}

// ---------------------------------------------------------------- raw types

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    township: Spanned<String>,
    #[serde(default)]
    county: Option<String>,
    #[serde(default)]
    year: Option<Spanned<i64>>,
    #[serde(default)]
    years: Option<Spanned<Vec<Spanned<i64>>>>,
    #[serde(default)]
    lang: Option<Lang>,
    villages: Spanned<Vec<Spanned<String>>>,
    leaders: Spanned<Vec<RawLeader>>,
    #[serde(default)]
    categories: Option<RawCategories>,
    #[serde(default)]
    calendar: Option<RawCalendar>,
    #[serde(default)]
    sensitive_periods: Vec<RawPeriod>,
    #[serde(default)]
    rules: Option<RawRules>,
    #[serde(default)]
    email: Option<RawEmail>,
    #[serde(default)]
    reception: Option<RawReception>,
    #[serde(default)]
    kpi: Option<RawKpi>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReception {
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    hours: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLeader {
    name: Spanned<String>,
    role: Spanned<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    days: Vec<Spanned<TomlDate>>,
    #[serde(default)]
    from: Option<TomlDate>,
    #[serde(default)]
    until: Option<Spanned<TomlDate>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategories {
    #[serde(default)]
    hard: Option<Vec<String>>,
    #[serde(default)]
    other: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    #[serde(default)]
    builtin: Option<Spanned<String>>,
    #[serde(default)]
    holidays: Vec<TomlDate>,
    #[serde(default)]
    workdays: Vec<TomlDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    name: String,
    from: Spanned<TomlDate>,
    to: TomlDate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    principal_sessions_per_month: Option<u32>,
    member_sessions_per_month: Option<u32>,
    principal_letters_per_month: Option<u32>,
    letter_review_within_workdays: Option<u32>,
    mass_work_days_per_month: Option<u32>,
    resolution_target: Option<Spanned<f64>>,
    accept_within_days: Option<u32>,
    handle_within_days: Option<u32>,
    extension_max_days: Option<u32>,
    hard_case_assign_within_days: Option<u32>,
    screening: Option<Spanned<String>>,
    assessment_bottom: Option<u32>,
    #[serde(default)]
    level: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    assessment: Option<RawWeights>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeights {
    screening: Option<f64>,
    disputes: Option<f64>,
    visits: Option<f64>,
    escalation_penalty: Option<f64>,
}

/// `[kpi]` as written: `satisfied` names the ratings that count; the
/// weights sit in `[kpi.weights]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKpi {
    #[serde(default)]
    satisfied: Option<Vec<Spanned<String>>>,
    repeat_penalty: Option<f64>,
    lead_resolution_below: Option<f64>,
    lead_resolution_penalty: Option<f64>,
    #[serde(default)]
    weights: Option<RawKpiWeights>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKpiWeights {
    timely_acceptance: Option<f64>,
    on_time: Option<f64>,
    repeats: Option<f64>,
    satisfied: Option<f64>,
    rated: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEmail {
    from: Option<String>,
    #[serde(default)]
    to: Vec<String>,
}

/// A TOML local date (`2022-01-14`), or a string holding one.
struct TomlDate(NaiveDate);

impl<'de> Deserialize<'de> for TomlDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let value = toml::Value::deserialize(d)?;
        let date = match &value {
            toml::Value::Datetime(dt) => match (&dt.date, &dt.time, &dt.offset) {
                (Some(date), None, None) => {
                    NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
                }
                _ => return Err(D::Error::custom(format!("{dt} is not a plain date; write YYYY-MM-DD"))),
            },
            toml::Value::String(s) => crate::period::parse_date(s),
            other => return Err(D::Error::custom(format!("expected a date like 2022-01-14, found {other}"))),
        };
        date.map(TomlDate).ok_or_else(|| D::Error::custom(format!("impossible date {value}")))
    }
}

// ---------------------------------------------------------------- loading

/// The line (1-based) of byte offset `at` in `src`.
pub fn line_of(src: &str, at: usize) -> usize {
    src.as_bytes()[..at.min(src.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Lines of many offsets of one text, each found by a binary search (a
/// schedule of thousands of days loads in linear time, not quadratic).
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(src: &str) -> Self {
        LineIndex(src.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect())
    }

    fn line(&self, at: usize) -> usize {
        self.0.partition_point(|&nl| nl < at) + 1
    }
}

/// Reads and validates `qunli.toml`.
pub fn load(path: &Path) -> Result<Settings> {
    let (file, src) = read_text(path)?;
    parse(&src, &file)
}

/// A settings file's name (as messages give it) and its text, which must be UTF-8.
fn read_text(path: &Path) -> Result<(String, String)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let file = path.display().to_string();
    let name = path.file_name().map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
    let src = String::from_utf8(bytes).map_err(|_| Error::Config {
        file: file.clone(),
        line: None,
        message: crate::lang::messages().pick(
            format!("不是有效的 UTF-8；请把 {name} 存为 UTF-8"),
            format!("not valid UTF-8; save {name} as UTF-8"),
        ),
    })?;
    Ok((file, src))
}

/// `[kpi]` with the defaults of §11.1 where it says nothing.
fn kpi_settings(raw: Option<RawKpi>, err: &dyn Fn(usize, String) -> Error) -> Result<KpiSettings> {
    let mut kpi = KpiSettings::default();
    if let Some(k) = raw {
        if let Some(list) = k.satisfied {
            let mut ratings = Vec::new();
            for r in list {
                let rating = crate::codes::Rating::parse(r.get_ref()).ok_or_else(|| {
                    err(r.span().start, crate::error::unknown("rating", r.get_ref(), crate::codes::Rating::spellings()))
                })?;
                ratings.push(rating);
            }
            kpi.satisfied_ratings = ratings;
        }
        kpi.repeat_penalty = k.repeat_penalty.unwrap_or(kpi.repeat_penalty);
        kpi.lead_resolution_below = k.lead_resolution_below.unwrap_or(kpi.lead_resolution_below);
        kpi.lead_resolution_penalty = k.lead_resolution_penalty.unwrap_or(kpi.lead_resolution_penalty);
        if let Some(w) = k.weights {
            kpi.timely_acceptance = w.timely_acceptance.unwrap_or(kpi.timely_acceptance);
            kpi.on_time = w.on_time.unwrap_or(kpi.on_time);
            kpi.repeats = w.repeats.unwrap_or(kpi.repeats);
            kpi.satisfied = w.satisfied.unwrap_or(kpi.satisfied);
            kpi.rated = w.rated.unwrap_or(kpi.rated);
        }
    }
    Ok(kpi)
}

/// `qunli-district.toml`: the district and the towns it reads (SPEC §11.2).
#[derive(Clone, Debug)]
pub struct DistrictSettings {
    pub district: String,
    pub lang: Lang,
    /// The towns' workspace folders, as written (relative to the file's folder).
    pub towns: Vec<String>,
    /// Towns flagged at the bottom of the ranking.
    pub bottom: usize,
    pub kpi: KpiSettings,
    pub email: EmailSettings,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistrict {
    district: Spanned<String>,
    #[serde(default)]
    lang: Option<Lang>,
    towns: Spanned<Vec<String>>,
    #[serde(default)]
    bottom: Option<u32>,
    #[serde(default)]
    kpi: Option<RawKpi>,
    #[serde(default)]
    email: Option<RawEmail>,
}

/// Reads and checks a `qunli-district.toml`.
pub fn load_district(path: &Path) -> Result<DistrictSettings> {
    let (file, src) = read_text(path)?;
    let src = src.strip_prefix('\u{feff}').unwrap_or(&src);
    let required = crate::lang::messages().t("（district 和 towns 是必需的）", " (district and towns are required)");
    let raw: RawDistrict = toml::from_str(src).map_err(|e| toml_error(src, &file, &e, required))?;
    let err = |at: usize, message: String| Error::Config { file: file.clone(), line: Some(line_of(src, at)), message };
    let district = raw.district.get_ref().trim().to_string();
    if district.is_empty() {
        return Err(err(
            raw.district.span().start,
            crate::lang::messages().t("`district` 不能为空", "`district` is empty").into(),
        ));
    }
    if raw.towns.get_ref().is_empty() {
        return Err(err(
            raw.towns.span().start,
            crate::lang::messages()
                .t("`towns` 是空的：请列出各镇工作区的文件夹", "`towns` is empty: list the towns' workspace folders")
                .into(),
        ));
    }
    let kpi = kpi_settings(raw.kpi, &err)?;
    Ok(DistrictSettings {
        district,
        lang: raw.lang.unwrap_or_default(),
        towns: raw.towns.into_inner(),
        bottom: raw.bottom.unwrap_or(2) as usize,
        kpi,
        email: raw.email.map(|e| EmailSettings { from: e.from, to: e.to }).unwrap_or_default(),
    })
}

/// Parses and validates the text of a `qunli.toml`; `file` names it in messages.
pub fn parse(src: &str, file: &str) -> Result<Settings> {
    let src_body = src.strip_prefix('\u{feff}').unwrap_or(src);
    let required = crate::lang::messages().t(
        "（township、years、villages 和带 name、role 的 [[leaders]] 是必需的）",
        " (township, years, villages and [[leaders]] with name and role are required)",
    );
    let raw: RawConfig = toml::from_str(src_body).map_err(|e| toml_error(src_body, file, &e, required))?;
    validate(raw, src_body, file)
}

/// A TOML error in the workspace's language; `required` names the file's required keys.
fn toml_error(src: &str, file: &str, e: &toml::de::Error, required: &str) -> Error {
    let lang = crate::lang::messages();
    let raw = e.message().trim().to_string();
    let ticked: Vec<&str> = raw.split('`').skip(1).step_by(2).collect();
    let mut message = match (lang, ticked.first()) {
        (crate::lang::Lang::Zh, Some(key)) if raw.starts_with("unknown field") => format!("不认识的键 `{key}`"),
        (crate::lang::Lang::Zh, Some(v)) if raw.starts_with("unknown variant") => format!("不认识的值 `{v}`"),
        (crate::lang::Lang::Zh, Some(key)) if raw.starts_with("missing field") => format!("缺少键 `{key}`"),
        (crate::lang::Lang::Zh, _) if raw.starts_with("invalid type") => format!("类型不对：{raw}"),
        (crate::lang::Lang::Zh, _) => format!("TOML 格式有误：{raw}"),
        _ => raw.clone(),
    };
    if raw.starts_with("unknown field") || raw.starts_with("unknown variant") {
        if let Some((input, known)) = ticked.split_first() {
            if let Some(k) = nearest(input, known.iter().copied()) {
                message =
                    lang.pick(format!("{message}；你是不是要写 `{k}`？"), format!("{message}; did you mean `{k}`?"));
            }
        }
    }
    if raw.starts_with("missing field") {
        message.push_str(required);
    }
    Error::Config { file: file.into(), line: e.span().map(|s| line_of(src, s.start)), message }
}

fn validate(raw: RawConfig, src: &str, file: &str) -> Result<Settings> {
    let err = |at: usize, message: String| Error::Config { file: file.into(), line: Some(line_of(src, at)), message };

    let township = raw.township.get_ref().trim().to_string();
    if township.is_empty() {
        return Err(err(
            raw.township.span().start,
            crate::lang::messages().pick("`township` 不能为空".into(), "`township` is empty".into()),
        ));
    }
    let listed: Vec<Spanned<i64>> = match (raw.year, raw.years) {
        (Some(y), None) => vec![y],
        (None, Some(ys)) if ys.get_ref().is_empty() => {
            return Err(err(
                ys.span().start,
                crate::lang::messages().pick(
                    "`years` 是空的：请列出本工作区覆盖的年份".into(),
                    "`years` is empty: list the years this workspace covers".into(),
                ),
            ))
        }
        (None, Some(ys)) => ys.into_inner(),
        (Some(y), Some(_)) => {
            return Err(err(
                y.span().start,
                crate::lang::messages().pick(
                    "同时有 `year` 和 `years`：只保留 `years`".into(),
                    "both `year` and `years`: keep `years` only".into(),
                ),
            ));
        }
        (None, None) => {
            return Err(Error::Config {
                file: file.into(),
                line: None,
                message: "missing field `years` (township, years, villages and [[leaders]] with name and role are \
                          required)"
                    .into(),
            })
        }
    };
    let mut years: Vec<i32> = Vec::new();
    for y in &listed {
        let year = *y.get_ref();
        if !(2000..=2100).contains(&year) {
            return Err(err(
                y.span().start,
                crate::lang::messages().pick(
                    format!("`years`：{year} 不是可信的年份"),
                    format!("`years`: {year} is not a plausible year"),
                ),
            ));
        }
        if years.contains(&(year as i32)) {
            return Err(err(
                y.span().start,
                crate::lang::messages()
                    .pick(format!("`years`：{year} 列了两次"), format!("`years`: {year} is listed twice")),
            ));
        }
        years.push(year as i32);
    }
    years.sort_unstable();

    let mut villages: Vec<String> = Vec::new();
    for v in raw.villages.get_ref() {
        let name = v.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(err(
                v.span().start,
                crate::lang::messages().pick("有一个村社区名称是空的".into(), "a village name is empty".into()),
            ));
        }
        if villages.contains(&name) {
            return Err(err(
                v.span().start,
                crate::lang::messages()
                    .pick(format!("村社区“{name}”列了两次"), format!("village \"{name}\" is listed twice")),
            ));
        }
        villages.push(name);
    }
    if villages.is_empty() {
        return Err(err(
            raw.villages.span().start,
            crate::lang::messages().pick(
                "`villages` 是空的：请列出全部村和社区".into(),
                "`villages` is empty: list every 村 and 社区".into(),
            ),
        ));
    }

    let mut leaders: Vec<Leader> = Vec::new();
    let lines = LineIndex::new(src);
    for l in raw.leaders.into_inner() {
        let name = l.name.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(err(
                l.name.span().start,
                crate::lang::messages().pick("有一位领导的姓名是空的".into(), "a leader's name is empty".into()),
            ));
        }
        if leaders.iter().any(|x| x.name == name) {
            return Err(err(
                l.name.span().start,
                crate::lang::messages()
                    .pick(format!("领导“{name}”出现了两次"), format!("leader \"{name}\" is named twice")),
            ));
        }
        let role = Role::parse(l.role.get_ref()).ok_or_else(|| {
            err(
                l.role.span().start,
                crate::lang::messages().pick(
                    format!(
                        "不认识的角色“{}”；请写 \"principal\"（主要领导）或 \"member\"（班子成员）",
                        l.role.get_ref()
                    ),
                    format!("unknown role \"{}\"; use \"principal\" or \"member\"", l.role.get_ref()),
                ),
            )
        })?;
        let days = l
            .days
            .into_iter()
            .map(|d| ScheduledDay { date: d.get_ref().0, line: lines.line(d.span().start) })
            .collect();
        let (from, until) = (l.from.map(|d| d.0), l.until.as_ref().map(|d| d.get_ref().0));
        if let (Some(f), Some(u)) = (from, until) {
            if u < f {
                let at = l.until.as_ref().map_or(0, |d| d.span().start);
                return Err(err(
                    at,
                    crate::lang::messages().pick(
                        format!("领导“{name}”：`until` {u} 早于 `from` {f}"),
                        format!("leader \"{name}\": `until` {u} is before `from` {f}"),
                    ),
                ));
            }
        }
        leaders.push(Leader { name, role, title: l.title, days, from, until });
    }
    if leaders.is_empty() {
        return Err(Error::Config {
            file: file.into(),
            line: None,
            message: crate::lang::messages().pick("没有 [[leaders]]：请列出镇领导".into(), "no [[leaders]]".into()),
        });
    }

    let (hard, other) = match raw.categories {
        Some(c) => (
            c.hard.unwrap_or_else(|| DEFAULT_HARD.iter().map(|s| s.to_string()).collect()),
            c.other.unwrap_or_else(|| DEFAULT_OTHER.iter().map(|s| s.to_string()).collect()),
        ),
        None => (
            DEFAULT_HARD.iter().map(|s| s.to_string()).collect(),
            DEFAULT_OTHER.iter().map(|s| s.to_string()).collect(),
        ),
    };
    let mut seen = Vec::new();
    for c in hard.iter().chain(&other) {
        if seen.contains(&c) {
            return Err(Error::Config {
                file: file.into(),
                line: None,
                message: crate::lang::messages().pick(
                    format!("类别“{c}”在 [categories] 中列了两次"),
                    format!("category \"{c}\" is listed twice in [categories]"),
                ),
            });
        }
        seen.push(c);
    }

    let (builtin, extra_holidays, extra_workdays) = match raw.calendar {
        Some(c) => {
            let builtin = match &c.builtin {
                None => true,
                Some(b) if b.get_ref() == "cn" => true,
                Some(b) if b.get_ref() == "none" => false,
                Some(b) => {
                    return Err(err(
                        b.span().start,
                        crate::lang::messages().pick(
                            format!("`builtin` = \"{}\"：请写 \"cn\" 或 \"none\"", b.get_ref()),
                            format!("`builtin` = \"{}\": use \"cn\" or \"none\"", b.get_ref()),
                        ),
                    ))
                }
            };
            (builtin, c.holidays.into_iter().map(|d| d.0).collect(), c.workdays.into_iter().map(|d| d.0).collect())
        }
        None => (true, Vec::new(), Vec::new()),
    };
    let base = if builtin { Calendar::builtin_cn() } else { Calendar::weekends_only() };
    let calendar = base.with_extras(&extra_holidays, &extra_workdays);

    let mut sensitive_periods = Vec::new();
    for p in raw.sensitive_periods {
        let (from, to) = (p.from.get_ref().0, p.to.0);
        if to < from {
            return Err(err(
                p.from.span().start,
                crate::lang::messages().pick(
                    format!("特殊敏感时期“{}”的结束日期早于开始日期", p.name),
                    format!("sensitive period \"{}\" ends before it starts", p.name),
                ),
            ));
        }
        sensitive_periods.push(SensitivePeriod { name: p.name, from, to });
    }

    let mut rules = RuleSettings::default();
    if let Some(r) = raw.rules {
        macro_rules! set {
            ($($f:ident),*) => { $(if let Some(v) = r.$f { rules.$f = v.into(); })* };
        }
        set!(
            principal_sessions_per_month,
            member_sessions_per_month,
            principal_letters_per_month,
            letter_review_within_workdays,
            mass_work_days_per_month,
            accept_within_days,
            handle_within_days,
            extension_max_days,
            hard_case_assign_within_days
        );
        // Limits beyond a year or so are typing errors, and would run date arithmetic off the calendar.
        for (key, value, max) in [
            ("accept_within_days", rules.accept_within_days, 3660),
            ("handle_within_days", rules.handle_within_days, 3660),
            ("extension_max_days", rules.extension_max_days, 3660),
            ("hard_case_assign_within_days", rules.hard_case_assign_within_days, 3660),
            ("letter_review_within_workdays", rules.letter_review_within_workdays as i64, 366),
        ] {
            if value > max {
                return Err(Error::Config {
                    file: file.into(),
                    line: None,
                    message: crate::lang::messages().pick(
                        format!("[rules] {key} = {value} 超过上限 {max}"),
                        format!("[rules] {key} = {value} is more than {max}"),
                    ),
                });
            }
        }
        if let Some(b) = r.assessment_bottom {
            rules.assessment_bottom = b as usize;
        }
        if let Some(t) = r.resolution_target {
            let v = *t.get_ref();
            if !(0.0..=1.0).contains(&v) {
                return Err(err(
                    t.span().start,
                    crate::lang::messages().pick(
                        format!("`resolution_target` = {v} 应在 0 到 1 之间（90% 写作 0.90）"),
                        format!("`resolution_target` = {v} must lie in 0–1 (0.90 for 90%)"),
                    ),
                ));
            }
            rules.resolution_target = v;
        }
        if let Some(s) = r.screening {
            rules.screening = Screening::parse(s.get_ref()).ok_or_else(|| {
                err(
                    s.span().start,
                    crate::lang::messages().pick(
                        format!("`screening` = \"{}\"：请写 \"weekly\"（每周）或 \"off\"（关闭）", s.get_ref()),
                        format!("`screening` = \"{}\": use \"weekly\" or \"off\"", s.get_ref()),
                    ),
                )
            })?;
        }
        for (code, level) in r.level {
            let rule = Rule::parse(code.get_ref()).ok_or_else(|| {
                let known: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
                err(code.span().start, crate::error::unknown("rule code", code.get_ref(), known))
            })?;
            let lv = Level::parse(level.get_ref()).ok_or_else(|| {
                err(
                    level.span().start,
                    crate::lang::messages().pick(
                        format!("级别“{}”：请写 \"error\"、\"warning\" 或 \"off\"", level.get_ref()),
                        format!("level \"{}\": use \"error\", \"warning\" or \"off\"", level.get_ref()),
                    ),
                )
            })?;
            rules.level.insert(rule, lv);
        }
        if let Some(w) = r.assessment {
            let a = &mut rules.assessment;
            a.screening = w.screening.unwrap_or(a.screening);
            a.disputes = w.disputes.unwrap_or(a.disputes);
            a.visits = w.visits.unwrap_or(a.visits);
            a.escalation_penalty = w.escalation_penalty.unwrap_or(a.escalation_penalty);
        }
    }

    let email = raw.email.map(|e| EmailSettings { from: e.from, to: e.to }).unwrap_or_default();
    let mut reception = Reception::default();
    if let Some(r) = raw.reception {
        reception.place = r.place.filter(|p| !p.trim().is_empty());
        if let Some(h) = r.hours {
            let parsed = h.get_ref().split_once('-').and_then(|(a, b)| {
                let t = |s: &str| chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").ok();
                Some((t(a)?, t(b)?)).filter(|(a, b)| a < b)
            });
            match parsed {
                Some(hours) => reception.hours = Some(hours),
                None => {
                    return Err(err(
                        h.span().start,
                        crate::lang::messages().pick(
                            format!("`hours` = \"{}\"：请写成起止时间，例如 \"09:00-12:00\"", h.get_ref()),
                            format!("`hours` = \"{}\": write the start and end like \"09:00-12:00\"", h.get_ref()),
                        ),
                    ))
                }
            }
        }
    }

    let kpi = kpi_settings(raw.kpi, &err)?;

    Ok(Settings {
        township,
        county: raw.county,
        years,
        lang: raw.lang.unwrap_or_default(),
        villages,
        leaders,
        hard_categories: hard,
        other_categories: other,
        calendar,
        builtin_calendar: builtin,
        extra_holidays,
        extra_workdays,
        sensitive_periods,
        rules,
        email,
        reception,
        kpi,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "township = \"群力镇\"\nyear = 2022\nvillages = [\"天灵村\"]\n\
        [[leaders]]\nname = \"管小波\"\nrole = \"principal\"\ndays = [2022-01-14, 2022-01-25]\n";

    fn message(src: &str) -> String {
        parse(src, "qunli.toml").unwrap_err().to_string()
    }

    #[test]
    fn minimal_takes_defaults() {
        let s = parse(MINIMAL, "qunli.toml").unwrap();
        assert_eq!(s.rules.handle_within_days, 60);
        assert_eq!(s.leaders[0].days[1].line, 7);
        assert!(s.is_hard(s.category_index("土地征用").unwrap()));
        assert!(!s.is_hard(s.category_index("其他").unwrap()));
        assert_eq!(s.rules.level(Rule::S003), Level::Warning);
    }

    #[test]
    fn line_index_agrees_with_counting() {
        let src = "a\nbb\n\nccc";
        let index = LineIndex::new(src);
        for at in 0..=src.len() {
            assert_eq!(index.line(at), line_of(src, at), "{at}");
        }
    }

    #[test]
    fn unknown_key_names_line_and_nearest() {
        let m = message(&format!("{MINIMAL}[rules]\nhandle_within_day = 30\n"));
        assert!(m.starts_with("qunli.toml:9: 不认识的键 `handle_within_day`"), "{m}");
        assert!(m.contains("你是不是要写 `handle_within_days`？"), "{m}");
    }

    #[test]
    fn impossible_date_names_line() {
        let m = message(&MINIMAL.replace("2022-01-25", "2022-02-30"));
        assert!(m.starts_with("qunli.toml:7:"), "{m}");
    }

    #[test]
    fn wrong_type_names_line() {
        let m = message(&MINIMAL.replace("year = 2022", "year = \"2022\""));
        assert!(m.starts_with("qunli.toml:2:"), "{m}");
    }

    #[test]
    fn bad_role_and_duplicate_leader() {
        assert!(message(&MINIMAL.replace("principal", "boss")).starts_with("qunli.toml:6: 不认识的角色“boss”"));
        let twice = format!("{MINIMAL}[[leaders]]\nname = \"管小波\"\nrole = \"member\"\n");
        assert_eq!(message(&twice), "qunli.toml:9: 领导“管小波”出现了两次");
    }

    #[test]
    fn empty_villages_and_missing_fields() {
        assert!(message(&MINIMAL.replace("[\"天灵村\"]", "[]")).starts_with("qunli.toml:3: `villages` 是空的"));
        assert!(message("year = 2022\n").contains("缺少键 `township`"));
    }

    #[test]
    fn day_limits_are_bounded() {
        let m = message(&format!("{MINIMAL}[rules]\nhandle_within_days = 4000000000\n"));
        assert!(m.contains("handle_within_days = 4000000000 超过上限 3660"), "{m}");
        let m = message(&format!("{MINIMAL}[rules]\nletter_review_within_workdays = 100000\n"));
        assert!(m.contains("超过上限 366"), "{m}");
    }

    #[test]
    fn rule_levels() {
        let s = parse(&format!("{MINIMAL}[rules.level]\nS003 = \"off\"\nV004 = \"warning\"\n"), "q").unwrap();
        assert_eq!(s.rules.level(Rule::S003), Level::Off);
        assert_eq!(s.rules.level(Rule::V004), Level::Warning);
        let m = message(&format!("{MINIMAL}[rules.level]\nS03 = \"off\"\n"));
        assert!(m.contains("不认识的规则代码“S03”"), "{m}");
    }
}
