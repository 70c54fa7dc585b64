//! Spec text into Rust source: string literals and documentation, escaped so that no text in a
//! spec can end a literal, add an item, or become a doctest.

use std::borrow::Cow;

/// A Rust string literal holding `text` exactly (quotes, backslashes and control characters
/// escaped).
pub fn string_literal(text: &str) -> String {
    // Printable ASCII, most text, is the text in quotes with `"` and `\` escaped, as
    // proc_macro2 writes it too; it escapes character by character, a tenth of a small spec's
    // run.
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        let mut literal = String::with_capacity(text.len() + 2);
        literal.push('"');
        let mut rest = text;
        while let Some(at) = rest.find(['"', '\\']) {
            literal.push_str(&rest[..at]);
            literal.push('\\');
            literal.push_str(&rest[at..=at]);
            rest = &rest[at + 1..];
        }
        literal.push_str(rest);
        literal.push('"');
        return literal;
    }
    proc_macro2::Literal::string(text).to_string()
}

/// `///` lines for `text`, or nothing for no text. [`doc_lines`] leaves no character a line
/// comment cannot hold, and each line starts with a space, so none reads as `////`.
pub fn doc_attributes(text: Option<&str>) -> String {
    let Some(text) = text else {
        return String::new();
    };
    let mut out = String::with_capacity(text.len() + 16);
    for line in doc_lines(text) {
        if line.is_empty() {
            out.push_str("///\n");
        } else {
            out.push_str("/// ");
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// Documentation text made safe for rustdoc: control and bidirectional characters dropped,
/// leading indentation removed (an indented block would be a doctest), every fenced block
/// marked `text` (so it is never compiled or run), and `[`, `]`, `<`, `>` escaped so that
/// they are neither links nor HTML; bare URLs become autolinks.
pub fn doc_lines(text: &str) -> Vec<String> {
    let text: Cow<str> = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    };
    let mut lines = Vec::new();
    let mut in_fence = false;
    for raw in text.split('\n') {
        // Plain ASCII lines, nearly all of them, need no copy.
        let clean: Cow<str> = if raw.bytes().all(|b| (b' '..0x7f).contains(&b)) {
            raw.into()
        } else {
            raw.chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .filter(|c| !c.is_control() && !is_bidi_control(*c))
                .collect::<String>()
                .into()
        };
        let line = clean.trim();
        if line.starts_with("```") || line.starts_with("~~~") {
            lines.push(if in_fence { "```" } else { "```text" }.to_owned());
            in_fence = !in_fence;
        } else if in_fence {
            lines.push(line.to_owned());
        } else {
            lines.push(escape_markdown(line));
        }
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    while lines.first().is_some_and(String::is_empty) {
        lines.remove(0);
    }
    lines
}

/// Escapes `line` outside its code spans; inside them markdown shows text as it is, so
/// escaping there would show the backslashes. Spans follow CommonMark: a run of backticks is
/// closed by the next run of the same length, and an unclosed run is plain text.
fn escape_markdown(line: &str) -> String {
    // Nearly every line has no code span, nothing to escape and no URL (which needs a `:`).
    if !line
        .bytes()
        .any(|b| matches!(b, b'`' | b':' | b'[' | b']' | b'<' | b'>' | b'\\'))
    {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        let run = backtick_run(&rest[start..]);
        let after = &rest[start + run..];
        match closing_run(after, run) {
            Some(close) => {
                let end = start + run + close + run;
                out.push_str(&escape_text(&rest[..start]));
                out.push_str(&rest[start..end]);
                rest = &rest[end..];
            }
            None => {
                out.push_str(&escape_text(&rest[..start + run]));
                rest = after;
            }
        }
    }
    out.push_str(&escape_text(rest));
    out
}

fn backtick_run(text: &str) -> usize {
    text.len() - text.trim_start_matches('`').len()
}

/// The offset in `text` of the first run of exactly `len` backticks.
fn closing_run(text: &str, len: usize) -> Option<usize> {
    let mut offset = 0;
    while let Some(found) = text[offset..].find('`') {
        let at = offset + found;
        let run = backtick_run(&text[at..]);
        if run == len {
            return Some(at);
        }
        offset = at + run;
    }
    None
}

fn escape_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    // Without `://` no word is a URL, and escaping word by word is escaping the whole line.
    if !line.contains("://") {
        push_escaped(&mut out, line);
        return out;
    }
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let url_len = word
            .trim_end_matches(['.', ',', ';', ':', ')', '!', '?'])
            .len();
        let (url, tail) = word.split_at(url_len);
        if (url.starts_with("https://") || url.starts_with("http://"))
            && !url.contains(['<', '>', '`', '[', ']'])
        {
            out.push('<');
            out.push_str(url);
            out.push('>');
            push_escaped(&mut out, tail);
        } else {
            push_escaped(&mut out, word);
        }
    }
    out
}

fn push_escaped(out: &mut String, text: &str) {
    // The characters escaped are ASCII, so each byte found starts a character.
    let mut start = 0;
    for (at, byte) in text.bytes().enumerate() {
        if matches!(byte, b'[' | b']' | b'<' | b'>' | b'\\') {
            out.push_str(&text[start..at]);
            out.push('\\');
            start = at;
        }
    }
    out.push_str(&text[start..]);
}

/// Characters that reorder displayed text; rustc rejects them in comments and literals.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_what_proc_macro2_writes() {
        let printable: String = (b' '..=b'~').map(char::from).collect();
        for text in [
            printable.as_str(),
            "it's",
            "plain text",
            "tab\there",
            "quote \" and \\ backslash",
            "größe \u{202e}",
            "",
        ] {
            assert_eq!(
                string_literal(text),
                proc_macro2::Literal::string(text).to_string(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn literals_cannot_be_broken_out_of() {
        assert_eq!(string_literal(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(string_literal("x\ny"), r#""x\ny""#);
        let hostile = "\"#]\nfn evil() {}\n#[cfg(any())]";
        let literal = string_literal(hostile);
        let parsed: syn::LitStr = syn::parse_str(&literal).expect("a valid literal");
        assert_eq!(parsed.value(), hostile);
    }

    #[test]
    fn fenced_code_never_becomes_a_doctest() {
        let lines = doc_lines("Example:\n```rust\nfn main() { panic!() }\n```\nAfter.");
        assert_eq!(
            lines,
            [
                "Example:",
                "```text",
                "fn main() { panic!() }",
                "```",
                "After."
            ]
        );
        // An unclosed fence is closed, so the rest of the item's docs are not swallowed.
        assert_eq!(doc_lines("~~~\ncode"), ["```text", "code", "```"]);
    }

    #[test]
    fn indentation_links_html_and_controls_are_neutralised() {
        let lines = doc_lines("    indented code\n\tnext [link] <b> \u{202E}x\u{0007}");
        assert_eq!(lines, ["indented code", r"next \[link\] \<b\> x"]);
        assert_eq!(
            doc_lines("see https://example.com/a."),
            ["see <https://example.com/a>."]
        );
    }

    #[test]
    fn code_spans_are_left_as_they_are() {
        assert_eq!(
            doc_lines("`a[0] <b>` and [c] ``x`y`` `open [d]"),
            [r"`a[0] <b>` and \[c\] ``x`y`` `open \[d\]"]
        );
        // A run closes only on a run of the same length.
        assert_eq!(doc_lines("``a`<b>`"), ["``a`<b>`"]);
        assert_eq!(doc_lines("``<b>`"), [r"``\<b\>`"]);
    }

    #[test]
    fn docs_are_attributes_with_a_leading_space() {
        assert_eq!(
            doc_attributes(Some("One\n\nTwo")),
            "/// One\n///\n/// Two\n"
        );
        assert_eq!(doc_attributes(None), "");
    }
}
