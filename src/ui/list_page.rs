//! One component for every list of a workspace's assets: the frame, the heading, the filter
//! form, the table (or what to say when it is empty), the page links and the create form. A
//! kind brings its filters, columns, rows and form; the rest is written once here.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::workspaces::WorkspaceCrumbs;
use crate::domain::listing::{ListQuery, ListSort, SORT};
use crate::ui::workspace_frame::{Section, WorkspaceTrail};

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
    /// Said to screen readers only (the column of each row's buttons).
    pub hidden: bool,
}

impl Column {
    pub const fn text(label: &'static str) -> Self {
        Self { label, number: false, hidden: false }
    }

    pub const fn number(label: &'static str) -> Self {
        Self { label, number: true, hidden: false }
    }

    /// The column of each row's actions: its heading is for screen readers.
    pub const fn actions() -> Self {
        Self { label: "Actions", number: false, hidden: true }
    }
}

/// What a list page shows; see the module's documentation.
pub struct ListView {
    pub ws: WorkspaceCrumbs,
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
    /// What stands between the filter form and the table: what the kind is, how a row's
    /// action went.
    pub lead: Option<AnyView>,
    /// The table's column headings (see [`headings`] and [`sort_heading`]).
    pub headings: AnyView,
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
    let ListView { ws, section, title, query, next_after, filters, .. } = list;
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
        view! {
            <div class="table-scroll">
                <table class=format!("table {}", list.table_class)>
                    <thead><tr>{list.headings}</tr></thead>
                    <tbody>{list.rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Title text=format!("{title} · {}", ws.workspace)/>
        <WorkspaceTrail crumbs=ws.clone() trail=vec![(title.into(), None)]/>
            <div class="page-heading">
                <h1>{title}</h1>
            </div>
            <form method="get" class="filter-form panel" aria-label=list.filters_label>
                {filters}
                <button type="submit">{list.submit}</button>
                <a href=base>"Clear"</a>
            </form>
            {list.lead}
            {table}
            <p class="actions">{first}{next}</p>
            {list.create}
    }
}

/// The search box most lists start their filters with (query key `q`).
#[component]
pub fn SearchBox(
    value: String,
    /// What the search looks in.
    #[prop(default = "Name, description or tag")]
    placeholder: &'static str,
) -> impl IntoView {
    view! {
        <label>"Search" <input name="q" type="search" value=value placeholder=placeholder/></label>
    }
}

/// A list's choice among the values of a kind (a status, a format, an order), as a GET form's
/// `<select>`: "Any" first (no filter) when `any`, then each of `choices` (value and label, see
/// [`choices`]), with `selected` (the URL's value) chosen.
#[component]
pub fn EnumSelect(
    label: &'static str,
    name: &'static str,
    selected: String,
    choices: Vec<(&'static str, &'static str)>,
    #[prop(optional)] any: bool,
) -> impl IntoView {
    let any = any.then(|| view! { <option value="" selected=selected.is_empty()>"Any"</option> });
    let options = choices
        .into_iter()
        .map(|(value, text)| view! { <option value=value selected=selected == value>{text}</option> })
        .collect_view();
    view! {
        <label>
            {label}
            <select name=name>{any}{options}</select>
        </label>
    }
}

/// The value and label of each of a kind's values, for [`EnumSelect`].
pub fn choices<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|&t| (value(t), label(t))).collect()
}

/// A column heading that orders the list by it: `first` on the first click, then the other
/// way (`then`; the same order again for a column that sorts one way only).
pub fn sort_heading<S: ListSort>(
    query: &ListQuery,
    label: &'static str,
    number: bool,
    (first, then): (S, S),
) -> AnyView {
    let current = S::from_url_name(&query.get(SORT));
    let next = if current == first { then } else { first };
    let (mark, aria) = match current {
        s if s != first && s != then => ("", "none"),
        s if s.descending() => (" ▼", "descending"),
        _ => (" ▲", "ascending"),
    };
    let href = query.with(SORT, next.url_name()).link(None);
    let class = number.then_some("number");
    view! {
        <th scope="col" class=class aria-sort=aria>
            <a href=href title=format!("Sort: {}", next.title())>{label}{mark}</a>
        </th>
    }
    .into_any()
}

/// Plain column headings.
pub fn headings(columns: &[Column]) -> AnyView {
    columns
        .iter()
        .map(|c| {
            let class = c.number.then_some("number");
            let label = if c.hidden {
                view! { <span class="visually-hidden">{c.label}</span> }.into_any()
            } else {
                c.label.into_any()
            };
            view! { <th scope="col" class=class>{label}</th> }
        })
        .collect_view()
        .into_any()
}
