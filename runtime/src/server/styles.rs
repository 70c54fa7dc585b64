//! Parameter styles beyond a plain value or list: objects (`form` exploded or not,
//! `spaceDelimited`, `pipeDelimited`, `deepObject`, `simple`), path parameters in `label` and
//! `matrix` style, and cookies. Each builds the JSON value the parameter's schema checks; the
//! items' text becomes JSON as its field says.

use super::request::{Coerce, FormField, Location, coerce};
use ::serde_json::{Map, Value};

/// The pairs of every `Cookie` header, in order, values percent-decoded (the client encodes
/// what a cookie cannot carry).
pub(crate) fn cookies(headers: &::axum::http::HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(::axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| {
            let value = super::paths::decode(value.trim()).unwrap_or_else(|| value.to_owned());
            (key.trim().to_owned(), value)
        })
        .collect()
}

fn field<'f>(fields: &'f [FormField], name: &str) -> Option<&'f FormField> {
    fields.iter().find(|field| field.name == name)
}

/// Puts `text` under `key` of `object`, as the field says: a list field gathers its items.
fn insert(object: &mut Map<String, Value>, fields: &[FormField], key: String, text: String) {
    let field = field(fields, &key);
    let item = coerce(text, field.map_or(super::Coerce::String, |f| f.coerce));
    super::body::insert(object, key, item, field.is_some_and(|field| field.array));
}

/// An object from `key=value` pairs (`form` exploded: each property its own query key).
pub(crate) fn from_pairs(
    pairs: impl IntoIterator<Item = (String, String)>,
    fields: &[FormField],
) -> Value {
    let mut object = Map::new();
    for (key, value) in pairs {
        insert(&mut object, fields, key, value);
    }
    Value::Object(object)
}

/// An object from one text: `k1,v1,k2,v2` (unexploded, any delimiter) or `k1=v1,k2=v2`
/// (`simple` exploded). `None` when the text does not pair up.
pub(crate) fn from_text(
    text: &str,
    delimiter: char,
    exploded: bool,
    fields: &[FormField],
) -> Option<Value> {
    let mut object = Map::new();
    if text.is_empty() {
        return Some(Value::Object(object));
    }
    if exploded {
        for item in text.split(delimiter) {
            let (key, value) = item.split_once('=')?;
            insert(&mut object, fields, key.to_owned(), value.to_owned());
        }
    } else {
        let items: Vec<&str> = text.split(delimiter).collect();
        if !items.len().is_multiple_of(2) {
            return None;
        }
        for pair in items.chunks(2) {
            insert(&mut object, fields, pair[0].to_owned(), pair[1].to_owned());
        }
    }
    Some(Value::Object(object))
}

/// A path parameter in `label` or `matrix` style (OpenAPI 3.1 §4.8.12.4), from its capture
/// `text`: `.v`, `.a,b` (`.a.b` exploded), `.k1,v1,k2,v2` (`.k1=v1.k2=v2` exploded); `;name=v`,
/// `;name=a,b` (`;name=a;name=b` exploded), `;name=k1,v1,k2,v2` (`;k1=v1;k2=v2` exploded). The
/// text is split at its delimiters first, then each piece percent-decoded when `encoded` (a
/// capture `rt::route` matched), so an encoded delimiter is data. An empty list or object is
/// `.` or `;name`. `None` when `location` is no such style; otherwise the value, or what is
/// wrong with the text.
pub(crate) fn path_styled(
    text: &str,
    location: Location,
    name: &str,
    how: Coerce,
    array: bool,
    encoded: bool,
) -> Option<Result<Value, String>> {
    let (matrix, exploded) = match location {
        Location::PathLabel(_) => (false, false),
        Location::PathLabelExploded(_) => (false, true),
        Location::PathMatrix(_) => (true, false),
        Location::PathMatrixExploded(_) => (true, true),
        _ => return None,
    };
    Some(if matrix {
        matrix_value(text, name, how, array, exploded, encoded)
    } else {
        label_value(text, how, array, exploded, encoded)
    })
}

