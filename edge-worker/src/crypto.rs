//! Randomness, hashing and passwords.
//!
//! Random bytes come from WebCrypto's `getRandomValues`. Session and order tokens are stored
//! only as SHA-256 hashes. Passwords are hashed with Argon2id at OWASP's parameters (19 MiB,
//! 2 passes, 1 lane) in the PHC string format; WebCrypto's PBKDF2 would be faster but workerd
//! caps it at 100,000 iterations, below the 210,000 we require.

use crate::error::ApiError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use sha2::{Digest, Sha256};
use wasm_bindgen::JsCast;

/// `n` random bytes from the platform's CSPRNG.
pub fn random_bytes(n: usize) -> Result<Vec<u8>, ApiError> {
    let crypto: web_sys::Crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into())
        .map_err(|_| ApiError::Internal("no crypto".into()))?
        .unchecked_into();
    let mut buf = vec![0u8; n];
    crypto
        .get_random_values_with_u8_array(&mut buf)
        .map_err(|_| ApiError::Internal("getRandomValues failed".into()))?;
    Ok(buf)
}

/// A random URL-safe token of 32 bytes (256 bits).
pub fn token() -> Result<String, ApiError> {
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes(32)?))
}

/// A random URL-safe identifier of 16 bytes.
pub fn id() -> Result<String, ApiError> {
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes(16)?))
}

/// SHA-256, hex.
pub fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Equal strings, compared in time independent of where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn argon2() -> Argon2<'static> {
    // OWASP: Argon2id, m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string of a new password.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::encode_b64(&random_bytes(16)?)
        .map_err(|e| ApiError::Internal(format!("salt: {e}")))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("hash: {e}")))
}

/// Whether `password` matches the stored PHC string.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}
