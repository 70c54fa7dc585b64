//! The answers of the server: one response enum variant per documented status, the router's
//! own answers (hooks), and the `Response` expressions that write them.

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{Api, Docs, MediaContent, MediaKind, Operation, Response, RustType, StatusKey};
use crate::resolve::{HookPlan, child, qualified};
use crate::text;

use super::laid;

/// One variant of `op`'s response enum per status it documents.
pub(super) fn variants(op: &Operation) -> Result<Vec<VariantModel>> {
    let mut variants = Vec::new();
    for response in &op.responses {
        let code = match response.key {
            StatusKey::Code(code) => Some(code),
            StatusKey::Range(_) | StatusKey::Default => None,
        };
        let body = body_out(response, &op.origin)?;
        let headers = headers(response, &op.origin)?;
        let status = code.map_or("status".to_owned(), |code| code.to_string());
        let answer = answer(&status, body.as_ref(), "body", &headers, "");
        variants.push(VariantModel {
            name: response.name.clone(),
            docs: Docs(Some(response_docs(response))).attributes(),
            code,
            body,
            headers,
            answer,
        });
    }
    Ok(variants)
}

pub(super) struct VariantModel {
    pub(super) name: String,
    pub(super) docs: String,
    /// `Some(code)` for an exact status; `None` for `4XX`/`default`, which carry a `status` field.
    pub(super) code: Option<u16>,
    pub(super) body: Option<BodyOut>,
    pub(super) headers: Vec<HeaderModel>,
    /// The arm's `Response` expression over the pattern's bindings.
    pub(super) answer: laid::Expr,
}

impl VariantModel {
    pub(super) fn is_unit(&self) -> bool {
        self.code.is_some() && self.body.is_none() && self.headers.is_empty()
    }

    pub(super) fn is_tuple(&self) -> bool {
        self.code.is_some() && self.body.is_some() && self.headers.is_empty()
    }

    /// The variant's arm in `into_response`, laid out.
    pub(super) fn arm(&self) -> String {
        let pattern = format!("Self::{}{}", self.name, self.pattern());
        laid::nested(laid::arm(3, &pattern, &self.answer))
    }

    /// The pattern after the variant's name in a match arm.
    fn pattern(&self) -> String {
        if self.is_unit() {
            String::new()
        } else if self.is_tuple() {
            "(body)".to_owned()
        } else {
            format!(" {{ {} }}", self.bindings())
        }
    }

    /// The bindings of a struct-variant pattern.
    fn bindings(&self) -> String {
        let mut names = Vec::new();
        if self.code.is_none() {
            names.push("status".to_owned());
        }
        if self.body.is_some() {
            names.push("body".to_owned());
        }
        names.extend(self.headers.iter().map(|h| h.field.clone()));
        names.join(", ")
    }
}

pub(super) struct BodyOut {
    pub(super) ty: String,
    pub(super) content_type_literal: String,
    /// The runtime function that writes it: `json`, `text` or `bytes`.
    pub(super) writer: &'static str,
}

pub(super) struct HeaderModel {
    pub(super) field: String,
    pub(super) lower_literal: String,
    pub(super) required: bool,
    pub(super) docs: String,
    /// The header's type as source (without `Option`); `None` for a string.
    pub(super) typed: Option<String>,
}

impl HeaderModel {
    pub(super) fn ty(&self) -> String {
        let inner = self.typed.as_deref().unwrap_or("String");
        if self.required {
            inner.to_owned()
        } else {
            format!("Option<{inner}>")
        }
    }
}

/// A router-produced status with a documented body: a struct and a trait method that fills it.
pub(super) struct Hook {
    /// The operations (as `OPERATIONS` indices, `1 | 4`) that document another body for the
    /// status: they answer it with the status alone.
    pub(super) others: String,
    /// `others` is one run of three or more.
    pub(super) run: bool,
    pub(super) code: u16,
    pub(super) method_name: String,
    pub(super) struct_name: String,
    pub(super) docs: String,
    pub(super) body: Option<BodyOut>,
    pub(super) headers: Vec<HeaderModel>,
    /// The `into_response` body, over `self`.
    pub(super) answer: laid::Expr,
}

impl Hook {
    /// The `into_response` body, laid out.
    pub(super) fn body_source(&self) -> String {
        laid::nested(laid::tail(2, &self.answer))
    }
}

/// The hooks, as planned; one whose body or headers the server cannot write is left out: the
/// router gives its own answer (never an error).
pub(super) fn hooks(api: &Api, plans: &[HookPlan]) -> Vec<Hook> {
    let mut hooks = Vec::new();
    for plan in plans {
        let op = &api.operations[plan.operation];
        let response = &op.responses[plan.response];
        let (Ok(body), Ok(headers)) = (
            body_out(response, &op.origin),
            headers(response, &op.origin),
        ) else {
            continue;
        };
        let code = plan.code;
        let why = plan.why;
        hooks.push(Hook {
            others: plan
                .others
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(" | "),
            run: one_run(&plan.others),
            code,
            method_name: plan.method_name.clone(),
            struct_name: plan.struct_name.clone(),
            docs: Docs(Some(match &response.docs.0 {
                Some(described) => format!(
                    "The {code} answer the router gives itself when {why}.\n\nThe spec: {described}"
                ),
                None => format!("The {code} answer the router gives itself when {why}."),
            } + if plan.others.is_empty() {
                ""
            } else {
                "\n\nThe operations that document another body for it answer with the status alone."
            }))
            .attributes(),
            answer: answer(
                &code.to_string(),
                body.as_ref(),
                "self.body",
                &headers,
                "self.",
            ),
            body,
            headers,
        });
    }
    hooks
}

