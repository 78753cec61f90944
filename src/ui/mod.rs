//! Components and pages, by feature.

pub mod auth_state;
pub mod error_view;
pub mod form;
pub mod layout;
pub mod pages;
pub mod user_menu;
