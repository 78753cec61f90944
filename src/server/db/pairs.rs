//! Name/value pairs (tags, parameters) as rows keep them: a JSON array of two-element arrays, in
//! the order given.

/// Name/value pairs as stored: a JSON array of two-element arrays, in the order given.
pub(crate) fn pairs_to_json(pairs: &[(String, String)]) -> String {
    serde_json::to_string(pairs).unwrap_or_else(|_| "[]".to_owned())
}

/// The reverse of [`pairs_to_json`]; a malformed value reads as no pairs (and is logged).
pub(crate) fn pairs_from_json(text: &str) -> Vec<(String, String)> {
    serde_json::from_str(text).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "stored name/value pairs are not valid JSON");
        Vec::new()
    })
}
