//! Service principals: accounts for pipelines and CI rather than people. Each belongs to one
//! organization and is known by an identity shaped like an email address, so that it is given
//! roles and checked on Access control pages exactly like a person; the identity's domain is
//! under `.invalid` (RFC 2606), so it can never be a real mailbox or someone's sign-up address.

use super::Invalid;

/// Every service principal's identity ends with this, after its organization's slug.
pub const IDENTITY_DOMAIN: &str = "service-principals.invalid";

pub const RULE: &str = "1 to 64 letters, digits, hyphens, underscores or dots.";

/// A service principal's name, unique in its organization (ignoring case): `nightly-ci`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePrincipalName(String);

impl ServicePrincipalName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let name = input.trim();
        if name.is_empty() {
            return Err(Invalid::new("Give the service principal a name, such as \"nightly-ci\"."));
        }
        // The name is also the part before the @ of its identity, which has at most 64.
        if name.chars().count() > 64 {
            return Err(Invalid::new("A service principal's name has at most 64 characters."));
        }
        if let Some(bad) =
            name.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        {
            return Err(Invalid::new(format!(
                "A service principal's name uses only letters, digits, hyphens, underscores and \
                 dots; \u{201c}{bad}\u{201d} is not one of them."
            )));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The identity it is given roles by: `nightly-ci@contoso.service-principals.invalid`.
    pub fn identity(&self, organization_slug: &str) -> String {
        format!("{}@{organization_slug}.{IDENTITY_DOMAIN}", self.0)
    }
}

/// Whether an address is (or looks like) a service principal's identity: no person may sign
/// up with one.
pub fn is_identity(email: &str) -> bool {
    let domain = email.rsplit_once('@').map_or("", |(_, domain)| domain).to_ascii_lowercase();
    domain == IDENTITY_DOMAIN || domain.ends_with(&format!(".{IDENTITY_DOMAIN}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Email;
    use proptest::prelude::*;

    #[test]
    fn names_are_short_and_plain() {
        assert_eq!(ServicePrincipalName::parse(" nightly-ci ").unwrap().as_str(), "nightly-ci");
        assert!(ServicePrincipalName::parse("build_2.main").is_ok());
        assert!(ServicePrincipalName::parse(&"a".repeat(64)).is_ok());
        assert!(ServicePrincipalName::parse(&"a".repeat(65)).is_err());
        for bad in ["", "  ", "ci bot", "ci@bot", "ci/bot", "café"] {
            assert!(ServicePrincipalName::parse(bad).is_err(), "{bad:?} should be refused");
        }
        let message = ServicePrincipalName::parse("ci bot").unwrap_err().0;
        assert!(message.contains('\u{201c}'), "{message}");
    }

    #[test]
    fn identities_are_never_real_addresses() {
        let name = ServicePrincipalName::parse("Nightly-CI").unwrap();
        let identity = name.identity("contoso");
        assert_eq!(identity, "Nightly-CI@contoso.service-principals.invalid");
        assert!(is_identity(&identity));
        assert!(is_identity("x@Contoso.Service-Principals.INVALID"));
        assert!(!is_identity("ada@example.com"));
        assert!(!is_identity("ada@notservice-principals.invalid"));
    }

    proptest! {
        #[test]
        fn every_valid_name_makes_an_identity_that_parses_as_an_email(
            name in "[A-Za-z0-9._-]{1,64}",
            slug in "[a-z0-9][a-z0-9-]{1,38}[a-z0-9]",
        ) {
            let name = ServicePrincipalName::parse(&name).unwrap();
            let identity = name.identity(&slug);
            prop_assert!(Email::parse(&identity).is_ok(), "{}", identity);
            prop_assert!(is_identity(&identity));
        }

        #[test]
        fn parsing_never_panics(input in ".*") {
            let _ = ServicePrincipalName::parse(&input);
        }
    }
}
