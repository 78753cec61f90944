//! The site's own files as a browser gets them: pages name the bundle and stylesheet by
//! content-addressed paths kept for a year, sent precompressed in the encoding the browser
//! accepts; an address from another build is not found; pages themselves are never cached.

use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::StatusCode;

use crate::helpers::{client, spawn_app_with};

/// The first `attribute="…"` value in `html` that contains `needle`.
fn address_containing(html: &str, needle: &str) -> String {
    html.split('"')
        .find(|part| part.contains(needle) && part.starts_with('/'))
        .unwrap_or_else(|| panic!("no address with {needle} in {html}"))
        .to_owned()
}

#[tokio::test]
async fn pages_load_content_addressed_files_that_browsers_keep_and_nothing_else_is_cached() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("atelier.js"), "export default function init() {}").unwrap();
    std::fs::write(pkg.join("atelier.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(pkg.join("atelier.wasm.br"), b"pretend brotli").unwrap();
    std::fs::write(pkg.join("atelier.css"), "body { margin: 0 }").unwrap();
    let root = site.path().to_owned();
    let app = spawn_app_with(move |settings| settings.site_root = root).await;

    let page = client().get(format!("{}/sign-in", app.base_url)).send().await.unwrap();
    assert_eq!(page.headers()[CACHE_CONTROL], "private, no-cache");
    let html = page.text().await.unwrap();
    let stylesheet = address_containing(&html, "atelier.css");
    let script = address_containing(&html, "atelier.js");
    let wasm = address_containing(&html, "atelier.wasm");
    for address in [&stylesheet, &script, &wasm] {
        assert!(address.starts_with("/static/"), "{address}");
    }

    let fetch = |address: String, encodings: &'static str| {
        let url = format!("{}{address}", app.base_url);
        async move { client().get(url).header(ACCEPT_ENCODING, encodings).send().await.unwrap() }
    };
    let bundle = fetch(wasm.clone(), "gzip, deflate, br").await;
    assert_eq!(bundle.status(), StatusCode::OK);
    assert_eq!(bundle.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert_eq!(bundle.headers()[CONTENT_ENCODING], "br");
    assert_eq!(bundle.headers()[CONTENT_TYPE], "application/wasm");
    assert_eq!(bundle.bytes().await.unwrap().as_ref(), b"pretend brotli");
    let css = fetch(stylesheet.clone(), "identity").await;
    assert_eq!(css.headers()[CONTENT_TYPE], "text/css; charset=utf-8");
    assert_eq!(css.text().await.unwrap(), "body { margin: 0 }");

    // Another build's address is not this build's file.
    let digest = wasm.split('/').nth(2).unwrap();
    let stale = wasm.replace(digest, "0000000000000000");
    assert_eq!(fetch(stale, "br").await.status(), StatusCode::NOT_FOUND);
    // The plain path still answers, to be revalidated.
    let plain = fetch("/pkg/atelier.css".to_owned(), "gzip").await;
    assert_eq!(plain.headers()[CACHE_CONTROL], "no-cache");
    assert!(plain.headers().contains_key("etag"));
}
