//! Server functions, by feature. Each is thin: read the session, check, call one db function,
//! map errors. Endpoints are named so their URLs stay stable across builds.

pub mod auth;
