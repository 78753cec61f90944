use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found"/>
        <section class="panel error-view">
            <h1>"Not found"</h1>
            <p>"There is nothing here, or you do not have access to it."</p>
            <p><a href="/">"Back to the home page"</a></p>
        </section>
    }
}
