//! Server functions, by feature. Each is thin: read the session, ask authz for the action it
//! needs on the scope it touches, call one db function (one transaction), map errors.
//! Endpoints are named so their URLs stay stable across builds.

pub mod access;
pub mod account;
pub mod auth;
pub mod computes;
pub mod datasets;
pub mod datastores;
pub mod endpoints;
pub mod environments;
pub mod experiments;
pub mod groups;
pub mod guards;
pub mod instance;
pub mod invitations;
pub mod item_activity;
#[cfg(feature = "ssr")]
pub mod list_args;
pub mod models;
pub mod organizations;
pub mod pipelines;
pub mod plain_form;
pub mod resource_groups;
pub mod roles;
pub mod runs;
pub mod service_principals;
pub mod sessions;
pub mod tokens;
#[cfg(feature = "ssr")]
pub mod v1;
pub mod workspaces;
