//! The fast layout (templates' lines laid out without a syntax tree) must give the printer's
//! bytes: every fixture, the project's spec and a sweep of name lengths across the printer's
//! line width are generated both ways and compared file by file.

use std::path::{Path, PathBuf};

use openapi_rustgen::Generator;
use openapi_rustgen::format::Layout;

fn files(spec: &Path, text: Option<&str>, layout: Layout) -> Vec<(String, String)> {
    let render = |server: bool| {
        let mut generator = Generator::new();
        match text {
            Some(text) => generator.spec_text(spec, text),
            None => generator.spec_path(spec),
        };
        generator
            .types(true)
            .server(server)
            .client(server)
            .example_tests(true)
            .layout(layout)
            .render()
    };
    // Fixtures for types alone may hold operations the server does not support.
    render(true)
        .or_else(|_| render(false))
        .unwrap_or_else(|err| panic!("{}: {err}", spec.display()))
        .into_iter()
        .map(|file| (file.name, file.contents))
        .collect()
}

fn assert_same_both_ways(spec: &Path, text: Option<&str>) {
    let fast = files(spec, text, Layout::Fast);
    let printer = files(spec, text, Layout::Printer);
    assert_eq!(fast.len(), printer.len());
    for ((name, fast), (_, printer)) in fast.iter().zip(&printer) {
        if fast != printer {
            let line = fast
                .lines()
                .zip(printer.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{}: {name} differs at line {}:\n fast:    {:?}\n printer: {:?}",
                spec.display(),
                line + 1,
                fast.lines().nth(line),
                printer.lines().nth(line)
            );
        }
    }
}

fn specs_in(dir: &str) -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the fixture folder exists")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "json" || ext == "yaml")
        })
        .collect();
    specs.sort();
    specs
}

#[test]
fn every_fixture_and_the_project_spec_come_out_the_same_both_ways() {
    let mut specs = specs_in("fixtures/valid");
    specs.extend(specs_in("fixtures/server"));
    specs.push(PathBuf::from("../spec/openapi.json"));
    assert!(specs.len() > 20, "the fixtures are where they were");
    for spec in &specs {
        assert_same_both_ways(spec, None);
    }
}

/// Names of every length around the printer's width: struct fields, enum values (the `ALL`
/// array goes from one line to one value per line), union variants and aliases.
#[test]
fn lines_around_the_printer_width_come_out_the_same_both_ways() {
    let mut schemas = Vec::new();
    for length in 1..=70 {
        let word = "abcdefghij".repeat(7)[..length].to_owned();
        let values: Vec<String> = (0..=length / 3).map(|i| format!("\"{word}{i}\"")).collect();
        schemas.push(format!(
            r##""S{length}": {{"type": "object", "description": "{word} {word}",
                "properties": {{"{word}": {{"type": "array", "items": {{"$ref": "#/components/schemas/E{length}"}}}},
                               "x{word}": {{"type": "string", "nullable": true}},
                               "y{word}": {{"type": "object", "additionalProperties": {{"$ref": "#/components/schemas/U{length}"}}}}}}}},
             "E{length}": {{"type": "string", "enum": [{values}]}},
             "E{word}": {{"type": "string", "enum": [{values}]}},
             "V{length}": {{"enum": [1, 2, {length}]}},
             "U{length}": {{"oneOf": [{{"$ref": "#/components/schemas/S{length}"}}, {{"type": "integer"}}]}},
             "A{word}": {{"type": "array", "items": {{"$ref": "#/components/schemas/S{length}"}}}}"##,
            values = values.join(", ")
        ));
    }
    let text = format!(
        r##"{{"openapi": "3.0.3", "info": {{"title": "widths", "version": "1"}}, "paths": {{}},
            "components": {{"schemas": {{{},
                "Tagged": {{"oneOf": [{{"$ref": "#/components/schemas/OnlyTag"}}, {{"$ref": "#/components/schemas/S1"}}],
                           "discriminator": {{"propertyName": "kind"}}}},
                "OnlyTag": {{"type": "object", "properties": {{"kind": {{"type": "string"}}}}, "required": ["kind"]}}}}}}}}"##,
        schemas.join(",\n")
    );
    assert_same_both_ways(Path::new("widths.json"), Some(&text));
}

