//! How the router reads each parameter: its `rt::Location` (where, and in which style) and its
//! `rt::Coerce` (how its text becomes the JSON its schema checks). Scalars, arrays and objects
//! are read in every style OpenAPI defines for their place (path parameters in `label` and
//! `matrix` style too); a style that does not belong to the place is an error.

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{Api, MediaKind, Parameter, ParameterLocation, ParameterStyle, RustType, TypeKind};
use crate::resolve::child;
use crate::text;

/// How the router reads one parameter.
pub(super) struct Reading {
    /// The `rt::Location` expression.
    pub(super) location: String,
    /// The `rt::Coerce` expression.
    pub(super) coerce: String,
    /// Whether the value is a list.
    pub(super) array: bool,
}

/// How the router reads `param`, the `position`th capture of the template if in the path.
pub(super) fn reading(
    api: &Api,
    param: &Parameter,
    position: usize,
    origin: &str,
) -> Result<Reading> {
    // `content`: the whole text is in that media type; JSON is parsed, anything else is text.
    if let Some(media_type) = &param.media_type {
        let coerce = if MediaKind::of(media_type) == MediaKind::Json {
            "rt::Coerce::Json".to_owned()
        } else {
            super::scalar(api, &param.ty, 0).to_owned()
        };
        let location = match param.location {
            ParameterLocation::Path => format!("rt::Location::Path({position})"),
            ParameterLocation::Query => "rt::Location::Query".to_owned(),
            ParameterLocation::Header => "rt::Location::Header".to_owned(),
            ParameterLocation::Cookie => "rt::Location::Cookie".to_owned(),
        };
        return Ok(Reading {
            location,
            coerce,
            array: false,
        });
    }
    let (item, array) = match unaliased(api, &param.ty, 0) {
        RustType::Vec(item) => (item.as_ref(), true),
        _ => (&param.ty, false),
    };
    let object = object_fields(api, item, 0).filter(|_| !array);
    let coerce = match &object {
        Some(fields) => format!("rt::Coerce::Object({fields})"),
        None => super::scalar(api, item, 0).to_owned(),
    };
    let structured = array || object.is_some() || coerce == "rt::Coerce::Json";
    let exploded_object = object.is_some() && param.explode;
    let location = match param.location {
        ParameterLocation::Path => match param.style {
            ParameterStyle::Simple if exploded_object => {
                Some(format!("rt::Location::PathExploded({position})"))
            }
            ParameterStyle::Simple => Some(format!("rt::Location::Path({position})")),
            ParameterStyle::Label if param.explode => {
                Some(format!("rt::Location::PathLabelExploded({position})"))
            }
            ParameterStyle::Label => Some(format!("rt::Location::PathLabel({position})")),
            ParameterStyle::Matrix if param.explode => {
                Some(format!("rt::Location::PathMatrixExploded({position})"))
            }
            ParameterStyle::Matrix => Some(format!("rt::Location::PathMatrix({position})")),
            _ if !structured => Some(format!("rt::Location::Path({position})")),
            _ => None,
        },
        ParameterLocation::Header => match param.style {
            ParameterStyle::Simple if exploded_object => {
                Some("rt::Location::HeaderExploded".to_owned())
            }
            _ if param.style == ParameterStyle::Simple || !structured => {
                Some("rt::Location::Header".to_owned())
            }
            _ => None,
        },
        ParameterLocation::Cookie => Some("rt::Location::Cookie".to_owned()),
        ParameterLocation::Query => match (param.style, query_delimiter(param)) {
            (ParameterStyle::DeepObject, _) if object.is_some() => {
                Some("rt::Location::DeepObject".to_owned())
            }
            (_, Some(delimiter)) if array || object.is_some() => {
                Some(format!("rt::Location::QueryDelimited({delimiter:?})"))
            }
            // Exploded `form`, exploded delimited styles, and `deepObject` on what is no
            // object all repeat the key.
            (
                ParameterStyle::Form
                | ParameterStyle::SpaceDelimited
                | ParameterStyle::PipeDelimited
                | ParameterStyle::DeepObject,
                _,
            ) => Some("rt::Location::Query".to_owned()),
            _ if !structured => Some("rt::Location::Query".to_owned()),
            _ => None,
        },
    };
    let Some(location) = location else {
        return Err(Error::at(
            ErrorKind::Unsupported,
            &child(origin, "parameters"),
            format!(
                "parameter {:?}: the server renderer does not support arrays or objects in style {:?} in the {} yet",
                param.wire_name,
                param.style,
                super::location_word(param.location)
            ),
        ));
    };
    Ok(Reading {
        location,
        coerce,
        array,
    })
}

/// The character that joins a query array's items (or an object's keys and values) in one
/// value, for the styles that do.
pub(super) fn query_delimiter(param: &Parameter) -> Option<char> {
    if param.explode {
        return None;
    }
    match param.style {
        ParameterStyle::Form => Some(','),
        ParameterStyle::SpaceDelimited => Some(' '),
        ParameterStyle::PipeDelimited => Some('|'),
        _ => None,
    }
}

/// `ty` with aliases, `Option` and `Box` looked through.
fn unaliased<'t>(api: &'t Api, ty: &'t RustType, depth: usize) -> &'t RustType {
    match ty {
        RustType::Option(inner) | RustType::Boxed(inner) => unaliased(api, inner, depth),
        RustType::Named(name) if depth < 16 => {
            match api.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
                Some(TypeKind::Alias { target }) => unaliased(api, target, depth + 1),
                _ => ty,
            }
        }
        other => other,
    }
}

/// For an object type (a struct or a map), its fields as an `&[rt::FormField]` literal, nested
/// objects a few levels deep (deeper ones, and recursive ones, are read as text).
fn object_fields(api: &Api, ty: &RustType, depth: usize) -> Option<String> {
    let fields = match unaliased(api, ty, 0) {
        RustType::Map(_) => &[][..],
        RustType::Named(name) => {
            match api.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
                Some(TypeKind::Struct(fields)) => fields.fields.as_slice(),
                _ => return None,
            }
        }
        _ => return None,
    };
    let entries: Vec<String> = fields
        .iter()
        .filter(|field| !field.flatten)
        .map(|field| {
            let (item, array) = match unaliased(api, &field.ty, 0) {
                RustType::Vec(item) => (item.as_ref(), true),
                _ => (&field.ty, false),
            };
            let nested = (depth < 3 && !array)
                .then(|| object_fields(api, item, depth + 1))
                .flatten();
            let coerce = match nested {
                Some(nested) => format!("rt::Coerce::Object({nested})"),
                None => super::scalar(api, item, 0).to_owned(),
            };
            format!(
                "rt::FormField {{ name: {}, coerce: {coerce}, array: {array} }}",
                text::string_literal(&field.wire_name)
            )
        })
        .collect();
    Some(format!("&[{}]", entries.join(", ")))
}
