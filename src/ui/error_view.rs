use leptos::prelude::*;

use crate::error::{AppError, ErrorKind};

/// What a page shows when it cannot load: a message, never a blank page.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    let title = match error.kind {
        ErrorKind::NotFound => "Not found",
        ErrorKind::Unauthenticated => "Sign in to continue",
        ErrorKind::Unavailable => "Atelier is unreachable",
        ErrorKind::TooManyRequests => "Too many attempts",
        _ => "This page could not be loaded",
    };
    // The page is rendered whole before it is sent (SsrMode::Async), so its status can follow.
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let status = http::StatusCode::from_u16(error.kind.http_status());
        response.set_status(status.unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
    }
    let sign_in = (error.kind == ErrorKind::Unauthenticated)
        .then(|| view! { <a class="button" href="/sign-in">"Sign in"</a> });
    view! {
        <section class="panel error-view" role="alert">
            <h1>{title}</h1>
            <p>{error.message}</p>
            {sign_in}
            <p><a href="/">"Back to the home page"</a></p>
        </section>
    }
}

/// An error boundary's fallback: shows the first error, as an [`ErrorView`] when it is ours.
pub fn boundary_fallback(errors: ArcRwSignal<Errors>) -> impl IntoView {
    move || {
        let error = errors
            .read()
            .iter()
            .next()
            .map(|(_, e)| {
                e.downcast_ref::<AppError>().cloned().unwrap_or_else(|| {
                    AppError::new(ErrorKind::Internal, "Something went wrong. Please try again.")
                })
            })
            .unwrap_or_else(|| AppError::new(ErrorKind::Internal, "Something went wrong."));
        view! { <ErrorView error/> }
    }
}

/// A loaded page, or the error view (with its HTTP status) when loading failed. Pages render
/// their own errors rather than leaving them to the layout's error boundary: during
/// server-side rendering a boundary may catch an error only after its output was produced.
pub fn loaded<T, V: IntoView + 'static>(
    result: Result<T, AppError>,
    render: impl FnOnce(T) -> V,
) -> AnyView {
    match result {
        Ok(data) => render(data).into_any(),
        Err(error) => view! { <ErrorView error/> }.into_any(),
    }
}
