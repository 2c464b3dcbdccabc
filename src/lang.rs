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
    /// `zh`, `zh_CN.UTF-8`, `en`, `en_US.UTF-8`, …: the language a code names, if one of ours.
    pub fn from_code(code: &str) -> Option<Lang> {
        let c = code.trim().to_ascii_lowercase();
        if c.starts_with("zh") {
            Some(Lang::Zh)
        } else if c.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

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

/// The language of messages raised deep down (the reader's, about a file's
/// bytes), where no workspace is at hand: set once, when the command knows
/// its workspace and `--lang`.
static MESSAGES: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Sets the language of messages for the rest of the process.
pub fn set_messages(lang: Lang) {
    MESSAGES.store(lang as u8, std::sync::atomic::Ordering::Relaxed);
}

/// The language of messages (Chinese until set).
pub fn messages() -> Lang {
    match MESSAGES.load(std::sync::atomic::Ordering::Relaxed) {
        0 => Lang::Zh,
        _ => Lang::En,
    }
}

/// `a == b` for the short byte strings of names and labels, in two loads a
/// side (overlapping when need be) instead of a call to `memcmp`.
#[inline(always)]
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let w8 = |x: &[u8], i: usize| u64::from_le_bytes(x[i..i + 8].try_into().unwrap_or([0; 8]));
    let w4 = |x: &[u8], i: usize| u32::from_le_bytes(x[i..i + 4].try_into().unwrap_or([0; 4]));
    match n {
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        4..=7 => w4(a, 0) == w4(b, 0) && w4(a, n - 4) == w4(b, n - 4),
        8..=16 => w8(a, 0) == w8(b, 0) && w8(a, n - 8) == w8(b, n - 8),
        _ => a == b,
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
                $(if $crate::lang::same_bytes(b, $zh.as_bytes()) || b.eq_ignore_ascii_case($en.as_bytes()) { return Some($name::$variant); })+
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
                Self::parse(s).ok_or_else(|| {
                    let values: Vec<String> = Self::ALL.iter().map(|v| format!("{} {}", v.en(), v.zh())).collect();
                    let lang = $crate::lang::messages();
                    $crate::error::unknown("value", s, Self::spellings())
                        + &lang.pick(format!("；可写：{}", values.join("、")), format!("; one of: {}", values.join(", ")))
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(self.en()) }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::same_bytes;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn same_bytes_is_equality(a in proptest::collection::vec(0u8..4, 0..20), b in proptest::collection::vec(0u8..4, 0..20)) {
            prop_assert_eq!(same_bytes(&a, &b), a == b);
            prop_assert!(same_bytes(&a, &a));
        }

        #[test]
        fn one_byte_changed_is_not_the_same(a in proptest::collection::vec(any::<u8>(), 1..20), at in any::<usize>()) {
            let mut b = a.clone();
            let at = at % a.len();
            b[at] = b[at].wrapping_add(1);
            prop_assert!(!same_bytes(&a, &b));
        }
    }

    #[test]
    fn same_bytes_on_names() {
        assert!(same_bytes("化解".as_bytes(), "化解".as_bytes()));
        assert!(!same_bytes("化解".as_bytes(), "登记".as_bytes()));
        assert!(!same_bytes("房地产建设".as_bytes(), "房地产建没".as_bytes()));
        assert!(!same_bytes(b"abcdefghij", b"abcdefghik"));
        assert!(!same_bytes(b"abcde", b"abcdf"));
    }
}
