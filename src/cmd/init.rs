//! `qunli init`: a new workspace with a commented qunli.toml and empty ledgers.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::ledger::reader::Header;
use crate::ledger::LedgerKind;
use crate::workspace::{Workspace, CONFIG_FILE};
use std::fmt::Write as _;
use std::path::PathBuf;

/// Create a new workspace for a year.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The folder to create it in (default: --dir, else the current folder).
    pub path: Option<PathBuf>,
    /// The township's name, e.g. 群力镇.
    #[arg(long)]
    pub township: String,
    /// The programme's year.
    #[arg(long, value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub year: i32,
    /// Copy leaders, villages, categories and rules from this workspace (reception days left empty).
    #[arg(long, value_name = "OTHER_WORKSPACE")]
    pub from: Option<PathBuf>,
}

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(items: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    items.into_iter().map(|s| q(s.as_ref())).collect::<Vec<_>>().join(", ")
}

pub fn run(args: Args, ctx: &Context) -> Result<Outcome> {
    let dir = args.path.or(ctx.global.dir.clone()).unwrap_or_else(|| ctx.cwd.clone());
    let config = dir.join(CONFIG_FILE);
    if config.exists() {
        return Err(Error::Refused(crate::lang::messages().pick(
            format!("{} 已经存在，不会被覆盖", config.display()),
            format!("{} already exists", config.display()),
        )));
    }
    let township = args.township.trim();
    if township.is_empty() {
        return Err(Error::Usage(
            crate::lang::messages().t("--township 不能为空", "--township must not be empty").into(),
        ));
    }
    let from = args
        .from
        .map(|p| Workspace::load(p.clone()).map_err(|e| Error::Usage(format!("--from {}: {e}", p.display()))))
        .transpose()?;
    let lang = ctx.global.lang.or(from.as_ref().map(|w| w.settings.lang)).unwrap_or_default();
    let mut t = String::new();
    let _ = writeln!(t, "# qunli 工作区配置：{township} {} 年干部接访下访群众工作", args.year);
    let _ = writeln!(t, "# Every key is explained in the README; `qunli check` validates this file.\n");
    let _ = writeln!(t, "township = {}", q(township));
    let _ = writeln!(t, "years = [{}]                # 本工作区覆盖的年份；新的一年用 qunli year add 加入", args.year);
    let _ = writeln!(
        t,
        "lang = {}                 # 报表与写入台账的语言：\"zh\" | \"en\"\n",
        q(if lang == Lang::En { "en" } else { "zh" })
    );
    match &from {
        Some(w) => {
            let s = &w.settings;
            if let Some(c) = &s.county {
                let _ = writeln!(t, "county = {}", q(c));
            }
            let _ = writeln!(t, "# 全镇村（社区）：台账中只能使用这些名称");
            let _ = writeln!(t, "villages = [{}]\n", list(&s.villages));
            for l in &s.leaders {
                let _ = writeln!(t, "[[leaders]]\nname = {}\nrole = {}", q(&l.name), q(l.role.en()));
                if let Some(title) = &l.title {
                    let _ = writeln!(t, "title = {}", q(title));
                }
                if let Some(f) = l.from {
                    let _ = writeln!(t, "from = {f}");
                }
                if let Some(u) = l.until {
                    let _ = writeln!(t, "until = {u}");
                }
                let _ = writeln!(t, "days = []                  # 接待群众日，如 {}-01-14\n", args.year);
            }
            let _ = writeln!(
                t,
                "[categories]\nhard = [{}]\nother = [{}]\n",
                list(&s.hard_categories),
                list(&s.other_categories)
            );
            let r = &s.rules;
            let _ = writeln!(
                t,
                "[rules]\nprincipal_sessions_per_month = {}\nmember_sessions_per_month = {}\nprincipal_letters_per_month = {}\n\
                 letter_review_within_workdays = {}\nmass_work_days_per_month = {}\nresolution_target = {}\n\
                 accept_within_days = {}\nhandle_within_days = {}\nextension_max_days = {}\nhard_case_assign_within_days = {}\n\
                 screening = {}\nassessment_bottom = {}\n",
                r.principal_sessions_per_month,
                r.member_sessions_per_month,
                r.principal_letters_per_month,
                r.letter_review_within_workdays,
                r.mass_work_days_per_month,
                r.resolution_target,
                r.accept_within_days,
                r.handle_within_days,
                r.extension_max_days,
                r.hard_case_assign_within_days,
                q(r.screening.en()),
                r.assessment_bottom
            );
            let mut levels: Vec<_> = r.level.iter().collect();
            levels.sort();
            if !levels.is_empty() {
                let _ = writeln!(t, "[rules.level]");
                for (rule, level) in levels {
                    let _ = writeln!(t, "{} = {}", rule.code(), q(level.en()));
                }
                t.push('\n');
            }
            let a = &r.assessment;
            let _ = writeln!(
                t,
                "[rules.assessment]\nscreening = {}\ndisputes = {}\nvisits = {}\nescalation_penalty = {}\n",
                a.screening, a.disputes, a.visits, a.escalation_penalty
            );
        }
        None => {
            let _ = writeln!(t, "# 列出全部村（社区），例如：villages = [\"双堰社区\", \"天灵村\"]");
            let _ = writeln!(t, "villages = []\n");
            let _ = writeln!(t, "# 每位镇领导一段；主要领导 role = \"principal\"，其他班子成员 role = \"member\"。");
            let _ = writeln!(t, "# [[leaders]]\n# name = \"姓名\"\n# role = \"principal\"\n# title = \"镇党委书记\"");
            let _ = writeln!(t, "# days = [{y}-01-14, {y}-01-25]\n", y = args.year);
        }
    }
    let _ = writeln!(t, "[calendar]\nbuiltin = \"cn\"             # 法定节假日与调休；\"none\" 只按周末\nholidays = []\nworkdays = []\n");
    let _ = writeln!(t, "# 特殊敏感时期（每日排查），例如：\n# [[sensitive_periods]]\n# name = \"全国两会\"\n# from = {y}-03-04\n# to = {y}-03-11\n", y = args.year);
    if let Some(w) = &from {
        // What an office keeps from year to year: where reception is held, and who gets the e-mail.
        let (r, e) = (&w.settings.reception, &w.settings.email);
        if r.place.is_some() || r.hours.is_some() {
            let _ = writeln!(t, "[reception]");
            if let Some(p) = &r.place {
                let _ = writeln!(t, "place = {}", q(p));
            }
            if let Some((a, b)) = r.hours {
                let _ = writeln!(t, "hours = \"{}-{}\"", a.format("%H:%M"), b.format("%H:%M"));
            }
            t.push('\n');
        }
        if e.from.is_some() || !e.to.is_empty() {
            let _ = writeln!(t, "[email]");
            if let Some(f) = &e.from {
                let _ = writeln!(t, "from = {}", q(f));
            }
            let _ = writeln!(t, "to = [{}]", list(&e.to));
        }
    }

    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    std::fs::write(&config, t).map_err(|e| Error::io(&config, e))?;
    for kind in LedgerKind::ALL {
        let path = dir.join(kind.file_name());
        if path.exists() {
            continue;
        }
        let header = Header::new(*kind, lang);
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        w.write_record(&header.names).map_err(|e| Error::Refused(e.to_string()))?;
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        bytes.extend(w.into_inner().map_err(|e| Error::Refused(e.to_string()))?);
        write_private(&path, &bytes)?;
        crate::ledger::history::accept(&dir, kind.file_name(), "init")?;
    }
    let next = if from.is_some() {
        lang.t(
            "下一步：在 qunli.toml 中为每位领导填写接待日（days），然后运行 qunli schedule check。",
            "Next: fill in each leader's reception days in qunli.toml, then run qunli schedule check.",
        )
    } else {
        lang.t("下一步：在 qunli.toml 中填写村（社区）和领导及其接待日，然后运行 qunli schedule check。", "Next: list the villages, the leaders and their reception days in qunli.toml, then run qunli schedule check.")
    };
    Ok(Outcome::output(
        format!("{} {}\n{next}\n", lang.t("已创建工作区", "Created workspace"), dir.display()).into_bytes(),
    ))
}

/// Creates a new file readable by its owner only (0600).
fn write_private(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    let owner_only = crate::ledger::append::owner_only(opts.write(true).create_new(true));
    let mut f = owner_only.open(path).map_err(|e| Error::io(path, e))?;
    f.write_all(bytes).and_then(|_| f.sync_all()).map_err(|e| Error::io(path, e))
}
