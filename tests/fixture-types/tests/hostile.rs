//! The code generated from `tests/fixtures/valid/hostile.json`, whose text tries to end
//! comments and literals, add items and attributes, and smuggle doctests in, holds exactly the
//! items the spec defines.

use syn::{Attribute, Expr, Item, Lit, Meta};

fn generated() -> syn::File {
    let path = concat!(env!("OUT_DIR"), "/hostile/types.rs");
    let code = std::fs::read_to_string(path).expect("the build script generated it");
    syn::parse_file(&code).expect("the generated code parses")
}

/// Each item as `kind name`.
fn item_names(file: &syn::File) -> Vec<String> {
    file.items
        .iter()
        .map(|item| match item {
            Item::Use(_) => "use".to_owned(),
            Item::Struct(s) => format!("struct {}", s.ident),
            Item::Enum(e) => format!("enum {}", e.ident),
            Item::Type(t) => format!("type {}", t.ident),
            Item::Impl(i) => match &*i.self_ty {
                syn::Type::Path(p) => format!(
                    "impl {}",
                    p.path
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .unwrap_or_default()
                ),
                _ => "impl ?".to_owned(),
            },
            other => format!("unexpected {:?}", std::mem::discriminant(other)),
        })
        .collect()
}

/// Every attribute in the file, items and their members included.
fn all_attributes(file: &syn::File) -> Vec<&Attribute> {
    let mut out = Vec::new();
    for item in &file.items {
        match item {
            Item::Struct(s) => {
                out.extend(&s.attrs);
                s.fields.iter().for_each(|f| out.extend(&f.attrs));
            }
            Item::Enum(e) => {
                out.extend(&e.attrs);
                e.variants.iter().for_each(|v| out.extend(&v.attrs));
            }
            Item::Impl(i) => {
                out.extend(&i.attrs);
                for member in &i.items {
                    match member {
                        syn::ImplItem::Fn(f) => out.extend(&f.attrs),
                        syn::ImplItem::Const(c) => out.extend(&c.attrs),
                        _ => {}
                    }
                }
            }
            Item::Type(t) => out.extend(&t.attrs),
            Item::Use(u) => out.extend(&u.attrs),
            _ => {}
        }
    }
    out
}

fn doc_text(attr: &Attribute) -> Option<String> {
    let Meta::NameValue(nv) = &attr.meta else {
        return None;
    };
    if !nv.path.is_ident("doc") {
        return None;
    }
    match &nv.value {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

#[test]
fn exactly_the_items_the_spec_defines() {
    let file = generated();
    assert_eq!(
        item_names(&file),
        [
            "use",
            "struct EvilFnEvil",
            "struct EvilFnEvilCfgAnyRequest",
            "enum EvilKind",
            "impl EvilKind",
            "impl EvilKind",
        ]
    );
    let code = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/hostile/types.rs")).unwrap();
    assert!(
        !code.lines().any(|l| l.trim_start().starts_with("fn evil")),
        "no `fn evil` outside a literal or comment"
    );
}

#[test]
fn only_the_attributes_the_generator_emits() {
    let file = generated();
    for attr in all_attributes(&file) {
        let name = attr.path().get_ident().map(ToString::to_string);
        assert!(
            matches!(name.as_deref(), Some("doc" | "derive" | "serde")),
            "unexpected attribute {:?}",
            name
        );
    }
}

#[test]
fn no_doc_comment_holds_a_runnable_doctest() {
    let file = generated();
    let docs: Vec<String> = all_attributes(&file)
        .into_iter()
        .filter_map(doc_text)
        .collect();
    assert!(!docs.is_empty());
    for line in &docs {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            assert!(
                trimmed == "```" || trimmed == "```text",
                "a code fence that rustdoc would run: {line:?}"
            );
        }
        // Four spaces of indentation (after the one space doc comments start with) would be
        // an indented code block, which rustdoc also runs.
        assert!(
            !line.starts_with("     "),
            "an indented code block: {line:?}"
        );
        assert!(
            !line
                .chars()
                .any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c)),
            "a control or bidi character in docs: {line:?}"
        );
    }
    // The opening fences are all `text`.
    let fences: Vec<&String> = docs
        .iter()
        .filter(|l| l.trim_start().starts_with("```"))
        .collect();
    assert!(fences.chunks(2).all(|pair| pair[0].trim() == "```text"));
}

#[test]
fn hostile_names_and_values_round_trip() {
    use fixture_types::hostile::{EvilFnEvil, EvilKind};
    for kind in EvilKind::ALL {
        let json = serde_json::to_value(kind).unwrap();
        assert_eq!(json, kind.as_str());
        assert_eq!(serde_json::from_value::<EvilKind>(json).unwrap(), *kind);
    }
    let input = serde_json::json!({
        "*/": "a", "\"#": "b", "\"###": 3, "\n#[cfg(any())]": true, "} fn evil() {}": "c",
        "```rust": "d", "\u{202e}\u{7}ctrl": "e", "日本語": "f", "kind": "\"###"
    });
    let value: EvilFnEvil = serde_json::from_value(input.clone()).unwrap();
    assert_eq!(value.kind, Some(EvilKind::Empty3));
    assert_eq!(serde_json::to_value(&value).unwrap(), input);
}