/// Type names long enough that item heads, trait impls and field types pass the printer's
/// width: `impl Trait for Name {` breaks before `for`, a field's type at its generic
/// arguments, one per line and as deep as needed, and a union's tuple variants inside their
/// parentheses.
#[test]
fn long_type_names_come_out_the_same_both_ways() {
    let mut schemas = Vec::new();
    for length in 30..=110 {
        let word = "Abcdefghij".repeat(11)[..length].to_owned();
        schemas.push(format!(
            r##""N{word}": {{"type": "object", "properties": {{
                    "plain": {{"$ref": "#/components/schemas/E{word}"}},
                    "list": {{"type": "array", "items": {{"$ref": "#/components/schemas/E{word}"}}}},
                    "maybe_list": {{"type": "array", "nullable": true, "items": {{"$ref": "#/components/schemas/E{word}"}}}},
                    "map": {{"type": "object", "additionalProperties": {{"$ref": "#/components/schemas/E{word}"}}}},
                    "map_of_lists": {{"type": "object", "additionalProperties": {{"type": "array", "items": {{"$ref": "#/components/schemas/E{word}"}}}}}}}},
                "required": ["plain", "list", "map"]}},
             "E{word}": {{"type": "string", "enum": ["a", "b"]}},
             "U{word}": {{"oneOf": [{{"$ref": "#/components/schemas/N{word}"}}, {{"type": "array", "items": {{"$ref": "#/components/schemas/E{word}"}}}}]}}"##
        ));
    }
    // An optional body of each type: a parameter of the trait's method, whose comma the
    // printer does not count, unlike a struct field's; and a `2XX` answer of each type: the
    // last field of a variant, whose comma does not count either.
    let paths: Vec<String> = (30..=110)
        .map(|length| {
            let word = &"Abcdefghij".repeat(11)[..length];
            format!(
                r##""/n{length}": {{"post": {{"operationId": "n{length}",
                    "requestBody": {{"content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/N{word}"}}}}}}}},
                    "responses": {{"2XX": {{"description": "done", "content": {{"application/json": {{"schema": {{"type": "array", "items": {{"$ref": "#/components/schemas/N{word}"}}}}}}}}}}}}}}}}"##
            )
        })
        .collect();
    let text = format!(
        r##"{{"openapi": "3.0.3", "info": {{"title": "long names", "version": "1"}}, "paths": {{{}}},
            "components": {{"schemas": {{{}}}}}}}"##,
        paths.join(",\n"),
        schemas.join(",\n")
    );
    assert_same_both_ways(Path::new("long-names.json"), Some(&text));
}