/// Whether the ascending `indices` are one run of three or more (`1 | 2 | 3`), an or-pattern
/// clippy's `manual_range_patterns` would have written as a range.
fn one_run(indices: &[usize]) -> bool {
    matches!(indices, [first, .., last] if indices.len() >= 3 && last - first + 1 == indices.len())
}

/// A `Response` expression: `status` with the body bound as `body` (if any) and each header
/// field as `{fields}{field}`.
fn answer(
    status: &str,
    body: Option<&BodyOut>,
    body_binding: &str,
    headers: &[HeaderModel],
    fields: &str,
) -> laid::Expr {
    use laid::Expr;
    let mut answer = match body {
        Some(out) => Expr::call(
            &format!("rt::{}", out.writer),
            vec![
                Expr::atom(status),
                Expr::atom(&out.content_type_literal),
                Expr::atom(format!("&{body_binding}")),
            ],
        ),
        None => Expr::atom(format!("rt::empty({status})")),
    };
    for header in headers {
        let (function, value) = match header.typed {
            None => ("rt::header", format!("{fields}{}", header.field)),
            Some(_) => ("rt::typed_header", format!("&{fields}{}", header.field)),
        };
        answer = Expr::call(
            function,
            vec![answer, Expr::atom(&header.lower_literal), Expr::atom(value)],
        );
    }
    answer
}

/// The body a response variant carries: its JSON media type if it has one, else its text one
/// (the other media types of the response are not served yet).
fn body_out(response: &Response, origin: &str) -> Result<Option<BodyOut>> {
    if response.content.is_empty() {
        return Ok(None);
    }
    let bytes = RustType::Vec(Box::new(RustType::U8));
    let chosen = response
        .content
        .iter()
        .find(|c| c.kind == MediaKind::Json || (c.kind == MediaKind::Wildcard && c.ty != bytes))
        .or_else(|| response.content.iter().find(|c| c.kind == MediaKind::Text))
        .or_else(|| {
            response.content.iter().find(|c| {
                matches!(c.kind, MediaKind::Binary | MediaKind::Wildcard) && c.ty == bytes
            })
        });
    let Some(body) = chosen else {
        return Err(Error::at(
            ErrorKind::Unsupported,
            &child(
                &child(&child(origin, "responses"), &response.status),
                "content",
            ),
            format!(
                "the server renderer does not support response bodies of type {} yet; only JSON, text and bytes",
                media_list(&response.content)
            ),
        ));
    };
    let (writer, ty) = match body.kind {
        MediaKind::Text => ("text", RustType::String),
        _ if body.ty == bytes => ("bytes", bytes.clone()),
        _ => ("json", body.ty.clone()),
    };
    // A wildcard names no type to label the body with.
    let content_type = if body.media_type.contains('*') {
        "application/octet-stream"
    } else {
        body.media_type.as_str()
    };
    Ok(Some(BodyOut {
        ty: qualified(&ty),
        content_type_literal: text::string_literal(content_type),
        writer,
    }))
}

fn media_list(content: &[MediaContent]) -> String {
    content
        .iter()
        .map(|c| format!("{:?}", c.media_type))
        .collect::<Vec<_>>()
        .join(", ")
}

fn headers(response: &Response, origin: &str) -> Result<Vec<HeaderModel>> {
    let mut out = Vec::new();
    for header in &response.headers {
        let lower = header.wire_name.to_ascii_lowercase();
        if lower.is_empty()
            || !lower
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        {
            return Err(Error::at(
                ErrorKind::Invalid,
                &child(
                    &child(&child(origin, "responses"), &response.status),
                    "headers",
                ),
                format!("{:?} is not a valid HTTP header name", header.wire_name),
            ));
        }
        out.push(HeaderModel {
            field: header.name.clone(),
            lower_literal: text::string_literal(&lower),
            required: header.required,
            typed: (header.ty != RustType::String).then(|| qualified(&header.ty)),
            docs: Docs(Some(
                header
                    .docs
                    .0
                    .clone()
                    .map(|d| format!("`{}`: {d}", header.wire_name))
                    .unwrap_or_else(|| format!("The `{}` header.", header.wire_name)),
            ))
            .attributes(),
        });
    }
    Ok(out)
}

fn response_docs(response: &Response) -> String {
    let status = match response.status.as_str() {
        "default" => "Any other status".to_owned(),
        other => format!("`{other}`"),
    };
    match &response.docs.0 {
        Some(docs) => format!("{status}: {docs}"),
        None => status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_run_of_three_indices_or_more_is_a_range_clippy_wants() {
        assert!(!one_run(&[]));
        assert!(!one_run(&[1, 2]));
        assert!(one_run(&[2, 3, 4]));
        assert!(!one_run(&[1, 2, 3, 5]));
        assert!(!one_run(&[0, 4, 5]));
    }
}
