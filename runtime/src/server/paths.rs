//! Path templates the router cannot tell apart by itself: captures inside a segment
//! (`/files/{name}.{ext}`, `/v1/{name}:cancel`), and several templates on one route.
//!
//! The generated router registers one axum route per *shape*: a segment that is a plain
//! literal stays literal, any other segment becomes a whole-segment capture. Where a shape
//! carries such a segment, or several operations share a shape and a method, every method's
//! handler of the route calls [`route`]. The path decides first, then the method: [`route`]
//! takes the first [`Template`] whose path matches, in the order given (the generator lists the
//! most specific first: the longest literals, then path order), then the template of the
//! request's method with that same path; it answers 404, or 405 with the methods of that path,
//! itself. So `GET /v1/x:cancel` with only `POST /v1/{name}:cancel` is a 405, though `/v1/{name}`
//! (GET) would fit `x:cancel`, as Google's API routing treats `:verb` suffixes.
//!
//! Matching works on the path as sent, before percent-decoding, so an encoded separator (`%3A`)
//! is data and a plain one (`:`) a separator. Within a segment, each capture but the last ends
//! where the literal after it first occurs (the shortest text); the last capture takes the rest
//! up to the segment's literal suffix. A capture is never empty. The captures are
//! percent-decoded when the parameters are read.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::response::Response;
use axum::routing::MethodRouter;

use super::handler::{Service, Shared};
use super::{Rejection, RejectionKind};

/// A piece of one segment of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Text the segment must carry as written.
    Literal(&'static str),
    /// A path parameter.
    Capture,
}

/// A path template, with the method of its operation.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// The method, upper case.
    pub method: &'static str,
    /// The segments between `/`s, each a list of parts.
    pub segments: &'static [&'static [Part]],
}

/// The captures of the template that matched, still percent-encoded, in template order; a
/// request extension that parameter reading takes instead of axum's path parameters.
#[derive(Debug, Clone)]
pub(crate) struct Captures(pub(crate) Vec<String>);

/// Which of `templates` takes the request's path with `method`: the index in `templates` of
/// the template of `method` whose path is that of the first template matching the path, with
/// the request carrying the captures. Otherwise the rejection's answer: 405 with `Allow` when
/// that path has templates of other methods only, else 404.
pub async fn route<S: Service>(
    shared: &Shared<S>,
    mut request: Request,
    templates: &'static [Template],
    method: &str,
) -> Result<(usize, Request), Response> {
    let path = request.uri().path();
    if let Some((segments, captures)) = matched(templates, path)
        && let Some(index) = templates
            .iter()
            .position(|t| t.method == method && t.segments == segments)
    {
        let captures = Captures(captures.into_iter().map(str::to_owned).collect());
        request.extensions_mut().insert(captures);
        return Ok((index, request));
    }
    let method = request.method().clone();
    Err(unmatched(shared, path, &method, templates).await)
}

/// The path of the first of `templates` that matches `path` (templates that differ only in
/// their method or parameter names have the same), with its captures.
fn matched<'p>(
    templates: &'static [Template],
    path: &'p str,
) -> Option<(&'static [&'static [Part]], Vec<&'p str>)> {
    templates.iter().find_map(|template| {
        captures(template.segments, path).map(|captures| (template.segments, captures))
    })
}

/// The answer to a request none of `templates` takes with its method: 405 with the `Allow` of
/// the templates of the path that matches first (never the methods of others on the same
/// route), else 404.
async fn unmatched<S: Service>(
    shared: &Shared<S>,
    path: &str,
    method: &Method,
    templates: &'static [Template],
) -> Response {
    let segments = matched(templates, path).map(|(segments, _)| segments);
    let mut allowed: Vec<&str> = templates
        .iter()
        .filter(|template| Some(template.segments) == segments)
        .map(|template| template.method)
        .collect();
    // As axum's `Allow` on other routes: a GET route serves HEAD too.
    if allowed.contains(&"GET") {
        allowed.push("HEAD");
    }
    allowed.sort_unstable();
    allowed.dedup();
    let rejection = if allowed.is_empty() {
        Rejection::new(RejectionKind::NotFound, format!("No resource at {path}."))
    } else {
        Rejection::new(
            RejectionKind::MethodNotAllowed,
            format!("The method {method} is not allowed for {path}."),
        )
    };
    let mut response = super::handler::reject(shared, rejection).await;
    if !allowed.is_empty()
        && let Ok(allow) = HeaderValue::from_str(&allowed.join(","))
    {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    response
}

/// The method router of a route whose operations [`route`] tells apart by `templates`: a
/// method none of them has is answered as [`route`] answers a miss, so `Allow` lists only the
/// methods of the path that matches (axum's own would list every method of the route).
pub fn routed_methods<S: Service>(templates: &'static [Template]) -> MethodRouter<Arc<Shared<S>>> {
    MethodRouter::new().fallback(
        move |State(shared): State<Arc<Shared<S>>>, request: Request| async move {
            let path = request.uri().path().to_owned();
            unmatched(&shared, &path, request.method(), templates).await
        },
    )
}

/// The captures of `path` (as sent, from its leading `/`) if it matches `segments`.
pub fn captures<'p>(segments: &[&[Part]], path: &'p str) -> Option<Vec<&'p str>> {
    let rest = path.strip_prefix('/')?;
    let mut out = Vec::new();
    let mut texts = rest.split('/');
    for parts in segments {
        segment(texts.next()?, parts, &mut out)?;
    }
    texts.next().is_none().then_some(out)
}

