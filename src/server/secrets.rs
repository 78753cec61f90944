//! Secrets at rest. Tokens are random, handed out once, and stored only as their SHA-256;
//! what must be read back later (mail waiting in the outbox, which holds a link) is sealed with
//! the server's key (ChaCha20-Poly1305, a fresh nonce per message).

use anyhow::{bail, Context};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use sha2::{Digest, Sha256};
use std::path::Path;

/// A new token: 256 bits from the OS, URL-safe. Returns the token and its hash to store.
pub fn new_token() -> anyhow::Result<(String, String)> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).context("reading the OS random number generator")?;
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// What is stored for a token: hex SHA-256.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Encrypts and decrypts with the server's key.
#[derive(Clone)]
pub struct Sealer {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

impl Sealer {
    pub fn new(key: [u8; 32]) -> Self {
        Self { cipher: ChaCha20Poly1305::new(Key::from_slice(&key)) }
    }

    /// The key from `configured` (64 hex digits), else from `<data_dir>/secret.key`, created
    /// on first start (readable by the server's user only).
    pub fn load(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<Self> {
        if let Some(hex_key) = configured {
            return Ok(Self::new(parse_key(hex_key).context("ATELIER_SECRET_KEY")?));
        }
        let path = data_dir.join("secret.key");
        if path.exists() {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            return Ok(Self::new(parse_key(&text).with_context(|| path.display().to_string())?));
        }
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).context("reading the OS random number generator")?;
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("creating {}", data_dir.display()))?;
        write_private(&path, &hex::encode(key))?;
        tracing::info!(path = %path.display(), "created the server's secret key");
        Ok(Self::new(key))
    }

    pub fn seal(&self, plain: &str) -> anyhow::Result<String> {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).context("reading the OS random number generator")?;
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .map_err(|_| anyhow::anyhow!("encryption failed"))?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(STANDARD.encode(out))
    }

    pub fn open(&self, sealed: &str) -> anyhow::Result<String> {
        let bytes = STANDARD.decode(sealed).context("sealed text is not base64")?;
        if bytes.len() < 12 {
            bail!("sealed text is too short");
        }
        let (nonce, data) = bytes.split_at(12);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), data)
            .map_err(|_| anyhow::anyhow!("sealed text does not open with this key"))?;
        String::from_utf8(plain).context("sealed text is not UTF-8")
    }
}

fn parse_key(text: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = hex::decode(text.trim()).context("the key must be 64 hex digits")?;
    bytes.try_into().map_err(|_| anyhow::anyhow!("the key must be 64 hex digits (32 bytes)"))
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes()).with_context(|| format!("writing {}", path.display()))
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_url_safe_and_distinct_and_stored_hashed() {
        let (a, hash) = new_token().unwrap();
        let (b, _) = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(hash, token_hash(&a));
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(&a));
    }

    #[test]
    fn sealed_text_opens_with_its_key_only() {
        let sealer = Sealer::new([7; 32]);
        let sealed = sealer.seal("the link").unwrap();
        assert!(!sealed.contains("the link"));
        assert_ne!(sealed, sealer.seal("the link").unwrap(), "a fresh nonce each time");
        assert_eq!(sealer.open(&sealed).unwrap(), "the link");
        assert!(Sealer::new([8; 32]).open(&sealed).is_err());
    }

    #[test]
    fn the_key_file_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let sealed = Sealer::load(None, dir.path()).unwrap().seal("x").unwrap();
        assert_eq!(Sealer::load(None, dir.path()).unwrap().open(&sealed).unwrap(), "x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("secret.key")).unwrap().permissions();
            assert_eq!(mode.mode() & 0o777, 0o600);
        }
    }
}
