//! The invitation email: who invited you, to what (a role at a place, or a group), the link,
//! and when it expires; as plain text and as HTML. It carries that one invitation's link and nothing else
//! a reader could follow.

use serde::{Deserialize, Serialize};

/// A message as stored (sealed) in the outbox and as sent. An invitation's body holds
/// [`LINK_PLACEHOLDER`] where its link goes: the link is kept apart, and only for as long as
/// it is needed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailBody {
    pub text: String,
    pub html: String,
}

/// Stands for the invitation link in a stored body.
pub const LINK_PLACEHOLDER: &str = "{{invitation-link}}";

impl MailBody {
    /// The body with its link in place; `None` (a link no longer kept) says so instead.
    pub fn with_link(self, link: Option<&str>) -> Self {
        let (text_link, html_link) = match link {
            Some(link) => (link.to_owned(), escape(link)),
            None => ("(link no longer kept)".to_owned(), "(link no longer kept)".to_owned()),
        };
        Self {
            text: self.text.replace(LINK_PLACEHOLDER, &text_link),
            html: self.html.replace(LINK_PLACEHOLDER, &html_link),
        }
    }
}

/// What an invitation offers, as its email names it.
#[derive(Clone, Copy, Debug)]
pub enum InvitedTo<'a> {
    /// `place`: what the role is given on, as people read it: "workspace detector in contoso ›
    /// vision".
    Role { place: &'a str, role: &'a str },
    /// A group of the organization `organization` (its name).
    Group { group: &'a str, organization: &'a str },
}

impl<'a> InvitedTo<'a> {
    /// What `offering` offers: its role at `place`, or its group in `organization`.
    pub fn of(
        offering: &'a crate::server::db::invitations::Offering,
        place: &'a str,
        organization: &'a str,
    ) -> Self {
        use crate::server::db::invitations::Offering;
        match offering {
            Offering::Role(role) => Self::Role { place, role },
            Offering::Group { name, .. } => Self::Group { group: name, organization },
        }
    }

    /// "workspace detector in contoso › vision" or "join the group Data scientists in Contoso",
    /// each part passed through `show` (bold and escaped in HTML).
    fn what(&self, show: impl Fn(&str) -> String) -> String {
        match self {
            Self::Role { place, .. } => show(place),
            Self::Group { group, organization } => {
                format!("join the group {} in {}", show(group), show(organization))
            }
        }
    }

    /// ", as Reader" after a role's place; nothing after a group.
    fn as_role(&self, show: impl Fn(&str) -> String) -> String {
        match self {
            Self::Role { role, .. } => format!(", as {}", show(role)),
            Self::Group { .. } => String::new(),
        }
    }
}

pub struct InvitationMail<'a> {
    pub inviter: &'a str,
    pub to: InvitedTo<'a>,
    pub message: &'a str,
    pub link: &'a str,
    /// "Sun, 29 Nov 2026 10:00 UTC".
    pub expires: &'a str,
}

pub fn invitation(mail: &InvitationMail<'_>) -> (String, MailBody) {
    let plain = |part: &str| part.to_owned();
    let bold = |part: &str| format!("<strong>{}</strong>", escape(part));
    let subject = format!("{} invited you to {} on Atelier", mail.inviter, mail.to.what(plain));
    let note = if mail.message.trim().is_empty() {
        String::new()
    } else {
        format!(
            "\n{} wrote:\n\n    {}\n",
            mail.inviter,
            mail.message.trim().replace('\n', "\n    ")
        )
    };
    let text = format!(
        "{inviter} invited you to {what} on Atelier{as_role}.\n{note}\n\
         To accept, open this link and sign in (or create an account with this address):\n\n\
         {link}\n\n\
         The link works once and expires on {expires}. If you did not expect this \
         invitation, ignore this email.\n",
        inviter = mail.inviter,
        what = mail.to.what(plain),
        as_role = mail.to.as_role(plain),
        link = mail.link,
        expires = mail.expires,
    );
    let html_note = if mail.message.trim().is_empty() {
        String::new()
    } else {
        format!(
            "<p>{} wrote:</p><blockquote>{}</blockquote>",
            escape(mail.inviter),
            escape(mail.message.trim()).replace('\n', "<br>")
        )
    };
    let html = format!(
        "<!doctype html><html><body style=\"font-family: sans-serif; line-height: 1.5\">\
         <p><strong>{inviter}</strong> invited you to {what} on Atelier{as_role}.</p>{note}\
         <p><a href=\"{link}\">Open the invitation</a></p>\
         <p style=\"color: #555\">Or paste this link into your browser: {link}</p>\
         <p style=\"color: #555\">The link works once and expires on {expires}. If you did not \
         expect this invitation, ignore this email.</p></body></html>",
        inviter = escape(mail.inviter),
        what = mail.to.what(bold),
        as_role = mail.to.as_role(bold),
        note = html_note,
        link = if mail.link == LINK_PLACEHOLDER { mail.link.to_owned() } else { escape(mail.link) },
        expires = escape(mail.expires),
    );
    (subject, MailBody { text, html })
}

