//! The tables of people and invitations with buttons on each row: they scroll sideways on
//! narrow screens, and their last column (the rows' buttons) is named for screen readers only.

use leptos::prelude::*;

#[component]
pub fn ChangesTable(
    /// Classes besides `table`.
    #[prop(optional)]
    class: &'static str,
    /// The columns' headings, before the buttons' column.
    headings: &'static [&'static str],
    /// The rows.
    children: Children,
) -> impl IntoView {
    let headings = headings.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view();
    view! {
        <div class="table-scroll">
            <table class=format!("table {class}").trim_end().to_owned()>
                <thead>
                    <tr>
                        {headings}
                        <th scope="col"><span class="visually-hidden">"Changes"</span></th>
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
