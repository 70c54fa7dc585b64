//! Request bodies by media type: what an operation's handler gets for each media type of its
//! body, and the types `operations.rs` adds for them (a multipart body with files, an enum of
//! several media types). Planned once, with the server's other names, for the server and
//! the client.

use crate::ir::{Api, Docs, MediaContent, MediaKind, Operation, RustType, TypeKind};
use crate::naming::{self, Scope};
use crate::text;

use super::server::qualified;

/// Where the runtime's body types are.
const FILE: &str = "::openapi_rustgen_runtime::File";
const MEDIA: &str = "::openapi_rustgen_runtime::Media";

/// An operation's request body, planned.
#[derive(Clone)]
pub(crate) struct BodyPlan {
    /// One per media type, in document order.
    pub(crate) media: Vec<MediaPlan>,
    /// Whether it must be sent; an optional body is an `Option`.
    pub(crate) required: bool,
    /// With several media types: the enum of `operations.rs` the handler gets.
    pub(crate) enum_name: Option<String>,
    /// That enum's docs.
    pub(crate) enum_docs: String,
}

/// One media type of a body.
#[derive(Clone)]
pub(crate) struct MediaPlan {
    /// The media type as the router accepts it (an empty key is `*/*`).
    pub(crate) media_type: String,
    /// How the runtime reads it: `Json`, `Form`, `Multipart`, `Text`, `Bytes` or `Media`.
    pub(crate) runtime: &'static str,
    /// The enum variant when there are several media types.
    pub(crate) variant: String,
    pub(crate) variant_docs: String,
    /// The type, or a type of `operations.rs` (`local`).
    ty: String,
    local: bool,
    /// For a multipart body with file parts: the struct `operations.rs` adds.
    pub(crate) multipart: Option<MultipartStruct>,
    /// For multipart bodies: each part's field, wire name and whether it holds files.
    pub(crate) parts: Vec<PartField>,
}

impl MediaPlan {
    /// The type as code in a module that reaches `operations.rs` as `operations`.
    pub(crate) fn ty(&self, operations: &str) -> String {
        if self.local {
            format!("{operations}{}", self.ty)
        } else {
            self.ty.clone()
        }
    }

    /// The schema's struct type, where the value is checked against a schema.
    pub(crate) fn schema_checked(&self) -> bool {
        matches!(self.runtime, "Json" | "Form" | "Multipart")
    }
}

impl BodyPlan {
    /// Whether a media type's value holds files, which cannot be compared.
    pub(crate) fn has_files(&self) -> bool {
        self.media.iter().any(|media| media.multipart.is_some())
    }

    /// The handler's body type (without the `Option` of an optional body).
    pub(crate) fn ty(&self, operations: &str) -> String {
        match (&self.enum_name, self.media.as_slice()) {
            (Some(name), _) => format!("{operations}{name}"),
            (None, [only]) => only.ty(operations),
            (None, _) => unreachable!("a body has at least one media type"),
        }
    }
}

/// A struct of `operations.rs` for a multipart body with file parts (which derives no
/// `PartialEq`: a file's content may be in a temporary file).
#[derive(Clone)]
pub(crate) struct MultipartStruct {
    pub(crate) name: String,
    pub(crate) docs: String,
    pub(crate) fields: Vec<MultipartFieldModel>,
}

#[derive(Clone)]
pub(crate) struct MultipartFieldModel {
    pub(crate) docs: String,
    /// `#[serde(rename = "...")]` when the wire name differs, else empty.
    pub(crate) rename: String,
    pub(crate) name: String,
    pub(crate) ty: String,
}

/// A part of a multipart body, as the client sends it.
#[derive(Clone)]
pub(crate) struct PartField {
    pub(crate) field: String,
    pub(crate) wire_literal: String,
    pub(crate) file: bool,
}