/// A piece of a styled path capture, percent-decoded when the capture was sent encoded.
fn piece(text: &str, encoded: bool) -> Result<String, String> {
    if !encoded {
        return Ok(text.to_owned());
    }
    super::paths::decode(text).ok_or_else(|| "not valid UTF-8 once percent-decoded".to_owned())
}

/// An object from `key=value` items; a key without `=` has the empty value.
fn exploded_object<'t>(
    items: impl Iterator<Item = &'t str>,
    fields: &[FormField],
    encoded: bool,
) -> Result<Value, String> {
    let mut object = Map::new();
    for item in items {
        let (key, value) = item.split_once('=').unwrap_or((item, ""));
        insert(
            &mut object,
            fields,
            piece(key, encoded)?,
            piece(value, encoded)?,
        );
    }
    Ok(Value::Object(object))
}

/// The value of `rest`, the text after a style's prefix, whose items `delimiter` separates
/// (an object unexploded: keys and values alternating).
fn delimited(
    rest: &str,
    delimiter: char,
    how: Coerce,
    array: bool,
    encoded: bool,
) -> Result<Value, String> {
    if let Coerce::Object(fields) = how {
        let mut object = Map::new();
        if rest.is_empty() {
            return Ok(Value::Object(object));
        }
        let items: Vec<&str> = rest.split(delimiter).collect();
        if !items.len().is_multiple_of(2) {
            return Err("not a list of keys and values".to_owned());
        }
        for pair in items.chunks(2) {
            insert(
                &mut object,
                fields,
                piece(pair[0], encoded)?,
                piece(pair[1], encoded)?,
            );
        }
        return Ok(Value::Object(object));
    }
    if !array {
        return Ok(coerce(piece(rest, encoded)?, how));
    }
    if rest.is_empty() {
        return Ok(Value::Array(Vec::new()));
    }
    rest.split(delimiter)
        .map(|item| piece(item, encoded).map(|item| coerce(item, how)))
        .collect::<Result<_, _>>()
        .map(Value::Array)
}

fn label_value(
    text: &str,
    how: Coerce,
    array: bool,
    exploded: bool,
    encoded: bool,
) -> Result<Value, String> {
    let rest = text
        .strip_prefix('.')
        .ok_or("not in label style (it starts with '.')")?;
    match how {
        Coerce::Object(fields) if exploded => {
            if rest.is_empty() {
                return Ok(Value::Object(Map::new()));
            }
            exploded_object(rest.split('.'), fields, encoded)
        }
        _ => delimited(rest, if exploded { '.' } else { ',' }, how, array, encoded),
    }
}

fn matrix_value(
    text: &str,
    name: &str,
    how: Coerce,
    array: bool,
    exploded: bool,
    encoded: bool,
) -> Result<Value, String> {
    let expected = || format!("not in matrix style (it starts with ';{name}=')");
    let rest = text.strip_prefix(';').ok_or_else(expected)?;
    // `;k1=v1;k2=v2`: the object's properties are the pairs.
    if let (Coerce::Object(fields), true) = (how, exploded) {
        if rest.is_empty() {
            return Ok(Value::Object(Map::new()));
        }
        return exploded_object(rest.split(';'), fields, encoded);
    }
    // Each `;` starts a `name=value` pair; only an exploded list repeats it.
    let mut values = Vec::new();
    for pair in rest.split(';') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if piece(key, encoded)? != name {
            return Err(expected());
        }
        values.push(value);
    }
    if exploded && array {
        if values == [""] {
            return Ok(Value::Array(Vec::new()));
        }
        return values
            .iter()
            .map(|item| piece(item, encoded).map(|item| coerce(item, how)))
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    match values.as_slice() {
        [value] => delimited(value, ',', how, array, encoded),
        _ => Err(format!("';{name}=' more than once")),
    }
}

