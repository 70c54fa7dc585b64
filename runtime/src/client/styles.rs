//! Path parameters in `label` and `matrix` style (OpenAPI 3.1 §4.8.12.4): the style's
//! delimiters stay plain and everything else is percent-encoded, so the server, which splits
//! a capture at its plain delimiters before decoding, reads every item back whole. The text is
//! sent as it is, with [`Piece::Encoded`](super::Piece::Encoded).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::Value;

use super::{Error, to_value};

/// What an item may carry unencoded: RFC 3986 unreserved characters but `.`, the `label`
/// delimiter.
const ITEM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'~');

/// A value's parts, each percent-encoded.
enum Parts {
    One(String),
    List(Vec<String>),
    Object(Vec<(String, String)>),
}

fn encoded(text: &str) -> String {
    utf8_percent_encode(text, ITEM).to_string()
}

/// A scalar's text; `None` for `null` (a property left out).
fn scalar(name: &str, value: Value) -> Result<Option<String>, Error> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => Ok(Some(encoded(&text))),
        Value::Number(number) => Ok(Some(number.to_string())),
        Value::Bool(flag) => Ok(Some(flag.to_string())),
        _ => Err(Error::Request(format!(
            "parameter `{name}`: only strings, numbers, booleans, lists of them and objects of them can be sent in the path"
        ))),
    }
}

fn parts<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Parts, Error> {
    Ok(match to_value(name, value)? {
        Value::Array(items) => Parts::List(
            items
                .into_iter()
                .map(|item| scalar(name, item).map(Option::unwrap_or_default))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(properties) => {
            let mut pairs = Vec::new();
            for (key, property) in properties {
                if let Some(text) = scalar(name, property)? {
                    pairs.push((encoded(&key), text));
                }
            }
            Parts::Object(pairs)
        }
        other => Parts::One(scalar(name, other)?.unwrap_or_default()),
    })
}

fn flat(pairs: Vec<(String, String)>) -> Vec<String> {
    pairs
        .into_iter()
        .flat_map(|(key, value)| [key, value])
        .collect()
}

fn assigned(pairs: Vec<(String, String)>) -> Vec<String> {
    pairs
        .into_iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect()
}

/// A path parameter in `label` style, percent-encoded: `.v`; a list `.a,b` (`.a.b`
/// exploded); an object `.k1,v1,k2,v2` (`.k1=v1.k2=v2` exploded). An empty value, list or
/// object would be `.` (and an exploded list of two empty strings `..`): URLs drop or follow
/// such segments (RFC 3986 dot segments), so they are refused rather than sent elsewhere.
pub fn path_label<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    explode: bool,
) -> Result<String, Error> {
    let delimiter = if explode { "." } else { "," };
    let text = match parts(name, value)? {
        Parts::One(text) => format!(".{text}"),
        Parts::List(items) => format!(".{}", items.join(delimiter)),
        Parts::Object(pairs) if explode => format!(".{}", assigned(pairs).join(".")),
        Parts::Object(pairs) => format!(".{}", flat(pairs).join(",")),
    };
    if text == "." || text == ".." {
        return Err(Error::Request(format!(
            "parameter `{name}`: in `label` style this value is `{text}`, a path segment URLs do not keep"
        )));
    }
    Ok(text)
}

/// A path parameter in `matrix` style, percent-encoded: `;name=v` (`;name` when empty); a
/// list `;name=a,b` (`;name=a;name=b` exploded); an object `;name=k1,v1,k2,v2` (`;k1=v1;k2=v2`
/// exploded). An empty list is `;name`, an empty object `;name` (`;` exploded).
pub fn path_matrix<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    explode: bool,
) -> Result<String, Error> {
    let key = encoded(name);
    let joined = |items: Vec<String>| {
        if items.is_empty() {
            format!(";{key}")
        } else {
            format!(";{key}={}", items.join(","))
        }
    };
    Ok(match parts(name, value)? {
        Parts::One(text) if text.is_empty() => format!(";{key}"),
        Parts::One(text) => format!(";{key}={text}"),
        Parts::List(items) if explode && !items.is_empty() => {
            items.iter().map(|item| format!(";{key}={item}")).collect()
        }
        Parts::List(items) => joined(items),
        Parts::Object(pairs) if explode => format!(";{}", assigned(pairs).join(";")),
        Parts::Object(pairs) => joined(flat(pairs)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_specs_examples() {
        let colors = json!(["blue", "black", "brown"]);
        // Properties in the order `serde_json` keeps them (sorted, here).
        let rgb = json!({"B": 150, "G": 200, "R": 100});
        let label = |value: &Value, explode| path_label("color", value, explode).expect("text");
        let matrix = |value: &Value, explode| path_matrix("color", value, explode).expect("text");
        assert_eq!(label(&json!("blue"), false), ".blue");
        assert_eq!(label(&json!("blue"), true), ".blue");
        assert_eq!(label(&colors, false), ".blue,black,brown");
        assert_eq!(label(&colors, true), ".blue.black.brown");
        assert_eq!(label(&rgb, false), ".B,150,G,200,R,100");
        assert_eq!(label(&rgb, true), ".B=150.G=200.R=100");
        assert_eq!(matrix(&json!("blue"), true), ";color=blue");
        assert_eq!(matrix(&colors, false), ";color=blue,black,brown");
        assert_eq!(matrix(&colors, true), ";color=blue;color=black;color=brown");
        assert_eq!(matrix(&rgb, false), ";color=B,150,G,200,R,100");
        assert_eq!(matrix(&rgb, true), ";B=150;G=200;R=100");
        // Empty values; delimiters inside items are encoded.
        for empty in [json!(""), json!([]), json!({}), json!(["", ""])] {
            assert!(path_label("color", &empty, true).is_err(), "{empty}");
        }
        assert_eq!(label(&json!(["", ""]), false), ".,");
        assert_eq!(matrix(&json!(""), false), ";color");
        assert_eq!(matrix(&json!([]), true), ";color");
        assert_eq!(matrix(&json!({}), true), ";");
        assert_eq!(label(&json!(["a.b", "c,d"]), true), ".a%2Eb.c%2Cd");
        assert_eq!(
            matrix(&json!({"k;": "v=1", "n": null}), true),
            ";k%3B=v%3D1"
        );
        assert!(path_label("color", &json!([[1]]), false).is_err());
    }
}