/// Plans `op`'s body; claims the names of the types it adds in `type_names`.
pub(crate) fn plan(api: &Api, op: &Operation, type_names: &mut Scope) -> Option<BodyPlan> {
    let body = op.request_body.as_ref()?;
    let several = body.content.len() > 1;
    let enum_name =
        several.then(|| type_names.claim(&naming::nested_type_name(&op.type_prefix, "body")));
    let media = body
        .content
        .iter()
        .map(|content| media_plan(api, op, content, type_names))
        .collect();
    Some(BodyPlan {
        media,
        required: body.required,
        enum_name,
        enum_docs: Docs(Some(format!(
            "The request body of `{} {}`, by the media type it was sent as.",
            op.method, op.path
        )))
        .attributes(),
    })
}

fn media_plan(
    api: &Api,
    op: &Operation,
    content: &MediaContent,
    type_names: &mut Scope,
) -> MediaPlan {
    let media_type = if content.media_type.trim().is_empty() {
        "*/*".to_owned()
    } else {
        content.media_type.clone()
    };
    let plain = |ty: String, runtime| (ty, false, runtime, None, Vec::new());
    let (ty, local, runtime, multipart, parts) = match content.kind {
        MediaKind::Json => plain(qualified(&content.ty), "Json"),
        MediaKind::Form => plain(qualified(&content.ty), "Form"),
        MediaKind::Text => plain("String".to_owned(), "Text"),
        MediaKind::Binary => plain("Vec<u8>".to_owned(), "Bytes"),
        MediaKind::Wildcard => plain(MEDIA.to_owned(), "Media"),
        MediaKind::Multipart => match struct_fields(api, &content.ty) {
            // Not an object with properties: the parts as sent.
            None => plain(MEDIA.to_owned(), "Media"),
            Some(fields) => {
                let parts: Vec<PartField> = fields
                    .iter()
                    .map(|field| PartField {
                        field: field.name.clone(),
                        wire_literal: text::string_literal(&field.wire_name),
                        file: content.file_parts.contains(&field.wire_name),
                    })
                    .collect();
                if content.file_parts.is_empty() {
                    (qualified(&content.ty), false, "Multipart", None, parts)
                } else {
                    let name =
                        type_names.claim(&naming::nested_type_name(&op.type_prefix, "multipart"));
                    let fields = fields
                        .iter()
                        .map(|field| MultipartFieldModel {
                            docs: field.docs.attributes(),
                            rename: if field.needs_rename() {
                                format!(
                                    "#[serde(rename = {})]",
                                    text::string_literal(&field.wire_name)
                                )
                            } else {
                                String::new()
                            },
                            name: field.name.clone(),
                            ty: if content.file_parts.contains(&field.wire_name) {
                                file_type(&field.ty)
                            } else {
                                qualified(&field.ty)
                            },
                        })
                        .collect();
                    let docs = Docs(Some(format!(
                        "The `{}` body of `{} {}`: its text parts typed, its file parts as sent.",
                        content.media_type, op.method, op.path
                    )))
                    .attributes();
                    let multipart = MultipartStruct {
                        name: name.clone(),
                        docs,
                        fields,
                    };
                    (name, true, "Multipart", Some(multipart), parts)
                }
            }
        },
    };
    MediaPlan {
        variant_docs: Docs(Some(format!("Sent as `{media_type}`."))).attributes(),
        media_type,
        runtime,
        variant: content.variant.clone(),
        ty,
        local,
        multipart,
        parts,
    }
}

/// The fields of the struct `ty` names, if it is one with fields serde reads by name.
pub(crate) fn struct_fields<'a>(api: &'a Api, ty: &RustType) -> Option<Vec<&'a crate::ir::Field>> {
    let RustType::Named(name) = ty.innermost() else {
        return None;
    };
    match api.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
        Some(TypeKind::Struct(fields)) => {
            let fields: Vec<_> = fields.fields.iter().filter(|f| !f.flatten).collect();
            (!fields.is_empty()).then_some(fields)
        }
        _ => None,
    }
}

/// A file field's type: the field's type with its string made a `File`.
fn file_type(ty: &RustType) -> String {
    match ty {
        RustType::Option(inner) => format!("Option<{}>", file_type(inner)),
        RustType::Vec(inner) => format!("Vec<{}>", file_type(inner)),
        RustType::Boxed(inner) => file_type(inner),
        _ => FILE.to_owned(),
    }
}
