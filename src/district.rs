//! The district view (SPEC §11.2): every town's workspace read side by side,
//! in parallel; a town whose files are invalid is reported, never fatal;
//! totals are sums of the towns' counts with rates recomputed from them.

use crate::config::{self, DistrictSettings};
use crate::error::{Error, Result};
use crate::ledger::Ledgers;
use crate::period::YearMonth;
use crate::report::kpi::{self, Kpi, Ratio};
use crate::report::monthly::{DisputeFigures, LetterFigures, VisitFigures};
use crate::report::{Tally, Verdict};
use crate::rules::Severity;
use crate::workspace::{display_path, Workspace};
use chrono::NaiveDate;
use serde::Serialize;
use std::path::{Path, PathBuf};

pub const DISTRICT_FILE: &str = "qunli-district.toml";

/// A district workspace: its settings and where it is.
pub struct District {
    pub dir: PathBuf,
    pub settings: DistrictSettings,
}

impl District {
    /// `--dir`, then `QUNLI_DIR`, then the nearest folder upward holding `qunli-district.toml`.
    pub fn locate(dir: Option<&Path>, env_dir: Option<PathBuf>, cwd: &Path) -> Result<District> {
        let found = match dir.map(Path::to_path_buf).or(env_dir) {
            Some(d) => Some(d).filter(|d| d.join(DISTRICT_FILE).is_file()),
            None => cwd.ancestors().find(|d| d.join(DISTRICT_FILE).is_file()).map(Path::to_path_buf),
        };
        let dir = found.ok_or_else(|| {
            let at = dir.map(display_path).unwrap_or_else(|| display_path(cwd));
            Error::Usage(crate::lang::messages().pick(
                format!("{at} 中没有 {DISTRICT_FILE}：区级工作区是一个含 {DISTRICT_FILE} 的文件夹（district = \"…\"，towns = [\"../某镇\"]）"),
                format!("no {DISTRICT_FILE} in {at}: a district workspace is a folder with {DISTRICT_FILE} (district = \"…\", towns = [\"../town\"])"),
            ))
        })?;
        let path = dir.join(DISTRICT_FILE);
        let settings = config::load_district(&path).map_err(|e| match e {
            // Name the file as the user would: relative to the current folder when inside it.
            Error::Config { line, message, .. } => Error::Config { file: display_path(&path), line, message },
            other => other,
        })?;
        Ok(District { dir, settings })
    }

    /// The towns' folders, relative ones taken from the district's folder.
    pub fn town_dirs(&self) -> Vec<PathBuf> {
        self.settings.towns.iter().map(|t| self.dir.join(t)).collect()
    }
}

/// A town as read: valid with its figures, or invalid with why.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Town<T> {
    Valid(T),
    Invalid(InvalidTown),
}

impl<T> Town<T> {
    /// The town's figures, when its files could be read.
    pub fn valid(&self) -> Option<&T> {
        match self {
            Town::Valid(v) => Some(v),
            Town::Invalid(_) => None,
        }
    }

    fn valid_mut(&mut self) -> Option<&mut T> {
        match self {
            Town::Valid(v) => Some(v),
            Town::Invalid(_) => None,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct InvalidTown {
    /// The town's name when its qunli.toml could be read, else its folder.
    pub town: String,
    pub valid: bool,
    /// How many problems its files have.
    pub problems: usize,
    pub message: String,
}

/// Reads every town (several at once) and computes `f` on each valid one;
/// `history`: whether the ledgers' 台账校验码 chains are walked (for the
/// findings H001–H004). The district's `[kpi]` is the one every town is
/// scored with.
pub fn each_town<T: Send>(
    district: &District,
    as_of: NaiveDate,
    history: bool,
    f: impl Fn(&Workspace, &Ledgers) -> T + Sync,
) -> Vec<Town<T>> {
    let dirs = district.town_dirs();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<Town<T>>>> = dirs.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads.min(dirs.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(dir) = dirs.get(i) else { break };
                // A town a core: each reads its ledgers in its own thread.
                let town = crate::ledger::reader::in_this_thread(|| read_town(district, dir, as_of, history, &f));
                *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(town);
            });
        }
    });
    slots
        .into_iter()
        .zip(&dirs)
        .map(|(slot, dir)| {
            slot.into_inner().unwrap_or_else(|e| e.into_inner()).unwrap_or_else(|| {
                Town::Invalid(InvalidTown {
                    town: display_path(dir),
                    valid: false,
                    problems: 1,
                    message: String::new(),
                })
            })
        })
        .collect()
}

