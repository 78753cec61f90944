//! Forms that carry a file post `multipart/form-data` when the browser runs no JavaScript (the
//! hydrated app reads the file itself and sends base64). Server functions take url-encoded
//! fields, so this layer turns such a request into one: text fields as they are, a file as the
//! base64 of its bytes. A file input named `content@file_name` fills `content` with the bytes
//! and `file_name` with the chosen file's name (unless the form gave `file_name` a value).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::engine::general_purpose::URL_SAFE;
use base64::Engine;

use crate::domain::Invalid;
use crate::error::{AppError, ErrorKind};

/// Uploads are checked against their own limit (8 MB) by the server function; a body past this
/// is refused here, before its base64 would outgrow the request limit.
const MAX_MULTIPART_BYTES: usize = 24 * 1024 * 1024;

pub async fn multipart_to_fields(request: Request, next: Next) -> Response {
    let boundary = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok());
    let Some(boundary) = boundary.filter(|_| request.uri().path().starts_with("/api/")) else {
        return next.run(request).await;
    };
    let (mut parts, body) = request.into_parts();
    let fields = match read_fields(body, boundary).await {
        Ok(fields) => fields,
        Err(error) => return refuse(&parts, error),
    };
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    let encoded = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .finish();
    next.run(Request::from_parts(parts, Body::from(encoded))).await
}

/// Why a multipart body could not be turned into fields.
enum Unreadable {
    TooLarge,
    Malformed(multer::Error),
}

async fn read_fields(body: Body, boundary: String) -> Result<Vec<(String, String)>, Unreadable> {
    let limit = multer::SizeLimit::new().whole_stream(MAX_MULTIPART_BYTES as u64);
    let constraints = multer::Constraints::new().size_limit(limit);
    let mut multipart =
        multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    let unreadable = |error: multer::Error| match error {
        multer::Error::StreamSizeExceeded { .. } => Unreadable::TooLarge,
        other => Unreadable::Malformed(other),
    };
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut files: Vec<(String, String)> = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        let chosen = field.file_name().map(str::to_owned);
        let data = field.bytes().await.map_err(unreadable)?;
        match chosen {
            Some(chosen) => {
                let (content, name_field) = name.split_once('@').unwrap_or((name.as_str(), ""));
                // No file chosen arrives as an empty part: an empty field, as from the app.
                files.push((content.to_owned(), URL_SAFE.encode(&data)));
                if !name_field.is_empty() && !data.is_empty() {
                    files.push((name_field.to_owned(), chosen));
                }
            }
            None => fields.push((name, String::from_utf8_lossy(&data).into_owned())),
        }
    }
    // The file fills its fields unless the form already gave them a value (a page may carry
    // hidden fields of the same names for the app to fill when JavaScript runs).
    for (name, value) in files {
        match fields.iter_mut().find(|(given, _)| *given == name) {
            Some((_, given)) if given.trim().is_empty() => *given = value,
            Some(_) => {}
            None => fields.push((name, value)),
        }
    }
    Ok(fields)
}

/// Answers the way a server function does for a form without JavaScript: back to the page,
/// with the error in its address for the form to show.
fn refuse(parts: &axum::http::request::Parts, error: Unreadable) -> Response {
    let app_error = match error {
        Unreadable::TooLarge => AppError::invalid_field(
            "content",
            Invalid::new("A file uploaded here has at most 8 MB."),
        ),
        Unreadable::Malformed(cause) => {
            tracing::info!(%cause, "unreadable multipart form");
            AppError::new(ErrorKind::Invalid, "The form did not arrive intact; send it again.")
        }
    };
    let referer = parts.headers.get(header::REFERER).and_then(|v| v.to_str().ok());
    let wants_page = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    match referer.filter(|_| wants_page) {
        Some(page) => {
            let url = leptos::server_fn::error::ServerFnUrlError::new(parts.uri.path(), app_error)
                .to_url(page);
            match url {
                Ok(url) => Redirect::to(url.as_str()).into_response(),
                Err(_) => StatusCode::BAD_REQUEST.into_response(),
            }
        }
        None => (StatusCode::BAD_REQUEST, axum::Json(app_error)).into_response(),
    }
}
