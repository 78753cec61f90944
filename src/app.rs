//! The HTML shell, the root component and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::ui::layout::Layout;
use crate::ui::pages::{HomePage, NotFoundPage, SignInPage, SignUpPage};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="atelier" href="/pkg/atelier.css"/>
        <Title formatter=|page: String| {
            if page.is_empty() { "Atelier".to_owned() } else { format!("{page} · Atelier") }
        }/>
        <Router>
            <Layout>
                // In-order streaming: every page is complete HTML without JavaScript.
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::InOrder/>
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::InOrder/>
                    <Route path=path!("/sign-up") view=SignUpPage ssr=SsrMode::InOrder/>
                </Routes>
            </Layout>
        </Router>
    }
}
