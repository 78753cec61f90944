//! One component for every list of a workspace's assets: the frame, the heading, the filter
//! form, the table (or what to say when it is empty), the page links and the create form. A
//! kind brings its filters, columns, rows and form; the rest is written once here.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::workspaces::WorkspaceCrumbs;
use crate::authz::Action;
use crate::domain::listing::ListQuery;
use crate::ui::workspace_frame::{Section, WorkspaceFrame};

/// The URL's state of a list whose filters are `keys`, kept up to date as the URL changes.
pub fn list_query(keys: &'static [&'static str]) -> Memo<ListQuery> {
    let url = use_query_map();
    Memo::new(move |_| {
        let q = url.read();
        ListQuery::read(keys, |k| q.get(k))
    })
}

/// A column heading; numbers are right-aligned.
pub struct Column {
    pub label: &'static str,
    pub number: bool,
}

impl Column {
    pub const fn text(label: &'static str) -> Self {
        Self { label, number: false }
    }

    pub const fn number(label: &'static str) -> Self {
        Self { label, number: true }
    }
}

/// What a list page shows; see the module's documentation.
pub struct ListView {
    pub ws: WorkspaceCrumbs,
    pub permitted: Vec<Action>,
    pub section: Section,
    /// The page's heading and the start of its title.
    pub title: &'static str,
    pub query: ListQuery,
    pub next_after: Option<String>,
    /// The filter form's fields (the form, its Apply and Clear are the page's).
    pub filters: AnyView,
    /// The filter form's accessible name.
    pub filters_label: &'static str,
    /// Its button: "Search" when the search box is all there is, "Apply" otherwise.
    pub submit: &'static str,
    pub columns: &'static [Column],
    /// The table's class, for its column widths.
    pub table_class: &'static str,
    pub rows: AnyView,
    pub row_count: usize,
    /// What an empty, unfiltered list says: what the kind is for.
    pub none_yet: &'static str,
    /// What an empty, filtered list says.
    pub no_match: &'static str,
    /// The create form, for those allowed to use it.
    pub create: Option<AnyView>,
}

#[component]
pub fn ListPage(list: ListView) -> impl IntoView {
    let ListView { ws, permitted, section, title, query, next_after, filters, .. } = list;
    let base = format!("{}{}", ws.url(), section.path());
    let next = next_after.as_deref().map(|after| {
        view! { <a class="button" href=query.link(Some(after))>"Next page"</a> }
    });
    let first = (!query.after.is_empty())
        .then(|| view! { <a class="button" href=query.link(None)>"First page"</a> });
    let table = if list.row_count == 0 {
        let text = if query.is_filtered() { list.no_match } else { list.none_yet };
        view! { <p class="muted">{text}</p> }.into_any()
    } else {
        let headings = list
            .columns
            .iter()
            .map(|c| {
                let class = c.number.then_some("number");
                view! { <th scope="col" class=class>{c.label}</th> }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class=format!("table {}", list.table_class)>
                    <thead><tr>{headings}</tr></thead>
                    <tbody>{list.rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Title text=format!("{title} · {}", ws.workspace)/>
        <WorkspaceFrame crumbs=ws.clone() permitted current=section trail=vec![(title.into(), None)]>
            <div class="page-heading">
                <h1>{title}</h1>
            </div>
            <form method="get" class="filter-form panel" aria-label=list.filters_label>
                {filters}
                <button type="submit">{list.submit}</button>
                <a href=base>"Clear"</a>
            </form>
            {table}
            <p class="actions">{first}{next}</p>
            {list.create}
        </WorkspaceFrame>
    }
}

/// The search box most lists start their filters with (query key `q`).
#[component]
pub fn SearchBox(value: String) -> impl IntoView {
    view! {
        <label>"Search" <input name="q" type="search" value=value placeholder="Name, description or tag"/></label>
    }
}
