//! The router's routes: one axum route per path *shape*, and the templates the runtime tells
//! apart inside a route (`rt::route`).
//!
//! A segment that is a plain literal (text a URL carries as written, not starting with `:` or
//! `*`, which axum refuses) stays literal in the axum route; any other segment, a whole capture,
//! a capture inside a segment (`{name}.{ext}`, `{name}:cancel`) or a literal a URL must encode,
//! becomes a whole-segment capture named by its position (`{p0}`), never by the spec. Templates
//! that differ only inside such segments (`/v1/{name}` and `/v1/{name}:cancel`) share one axum
//! route; its templates are listed most specific first (the longest literals, then path order),
//! and every method's handler calls `rt::route`. The path decides first, then the method: the
//! most specific template that matches the path wins, and a method none of that path's
//! operations has is a 405 (`GET /v1/x:cancel` with only `POST /v1/{name}:cancel` there), even
//! where a less specific template (`/v1/{name}`) would take it, as Google's API routing treats
//! `:verb` suffixes.
//!
//! What would make axum panic at start-up is an error here, located at the operation.

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{Api, Operation, ParameterLocation, ParameterStyle, PathSegment, SegmentPart};
use crate::naming::{self, Scope};
use crate::text;

/// Most parameters a matchit route may have (it names them `a` to `z`).
const MAX_ROUTE_CAPTURES: usize = 26;

#[derive(Clone)]
pub(crate) struct RouteModel {
    pub(crate) path_literal: String,
    /// The method router the methods are added to: `rt::methods()`, or, for a route whose
    /// operations `rt::route` tells apart, one whose 405 names only the matching templates.
    pub(crate) method_router: String,
    /// Per method: axum's method function and the handler registered.
    pub(crate) methods: Vec<(String, String)>,
}

/// The templates of one axum route, as a `static` the dispatchers pass to `rt::route`.
#[derive(Clone)]
pub(crate) struct TemplatesModel {
    pub(crate) name: String,
    pub(crate) docs: String,
    /// The slice of `rt::Template`s.
    pub(crate) value: String,
}

/// A handler that picks the operation of a route and method by the path.
#[derive(Clone)]
pub(crate) struct DispatchModel {
    pub(crate) name: String,
    pub(crate) templates: String,
    pub(crate) method_literal: String,
    /// `(index in the templates, handler)`: every candidate but the last, which takes the rest.
    pub(crate) arms: Vec<(usize, String)>,
    pub(crate) last: String,
}

#[derive(Clone)]
pub(crate) struct Routing {
    pub(crate) routes: Vec<RouteModel>,
    pub(crate) templates: Vec<TemplatesModel>,
    pub(crate) dispatchers: Vec<DispatchModel>,
}

/// How a segment reaches axum.
fn routed_segment(segment: &PathSegment) -> Option<&str> {
    match segment.0.as_slice() {
        [] => Some(""),
        [SegmentPart::Literal(text)] if plain(text) => Some(text),
        _ => None,
    }
}

/// Text axum matches as written: what a URL carries unencoded, not starting as axum's old
/// capture syntax did.
fn plain(text: &str) -> bool {
    !text.starts_with([':', '*'])
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b))
}

/// The axum route of a template.
fn axum_route(op: &Operation) -> String {
    let mut position = 0;
    let segments: Vec<String> = op
        .segments
        .iter()
        .map(|segment| match routed_segment(segment) {
            Some(text) => text.to_owned(),
            None => {
                let capture = format!("{{{}}}", naming::route_capture(position));
                position += 1;
                capture
            }
        })
        .collect();
    format!("/{}", segments.join("/"))
}

/// Whether the template has a segment axum cannot match by itself, or a parameter in `label`
/// or `matrix` style, which is split at its delimiters before it is percent-decoded (axum's
/// captures come decoded).
fn needs_matching(op: &Operation) -> bool {
    op.segments
        .iter()
        .any(|s| routed_segment(s).is_none() && s.whole_capture().is_none())
        || op.parameters.iter().any(|param| {
            param.location == ParameterLocation::Path
                && param.media_type.is_none()
                && matches!(param.style, ParameterStyle::Label | ParameterStyle::Matrix)
        })
}

/// How specific a template is: its literal text's length (longer first).
fn literal_length(op: &Operation) -> usize {
    op.segments
        .iter()
        .flat_map(|s| &s.0)
        .map(|part| match part {
            SegmentPart::Literal(text) => text.len(),
            SegmentPart::Capture(_) => 0,
        })
        .sum()
}

