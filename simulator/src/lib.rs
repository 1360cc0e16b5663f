//! The telephony simulator: a stand-in for the telephony provider that runs on loopback.
//!
//! It will speak the part of the Twilio-compatible voice API that Ringback's production adapter
//! uses, so the adapter itself is what gets tested. For now it answers its health endpoint and
//! shows its page; calls arrive in a later issue.

use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

/// What `GET /health` answers.
#[derive(Debug, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Health {
    pub status: String,
    pub service: String,
    pub version: String,
}

/// The simulator's HTTP routes.
pub fn router() -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/", get(index))
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        service: "ringback-telephony-simulator".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

async fn index() -> Html<&'static str> {
    Html(include_str!("index.html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn health_answers_ok_over_real_http() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router()).await.unwrap() });
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        stream
            .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        let body = answer.split("\r\n\r\n").nth(1).unwrap();
        let health: Health = serde_json::from_str(body).unwrap();
        assert_eq!(health.status, "ok");
        assert_eq!(health.service, "ringback-telephony-simulator");
    }
}
