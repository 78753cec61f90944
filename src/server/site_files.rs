//! The site's own files (the browser bundle, its stylesheet, the favicon), read into memory once
//! at start and served from there: no file system call, no compression per request. The build
//! (`cargo xtask build`) leaves a `.br` and a `.gz` beside each file; the one the browser
//! accepts is sent as it is.
//!
//! Pages load the bundle and the stylesheet from content-addressed paths,
//! `/static/<digest>/pkg/…`, where the digest is that of the files themselves: browsers keep
//! them for a year without asking again, and a new build is a new address. The plain paths
//! (`/pkg/atelier.css`, `/favicon.svg`) still answer, revalidated on every use by their ETag.

use std::collections::HashMap;
use std::path::Path;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use sha2::{Digest, Sha256};

use crate::app::AssetLinks;

/// The folder of the browser bundle inside the site root (LeptosOptions' `site_pkg_dir`).
const PKG: &str = "pkg";
/// The stylesheet, below the site root; it has a digest of its own.
const STYLESHEET: &str = "pkg/atelier.css";
/// Where content-addressed paths start.
const STATIC: &str = "/static/";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

pub struct SiteFiles {
    /// By path below the site root ("pkg/atelier.js", "favicon.svg").
    files: HashMap<String, SiteFile>,
    /// The digests that address the bundle (script, WebAssembly, snippets) and the stylesheet.
    bundle_digest: String,
    style_digest: String,
}

struct SiteFile {
    identity: Bytes,
    gzip: Option<Bytes>,
    brotli: Option<Bytes>,
    content_type: HeaderValue,
    /// The file's own digest, quoted; each encoding's ETag adds a suffix to it.
    etag: String,
    /// Which content-addressed digest serves it, if any.
    digest: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl SiteFiles {
    /// Reads every file below `site_root` (none if it does not exist, as in tests).
    pub fn load(site_root: &Path) -> std::io::Result<Self> {
        let mut found = Vec::new();
        if site_root.is_dir() {
            collect(site_root, site_root, &mut found)?;
        }
        let variants: HashMap<String, Bytes> = found.iter().cloned().collect();
        let mut bundle = Sha256::new();
        let mut style = Sha256::new();
        let mut files = HashMap::new();
        for (path, bytes) in found {
            if path.ends_with(".br") || path.ends_with(".gz") {
                continue;
            }
            if path == STYLESHEET {
                style.update(&bytes);
            } else if path.starts_with(&format!("{PKG}/")) {
                bundle.update(path.as_bytes());
                bundle.update(&bytes);
            }
            let file = SiteFile {
                gzip: variants.get(&format!("{path}.gz")).cloned(),
                brotli: variants.get(&format!("{path}.br")).cloned(),
                content_type: HeaderValue::from_static(content_type(&path)),
                etag: format!("\"{}\"", short_hex(&Sha256::digest(&bytes))),
                digest: None,
                identity: bytes,
            };
            files.insert(path, file);
        }
        let bundle_digest = short_hex(&bundle.finalize());
        let style_digest = short_hex(&style.finalize());
        for (path, file) in &mut files {
            if path == STYLESHEET {
                file.digest = Some(style_digest.clone());
            } else if path.starts_with(&format!("{PKG}/")) {
                file.digest = Some(bundle_digest.clone());
            }
        }
        Ok(Self { files, bundle_digest, style_digest })
    }

    /// The addresses pages name: content-addressed once there is a bundle to address.
    pub fn links(&self) -> AssetLinks {
        if !self.files.contains_key(STYLESHEET) {
            return AssetLinks::plain();
        }
        AssetLinks {
            bundle_root: format!("/static/{}", self.bundle_digest),
            stylesheet: format!("/static/{}/{STYLESHEET}", self.style_digest),
        }
    }

    /// The response for a request of `path`, if it names one of the site's files.
    pub fn respond(&self, path: &str, request: &HeaderMap) -> Option<Response> {
        let (name, immutable) = match path.strip_prefix(STATIC) {
            Some(rest) => {
                let (digest, name) = rest.split_once('/')?;
                let file = self.files.get(name)?;
                // An address of another build names other bytes: not found, rather than
                // this build's file kept for a year under the old address.
                (file.digest.as_deref() == Some(digest)).then_some((name, true))?
            }
            None => (path.strip_prefix('/')?, false),
        };
        let file = self.files.get(name)?;
        let (encoding, body) = file.preferred(request);
        let etag = match encoding {
            Encoding::Identity => file.etag.clone(),
            Encoding::Gzip => format!("{}-gz\"", file.etag.trim_end_matches('"')),
            Encoding::Brotli => format!("{}-br\"", file.etag.trim_end_matches('"')),
        };
        let mut response = if !immutable && matches_etag(request, &etag) {
            let mut not_modified = Response::new(Body::empty());
            *not_modified.status_mut() = StatusCode::NOT_MODIFIED;
            not_modified
        } else {
            let mut ok = Response::new(Body::from(body));
            ok.headers_mut().insert(header::CONTENT_TYPE, file.content_type.clone());
            ok
        };
        let headers = response.headers_mut();
        let cache = if immutable { IMMUTABLE } else { REVALIDATE };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Ok(etag) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, etag);
        }
        match encoding {
            Encoding::Identity => {}
            Encoding::Gzip => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            Encoding::Brotli => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
            }
        }
        Some(response)
    }
}

