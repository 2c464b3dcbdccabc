//! Every rule's documentation, written once: `qunli explain` prints it and
//! the engine takes each rule's default severity from it.

use super::{Rule, Severity};
use crate::lang::Lang;

/// What a rule checks, why, where it comes from, and how to fix it.
pub struct RuleDoc {
    pub rule: Rule,
    pub severity: Severity,
    /// The family: schedule, visits, letters, disputes.
    pub family: Family,
    /// What it checks, one line: (中文, English).
    pub what: (&'static str, &'static str),
    /// Why it matters.
    pub why: (&'static str, &'static str),
    /// The clause it comes from, quoted in Chinese.
    pub source: &'static str,
    /// How to fix what it finds.
    pub fix: (&'static str, &'static str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Schedule,
    Visits,
    Letters,
    Disputes,
    History,
}

impl RuleDoc {
    pub fn what(&self, lang: Lang) -> &'static str {
        lang.t(self.what.0, self.what.1)
    }
    pub fn why(&self, lang: Lang) -> &'static str {
        lang.t(self.why.0, self.why.1)
    }
    pub fn fix(&self, lang: Lang) -> &'static str {
        lang.t(self.fix.0, self.fix.1)
    }
}

use Family::*;
use Severity::{Error as E, Warning as W};

const PLAN: &str = "《群力镇2022年干部接访下访群众工作实施方案》";

macro_rules! doc {
    ($rule:ident, $sev:expr, $fam:expr, $what:expr, $why:expr, $src:expr, $fix:expr) => {
        RuleDoc { rule: Rule::$rule, severity: $sev, family: $fam, what: $what, why: $why, source: $src, fix: $fix }
    };
}

/// The source document's name, for `explain`.
pub fn plan_name() -> &'static str {
    PLAN
}

