//! The invitation email: who invited you, to what, as which role, the link, and when it
//! expires; as plain text and as HTML. It carries that one invitation's link and nothing else
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

pub struct InvitationMail<'a> {
    pub inviter: &'a str,
    /// What the role is given on, as people read it: "workspace detector (contoso › vision)".
    pub place: &'a str,
    pub role: &'a str,
    pub message: &'a str,
    pub link: &'a str,
    /// "Sun, 29 Nov 2026 10:00 UTC".
    pub expires: &'a str,
}

pub fn invitation(mail: &InvitationMail<'_>) -> (String, MailBody) {
    let subject = format!("{} invited you to {} on Atelier", mail.inviter, mail.place);
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
        "{inviter} invited you to {place} on Atelier, as {role}.\n{note}\n\
         To accept, open this link and sign in (or create an account with this address):\n\n\
         {link}\n\n\
         The link works once and expires on {expires}. If you did not expect this \
         invitation, ignore this email.\n",
        inviter = mail.inviter,
        place = mail.place,
        role = mail.role,
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
         <p><strong>{inviter}</strong> invited you to <strong>{place}</strong> on Atelier, \
         as <strong>{role}</strong>.</p>{note}\
         <p><a href=\"{link}\">Open the invitation</a></p>\
         <p style=\"color: #555\">Or paste this link into your browser: {link}</p>\
         <p style=\"color: #555\">The link works once and expires on {expires}. If you did not \
         expect this invitation, ignore this email.</p></body></html>",
        inviter = escape(mail.inviter),
        place = escape(mail.place),
        role = escape(mail.role),
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

    fn sample(message: &str) -> (String, MailBody) {
        invitation(&InvitationMail {
            inviter: "Ada <script>",
            place: "workspace detector",
            role: "Reader",
            message,
            link: "https://atelier.example/invite/abc",
            expires: "Sun, 29 Nov 2026",
        })
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
        let (_, body) = invitation(&InvitationMail {
            inviter: "Ada",
            place: "workspace detector",
            role: "Reader",
            message: "",
            link: LINK_PLACEHOLDER,
            expires: "Sun, 29 Nov 2026",
        });
        let sent = body.clone().with_link(Some("https://a.example/invite/t?x=1&y=2"));
        assert!(sent.text.contains("https://a.example/invite/t?x=1&y=2"));
        assert!(sent.html.contains("href=\"https://a.example/invite/t?x=1&amp;y=2\""));
        assert!(!body.with_link(None).text.contains("invite/"));
    }

    #[test]
    fn the_link_is_the_only_link() {
        let (_, body) = sample("See you there");
        assert_eq!(body.html.matches("href=").count(), 1);
        assert_eq!(body.text.matches("://").count(), 1);
    }
}
