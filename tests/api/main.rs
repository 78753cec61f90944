//! Integration tests: the real server on port 0, a real database per test, driven over HTTP.
//! One binary (not one per file) so the crate and its dependencies link once.

mod access;
mod accounts;
mod computes;
mod custom_roles;
mod database;
mod datasets;
mod datastores;
mod demo;
mod endpoints;
mod environments;
mod helpers;
mod invitations;
mod isolation;
mod item_activity;
mod list_plans;
mod mail_delivery;
mod matrix;
mod mlflow_client;
mod model_files;
mod models;
mod pipeline_runs;
mod pipelines;
mod runs;
mod security;
mod service_principals;
mod sessions;
mod smtp_sink;
mod snapshots;
mod tenancy;
mod tokens;
mod tracking;
mod tracking_matrix;
mod tracking_support;
mod uploads_without_js;
mod workspace_lifecycle;
