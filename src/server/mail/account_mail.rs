//! Mail about one's own account: a link to confirm an address or to choose a new password,
//! and notices that something happened to the account. A link's body holds
//! [`LINK_PLACEHOLDER`]; the link is sealed apart, as for invitations, and forgotten once
//! used or replaced.

use super::compose::{escape, MailBody, LINK_PLACEHOLDER};

fn body(paragraphs: &[String], link: Option<(&str, &str)>) -> MailBody {
    let mut text = paragraphs.join("\n\n");
    let mut html = String::from(
        "<!doctype html><html><body style=\"font-family: sans-serif; line-height: 1.5\">",
    );
    for (i, paragraph) in paragraphs.iter().enumerate() {
        html.push_str(&format!("<p>{}</p>", escape(paragraph)));
        if i == 0 {
            if let Some((label, link)) = link {
                text.insert_str(paragraph.len(), &format!("\n\n{link}"));
                html.push_str(&format!("<p><a href=\"{link}\">{}</a></p>", escape(label)));
                html.push_str(&format!(
                    "<p style=\"color: #555\">Or paste this link into your browser: {link}</p>"
                ));
            }
        }
    }
    text.push('\n');
    html.push_str("</body></html>");
    MailBody { text, html }
}

/// A link proving the address is the reader's (at sign-up, or a new address for an account).
pub fn confirm_address(name: &str, expires: &str, new_address: bool) -> (String, MailBody) {
    let why = if new_address {
        format!("Hello {name}, to make this the address of your Atelier account, confirm it:")
    } else {
        format!("Hello {name}, to finish creating your Atelier account, confirm your address:")
    };
    let paragraphs = [
        why,
        format!(
            "The link works once and expires on {expires}. Until you confirm, you can use your \
             own organizations, but nothing is shared with you by email."
        ),
        "If you did not ask for this, ignore this email.".to_owned(),
    ];
    (
        "Confirm your address for Atelier".to_owned(),
        body(&paragraphs, Some(("Confirm my address", LINK_PLACEHOLDER))),
    )
}

/// Someone signed up with an address a confirmed account already holds.
pub fn already_registered() -> (String, MailBody) {
    let paragraphs = [
        "Hello, someone just asked to use this address for an Atelier account, but it already \
         belongs to your account. Nothing changed."
            .to_owned(),
        "If it was you, sign in with your password. If you forgot it, use \"Forgot password\" \
         on the sign-in page."
            .to_owned(),
    ];
    ("Someone tried to sign up with your address".to_owned(), body(&paragraphs, None))
}

/// A link to choose a new password.
pub fn reset_password(name: &str, expires: &str) -> (String, MailBody) {
    let paragraphs = [
        format!("Hello {name}, to choose a new password for your Atelier account, open this link:"),
        format!(
            "The link works once and expires on {expires}. Choosing a new password signs your \
             account out everywhere and revokes its access tokens."
        ),
        "If you did not ask for this, ignore this email: your password stays as it is.".to_owned(),
    ];
    (
        "Choose a new Atelier password".to_owned(),
        body(&paragraphs, Some(("Choose a new password", LINK_PLACEHOLDER))),
    )
}

/// To the old address, when the account asked to move to another.
pub fn address_changing(name: &str, new_email: &str) -> (String, MailBody) {
    let paragraphs = [
        format!(
            "Hello {name}, your Atelier account asked to use {new_email} instead of this address. \
             It changes once the new address is confirmed."
        ),
        "If this was not you, sign in and change your password at once.".to_owned(),
    ];
    ("Your Atelier address is changing".to_owned(), body(&paragraphs, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_mail_carries_its_link_once_in_each_part() {
        let (_, mail) = reset_password("Ada <b>", "Sun, 29 Nov 2026 10:00 UTC");
        let sent = mail.with_link(Some("https://a.example/reset-password/t"));
        assert_eq!(sent.text.matches("https://a.example/reset-password/t").count(), 1);
        assert_eq!(sent.html.matches("href=").count(), 1);
        assert!(sent.html.contains("Ada &lt;b&gt;"));
    }

    #[test]
    fn notices_carry_no_link() {
        let (_, mail) = already_registered();
        assert!(!mail.html.contains("href="));
        assert!(!mail.text.contains("://"));
    }
}