/// Operations whose names, paths and headers make every server line the renderer breaks
/// (match arms, the handler's closure, routes, parameter lists) go from joined to broken
/// across the width.
#[test]
fn server_lines_around_the_printer_width_come_out_the_same_both_ways() {
    let mut paths = Vec::new();
    for length in 1..=80 {
        let word = "abcdefghij".repeat(8)[..length].to_owned();
        let header = "x-".to_owned() + &"h".repeat(length / 2);
        paths.push(format!(
            r##""/{word}/{{id}}": {{
                "parameters": [{{"name": "id", "in": "path", "required": true, "schema": {{"type": "string"}}}}],
                "get": {{"operationId": "g{word}", "security": [{{"key": []}}],
                    "parameters": [{{"name": "q{word}", "in": "query", "schema": {{"type": "string"}}}},
                                   {{"name": "r", "in": "query", "schema": {{"type": "integer"}}}}],
                    "responses": {{"200": {{"description": "ok",
                        "headers": {{"{header}": {{"schema": {{"type": "string"}}}}}},
                        "content": {{"application/json": {{"schema": {{"type": "string"}}}}}}}},
                        "4XX": {{"description": "no", "content": {{"application/problem+json": {{"schema": {{"type": "string"}}}}}}}}}}}},
                "put": {{"operationId": "p{word}",
                    "requestBody": {{"required": true, "content": {{"application/json": {{"schema": {{"type": "object", "properties": {{"n": {{"type": "string", "maxLength": {length}}}}}}}}}}}}},
                    "responses": {{"204": {{"description": "done"}}}}}},
                "patch": {{"operationId": "f{word}",
                    "requestBody": {{"required": true, "content": {{"application/x-www-form-urlencoded": {{"schema": {{"type": "object", "properties": {{"f": {{"type": "string"}}}}}}}}}}}},
                    "responses": {{"204": {{"description": "done"}}}}}},
                "post": {{"operationId": "o{word}", "security": [{{"key": []}}],
                    "requestBody": {{"content": {{"text/plain": {{"schema": {{"type": "string"}}}}}}}},
                    "responses": {{"201": {{"description": "made", "content": {{"application/json": {{"schema": {{"type": "integer"}}}}}}}}}}}}
            }}"##
        ));
    }
    let text = format!(
        r##"{{"openapi": "3.0.3", "info": {{"title": "server widths", "version": "1"}},
            "paths": {{{}}},
            "components": {{"securitySchemes": {{"key": {{"type": "apiKey", "in": "header", "name": "X-Key"}}}}}}}}"##,
        paths.join(",\n")
    );
    assert_same_both_ways(Path::new("server-widths.json"), Some(&text));
}

/// Routes whose line crosses the printer's width one column at a time: one method (the
/// route whole or broken) and two (the method chain whole or broken too, then each call, then
/// each handler).
#[test]
fn routes_around_the_printer_width_come_out_the_same_both_ways() {
    let mut paths = Vec::new();
    // On to where a broken chain's calls, and then their handlers, break too.
    for length in 20..=90 {
        let word = "abcdefghij".repeat(9)[..length].to_owned();
        paths.push(format!(
            r#""/{word}": {{"get": {{"operationId": "r{length}", "responses": {{"204": {{"description": "done"}}}}}}}},
               "/{word}/{{id}}/x": {{"parameters": [{{"name": "id", "in": "path", "required": true, "schema": {{"type": "string"}}}}],
                   "get": {{"operationId": "g{word}", "responses": {{"204": {{"description": "done"}}}}}},
                   "put": {{"operationId": "p{length}", "responses": {{"204": {{"description": "done"}}}}}}}}"#
        ));
    }
    let text = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "routes", "version": "1"}}, "paths": {{{}}}}}"#,
        paths.join(",\n")
    );
    assert_same_both_ways(Path::new("routes.json"), Some(&text));
}

/// The router's own 400, documented with many headers: its answer nests a call per header,
/// deeper than the printer breaks lines.
#[test]
fn a_deeply_nested_answer_comes_out_the_same_both_ways() {
    let headers: Vec<String> = (0..12)
        .map(|i| format!(r#""x-header-{i}": {{"schema": {{"type": "string"}}}}"#))
        .collect();
    let text = format!(
        r##"{{"openapi": "3.0.3", "info": {{"title": "headers", "version": "1"}},
            "paths": {{"/headers": {{"get": {{"operationId": "headers",
                "parameters": [{{"name": "q", "in": "query", "schema": {{"type": "integer"}}}}],
                "responses": {{"204": {{"description": "done"}},
                    "400": {{"description": "bad", "headers": {{{}}},
                        "content": {{"application/json": {{"schema": {{"type": "string"}}}}}}}}}}}}}}}}}}"##,
        headers.join(", ")
    );
    assert_same_both_ways(Path::new("headers.json"), Some(&text));
}