/// The bracketed keys after `name` in a `deepObject` key: `filter[a][b]` → `["a", "b"]`; `None`
/// when the key is not `name` followed by brackets.
pub(crate) fn deep_keys<'k>(name: &str, key: &'k str) -> Option<Vec<&'k str>> {
    let mut rest = key.strip_prefix(name)?;
    if rest.is_empty() {
        return None;
    }
    let mut keys = Vec::new();
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[')?;
        let end = inner.find(']')?;
        keys.push(&inner[..end]);
        rest = &inner[end + 1..];
    }
    Some(keys)
}

/// Adds one `deepObject` pair, `keys` deep, to `object`; nested where the fields nest. A key
/// the schema does not know keeps its text. Returns `false` when the keys contradict an
/// earlier pair (a value where an object was, or `[]` on a field that is no list).
pub(crate) fn insert_deep(
    object: &mut Map<String, Value>,
    fields: &[FormField],
    keys: &[&str],
    text: String,
) -> bool {
    let Some((first, rest)) = keys.split_first() else {
        return false;
    };
    let known = field(fields, first);
    // `a[tags][]=x` and `a[tags]=x` both add an item to a list field.
    let rest = match rest {
        [""] if known.is_some_and(|f| f.array) => &[][..],
        other => other,
    };
    if rest.is_empty() {
        insert(object, fields, (*first).to_owned(), text);
        return true;
    }
    let nested = match known.map(|f| f.coerce) {
        Some(super::Coerce::Object(nested)) => nested,
        _ => &[],
    };
    match object
        .entry((*first).to_owned())
        .or_insert_with(|| Value::Object(Map::new()))
    {
        Value::Object(inner) => insert_deep(inner, nested, rest, text),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::Coerce;
    use super::*;
    use ::serde_json::json;

    const INNER: &[FormField] = &[FormField {
        name: "min",
        coerce: Coerce::Integer,
        array: false,
    }];
    const FIELDS: &[FormField] = &[
        FormField {
            name: "age",
            coerce: Coerce::Integer,
            array: false,
        },
        FormField {
            name: "tags",
            coerce: Coerce::String,
            array: true,
        },
        FormField {
            name: "range",
            coerce: Coerce::Object(INNER),
            array: false,
        },
    ];

    #[test]
    fn unexploded_objects_pair_up() {
        assert_eq!(
            from_text("name,x,age,3", ',', false, FIELDS),
            Some(json!({"name": "x", "age": 3}))
        );
        assert_eq!(from_text("name,x,age", ',', false, FIELDS), None);
        assert_eq!(
            from_text("name=x|age=3", '|', true, FIELDS),
            Some(json!({"name": "x", "age": 3}))
        );
        assert_eq!(from_text("name", ',', true, FIELDS), None);
    }

    const RGB: &[FormField] = &[
        FormField {
            name: "R",
            coerce: Coerce::Integer,
            array: false,
        },
        FormField {
            name: "G",
            coerce: Coerce::Integer,
            array: false,
        },
    ];

    /// `text` read as the parameter `color` at `location`, its captures percent-encoded.
    fn styled(text: &str, location: Location, how: Coerce, array: bool) -> Result<Value, String> {
        path_styled(text, location, "color", how, array, true).expect("a styled location")
    }

    #[test]
    fn label_and_matrix_read_the_specs_examples() {
        use Location::{PathLabel, PathLabelExploded, PathMatrix, PathMatrixExploded};
        let (string, object) = (Coerce::String, Coerce::Object(RGB));
        let colors = json!(["blue", "black", "brown"]);
        let rgb = json!({"R": 100, "G": 200, "B": "150"});
        for (text, location, how, array, value) in [
            (".blue", PathLabel(0), string, false, json!("blue")),
            (
                ".blue.black",
                PathLabelExploded(0),
                string,
                false,
                json!("blue.black"),
            ),
            (
                ".blue,black,brown",
                PathLabel(0),
                string,
                true,
                colors.clone(),
            ),
            (
                ".blue.black.brown",
                PathLabelExploded(0),
                string,
                true,
                colors.clone(),
            ),
            (
                ".R,100,G,200,B,150",
                PathLabel(0),
                object,
                false,
                rgb.clone(),
            ),
            (
                ".R=100.G=200.B=150",
                PathLabelExploded(0),
                object,
                false,
                rgb.clone(),
            ),
            (";color=blue", PathMatrix(0), string, false, json!("blue")),
            (
                ";color=blue",
                PathMatrixExploded(0),
                string,
                false,
                json!("blue"),
            ),
            (
                ";color=blue,black,brown",
                PathMatrix(0),
                string,
                true,
                colors.clone(),
            ),
            (
                ";color=blue;color=black;color=brown",
                PathMatrixExploded(0),
                string,
                true,
                colors.clone(),
            ),
            (
                ";color=R,100,G,200,B,150",
                PathMatrix(0),
                object,
                false,
                rgb.clone(),
            ),
            (
                ";R=100;G=200;B=150",
                PathMatrixExploded(0),
                object,
                false,
                rgb.clone(),
            ),
            // Empty values, lists and objects.
            (".", PathLabel(0), string, false, json!("")),
            (".", PathLabelExploded(0), string, true, json!([])),
            (".", PathLabel(0), object, false, json!({})),
            (";color", PathMatrix(0), string, false, json!("")),
            (";color=", PathMatrixExploded(0), string, true, json!([])),
            (";color", PathMatrix(0), object, false, json!({})),
            (";", PathMatrixExploded(0), object, false, json!({})),
            // An encoded delimiter is data; items are typed after decoding.
            (
                ".a%2Eb.c%2C",
                PathLabelExploded(0),
                string,
                true,
                json!(["a.b", "c,"]),
            ),
            (
                ";color=a%3Bb,%3D",
                PathMatrix(0),
                string,
                true,
                json!(["a;b", "="]),
            ),
            (
                ".R=1%30",
                PathLabelExploded(0),
                object,
                false,
                json!({"R": 10}),
            ),
            (".1,2", PathLabel(0), Coerce::Integer, true, json!([1, 2])),
        ] {
            assert_eq!(styled(text, location, how, array), Ok(value), "{text}");
        }
        // Without the style's prefix, or with keys and values that do not pair up.
        for (text, location, how, array) in [
            ("blue", PathLabel(0), string, false),
            ("color=blue", PathMatrix(0), string, false),
            (";colour=blue", PathMatrix(0), string, false),
            (";color=a;color=b", PathMatrix(0), string, true),
            (";color=a;other=b", PathMatrixExploded(0), string, true),
            (".R,100,G", PathLabel(0), object, false),
            ("R=1", PathMatrixExploded(0), object, false),
            (".%FF", PathLabel(0), string, false),
        ] {
            assert!(styled(text, location, how, array).is_err(), "{text}");
        }
        // Not a styled location; a decoded capture is split as it is.
        assert_eq!(
            path_styled("x", Location::Path(0), "color", string, false, true),
            None
        );
        assert_eq!(
            path_styled(".a%2Eb", PathLabelExploded(0), "color", string, true, false),
            Some(Ok(json!(["a%2Eb"])))
        );
    }

    #[test]
    fn deep_objects_nest_where_the_fields_do() {
        assert_eq!(deep_keys("f", "f[a][b]"), Some(vec!["a", "b"]));
        assert_eq!(deep_keys("f", "f"), None);
        assert_eq!(deep_keys("f", "fa[b]"), None);
        assert_eq!(deep_keys("f", "f[a"), None);
        let mut object = Map::new();
        for (keys, text) in [
            (&["age"][..], "3"),
            (&["tags", ""][..], "a"),
            (&["tags"][..], "b"),
            (&["range", "min"][..], "4"),
            (&["other", "x"][..], "5"),
        ] {
            assert!(insert_deep(&mut object, FIELDS, keys, text.to_owned()));
        }
        assert_eq!(
            Value::Object(object.clone()),
            json!({"age": 3, "tags": ["a", "b"], "range": {"min": 4}, "other": {"x": "5"}})
        );
        assert!(!insert_deep(
            &mut object,
            FIELDS,
            &["age", "x"],
            "1".to_owned()
        ));
    }
}