pub static RULES: &[RuleDoc] = &[
    doc!(S000, W, Schedule,
        ("本工作区覆盖的某一年还没有录入任何接待日（这一年的方案还没有录入）", "A covered year has no reception day entered yet (its plan is not typed in)"),
        ("没有日程，就无法检查接待日是否按时举行；这一年的按日程统计显示为“—”。", "Without the schedule, days missed cannot be checked; the year's schedule figures show “—”."),
        "实施方案 附件：镇领导接待群众日程安排表（每年随方案印发）",
        ("把这一年的接待日填入 qunli.toml 各位领导的 days，然后运行 qunli schedule check。", "Add the year's days to each leader's `days` in qunli.toml, then run qunli schedule check.")),
    doc!(S001, E, Schedule,
        ("主要领导某月安排的接待群众日少于规定次数（默认2次）", "A principal leader has fewer reception days in a month than principal_sessions_per_month (2)"),
        ("党政主要负责人每月须带案下访、约访、公开接访不少于2次；日程表是兑现这一要求的依据。", "The Party secretary and the town head must receive the people at least twice a month; the schedule is how that promise is kept."),
        "实施方案 二（二）：“镇党委、政府主要负责人带案下访、约访、公开接访每人每月不少于2次”",
        ("在 qunli.toml 中为该领导该月补足接待日。", "Add reception days for that leader in that month in qunli.toml.")),
    doc!(S002, E, Schedule,
        ("班子成员某月没有安排接待群众日（少于默认1次）", "A member has fewer reception days in a month than member_sessions_per_month (1)"),
        ("附件日程表为每位班子成员每月安排一天接待群众日，缺一个月群众就少一个找到领导的日子。", "The attachment gives every member one reception day a month; a missing month is a month in which people cannot find that leader."),
        "实施方案 附件《群力镇2022年镇领导接待群众日程安排表》；二（二）：“镇党委成员按时接访群众”",
        ("在 qunli.toml 中为该成员该月安排接待日。", "Schedule a reception day for that member in that month in qunli.toml.")),
    doc!(S003, W, Schedule,
        ("接待群众日落在周末（且不是调休上班日）", "A reception day falls on a weekend that is not an adjusted working day"),
        ("群众在工作日来访；周末的接待日很可能是录入错误或无人值守。", "People come on working days; a weekend reception day is likely a typing error or a day nobody is there."),
        "实施方案 二（二）：“镇党委成员按时接访群众”",
        ("核对原始日程表，改到工作日；确属周末值班接访的，可在 [rules.level] 中将 S003 设为 \"off\"。", "Check the printed schedule and move the day to a working day; if weekend receptions are intended, set S003 = \"off\" under [rules.level].")),
    doc!(S004, W, Schedule,
        ("接待群众日落在法定节假日", "A reception day falls on a statutory holiday"),
        ("法定节假日机关不办公，群众按日程来访会扑空。", "Offices are closed on statutory holidays; people who come by the schedule would find nobody."),
        "实施方案 二（二）：“镇党委成员按时接访群众”；国务院办公厅部分节假日安排的通知",
        ("把接待日改到节后的工作日，并公告群众。", "Move the day to a working day after the holiday and tell the public.")),
    doc!(S005, E, Schedule,
        ("接待日不在本年度内，或同一领导同一天重复安排", "A reception day outside the workspace year, or the same day twice for one leader"),
        ("这是录入错误：年份写错或重复录入会让次数统计失真。", "A data error: a wrong year or a repeated day makes every count wrong."),
        "数据校验（实施方案 附件日程表按年度安排）",
        ("在 qunli.toml 中改正或删去该日期。", "Correct or remove the date in qunli.toml.")),
    doc!(S006, W, Schedule,
        ("某一特殊敏感时期内没有任何主要领导的接待日", "A sensitive period without any principal leader's reception day in it"),
        ("冬奥会、全国两会等敏感时期要求主要领导不定时接访下访，把矛盾化解在萌芽状态。", "In sensitive periods such as the Winter Olympics and the Two Sessions the principal leaders must receive people at any time."),
        "实施方案 二（二）：“特别是在全国两会期间党政主要领导人做到不定时接访下访”；二（八）",
        ("在敏感时期内为主要领导安排接待日。", "Schedule a principal leader's reception day inside the period.")),
    doc!(V001, E, Visits,
        ("主要领导某月实际接访（公开接访、重点约访、带案下访）少于规定次数", "A principal leader held fewer sessions (public, appointment, case visit) in the month than required"),
        ("日程只是计划；考核看的是登记簿里实际接访的次数。", "The schedule is a plan; what counts is sessions actually recorded in the register."),
        "实施方案 二（二）：“镇党委、政府主要负责人带案下访、约访、公开接访每人每月不少于2次”",
        ("补登漏记的接访（qunli visit session）；确未接访的，安排补接。", "Record sessions that were held but not entered (qunli visit session); otherwise arrange the missing sessions.")),
    doc!(V002, W, Visits,
        ("日程上的接待日已过，但该领导当天没有接访记录", "A scheduled reception day passed with no session of that leader that day"),
        ("群众按公告的日程来访，领导应按时在岗接待。", "People come on the published days; the leader must be there."),
        "实施方案 二（二）：“镇党委成员按时接访群众”",
        ("当天已接访的，补登 qunli visit session --date；未接访的，说明原因并另行安排。", "If the session was held, record it with qunli visit session --date; if not, explain and reschedule.")),
    doc!(V003, E, Visits,
        ("某月“群众工作日”（方式 work_day）少于规定天数（默认1天）", "A month with fewer mass work days (mode work_day) than mass_work_days_per_month (1)"),
        ("每月至少一天由镇党委成员牵头深入村（社区）面对面听民声、解民忧。", "At least one day a month a leader goes into a village with office staff to meet people face to face."),
        "实施方案 二（三）：“每月确定至少一天，由至少一名镇党委成员领导牵头……开展‘群众工作日’、群众院坝会等活动”",
        ("登记该月的群众工作日（qunli visit session --mode work_day）或补办活动。", "Record the month's mass work day (qunli visit session --mode work_day) or hold one.")),
    doc!(V004, E, Visits,
        ("年初至今接访事项化解率低于目标（默认90%）", "The year-to-date resolution rate is below resolution_target (90%)"),
        ("方案的总体目标是接访下访中接待的矛盾和问题化解率达到90%以上。", "The plan's overall goal is that 90% or more of the matters received are resolved."),
        "实施方案 一：“全镇各级领导干部在接访下访中接待的矛盾和问题化解率要达到90%以上”",
        ("逐件推进未化解事项（qunli report overdue），化解后登记 qunli visit resolve。", "Work through the unresolved cases (qunli report overdue) and record each resolution with qunli visit resolve.")),
    doc!(V005, W, Visits,
        ("本月受理事项的化解率低于目标", "The month's resolution rate is below resolution_target"),
        ("月度化解率下滑是年度目标落空的早期信号。", "A low monthly rate is the early sign that the yearly target will be missed."),
        "实施方案 一：“化解率要达到90%以上”",
        ("跟进本月受理而未化解的事项。", "Follow up the month's unresolved cases.")),
    doc!(V006, E, Visits,
        ("事项自受理起超过办理期限（默认60日，延期后再加最多30日）仍未化解", "A case unresolved more than handle_within_days (60; + extension_max_days 30 once extended) after its start"),
        ("《信访工作条例》规定信访事项应当自受理之日起60日内办结，延长期限不得超过30日。", "The Regulations on Letters and Visits require a matter to be concluded within 60 days, extended by at most 30."),
        "《信访工作条例》第三十四条：“应当自受理之日起60日内办结；情况复杂的……可以适当延长办理期限，但延长期限不得超过30日”",
        ("办结后登记 qunli visit resolve；确需延期的，在期限内登记 qunli visit extend。", "Record the resolution (qunli visit resolve), or an extension in time (qunli visit extend).")),
    doc!(V007, E, Visits,
        ("疑难类别的事项在受理后规定天数内（默认7日）未落实“五个一”包案", "A hard-category case with no assign within hard_case_assign_within_days (7) of its start"),
        ("土地征用、房屋拆迁等疑难信访问题要落实“五个一”责任制：一名包案领导、一套化解方案、一个化解时限……", "Hard cases (land requisition, demolition, …) need the “five ones”: a leader in charge, a plan, a deadline."),
        "实施方案 二（五）：“如群众反映强烈的土地征用、房屋拆迁……等热点、难点和涉众性利益诉求群体等问题，要严格落实‘五个一’责任制”",
        ("登记包案：qunli visit assign CASE --leader --deadline --plan。", "Assign the case: qunli visit assign CASE --leader --deadline --plan.")),
    doc!(V008, E, Visits,
        ("已包案的事项超过包案确定的化解时限仍未化解", "An assigned case unresolved after its deadline"),
        ("“五个一”定下的化解时限是包案领导的承诺。", "The deadline set when a case is assigned is the leader's commitment."),
        "实施方案 二（五）：“要严格落实‘五个一’责任制……层层落实责任”",
        ("推动化解并登记 qunli visit resolve；时限需调整的，重新包案并写明原因。", "Resolve it (qunli visit resolve), or re-assign it with a new deadline and the reason.")),
    doc!(V009, E, Visits,
        ("事项上交（到区、到市、进京）或民事纠纷转为刑事案件，每次一条", "An escalate event (to the district, city, Beijing, or civil to criminal), one finding per event"),
        ("矛盾不上交，防止民事纠纷转刑事案件，是方案和条例共同的底线。", "Keeping matters within the town and civil disputes from turning criminal is the plan's bottom line."),
        "实施方案 二（四）：“做到‘小事不出村（社区）、大事不出镇、矛盾不上交’……防止‘民事纠纷转刑事案件’”；《信访工作条例》第十五条",
        ("查明上交原因，落实包案化解；此类记录不可撤销，只能以作废登记更正录入错误。", "Find out why it went beyond the town and assign the case; the record stands (void it only if it was entered in error).")),
    doc!(V010, W, Visits,
        ("同一事项重复来访（初转重）、人数增至5人以上（个访转群访）或由来信转为来访（信转访）", "A repeat reception of a case, a headcount reaching 5 from below 5, or a visit that follows a letter"),
        ("初信初访没有解决好，就会变成重复访、群体访。", "A first visit or letter not settled well becomes a repeat visit or a group visit."),
        "实施方案 二（四）：“要高度重视初信初访工作，严格落实首接首办责任制，防止‘初转重’、‘信转访’、‘个访转群访’”",
        ("由首接领导跟进，必要时包案（qunli visit assign）。", "Have the first leader follow up, and assign the case if needed (qunli visit assign).")),
    doc!(L001, E, Letters,
        ("主要领导某月阅批群众来信少于规定件数（默认2件）", "A principal leader reviewed fewer letters in the month than principal_letters_per_month (2)"),
        ("领导干部阅批群众来信制度要求主要领导每月至少阅批两件。", "Principal leaders must review at least two letters from the people each month."),
        "实施方案 二（二）：“要坚持领导干部阅批群众来信制度，镇党政主要领导每月至少阅批两件群众来信”",
        ("登记阅批：qunli letter review CASE --leader --note。", "Record reviews: qunli letter review CASE --leader --note.")),
    doc!(L002, W, Letters,
        ("来信收到后规定工作日内（默认3个工作日）未阅批", "A letter not reviewed within letter_review_within_workdays (3) working days of receipt"),
        ("其他党委成员原则上要随来随批、随批随办。", "Letters are to be reviewed as they come and acted on as they are reviewed."),
        "实施方案 二（二）：“其他党委成员原则上要做到随来随批，随批随办”",
        ("尽快阅批并登记 qunli letter review。", "Review the letter and record it with qunli letter review.")),
    doc!(L003, W, Letters,
        ("联名信或言辞过激的来信没有主要领导阅批", "A joint (signers ≥ 2) or harsh letter that no principal leader has reviewed"),
        ("联名信件、言辞过激信件风险高，方案要求特别注意其办理。", "Joint and harsh letters carry the most risk; the plan singles them out."),
        "实施方案 二（二）：“特别要注意联名信件、言辞过激信件的办理”",
        ("呈主要领导阅批并登记。", "Put the letter before a principal leader and record the review.")),
    doc!(L004, E, Letters,
        ("来信收到后规定日数内（默认15日）没有答复", "A letter with no reply within accept_within_days (15) of receipt"),
        ("条例要求自收到之日起15日内书面告知是否受理；方案要求件件有回音。", "The Regulations require a written answer within 15 days; the plan asks that every letter be answered."),
        "《信访工作条例》第二十二、二十三条：15日内书面告知；实施方案 二（二）：“确保‘件件有着落，事事有回音’”",
        ("书面答复来信人并登记 qunli letter reply。", "Answer in writing and record it with qunli letter reply.")),
    doc!(L005, E, Letters,
        ("来信自收到起超过办理期限（默认60日，延期后再加最多30日）仍未办结", "A letter not concluded within handle_within_days (60, + extension)"),
        ("信访事项应当自受理之日起60日内办结，延长期限不得超过30日。", "A matter must be concluded within 60 days, extended by at most 30."),
        "《信访工作条例》第三十四条：“应当自受理之日起60日内办结……延长期限不得超过30日”",
        ("办结后登记 qunli letter resolve；确需延期的登记 qunli letter extend。", "Record the conclusion (qunli letter resolve) or an extension (qunli letter extend).")),
    doc!(D001, E, Disputes,
        ("村（社区）某一周（周一至周日）没有矛盾纠纷排查记录", "A village with no screening in an ISO week (Monday–Sunday) that has ended"),
        ("村、社每周集中排查、研判、调处矛盾纠纷，才能把矛盾化解在萌芽状态。", "Villages must sweep for disputes every week to catch them early."),
        "实施方案 二（四）：“严格落实‘村、社每周，特殊敏感时期每日集中排查、研判、调处矛盾纠纷工作机制’”",
        ("补登漏记的排查（qunli dispute screen --village --date），或督促该村按周排查。", "Record a screening that was done (qunli dispute screen --village --date), or have the village screen weekly.")),
    doc!(D002, E, Disputes,
        ("特殊敏感时期内某日村（社区）没有排查记录", "A village with no screening on a day of a sensitive period"),
        ("特殊敏感时期要每日集中排查。", "In sensitive periods villages screen every day."),
        "实施方案 二（四）：“特殊敏感时期每日集中排查、研判、调处矛盾纠纷”",
        ("补登当日排查记录，或说明原因。", "Record that day's screening, or explain why there was none.")),
    doc!(D003, E, Disputes,
        ("矛盾纠纷上交到镇以外", "A dispute escalated beyond the town"),
        ("小事不出村、大事不出镇、矛盾不上交。", "Small matters stay in the village, large ones in the town, none goes higher."),
        "实施方案 二（四）：“做到‘小事不出村（社区）、大事不出镇、矛盾不上交’”",
        ("查明原因，落实化解责任。", "Find out why and assign responsibility for resolving it.")),
    doc!(D004, W, Disputes,
        ("矛盾纠纷登记后超过规定日数（默认60日）仍未化解", "A dispute unresolved more than handle_within_days (60) after it opened"),
        ("排查出的矛盾纠纷要及时调处，防止激化。", "Disputes found must be mediated promptly before they grow."),
        "实施方案 二（四）：“集中排查、研判、调处矛盾纠纷”；一：“努力把矛盾隐患化解在初始萌芽状态”",
        ("调处化解后登记 qunli dispute resolve。", "Mediate it and record the result with qunli dispute resolve.")),
    doc!(H001, E, History,
        ("台账中某一行与追加时记录的不一致（被修改、替换或调换了顺序）", "A ledger line is not what was appended (edited, replaced, rows swapped)"),
        ("台账只能追加，不能改写：改动过的行会让报告和考核失去依据。", "Ledgers are append-only: a changed row takes away what reports and assessments rest on."),
        "实施方案 二（二）：接访下访群众情况要及时登记写入登记簿，“做到登记齐全、信息准确、内容清楚、客观科学”",
        ("从备份恢复这一行；确属有意更正，应改用 undo/void 追加更正记录。确认无误后才可运行 qunli check --accept-history。", "Restore the line from a backup; a real correction is an undo/void row. Only after a person has looked: qunli check --accept-history.")),
    doc!(H002, E, History,
        ("台账比历史记录短：追加过的行不见了（被删除、截断或用旧副本替换）", "The ledger is shorter than its record: rows appended earlier are missing (deleted, cut, replaced by an older copy)"),
        ("少了的行会让案号被重复分配，已登记的事项从统计中消失。", "Missing rows would hand out case numbers again and drop registered matters from every count."),
        "实施方案 二（二）：接访下访群众情况要及时登记写入登记簿，“做到登记齐全、信息准确、内容清楚、客观科学”",
        ("从备份恢复台账文件；在此之前追加会被拒绝。", "Restore the ledger from a backup; appends are refused until then.")),
    doc!(H003, E, History,
        ("台账有数据，但其历史记录（.qunli/）缺失、无法读取或已损坏，无法证明任何一行未被改动", "The ledger has rows but its history record (.qunli/) is missing, unreadable or damaged, so no row can be vouched for"),
        ("历史记录是发现改动的依据；没有它，改动无从察觉。", "The record is how changes are noticed; without it, no change can be."),
        "实施方案 二（二）：“做到登记齐全、信息准确、内容清楚、客观科学”",
        ("从备份恢复 .qunli/ 文件夹；确认台账无误后才可运行 qunli check --accept-history。用 qunli verify 对照以前的报告核对。", "Restore .qunli/ from a backup; only after checking the ledger, qunli check --accept-history. qunli verify checks it against an earlier report.")),
    doc!(H004, W, History,
        ("台账末尾有不是由 qunli 命令追加的行（手工录入）", "Rows at the end that no qunli command appended (typed in by hand)"),
        ("手工录入的行未经校验，也没有记录在案。", "Rows typed in by hand were neither checked nor recorded."),
        "实施方案 二（二）：“做到登记齐全、信息准确、内容清楚、客观科学”",
        ("核对这些行；无误后运行 qunli check --accept-history 予以记录。", "Check those rows; when they are right, record them with qunli check --accept-history.")),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_documented_once() {
        for r in Rule::ALL {
            assert_eq!(RULES.iter().filter(|d| d.rule == *r).count(), 1, "{}", r.code());
        }
        assert_eq!(RULES.len(), Rule::ALL.len());
    }
}
