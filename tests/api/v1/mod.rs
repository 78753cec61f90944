//! The management API under `/api/v1`, called as scripts and the `atl` client call it.

mod access;
mod cli;
mod group_invitations;
mod matrix;
mod openapi;
mod support;
mod workspaces;