/// A reminder that access given by an invitation is about to end.
pub fn access_ending(
    owner: &str,
    person: &str,
    place: &str,
    role: &str,
    ends: &str,
) -> (String, MailBody) {
    let subject = format!("Access for {person} to {place} ends on {ends}");
    let text = format!(
        "Hello {owner},\n\n{person}'s {role} access to {place} ends on {ends}, as set when they \
         were invited. To keep it, give them the role again from the Access control page.\n"
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family: sans-serif\"><p>Hello {},</p><p>{}'s \
         {} access to {} ends on {}, as set when they were invited. To keep it, give them the \
         role again from the Access control page.</p></body></html>",
        escape(owner),
        escape(person),
        escape(role),
        escape(place),
        escape(ends)
    );
    (subject, MailBody { text, html })
}

pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const READER: InvitedTo<'static> =
        InvitedTo::Role { place: "workspace detector", role: "Reader" };

    /// The email from `inviter` offering `to`, with `message` and `link`.
    fn mail(inviter: &str, to: InvitedTo<'_>, message: &str, link: &str) -> (String, MailBody) {
        invitation(&InvitationMail { inviter, to, message, link, expires: "Sun, 29 Nov 2026" })
    }

    fn sample(message: &str) -> (String, MailBody) {
        mail("Ada <script>", READER, message, "https://atelier.example/invite/abc")
    }

    #[test]
    fn both_parts_say_who_what_which_role_the_link_and_the_expiry() {
        let (subject, body) = sample("Welcome aboard");
        assert_eq!(subject, "Ada <script> invited you to workspace detector on Atelier");
        for part in [&body.text, &body.html] {
            for needle in [
                "workspace detector",
                "Reader",
                "https://atelier.example/invite/abc",
                "29 Nov 2026",
                "Welcome aboard",
            ] {
                assert!(part.contains(needle), "{needle} in {part}");
            }
        }
        assert!(body.html.contains("Ada &lt;script&gt;"));
        assert!(!body.html.contains("<script>"));
    }

    #[test]
    fn a_stored_body_gets_its_link_back_or_says_it_is_gone() {
        let (_, body) = mail("Ada", READER, "", LINK_PLACEHOLDER);
        let sent = body.clone().with_link(Some("https://a.example/invite/t?x=1&y=2"));
        assert!(sent.text.contains("https://a.example/invite/t?x=1&y=2"));
        assert!(sent.html.contains("href=\"https://a.example/invite/t?x=1&amp;y=2\""));
        assert!(!body.with_link(None).text.contains("invite/"));
    }

    #[test]
    fn a_group_invitation_names_the_group_and_its_organization_and_no_role() {
        let team = InvitedTo::Group { group: "Data <scientists>", organization: "Contoso" };
        let (subject, body) = mail("Ada", team, "", LINK_PLACEHOLDER);
        assert_eq!(
            subject,
            "Ada invited you to join the group Data <scientists> in Contoso on Atelier"
        );
        assert!(body.text.starts_with(
            "Ada invited you to join the group Data <scientists> in Contoso on Atelier.\n"
        ));
        assert!(body.html.contains(
            "invited you to join the group <strong>Data &lt;scientists&gt;</strong> in \
             <strong>Contoso</strong> on Atelier.</p>"
        ));
        assert!(!body.text.contains(", as "));
    }

    #[test]
    fn the_link_is_the_only_link() {
        let (_, body) = sample("See you there");
        assert_eq!(body.html.matches("href=").count(), 1);
        assert_eq!(body.text.matches("://").count(), 1);
    }
}
