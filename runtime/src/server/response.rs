//! Writing a response: what a generated response enum's arms call.

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A status as the generated code writes it: a documented code, or the `status` field of a
/// `4XX`/`default` variant.
pub trait IntoStatus {
    /// The status; a code outside 100..=999 becomes 500.
    fn into_status(self) -> StatusCode;
}

impl IntoStatus for u16 {
    fn into_status(self) -> StatusCode {
        StatusCode::from_u16(self).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoStatus for StatusCode {
    fn into_status(self) -> StatusCode {
        self
    }
}

/// `status` with no body.
pub fn empty(status: impl IntoStatus) -> Response {
    status.into_status().into_response()
}

/// `status` with `body` as JSON, labelled `content_type`; 500 if `body` does not serialize.
pub fn json<B: serde::Serialize>(
    status: impl IntoStatus,
    content_type: &'static str,
    body: &B,
) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status.into_status(),
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `status` with `body` as text, labelled `content_type`.
pub fn text(status: impl IntoStatus, content_type: &'static str, body: &str) -> Response {
    (
        status.into_status(),
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body.to_owned(),
    )
        .into_response()
}

/// `status` with `body` as sent, labelled `content_type`.
pub fn bytes(status: impl IntoStatus, content_type: &'static str, body: &[u8]) -> Response {
    (
        status.into_status(),
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body.to_vec(),
    )
        .into_response()
}

/// `response` with the header `name` (lower case) set to `value`; a value that is not a valid
/// header value, or `None`, is left out.
pub fn header(
    mut response: Response,
    name: &'static str,
    value: impl Into<Option<String>>,
) -> Response {
    if let Some(value) = value.into().and_then(|v| HeaderValue::try_from(v).ok()) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(name), value);
    }
    response
}

/// `response` with the header `name` (lower case) set to `value` as a parameter of style
/// `simple` is written: a string as it is, a number or boolean as JSON writes it, a list
/// comma-separated, an object `k1,v1,k2,v2`; `None`, or what is no valid header value, is left
/// out.
pub fn typed_header<T: ::serde::Serialize + ?Sized>(
    response: Response,
    name: &'static str,
    value: &T,
) -> Response {
    let text = ::serde_json::to_value(value)
        .ok()
        .and_then(|value| header_text(value, true));
    header(response, name, text)
}

fn header_text(value: ::serde_json::Value, top: bool) -> Option<String> {
    use ::serde_json::Value;
    match value {
        Value::Null => None,
        Value::String(text) => Some(text),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Array(items) if top => Some(
            items
                .into_iter()
                .filter_map(|item| header_text(item, false))
                .collect::<Vec<_>>()
                .join(","),
        ),
        Value::Object(properties) if top => Some(
            properties
                .into_iter()
                .filter_map(|(key, value)| Some(format!("{key},{}", header_text(value, false)?)))
                .collect::<Vec<_>>()
                .join(","),
        ),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_out_of_range_answers_500() {
        assert_eq!(empty(1000).status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(empty(204).status(), StatusCode::NO_CONTENT);
    }

    #[test]
    fn an_invalid_header_value_is_left_out() {
        let response = header(empty(200), "x-a", "fine".to_owned());
        let response = header(response, "x-b", Some("bad\nvalue".to_owned()));
        let response = header(response, "x-c", None);
        assert_eq!(response.headers()["x-a"], "fine");
        assert!(!response.headers().contains_key("x-b"));
        assert!(!response.headers().contains_key("x-c"));
    }

    #[test]
    fn typed_headers_are_written_as_simple_parameters() {
        let response = typed_header(empty(200), "x-n", &7_i64);
        let response = typed_header(response, "x-list", &vec![1, 2]);
        let response = typed_header(response, "x-none", &None::<i64>);
        let response = typed_header(response, "x-flag", &Some(true));
        let response = typed_header(response, "x-o", &serde_json::json!({"a": 1, "b": "x"}));
        assert_eq!(response.headers()["x-n"], "7");
        assert_eq!(response.headers()["x-list"], "1,2");
        assert_eq!(response.headers()["x-flag"], "true");
        assert_eq!(response.headers()["x-o"], "a,1,b,x");
        assert!(!response.headers().contains_key("x-none"));
    }

    #[test]
    fn json_is_labelled_with_the_documented_type() {
        let response = json(
            201,
            "application/problem+json",
            &serde_json::json!({"a": 1}),
        );
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
    }
}
