//! A role's name. Role names decide who holds what (assignments name their role), so two
//! spellings that look alike must be one name: names are kept in NFKC form with single spaces,
//! characters that cannot be seen (format, control, private-use and other invisible characters)
//! are refused, and names are compared ignoring letter case (see [`role_key`]).

use serde::{Deserialize, Serialize};
use std::fmt;
use unicode_normalization::UnicodeNormalization;

use super::Invalid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleName(String);

pub const MAX_CHARS: usize = 128;

impl RoleName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let name = folded_name(input).map_err(|hidden| {
            Invalid::new(format!(
                "Role names cannot contain invisible or control characters (this one has U+{:04X}).",
                u32::from(hidden)
            ))
        })?;
        if name.is_empty() || name.chars().count() > MAX_CHARS {
            return Err(Invalid::new("Give the role a name of 1 to 128 characters."));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Display for RoleName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A name as names that decide access are kept: NFKC, with every run of spaces (NFKC has already
/// made no-break and wide spaces plain) one space and none at either end; or the first character
/// that cannot be seen, which such a name may not hold.
pub(crate) fn folded_name(input: &str) -> Result<String, char> {
    let folded: String = input.nfkc().collect();
    if let Some(hidden) = folded.chars().find(|&c| is_invisible(c)) {
        return Err(hidden);
    }
    Ok(folded.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The identity of a role name, for every comparison (uniqueness, lookup, delete, rename):
/// NFKC, then lower case. Applied to names as stored and to names as typed alike.
pub fn role_key(name: &str) -> String {
    let folded: String = name.nfkc().collect();
    let spaced = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    // Lower-casing can leave a sequence NFKC would compose: normalise once more.
    spaced.to_lowercase().nfkc().collect()
}

/// Characters that change nothing visible, or render as nothing: Unicode's format characters
/// (general category Cf), controls, private use, variation selectors, and the fillers and
/// joiners that display as blank. Whitespace other than these is folded to spaces instead.
fn is_invisible(c: char) -> bool {
    const RANGES: &[(u32, u32)] = &[
        // Format characters (Cf).
        (0x00AD, 0x00AD),
        (0x0600, 0x0605),
        (0x061C, 0x061C),
        (0x06DD, 0x06DD),
        (0x070F, 0x070F),
        (0x0890, 0x0891),
        (0x08E2, 0x08E2),
        (0x180E, 0x180E),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x2064),
        (0x2066, 0x206F),
        (0xFEFF, 0xFEFF),
        (0xFFF9, 0xFFFB),
        (0x110BD, 0x110BD),
        (0x110CD, 0x110CD),
        (0x13430, 0x1343F),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0001, 0xE0001),
        (0xE0020, 0xE007F),
        // Blank-looking letters and marks: combining grapheme joiner, Hangul fillers, Khmer
        // inherent vowels, Mongolian free variation selectors, braille blank, variation
        // selectors.
        (0x034F, 0x034F),
        (0x115F, 0x1160),
        (0x17B4, 0x17B5),
        (0x180B, 0x180D),
        (0x180F, 0x180F),
        (0x2800, 0x2800),
        (0x3164, 0x3164),
        (0xFFA0, 0xFFA0),
        (0xFE00, 0xFE0F),
        (0xE0100, 0xE01EF),
        // Private use: shows as whatever a font makes of it.
        (0xE000, 0xF8FF),
        (0xF0000, 0x10FFFF),
        // Line and paragraph separators.
        (0x2028, 0x2029),
    ];
    let code = u32::from(c);
    c.is_control() || RANGES.iter().any(|&(low, high)| (low..=high).contains(&code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn invisible_characters_are_refused_with_a_clear_message() {
        for name in ["Owner\u{200B}", "Own\u{00AD}er", "Reader\u{202E}", "\u{FEFF}A", "A\tB"] {
            let error = RoleName::parse(name).unwrap_err();
            assert!(error.0.contains("invisible"), "{name:?}: {error}");
        }
    }

    #[test]
    fn compatibility_forms_and_spaces_fold_to_one_name() {
        assert_eq!(RoleName::parse("\u{FF2F}wner").unwrap().as_str(), "Owner");
        assert_eq!(RoleName::parse(" Field\u{00A0} team ").unwrap().as_str(), "Field team");
        assert_eq!(role_key("\u{FB01}eld TEAM"), role_key("Field team"));
        assert_ne!(role_key("Field team"), role_key("Field teams"));
    }

    #[test]
    fn length_edges() {
        assert!(RoleName::parse("").is_err());
        assert!(RoleName::parse("   ").is_err());
        assert!(RoleName::parse(&"é".repeat(128)).is_ok());
        assert!(RoleName::parse(&"é".repeat(129)).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// A parsed name is already in its final form, contains nothing invisible, and its key
        /// is that of the input: what the server stores compares equal to what was typed.
        #[test]
        fn parsing_is_idempotent_and_keeps_the_key(
            input in "\\PC{0,40}|[\u{200B}\u{FEFF}\u{00A0} aA\u{DF}\u{FB01}\u{FF21}\u{130}]{0,12}",
        ) {
            if let Ok(name) = RoleName::parse(&input) {
                prop_assert!(!name.as_str().chars().any(is_invisible));
                prop_assert_eq!(RoleName::parse(name.as_str()).unwrap(), name.clone());
                prop_assert_eq!(role_key(name.as_str()), role_key(&input));
            }
            let key = role_key(&input);
            prop_assert_eq!(role_key(&key), key);
        }
    }
}
