//! What the server and the pages agree on about forms posted without JavaScript.

/// The query parameter naming the server function a form without JavaScript just completed:
/// added by `server::plain_form_answers`, read by `ui::form::action_done`.
pub const DONE: &str = "done";