fn read_town<T>(
    district: &District,
    dir: &Path,
    as_of: NaiveDate,
    history: bool,
    f: &(impl Fn(&Workspace, &Ledgers) -> T + Sync),
) -> Town<T> {
    let invalid = |town: String, problems: usize, message: String| {
        Town::Invalid(InvalidTown { town, valid: false, problems, message })
    };
    let mut ws = match Workspace::load(dir.to_path_buf()) {
        Ok(ws) => ws,
        Err(e) => return invalid(display_path(dir), 1, e.to_string()),
    };
    ws.settings.kpi = district.settings.kpi.clone();
    match Ledgers::load_with(&ws, as_of, history) {
        Ok(ledgers) => Town::Valid(f(&ws, &ledgers)),
        Err(Error::Invalid(problems)) => {
            let first = problems.first().map(|p| p.to_string()).unwrap_or_default();
            invalid(ws.settings.township.clone(), problems.len(), first)
        }
        Err(e) => invalid(ws.settings.township.clone(), 1, e.to_string()),
    }
}

/// DT01: a town whose files cannot be read is left out of the totals.
#[derive(Clone, Debug, Serialize)]
pub struct DistrictFinding {
    pub code: &'static str,
    pub severity: Severity,
    pub town: String,
    pub message: String,
}

fn dt01(t: &InvalidTown, lang: crate::lang::Lang) -> DistrictFinding {
    DistrictFinding {
        code: "DT01",
        severity: Severity::Error,
        town: t.town.clone(),
        message: lang.pick(
            format!("{} 的数据无效（{} 处问题），未计入合计：{}", t.town, t.problems, t.message),
            format!("{}: invalid data ({} problem(s)), left out of the totals: {}", t.town, t.problems, t.message),
        ),
    }
}

/// One town's month, exactly as its own `report monthly` gives it.
#[derive(Clone, Debug, Serialize)]
pub struct TownMonth {
    pub town: String,
    pub valid: bool,
    pub verdict: Verdict,
    pub errors: usize,
    pub warnings: usize,
    pub visits: VisitFigures,
    pub letters: LetterFigures,
    pub disputes: DisputeFigures,
    /// Every case past a deadline (全部超期事项).
    pub overdue: usize,
    pub kpi: Kpi,
    pub rank: usize,
    pub flagged: bool,
}

/// The district's sums over its valid towns.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Totals {
    pub towns: usize,
    pub towns_left_out: usize,
    pub received: usize,
    pub resolved: usize,
    pub resolution_rate: Option<f64>,
    pub ytd_received: usize,
    pub ytd_resolved: usize,
    pub ytd_resolution_rate: Option<f64>,
    pub letters_received: usize,
    pub letters_replied: usize,
    pub screenings_done: usize,
    pub screenings_required: usize,
    pub escalations: usize,
    pub overdue: usize,
    pub kpi: Kpi,
}

#[derive(Clone, Debug, Serialize)]
pub struct DistrictMonthly {
    pub schema_version: u32,
    pub district: String,
    pub month: YearMonth,
    pub as_of: NaiveDate,
    pub towns: Vec<Town<TownMonth>>,
    pub totals: Totals,
    pub findings: Vec<DistrictFinding>,
}

