//! The server half: configuration, start-up, sessions, and everything that touches the database.

pub mod activity_export;
pub mod audit;
pub mod auth;
pub mod authz;
pub mod clock;
pub mod config;
pub mod csrf;
pub mod dataset_download;
pub mod dataset_files;
pub mod db;
pub mod demo;
pub mod error;
pub mod error_status;
pub mod mail;
pub mod multipart_forms;
pub mod output_download;
pub mod password;
pub mod preview;
pub mod run_names;
pub mod secrets;
pub mod snapshot_archive;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
