//! Optional part of stage 3: the spec's examples as tests (`example_tests.rs`).
//!
//! Every `example` and `examples` value on a schema that became a generated type, and on a
//! parameter, header or media type whose schema is one, becomes a `#[test]` that reads the value
//! into its type, writes it back and compares the JSON. Two differences are not failures,
//! because the type cannot keep them apart (see [`COMPARISON_DOCS`]): a member that is `null` on
//! one side and absent on the other, and numbers that are equal but written differently (`1`
//! and `1.0`). Anything else that changes, such as a property the type does not declare, fails.

use askama::Template;

use crate::error::{Error, ErrorKind, Location, Result};
use crate::format::Chunk;
use crate::resolve::Example;
use crate::text;

/// What the generated comparison forgives, for the file's documentation.
pub const COMPARISON_DOCS: &str = "Reads `example` as `T`, writes it back and compares the JSON. Each test reads an example of the spec into its generated type, writes it back and \
compares the JSON. A member that is `null` on one side and absent on the other counts as equal \
(an optional field reads both as `None`), and so do numbers of equal value (`1` and `1.0`); \
any other difference fails.";

#[derive(Template)]
#[template(path = "example_tests.rs.askama", escape = "none")]
struct ExampleTestsTemplate<'a> {
    docs: String,
    tests: &'a [ExampleTest],
}

struct ExampleTest {
    name: String,
    docs: String,
    /// The type, as a path from the test module.
    type_path: String,
    json_literal: String,
}

/// Renders `example_tests.rs`: one test per example (found by [`crate::resolve::examples`]).
/// The types are referred to as `super::types::Name`, like the server does.
pub fn render_example_tests(examples: &[Example]) -> Result<Vec<Chunk>> {
    let tests: Vec<ExampleTest> = examples
        .iter()
        .map(|example| ExampleTest {
            name: example.test_name.clone(),
            docs: text::doc_attributes(Some(&format!("The example at `#{}`.", example.pointer))),
            type_path: type_path(&example.type_name),
            json_literal: text::string_literal(&example.json),
        })
        .collect();
    let source = ExampleTestsTemplate {
        docs: text::doc_attributes(Some(COMPARISON_DOCS)),
        tests: &tests,
    }
    .render()
    .map_err(|err| {
        Error::new(
            ErrorKind::Internal,
            Location::Document,
            format!("rendering the example tests failed: {err}"),
        )
    })?;
    Ok(vec![Chunk::Source(source)])
}

/// `Name` or `Vec<Name>` as a path from the test module, a sibling of `types`.
fn type_path(type_name: &str) -> String {
    match type_name
        .strip_prefix("Vec<")
        .and_then(|inner| inner.strip_suffix('>'))
    {
        Some(inner) => format!("Vec<{}>", type_path(inner)),
        None => format!("super::types::{type_name}"),
    }
}
