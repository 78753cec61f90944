//! Components and pages, by feature.

pub mod auth_state;
pub mod breadcrumbs;
pub mod chart_scale;
pub mod checks;
pub mod confirm_banner;
pub mod copy_field;
pub mod environment_badge;
pub mod error_view;
#[cfg(feature = "hydrate")]
pub mod file_text;
pub mod form;
pub mod hydration;
pub mod invited_to;
pub mod island_data;
// Moved to the domain (several layers use it); kept here so pages keep their paths.
pub use crate::domain::format;
pub mod item_activity;
pub mod layout;
pub mod list_page;
pub mod metric_chart;
pub mod pages;
pub mod pipeline_graph;
pub mod pipeline_layout;
pub mod scope_links;
pub mod switcher;
pub mod table;
pub mod token_parts;
pub mod upload_field;
pub mod user_menu;
pub mod workspace_cards;
pub mod workspace_frame;
pub mod workspaces_state;