impl SiteFile {
    /// The smallest encoding the request accepts that the build prepared.
    fn preferred(&self, request: &HeaderMap) -> (Encoding, Bytes) {
        let accepted = accepted_encodings(request);
        if let Some(brotli) = self.brotli.as_ref().filter(|_| accepted.contains(&Encoding::Brotli))
        {
            return (Encoding::Brotli, brotli.clone());
        }
        if let Some(gzip) = self.gzip.as_ref().filter(|_| accepted.contains(&Encoding::Gzip)) {
            return (Encoding::Gzip, gzip.clone());
        }
        (Encoding::Identity, self.identity.clone())
    }
}

/// The encodings an `Accept-Encoding` header allows (a `q=0` refuses one).
fn accepted_encodings(request: &HeaderMap) -> Vec<Encoding> {
    let Some(value) = request.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()) else {
        return Vec::new();
    };
    value
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next()?;
            let refused = parts.any(|p| {
                p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()).is_some_and(|q| q <= 0.0)
            });
            let encoding = match name.to_ascii_lowercase().as_str() {
                "br" => Encoding::Brotli,
                "gzip" | "x-gzip" => Encoding::Gzip,
                _ => return None,
            };
            (!refused).then_some(encoding)
        })
        .collect()
}

fn matches_etag(request: &HeaderMap, etag: &str) -> bool {
    request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag || tag.trim() == "*"))
}

fn collect(root: &Path, dir: &Path, found: &mut Vec<(String, Bytes)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(root, &path, found)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            let name = relative.to_string_lossy().replace('\\', "/");
            // Build bookkeeping (the xtask's stamp) is not part of the site.
            if !name.rsplit('/').next().is_some_and(|file| file.starts_with('.')) {
                found.push((name, Bytes::from(std::fs::read(&path)?)));
            }
        }
    }
    Ok(())
}

fn short_hex(digest: &[u8]) -> String {
    hex::encode(&digest[..8])
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, SiteFiles) {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join(PKG);
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("atelier.js"), "export default 1;").unwrap();
        std::fs::write(pkg.join("atelier.wasm"), b"\0asm").unwrap();
        std::fs::write(pkg.join("atelier.wasm.br"), b"brotli").unwrap();
        std::fs::write(pkg.join("atelier.wasm.gz"), b"gzip").unwrap();
        std::fs::write(pkg.join("atelier.css"), "body{}").unwrap();
        std::fs::write(pkg.join(".stamp"), "bookkeeping").unwrap();
        std::fs::write(dir.path().join("favicon.svg"), "<svg/>").unwrap();
        let files = SiteFiles::load(dir.path()).unwrap();
        (dir, files)
    }

    fn accepting(encodings: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(encodings).unwrap());
        headers
    }

    #[test]
    fn content_addressed_files_are_kept_for_a_year_and_other_digests_are_not_found() {
        let (_dir, files) = site();
        let links = files.links();
        let wasm = format!("{}/pkg/atelier.wasm", links.bundle_root);
        let response = files.respond(&wasm, &accepting("gzip, br")).unwrap();
        assert_eq!(response.headers()[header::CACHE_CONTROL], IMMUTABLE);
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/wasm");
        assert!(files.respond(&links.stylesheet, &HeaderMap::new()).is_some());
        // The stylesheet has its own digest: the bundle's does not address it.
        let css_under_bundle = format!("{}/pkg/atelier.css", links.bundle_root);
        assert!(files.respond(&css_under_bundle, &HeaderMap::new()).is_none());
        assert!(files
            .respond("/static/0123456789abcdef/pkg/atelier.wasm", &HeaderMap::new())
            .is_none());
        assert!(files.respond("/pkg/.stamp", &HeaderMap::new()).is_none());
    }

    #[test]
    fn plain_paths_are_revalidated_by_etag_per_encoding() {
        let (_dir, files) = site();
        let first = files.respond("/pkg/atelier.wasm", &accepting("gzip;q=1, br;q=0")).unwrap();
        assert_eq!(first.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(first.headers()[header::CACHE_CONTROL], REVALIDATE);
        let etag = first.headers()[header::ETAG].clone();
        let mut again = accepting("gzip");
        again.insert(header::IF_NONE_MATCH, etag.clone());
        let revalidated = files.respond("/pkg/atelier.wasm", &again).unwrap();
        assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
        // The identity encoding has another ETag: a gzip one does not validate it.
        let mut plain = HeaderMap::new();
        plain.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(files.respond("/pkg/atelier.wasm", &plain).unwrap().status(), StatusCode::OK);
        assert!(files.respond("/favicon.svg", &HeaderMap::new()).is_some());
        assert!(files.respond("/nothing.txt", &HeaderMap::new()).is_none());
    }

    #[test]
    fn a_site_without_a_bundle_links_to_the_plain_paths() {
        let dir = tempfile::tempdir().unwrap();
        let files = SiteFiles::load(&dir.path().join("missing")).unwrap();
        assert_eq!(files.links().bundle_root, "");
        assert!(files.respond("/pkg/atelier.js", &HeaderMap::new()).is_none());
    }
}