/// The indicators summed: numerators and denominators added, rates and the score recomputed.
pub fn sum_kpi<'a>(all: impl Iterator<Item = &'a Kpi>, w: &crate::config::KpiSettings) -> Kpi {
    let add = |a: Ratio, b: Ratio| Ratio::new(a.numerator + b.numerator, a.denominator + b.denominator);
    let mut t = Kpi::default();
    for k in all {
        t.timely_acceptance = add(t.timely_acceptance, k.timely_acceptance);
        t.on_time = add(t.on_time, k.on_time);
        t.rated = add(t.rated, k.rated);
        t.satisfied = add(t.satisfied, k.satisfied);
        t.lead_resolution = add(t.lead_resolution, k.lead_resolution);
        t.resolution = add(t.resolution, k.resolution);
        t.repeats += k.repeats;
        t.escalations += k.escalations;
    }
    t.score = kpi::score(&t, w);
    t
}

/// Ranks the valid towns by score, highest first; the lowest `bottom` flagged.
fn rank_towns<T>(towns: &mut [Town<T>], bottom: usize, score: impl Fn(&T) -> f64, set: impl Fn(&mut T, usize, bool)) {
    let mut valid: Vec<&mut T> = towns.iter_mut().filter_map(Town::valid_mut).collect();
    valid.sort_by(|a, b| score(b).total_cmp(&score(a)));
    let scores: Vec<f64> = valid.iter().map(|v| score(v)).collect();
    for (v, (rank, flagged)) in valid.into_iter().zip(crate::report::villages::ranks(&scores, bottom)) {
        set(v, rank, flagged);
    }
}

/// `district report monthly`: each town's month and the district's totals.
pub fn monthly(district: &District, month: YearMonth, as_of: NaiveDate, lang: crate::lang::Lang) -> DistrictMonthly {
    // The towns' verdicts count their history findings: the chains are walked.
    let mut towns = each_town(district, as_of, true, |ws, ledgers| {
        let r = crate::report::monthly::build(&ws.settings, ledgers, month, as_of, lang);
        let errors = r.findings.iter().filter(|f| f.severity == Severity::Error).count();
        TownMonth {
            town: ws.settings.township.clone(),
            valid: true,
            verdict: r.verdict,
            errors,
            warnings: r.findings.len() - errors,
            visits: r.visits,
            letters: r.letters,
            disputes: r.disputes,
            overdue: r.overdue.len(),
            kpi: r.kpi,
            rank: 0,
            flagged: false,
        }
    });
    rank_towns(&mut towns, district.settings.bottom, |t| t.kpi.score, |t, r, f| (t.rank, t.flagged) = (r, f));
    let valid: Vec<&TownMonth> = towns.iter().filter_map(Town::valid).collect();
    let sum = |f: &dyn Fn(&TownMonth) -> usize| valid.iter().map(|t| f(t)).sum::<usize>();
    let mut totals = Totals {
        towns: valid.len(),
        towns_left_out: towns.len() - valid.len(),
        received: sum(&|t| t.visits.received),
        resolved: sum(&|t| t.visits.resolved),
        ytd_received: sum(&|t| t.visits.ytd_received),
        ytd_resolved: sum(&|t| t.visits.ytd_resolved),
        letters_received: sum(&|t| t.letters.received),
        letters_replied: sum(&|t| t.letters.replied),
        screenings_done: sum(&|t| t.disputes.screenings_done),
        screenings_required: sum(&|t| t.disputes.screenings_required),
        escalations: sum(&|t| t.visits.escalations),
        overdue: sum(&|t| t.overdue),
        kpi: sum_kpi(valid.iter().map(|t| &t.kpi), &district.settings.kpi),
        ..Totals::default()
    };
    totals.resolution_rate = Tally { received: totals.received, resolved: totals.resolved }.rate4();
    totals.ytd_resolution_rate = Tally { received: totals.ytd_received, resolved: totals.ytd_resolved }.rate4();
    let findings = invalid_findings(&towns, lang);
    DistrictMonthly {
        schema_version: 1,
        district: district.settings.district.clone(),
        month,
        as_of,
        towns,
        totals,
        findings,
    }
}

fn invalid_findings<T>(towns: &[Town<T>], lang: crate::lang::Lang) -> Vec<DistrictFinding> {
    towns
        .iter()
        .filter_map(|t| match t {
            Town::Invalid(i) => Some(dt01(i, lang)),
            Town::Valid(_) => None,
        })
        .collect()
}

