//! What an invitation form accepts: a list of addresses and an optional note. Shared, so the
//! form shows per address what the server will answer.

use super::{Email, Invalid};

/// The addresses of an invitation batch, split on commas, semicolons, spaces and new lines,
/// with duplicates (in any letter case) folded into their first appearance.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddressList {
    pub valid: Vec<Email>,
    /// Entries that are not addresses, with why.
    pub invalid: Vec<(String, Invalid)>,
}

/// At most this many addresses in one batch.
pub const MAX_ADDRESSES: usize = 50;

impl AddressList {
    pub fn split(input: &str) -> Self {
        let mut list = Self::default();
        let mut seen: Vec<String> = Vec::new();
        for entry in input.split([',', ';', ' ', '\n', '\r', '\t']).filter(|e| !e.is_empty()) {
            // "Name <address>" as mail clients copy it.
            let entry = entry.trim_start_matches('<').trim_end_matches('>');
            let key = entry.to_lowercase();
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            match Email::parse(entry) {
                // It could never accept: service principals do not sign in.
                Ok(_) if super::service_principal::is_identity(entry) => list.invalid.push((
                    entry.to_owned(),
                    Invalid::new(
                        "This is a service principal: give it a role with \u{201c}Add\u{201d} instead of inviting it.",
                    ),
                )),
                Ok(email) => list.valid.push(email),
                Err(invalid) => list.invalid.push((entry.to_owned(), invalid)),
            }
        }
        list
    }

    /// The whole field's verdict: something to invite, and not too many.
    pub fn check(input: &str) -> Result<Self, Invalid> {
        let list = Self::split(input);
        if list.valid.is_empty() && list.invalid.is_empty() {
            return Err(Invalid::new("Enter at least one email address."));
        }
        if list.valid.len() + list.invalid.len() > MAX_ADDRESSES {
            return Err(Invalid::new(format!(
                "Invite at most {MAX_ADDRESSES} addresses at a time."
            )));
        }
        Ok(list)
    }
}

impl super::Parse for AddressList {
    /// For the form: every entry must be an address.
    fn parse(input: &str) -> Result<Self, Invalid> {
        let list = Self::check(input)?;
        match list.invalid.first() {
            Some((entry, why)) => Err(Invalid::new(format!("{entry}: {why}"))),
            None => Ok(list),
        }
    }
}

pub const MAX_NOTE_LEN: usize = 1000;

/// The inviter's optional note. No links: the email must carry only the invitation's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvitationNote(String);

impl InvitationNote {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let note = input.trim();
        if note.chars().count() > MAX_NOTE_LEN {
            return Err(Invalid::new(format!("A note has at most {MAX_NOTE_LEN} characters.")));
        }
        let lower = note.to_lowercase();
        if lower.contains("://") || lower.contains("www.") {
            return Err(Invalid::new(
                "A note cannot contain links: the email carries only the invitation's own link.",
            ));
        }
        Ok(Self(note.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl super::Parse for InvitationNote {
    fn parse(input: &str) -> Result<Self, Invalid> {
        Self::parse(input)
    }
}

/// `j•••@e•••.com`: enough to recognise one's own address, not to learn someone else's.
pub fn mask_email(email: &str) -> String {
    let Some((local, domain)) = email.rsplit_once('@') else { return "•••".to_owned() };
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    let (host, tld) = domain.rsplit_once('.').unwrap_or((domain, ""));
    let tld = if tld.is_empty() { String::new() } else { format!(".{tld}") };
    format!("{}•••@{}•••{tld}", first(local), first(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_on_any_separator_and_fold_duplicates() {
        let list = AddressList::split("a@x.io, B@x.io;c@x.io\nA@X.IO  <d@x.io> not-an-address");
        let valid: Vec<&str> = list.valid.iter().map(Email::as_str).collect();
        assert_eq!(valid, ["a@x.io", "B@x.io", "c@x.io", "d@x.io"]);
        assert_eq!(list.invalid.len(), 1);
        assert_eq!(list.invalid[0].0, "not-an-address");
    }

    #[test]
    fn service_principals_are_not_invited() {
        let list = AddressList::split("a@x.io ci@contoso.service-principals.invalid");
        assert_eq!(list.valid.len(), 1);
        assert!(list.invalid[0].1 .0.contains("service principal"));
    }

    #[test]
    fn the_form_wants_at_least_one_and_only_addresses() {
        assert!(AddressList::check("  ,, ").is_err());
        assert!(<AddressList as crate::domain::Parse>::parse("a@x.io, nope").is_err());
        let many = (0..51).map(|i| format!("p{i}@x.io")).collect::<Vec<_>>().join(",");
        assert!(AddressList::check(&many).is_err());
    }

    #[test]
    fn notes_have_no_links() {
        assert!(InvitationNote::parse("Welcome to the team").is_ok());
        assert!(InvitationNote::parse("see https://evil.example").is_err());
        assert!(InvitationNote::parse("see WWW.evil.example").is_err());
    }

    #[test]
    fn masked_addresses_keep_the_first_letters_only() {
        assert_eq!(mask_email("jane.doe@example.com"), "j•••@e•••.com");
    }
}
