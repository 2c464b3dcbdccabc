//! The codes every layer names: a rule's code (`V006`), its severity and
//! the level it runs at, and the people's ratings `[kpi]` counts. Below `config` (which reads `[rules.level]`) and
//! `rules` (which documents and runs them), so neither imports the other.

use crate::labeled_enum;
use serde::Serialize;

labeled_enum! {
    /// How serious a finding is.
    pub enum Severity {
        Error => ("error", "错误"),
        Warning => ("warning", "警告"),
    }
}

labeled_enum! {
    /// The level a rule runs at (`[rules.level]`).
    pub enum Level {
        Error => ("error", "错误"),
        Warning => ("warning", "警告"),
        Off => ("off", "关闭"),
    }
}

impl From<Severity> for Level {
    fn from(s: Severity) -> Self {
        match s {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        }
    }
}

macro_rules! rules {
    ($($code:ident),+ $(,)?) => {
        /// A rule of SPEC §6, by its code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule { $($code),+ }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$code),+];
            pub fn code(self) -> &'static str {
                match self { $(Rule::$code => stringify!($code)),+ }
            }
        }
    };
}

rules!(
    S000, S001, S002, S003, S004, S005, S006, V001, V002, V003, V004, V005, V006, V007, V008, V009, V010, L001, L002,
    L003, L004, L005, D001, D002, D003, D004, H001, H002, H003, H004,
);

impl Rule {
    /// Parses a code such as `V006`, in any letter case.
    pub fn parse(s: &str) -> Option<Rule> {
        let s = s.trim();
        Rule::ALL.iter().copied().find(|r| r.code().eq_ignore_ascii_case(s))
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

labeled_enum! {
    /// The person's rating of how a concluded case was handled (国信发〔2022〕11号
    /// 满意度评价; SPEC §5.2, §11).
    pub enum Rating {
        Satisfied => ("satisfied", "满意"),
        Basic => ("basic", "基本满意"),
        Unsatisfied => ("unsatisfied", "不满意"),
    }
}
