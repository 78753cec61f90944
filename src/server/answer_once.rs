//! Answers a page shows once, for forms posted without JavaScript. A new token's secret, an
//! invitation's link, a datastore's credentials, what became of each invited address: the
//! script-driven form shows them from the server function's answer, but a plain post is sent
//! back to its page, and the page is rendered afresh. The answer waits for it in the session,
//! sealed with the server's key (the session store is a database table, and secrets are never
//! kept there in the clear), and the page's next render takes it out: shown once, then gone.
//!
//! One answer at a time: each plain post that keeps one replaces the last.

use serde::Serialize;

use super::auth::session;
use super::plain_form_answers::posted_by_plain_form;
use super::state::AppState;

const SESSION_KEY: &str = "answer_once";

/// What is kept: the server function that answered, which item it was about (a datastore's
/// name, an invitation's id; empty when the page has one such form), and the sealed answer.
type Kept = (String, String, String);

/// Keeps `value`, the answer of server function `path` about `item`, for the page a plain
/// form is sent back to. A call from script (which reads the answer itself) keeps nothing.
/// Failing to keep it loses only its showing, so it is logged, not answered.
pub async fn keep(path: &str, item: &str, value: &impl Serialize) {
    if !posted_by_plain_form() {
        return;
    }
    let kept = async {
        let state = AppState::current().map_err(|e| anyhow::anyhow!(e.message))?;
        let sealed = state.sealer.seal(&serde_json::to_string(value)?)?;
        let kept: Kept = (path.to_owned(), item.to_owned(), sealed);
        session().await.map_err(|e| anyhow::anyhow!(e.message))?.insert(SESSION_KEY, kept).await?;
        anyhow::Ok(())
    };
    if let Err(error) = kept.await {
        tracing::error!(path, error = %error, "could not keep a form's answer for its page");
    }
}

/// Takes the kept answer out of the session, `(server function, item, answer as JSON)`, if
/// `wanted(server function, item)`; any other answer stays kept, unopened.
pub async fn take(wanted: impl Fn(&str, &str) -> bool) -> Option<(String, String, String)> {
    let taken = async {
        let session = session().await.map_err(|e| anyhow::anyhow!(e.message))?;
        // Read before removing: a removal marks the session changed, and most renders (and
        // every visitor without a session) have nothing kept and nothing to save.
        match session.get::<Kept>(SESSION_KEY).await? {
            Some((path, item, _)) if wanted(&path, &item) => {}
            _ => return anyhow::Ok(None),
        }
        let Some((path, item, sealed)) = session.remove::<Kept>(SESSION_KEY).await? else {
            return anyhow::Ok(None);
        };
        let state = AppState::current().map_err(|e| anyhow::anyhow!(e.message))?;
        anyhow::Ok(Some((path, item, state.sealer.open(&sealed)?)))
    };
    taken.await.unwrap_or_else(|error| {
        tracing::warn!(error = %error, "could not read a form's kept answer");
        None
    })
}