fn template_value(op: &Operation) -> String {
    let segments: Vec<String> = op
        .segments
        .iter()
        .map(|segment| {
            let parts: Vec<String> = segment
                .0
                .iter()
                .map(|part| match part {
                    SegmentPart::Literal(text) => {
                        format!("rt::Part::Literal({})", text::string_literal(text))
                    }
                    SegmentPart::Capture(_) => "rt::Part::Capture".to_owned(),
                })
                .collect();
            format!("&[{}]", parts.join(", "))
        })
        .collect();
    format!(
        "rt::Template {{ method: {}, segments: &[{}] }}",
        text::string_literal(&op.method),
        segments.join(", ")
    )
}

/// The routes of `api`'s operations, whose handlers are `handlers` (in operation order).
pub(crate) fn routing(
    api: &Api,
    handlers: &[String],
    function_names: &mut Scope,
) -> Result<Routing> {
    // Per axum route, in order of first use: its operations' indices.
    let mut shapes: Vec<(String, Vec<usize>)> = Vec::new();
    for (index, op) in api.operations.iter().enumerate() {
        let method = op.method.to_ascii_lowercase();
        if !matches!(
            method.as_str(),
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
        ) {
            return Err(Error::at(
                ErrorKind::Unsupported,
                &op.origin,
                format!("method {} cannot be routed", op.method),
            ));
        }
        let route = axum_route(op);
        let captures = route.matches('{').count();
        if captures > MAX_ROUTE_CAPTURES {
            return Err(Error::at(
                ErrorKind::Unsupported,
                &op.origin,
                format!(
                    "the path {:?} has {captures} segments with captures; the router takes at most {MAX_ROUTE_CAPTURES}",
                    op.path
                ),
            ));
        }
        match shapes.iter_mut().find(|(path, _)| *path == route) {
            Some((_, ops)) => ops.push(index),
            None => shapes.push((route, vec![index])),
        }
    }

    let mut routing = Routing {
        routes: Vec::new(),
        templates: Vec::new(),
        dispatchers: Vec::new(),
    };
    for (route, mut ops) in shapes {
        let operation = |index: &usize| &api.operations[*index];
        // The path decides first (`rt::route` takes the first template that matches), then
        // the method among the templates of that path.
        ops.sort_by_key(|index| {
            let op = operation(index);
            (
                std::cmp::Reverse(literal_length(op)),
                op.path.clone(),
                crate::resolve::method_rank(&op.method),
            )
        });
        let mut methods: Vec<(String, Vec<usize>)> = Vec::new();
        let mut by_method: Vec<usize> = (0..ops.len()).collect();
        by_method.sort_by_key(|p| crate::resolve::method_rank(&operation(&ops[*p]).method));
        for position in by_method {
            let method = operation(&ops[position]).method.to_ascii_lowercase();
            match methods.last_mut() {
                Some((last, positions)) if *last == method => positions.push(position),
                _ => methods.push((method, vec![position])),
            }
        }
        // Where one method needs `rt::route`, every method goes through it, so that a path
        // another template fits better is never served by a method's only template.
        let routed = methods.iter().any(|(_, positions)| {
            positions.len() > 1
                || positions
                    .iter()
                    .any(|p| needs_matching(operation(&ops[*p])))
        });
        let templates_name = naming::route_templates(routing.templates.len());
        let mut route_methods = Vec::new();
        for (method, positions) in &methods {
            if !routed {
                route_methods.push((method.clone(), handlers[ops[positions[0]]].clone()));
                continue;
            }
            let name = function_names.claim(&naming::function_name(&format!(
                "route {} {method}",
                routing.templates.len()
            )));
            let (last, rest) = positions.split_last().expect("a method has an operation");
            routing.dispatchers.push(DispatchModel {
                name: name.clone(),
                templates: templates_name.clone(),
                method_literal: text::string_literal(&method.to_ascii_uppercase()),
                arms: rest
                    .iter()
                    .map(|p| (*p, handlers[ops[*p]].clone()))
                    .collect(),
                last: handlers[ops[*last]].clone(),
            });
            route_methods.push((method.clone(), name));
        }
        if routed {
            let listed: Vec<String> = ops
                .iter()
                .map(|index| {
                    let op = operation(index);
                    format!("`{} {}`", op.method, op.path)
                })
                .collect();
            routing.templates.push(TemplatesModel {
                name: templates_name.clone(),
                docs: crate::ir::Docs(Some(format!(
                    "The templates of the route `{route}`, most specific first: {}.",
                    listed.join(", ")
                )))
                .attributes(),
                value: format!(
                    "&[{}]",
                    ops.iter()
                        .map(|index| template_value(operation(index)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        routing.routes.push(RouteModel {
            path_literal: text::string_literal(&route),
            method_router: if routed {
                format!("rt::routed_methods({templates_name})")
            } else {
                "rt::methods()".to_owned()
            },
            methods: route_methods,
        });
    }
    Ok(routing)
}

#[cfg(test)]
mod tests {
    use crate::Generator;
    use serde_json::{Value, json};

    /// A spec whose `paths` are `paths` (path → methods), every operation answering 204 and
    /// declaring a string path parameter per capture.
    fn spec(paths: &[(&str, &[&str])]) -> Value {
        let mut items = serde_json::Map::new();
        for (path, methods) in paths {
            let parameters: Vec<Value> = path
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}'))
                .map(|(name, _)| {
                    json!({"name": name, "in": "path", "required": true,
                        "schema": {"type": "string"}})
                })
                .collect();
            let mut item = serde_json::Map::new();
            for method in *methods {
                item.insert(
                    (*method).to_owned(),
                    json!({"parameters": parameters,
                        "responses": {"204": {"description": "done"}}}),
                );
            }
            items.insert((*path).to_owned(), Value::Object(item));
        }
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": items})
    }

    fn server(paths: &[(&str, &[&str])]) -> crate::error::Result<String> {
        let files = Generator::new()
            .spec_value("spec.json", spec(paths))
            .types(false)
            .server(true)
            .render()?;
        Ok(files
            .iter()
            .find(|file| file.name == "server.rs")
            .map(|file| file.contents.clone())
            .unwrap_or_default())
    }

    #[test]
    fn templates_that_only_rename_a_capture_are_one_route_error() {
        let err = server(&[("/a/{id}", &["get"]), ("/a/{name}", &["get"])]).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("spec.json#/paths/~1a~1{name}/get: "),
            "{text}"
        );
        assert!(text.contains("same route as GET /a/{id}"), "{text}");
        let err =
            server(&[("/v1/{a}:cancel", &["post"]), ("/v1/{b}:cancel", &["post"])]).unwrap_err();
        assert!(
            err.to_string().contains("/paths/~1v1~1{b}:cancel/post: "),
            "{err}"
        );
    }

    #[test]
    fn renamed_captures_on_other_methods_or_shapes_are_served() {
        let code = server(&[
            ("/a/{id}", &["get"]),
            ("/a/{name}", &["delete"]),
            ("/a/{name}/b", &["get"]),
            ("/a/{name}:b", &["get"]),
            ("/a", &["get"]),
            ("/a/", &["get"]),
        ])
        .unwrap_or_else(|err| panic!("{err}"));
        for route in ["\"/a/{p0}\"", "\"/a/{p0}/b\"", "\"/a\"", "\"/a/\""] {
            assert!(code.contains(route), "{route} missing:\n{code}");
        }
        // `/a` and `/a/` without operationIds make one name; the second gives way.
        assert!(code.contains("fn get_a_2("), "{code}");
        // The spec's names never reach axum.
        assert!(
            !code.contains("{id}\"") && !code.contains("{name}\""),
            "{code}"
        );
    }

    #[test]
    fn every_method_of_a_routed_route_is_routed_path_first() {
        let code = server(&[("/v1/{name}", &["get"]), ("/v1/{name}:cancel", &["post"])])
            .unwrap_or_else(|err| panic!("{err}"));
        // GET's only template would take `x:cancel`; `rt::route` hands the path to the more
        // specific `{name}:cancel`, listed first.
        for method in ["\"GET\"", "\"POST\""] {
            assert!(
                code.contains(&format!("rt::route(&shared, request, PATHS_0, {method})")),
                "{method}:\n{code}"
            );
        }
        let post = code.find("method: \"POST\"").expect("the POST template");
        let get = code.find("method: \"GET\"").expect("the GET template");
        assert!(post < get, "{code}");
    }

    #[test]
    fn more_captures_than_the_router_names_is_a_located_error() {
        let path: String = (0..27).map(|i| format!("/{{c{i}}}")).collect();
        let err = server(&[(&path, &["get"])]).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("spec.json#/paths/"), "{text}");
        assert!(text.contains("at most 26"), "{text}");
        let path: String = (0..26).map(|i| format!("/{{c{i}}}")).collect();
        server(&[(&path, &["get"])]).unwrap_or_else(|err| panic!("{err}"));
    }
}