/// Matches one segment's text against its parts, pushing its captures onto `out`.
fn segment<'p>(text: &'p str, parts: &[Part], out: &mut Vec<&'p str>) -> Option<()> {
    let bytes = text.as_bytes();
    let mut at = 0;
    // Where the capture waiting for its end started.
    let mut open: Option<usize> = None;
    for (index, part) in parts.iter().enumerate() {
        let literal = match part {
            Part::Capture => {
                open = Some(at);
                continue;
            }
            Part::Literal(literal) => literal.as_bytes(),
        };
        let Some(start) = open.take() else {
            at = literal_at(bytes, at, literal)?;
            continue;
        };
        // The shortest non-empty capture after which the literal follows; a suffix must end
        // the segment.
        let suffix = index + 1 == parts.len();
        let (end, next) = (start + 1..bytes.len()).find_map(|end| {
            let next = literal_at(bytes, end, literal)?;
            (!suffix || next == bytes.len()).then_some((end, next))
        })?;
        out.push(text.get(start..end)?);
        at = next;
    }
    if let Some(start) = open {
        if start >= bytes.len() {
            return None;
        }
        out.push(text.get(start..)?);
        at = bytes.len();
    }
    (at == bytes.len()).then_some(())
}

/// The end of `literal` if `bytes` carries it at `at`. A character a URL cannot carry as it is
/// may come percent-encoded; any other must come as written.
fn literal_at(bytes: &[u8], at: usize, literal: &[u8]) -> Option<usize> {
    let mut i = at;
    for &byte in literal {
        if bytes.get(i) == Some(&byte) {
            i += 1;
        } else if must_encode(byte)
            && bytes.get(i) == Some(&b'%')
            && bytes.get(i + 1..i + 3).and_then(hex_byte) == Some(byte)
        {
            i += 3;
        } else {
            return None;
        }
    }
    Some(i)
}

/// Whether a path segment cannot carry `byte` unencoded (RFC 3986: not a `pchar`, or `%`).
fn must_encode(byte: u8) -> bool {
    !(byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte))
}

fn hex_byte(digits: &[u8]) -> Option<u8> {
    let text = std::str::from_utf8(digits).ok()?;
    u8::from_str_radix(text, 16).ok()
}

/// Percent-decodes a capture; `None` if the bytes are not UTF-8.
pub(crate) fn decode(raw: &str) -> Option<String> {
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()
        .map(|text| text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::Part::{Capture, Literal};
    use super::*;

    fn matched<'p>(segments: &[&[Part]], path: &'p str) -> Option<Vec<&'p str>> {
        captures(segments, path)
    }

    #[test]
    fn captures_inside_a_segment() {
        let file: &[&[Part]] = &[&[Literal("files")], &[Capture, Literal("."), Capture]];
        assert_eq!(matched(file, "/files/a.json"), Some(vec!["a", "json"]));
        // The first capture is the shortest; the last takes the rest.
        assert_eq!(matched(file, "/files/a.tar.gz"), Some(vec!["a", "tar.gz"]));
        // An encoded separator is data.
        assert_eq!(matched(file, "/files/a%2Eb.c"), Some(vec!["a%2Eb", "c"]));
        assert_eq!(matched(file, "/files/a."), None);
        assert_eq!(matched(file, "/files/.a"), None);
        assert_eq!(matched(file, "/files/ab"), None);
        assert_eq!(matched(file, "/files/a.b/c"), None);
        assert_eq!(matched(file, "/file/a.b"), None);
    }

    #[test]
    fn suffixes_and_prefixes() {
        let cancel: &[&[Part]] = &[&[Literal("v1")], &[Capture, Literal(":cancel")]];
        assert_eq!(matched(cancel, "/v1/op:cancel"), Some(vec!["op"]));
        assert_eq!(
            matched(cancel, "/v1/a:cancel:cancel"),
            Some(vec!["a:cancel"])
        );
        assert_eq!(matched(cancel, "/v1/op%3Acancel"), None);
        assert_eq!(matched(cancel, "/v1/:cancel"), None);
        assert_eq!(matched(cancel, "/v1/op:cancelled"), None);
        let version: &[&[Part]] = &[&[Literal("v"), Capture, Literal(".json")]];
        assert_eq!(matched(version, "/v2.json"), Some(vec!["2"]));
        assert_eq!(matched(version, "/v.json"), None);
        let gz: &[&[Part]] = &[&[Capture, Literal("."), Capture, Literal(".gz")]];
        assert_eq!(matched(gz, "/a.b.c.gz"), Some(vec!["a", "b.c"]));
        assert_eq!(matched(gz, "/a..gz"), None);
    }

    #[test]
    fn literals_a_url_must_encode_may_come_encoded() {
        let spaced: &[&[Part]] = &[&[Literal("a b")], &[Literal(":x")]];
        assert_eq!(matched(spaced, "/a%20b/:x"), Some(vec![]));
        assert_eq!(matched(spaced, "/a b/:x"), Some(vec![]));
        assert_eq!(matched(spaced, "/a%20b/%3Ax"), None);
        assert_eq!(matched(spaced, "/a%20b/:x/"), None);
        assert_eq!(matched(spaced, "/a%20b"), None);
    }

    #[test]
    fn captures_decode_to_utf8() {
        assert_eq!(decode("a%2Fb%C3%A9").as_deref(), Some("a/bé"));
        assert_eq!(decode("%FF"), None);
    }
}
