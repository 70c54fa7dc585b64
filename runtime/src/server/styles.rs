//! Parameter styles beyond a plain value or list: objects (`form` exploded or not,
//! `spaceDelimited`, `pipeDelimited`, `deepObject`, `simple`) and cookies. Each builds the JSON
//! value the parameter's schema checks; the items' text becomes JSON as its field says.

use super::request::{FormField, coerce};
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