/// One town's indicators over a period.
#[derive(Clone, Debug, Serialize)]
pub struct TownKpi {
    pub town: String,
    pub valid: bool,
    pub kpi: Kpi,
    pub rank: usize,
    pub flagged: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct DistrictKpi {
    pub schema_version: u32,
    pub district: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    /// Valid towns in rank order, then the invalid ones.
    pub towns: Vec<Town<TownKpi>>,
    pub totals: Kpi,
    pub findings: Vec<DistrictFinding>,
}

/// `district report kpi`: the indicators over a period, towns ranked.
pub fn kpi_report(
    district: &District,
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
    lang: crate::lang::Lang,
) -> DistrictKpi {
    // The indicators never look at the history: the chains are not walked.
    let mut towns = each_town(district, as_of, false, |ws, ledgers| TownKpi {
        town: ws.settings.township.clone(),
        valid: true,
        kpi: kpi::build(&ws.settings, ledgers, from, to, as_of),
        rank: 0,
        flagged: false,
    });
    rank_towns(&mut towns, district.settings.bottom, |t| t.kpi.score, |t, r, f| (t.rank, t.flagged) = (r, f));
    let key = |t: &Town<TownKpi>| match t {
        Town::Valid(v) => (0, v.rank),
        Town::Invalid(_) => (1, 0),
    };
    towns.sort_by_key(key);
    let totals = sum_kpi(towns.iter().filter_map(Town::valid).map(|t| &t.kpi), &district.settings.kpi);
    let findings = invalid_findings(&towns, lang);
    DistrictKpi {
        schema_version: 1,
        district: district.settings.district.clone(),
        from,
        to,
        as_of,
        towns,
        totals,
        findings,
    }
}

/// One town's check, as `district check` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct TownCheck {
    pub town: String,
    pub valid: bool,
    pub errors: usize,
    pub warnings: usize,
    /// Findings about the ledgers' history (H001–H004).
    pub history: usize,
    pub findings: Vec<crate::rules::Finding>,
}

#[derive(Serialize)]
pub struct DistrictCheck {
    pub schema_version: u32,
    pub district: String,
    pub towns: Vec<Town<TownCheck>>,
    pub findings: Vec<DistrictFinding>,
}

impl DistrictCheck {
    /// An error when a town is invalid or has an error, else a warning when one has a warning.
    pub fn worst(&self) -> Option<Severity> {
        let valid = || self.towns.iter().filter_map(Town::valid);
        if !self.findings.is_empty() || valid().any(|t| t.errors > 0) {
            Some(Severity::Error)
        } else if valid().any(|t| t.warnings > 0) {
            Some(Severity::Warning)
        } else {
            None
        }
    }
}

/// `district check`: each town's `check` (its schedule and its ledgers' history).
pub fn check(district: &District, as_of: NaiveDate, lang: crate::lang::Lang) -> DistrictCheck {
    let towns = each_town(district, as_of, true, |ws, ledgers| {
        let file = ws.config_name();
        let mut out = crate::rules::Findings::new(&ws.settings);
        let ctx = crate::rules::schedule::ScheduleCheck { settings: &ws.settings, lang, month: None, file: &file };
        crate::rules::schedule::check(&ctx, &mut out);
        crate::rules::history::check(ledgers, lang, &mut out);
        let findings = out.into_vec();
        let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
        let history = findings.iter().filter(|f| f.code.code().starts_with('H')).count();
        TownCheck {
            town: ws.settings.township.clone(),
            valid: true,
            errors,
            warnings: findings.len() - errors,
            history,
            findings,
        }
    });
    let findings = towns
        .iter()
        .filter_map(|t| match t {
            Town::Invalid(i) => Some(DistrictFinding {
                code: "DT01",
                severity: Severity::Error,
                town: i.town.clone(),
                message: i.message.clone(),
            }),
            Town::Valid(_) => None,
        })
        .collect();
    DistrictCheck { schema_version: 1, district: district.settings.district.clone(), towns, findings }
}
