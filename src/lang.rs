//! The two languages of qunli: Chinese first, English with `--lang en`.

use serde::{Deserialize, Serialize};

/// The language of labels, headers and values the tool writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Picks the Chinese or the English text.
    pub fn t(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Like [`Lang::t`], for owned strings built by the caller.
    pub fn pick(self, zh: String, en: String) -> String {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Defines an enum whose values have an English code and a Chinese label,
/// accepted in either language on reading (English in any letter case).
#[macro_export]
macro_rules! labeled_enum {
    ($(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $variant:ident => ($en:literal, $zh:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The English code.
            pub fn en(self) -> &'static str { match self { $($name::$variant => $en),+ } }
            /// The Chinese label.
            pub fn zh(self) -> &'static str { match self { $($name::$variant => $zh),+ } }
            /// The name in `lang`.
            pub fn label(self, lang: $crate::lang::Lang) -> &'static str {
                match lang { $crate::lang::Lang::Zh => self.zh(), $crate::lang::Lang::En => self.en() }
            }
            /// Parses either language; English in any letter case.
            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim();
                $(if s == $zh || s.eq_ignore_ascii_case($en) { return Some($name::$variant); })+
                None
            }
            /// Parses either language from bytes, without allocating.
            pub fn parse_bytes(b: &[u8]) -> Option<Self> {
                $(if b == $zh.as_bytes() || b.eq_ignore_ascii_case($en.as_bytes()) { return Some($name::$variant); })+
                None
            }
            /// Every accepted spelling, for "did you mean".
            pub fn spellings() -> Vec<&'static str> {
                vec![$($en, $zh),+]
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.en()) }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                Self::parse(s).ok_or_else(|| $crate::error::unknown("value", s, Self::spellings()))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(self.en()) }
        }
    };
}
