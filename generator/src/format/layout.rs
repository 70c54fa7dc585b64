//! The fast path of formatting: source that a template wrote line by line the way the printer
//! lays it out needs no syntax tree. [`lay_out`] only recomputes the indentation, drops blank
//! lines and turns `#[doc = "..."]` attributes into `///` comments, as prettyplease does, and
//! breaks the few long lines whose breaking is known (a trait impl's head, a field's generic
//! type). It gives up (and the chunk goes through syn and prettyplease) on anything it cannot
//! vouch for: another line the printer might break, a doc text the printer would not print as a `///` line, a
//! `//` comment, or unbalanced brackets. `tests/layout.rs` checks that every fixture comes out
//! the same bytes either way.

/// The longest code line accepted, indentation included. prettyplease keeps a line whole up
/// to 89 columns; one column less leaves no doubt.
const WIDTH: usize = 88;

/// The longest line that opens an `async move` closure's block (`move |…| async move {`):
/// the printer keeps its parameters on that line up to 101 columns (measured), as the block
/// after them is where it breaks first.
pub(crate) const CLOSURE_WIDTH: usize = 100;

/// The longest return type after a broken parameter list (`) -> …`) the fast layout keeps
/// whole: the printer breaks it from 88 or 89 columns on (measured; which depends on the
/// parameters before it).
const RETURN_TYPE_WIDTH: usize = WIDTH - 2;

/// How a trait method's declaration that returns a future ends, after its broken parameter
/// list: `) -> impl ::std::future::Future<Output = T> + Send;`. Unlike other return types, the
/// printer keeps it whole up to its width and breaks it past it, whatever the parameters
/// (measured on 300 random parameter lists).
pub(crate) const FUTURE_DECLARATION: &str = ") -> impl ::std::future::Future<Output = ";

/// The widest line the printer keeps whole.
const PRINTER_WIDTH: usize = 89;

/// One indentation level, as prettyplease prints it.
const INDENT: &str = "    ";

/// `source` laid out as prettyplease prints it, or `None` if that is not certain.
pub fn lay_out(source: &str) -> Option<String> {
    lay_out_at(source, 0)
}

/// [`lay_out`] for source that stands `base` levels deep, such as a trait's member.
pub fn lay_out_at(source: &str, base: usize) -> Option<String> {
    let mut out = String::with_capacity(source.len());
    // Brackets left open by each line that opened some, with that line's indentation: what
    // they enclose is indented one level more, once per line, as the printer indents the
    // contents of `#[serde(` once, not twice.
    let mut open: Vec<Open> = Vec::new();
    // Inside a `where` clause: its bounds are indented one level more, until the `{`.
    let mut in_where = false;
    // The printer writes empty brackets as `{}` (`[]`, `()`) on the line that opens them.
    let mut opened_brace = false;
    for raw in super::scan::lines(source) {
        let line = super::scan::trim(raw);
        if line.is_empty() {
            continue;
        }
        let inner = open.last().map_or(base, |o| o.indent + 1);
        if is_doc_comment(line) {
            push_line(&mut out, inner + usize::from(in_where), line, "");
            continue;
        }
        if line.starts_with("//") {
            return None;
        }
        if line.starts_with("#[doc = ") {
            let text = doc_comment(line)?;
            push_line(&mut out, inner + usize::from(in_where), "///", &text);
            continue;
        }
        if opened_brace && line.starts_with(['}', ']', ')']) {
            return None;
        }
        opened_brace = line.ends_with(['{', '[', '(']);
        // The generic arguments of a return type broken over lines, `) -> F<` … `> + Send;`,
        // and of a route's handler, `handler::<` … `>,`: the only angle brackets the layout
        // follows.
        let angle_open = line.starts_with(") -> ") && line.ends_with('<') || generic_open(line);
        let angle_close = usize::from(line.starts_with("> + ") || line == ">,");
        let closers = angle_close
            + line[angle_close..]
                .bytes()
                .take_while(|b| matches!(b, b'}' | b')' | b']'))
                .count();
        let indent = if closers > 0 {
            // A closing line stands where the line that opened its bracket stands.
            let indent = open.last()?.indent;
            close(&mut open, closers)?;
            indent
        } else {
            // A method call continuing a chain is indented one level more than its receiver.
            inner + usize::from(in_where && line != "{") + usize::from(line.starts_with('.'))
        };
        let width = columns(indent, line.len());
        let limit = if line.starts_with(FUTURE_DECLARATION) && line.ends_with("> + Send;") {
            PRINTER_WIDTH
        } else if line.starts_with(") ->") {
            RETURN_TYPE_WIDTH
        } else {
            WIDTH
        };
        let mut broken = None;
        if width > limit && !unbreakable(line) && !(closure_head(line) && width <= CLOSURE_WIDTH) {
            let within = open.last().map_or(Opener::Other, |o| o.opener);
            broken = Some(break_line(line, indent, within)?);
        }
        let (closed, mut opened) = brackets(&line[closers..])?;
        opened += usize::from(angle_open);
        close(&mut open, closed)?;
        if opened > 0 {
            open.push(Open {
                count: opened,
                indent,
                opener: Opener::of(line),
            });
        }
        match line {
            "where" => in_where = true,
            "{" => in_where = false,
            _ => {}
        }
        match broken {
            Some(lines) => {
                for (depth, text) in lines {
                    push_line(&mut out, depth, &text, "");
                }
            }
            None => push_line(&mut out, indent, line, ""),
        }
    }
    (open.is_empty() && !in_where).then_some(out)
}

/// A line too long to stay whole, as the printer breaks it (each piece with its indentation),
/// for the shapes whose breaking is known: a trait impl's head breaks before `for`, a field's
/// type at the angle brackets of its generic arguments, one argument per line, as deep as
/// needed, and a one-field tuple variant inside its parentheses. A router's route the renderer
/// laid out whole is taken up to the printer's exact edge. `None` for anything else, and for widths at the printer's edge.
fn break_line(line: &str, indent: usize, within: Opener) -> Option<Vec<(usize, String)>> {
    let mut lines = Vec::new();
    if let Some(head) = line
        .strip_prefix("impl ")
        .and_then(|l| l.strip_suffix(" {"))
    {
        let (trait_path, self_type) = head.split_once(" for ")?;
        if !(is_path(trait_path) && is_path(self_type)) || fits(indent, line.len())? {
            return None;
        }
        lines.push((indent, format!("impl {trait_path}")));
        lines.push((indent, format!("for {self_type} {{")));
        return Some(lines);
    }
    if let Some(counted) = exact_edge(line) {
        return within_printer_width(indent, counted.len())
            .then(|| vec![(indent, line.to_owned())]);
    }
    let field = line.strip_suffix(',')?;
    // A tuple variant of one field breaks inside its parentheses, as a generic argument list.
    if within == Opener::Enum
        && let Some((variant, rest)) = field.split_once('(')
        && variant.starts_with(|c: char| c.is_ascii_uppercase())
        && variant.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        let ty = rest.strip_suffix(')')?;
        if top_level_args(ty).len() != 1 || fits(indent, line.len())? {
            return None;
        }
        lines.push((indent, format!("{variant}(")));
        if !type_lines(indent + 1, "", ty, false, &mut lines) {
            return None;
        }
        lines.push((indent, "),".to_owned()));
        return Some(lines);
    }
    // A field; a parameter would look the same, but its comma does not count. In a variant,
    // only the last field's comma does not count: where the comma decides, give up.
    let comma_decides =
        within_printer_width(indent, field.len()) && !within_printer_width(indent, line.len());
    if !(within == Opener::Struct || within == Opener::Variant && !comma_decides) {
        return None;
    }
    let (name, ty) = field.split_once(": ")?;
    let name_ok = name
        .strip_prefix("pub ")
        .unwrap_or(name)
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'#');
    if !name_ok || !type_lines(indent, &format!("{name}: "), ty, true, &mut lines) {
        return None;
    }
    Some(lines)
}

/// The part that counts towards the width of a line whose shape the printer keeps whole up to
/// its width exactly, and breaks past it as the renderer did (measured; each renderer's shape
/// is swept across the width in its tests): a router's route, whole, and the method chain of a
/// broken one; a method of a broken chain, `.get(handler::<T>)`, and the handler alone inside
/// one that broke too, `handler::<T>,` (their trailing commas left out); an enum's one-line
/// `ALL` constant. `None` for any other line.
fn exact_edge(line: &str) -> Option<&str> {
    let without_comma = line.strip_suffix(',').unwrap_or(line);
    let route = line.starts_with(".route(") && line.ends_with(')')
        || line.starts_with("rt::methods().") && line.ends_with("),");
    let handler = line.strip_suffix("::<T>,").is_some_and(is_identifier);
    let all_values =
        line.starts_with("pub const ALL: &'static [Self] = &[") && line.ends_with("];");
    (route || handler || all_values || route_method_call(without_comma)).then_some(without_comma)
}

/// Whether `call` is `.method(handler::<T>)` of a router's method chain.
fn route_method_call(call: &str) -> bool {
    call.strip_prefix('.')
        .and_then(|call| call.split_once('('))
        .and_then(|(method, handler)| Some((method, handler.strip_suffix("::<T>)")?)))
        .is_some_and(|(method, handler)| {
            method.bytes().all(|b| b.is_ascii_lowercase()) && is_identifier(handler)
        })
}

/// Whether `line` opens the generic arguments of a plain name, `handler::<`, as the printer
/// breaks a route's handler too long for its line.
fn generic_open(line: &str) -> bool {
    line.strip_suffix("::<").is_some_and(is_identifier)
}

/// Whether `text` is a plain Rust identifier.
fn is_identifier(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Lays out `prefix` + `ty` + a comma at `indent`, breaking at generic arguments as the printer
/// does; false where that is not certain. The comma after a field counts towards its width,
/// the trailing comma after a generic argument does not (the printer writes it only when it
/// breaks), so a last argument stays whole up to the edge plus its comma. Both edges are
/// exact (measured; `tests/layout.rs` sweeps type names across them).
fn type_lines(
    indent: usize,
    prefix: &str,
    ty: &str,
    comma_counts: bool,
    lines: &mut Vec<(usize, String)>,
) -> bool {
    let width = prefix.len() + ty.len() + usize::from(comma_counts);
    let Some((outer, args)) = ty.strip_suffix('>').and_then(|t| t.split_once('<')) else {
        // Without generic arguments, a path has nowhere to break.
        let whole = is_path(ty);
        if whole {
            lines.push((indent, format!("{prefix}{ty},")));
        }
        return whole;
    };
    if within_printer_width(indent, width) {
        lines.push((indent, format!("{prefix}{ty},")));
        return is_type(ty);
    }
    if !is_path(outer) {
        return false;
    }
    lines.push((indent, format!("{prefix}{outer}<")));
    let args = top_level_args(args);
    let last = args.len().saturating_sub(1);
    for (position, arg) in args.into_iter().enumerate() {
        if !type_lines(indent + 1, "", arg, position != last, lines) {
            return false;
        }
    }
    lines.push((indent, ">,".to_owned()));
    true
}

/// The comma-separated arguments of a generic argument list, split only at its own level.
fn top_level_args(args: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (at, byte) in args.bytes().enumerate() {
        match byte {
            b'<' => depth += 1,
            b'>' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                parts.push(args[start..at].trim());
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(args[start..].trim());
    parts
}

/// A type path without generic arguments: `Name`, `::std::string::String`.
fn is_path(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':')
}

/// A path with generic arguments made of paths: all the type syntax [`type_lines`] follows.
fn is_type(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'<' | b'>' | b',' | b' '))
}

/// What a line that leaves brackets open opens: where a field's or a variant's comma counts
/// towards the width differs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Opener {
    /// A struct's fields: each comma counts.
    Struct,
    /// An enum's variants: each comma counts.
    Enum,
    /// A variant's fields: the last one's comma does not count, the others' do.
    Variant,
    /// Anything else, such as a function's parameters, whose last comma does not count.
    Other,
}

impl Opener {
    fn of(line: &str) -> Opener {
        let Some(head) = line.strip_suffix(" {") else {
            return Opener::Other;
        };
        let head = head.strip_prefix("pub ").unwrap_or(head);
        if head.starts_with("struct ") {
            Opener::Struct
        } else if head.starts_with("enum ") {
            Opener::Enum
        } else if head.starts_with(|c: char| c.is_ascii_uppercase())
            && head.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            Opener::Variant
        } else {
            Opener::Other
        }
    }
}

/// Brackets one line left open.
struct Open {
    count: usize,
    /// The indentation of the line that opened them.
    indent: usize,
    /// What that line opens.
    opener: Opener,
}

/// Whether the printer has nowhere to break `line`: a string literal alone, after a field name
/// or as a `&str` constant's value. Such a line stays whole however long it is.
fn unbreakable(line: &str) -> bool {
    if generic_open(line) {
        return true;
    }
    // An item's head with a plain name: the printer breaks nowhere in it.
    if let Some(head) = line.strip_suffix(" {") {
        let name = head
            .strip_prefix("pub struct ")
            .or_else(|| head.strip_prefix("pub enum "))
            .or_else(|| head.strip_prefix("impl "));
        if name.is_some_and(|name| name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')) {
            return true;
        }
        // The second line of a trait impl's head broken before `for`.
        if head.strip_prefix("for ").is_some_and(is_path) {
            return true;
        }
    }
    let Some(code) = line.strip_suffix([',', ';']) else {
        return false;
    };
    let Some(start) = code.find('"') else {
        return false;
    };
    let (before, literal) = code.split_at(start);
    let field =
        |name: &str| !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    let constant = |name: &str| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    };
    let before_ok = before.is_empty()
        || before.strip_suffix(": ").is_some_and(field)
        || before
            .strip_prefix("const ")
            .and_then(|rest| rest.strip_suffix(": &str = "))
            .is_some_and(constant);
    before_ok && string_value(literal).is_some()
}

fn closure_head(line: &str) -> bool {
    line.starts_with("move |") && line.ends_with("| async move {")
}

/// Whether a line of `len` bytes at `indent` levels is one the printer keeps whole
/// (`Some(true)`) or breaks (`Some(false)`); `None` if the fast layout cannot take it whole
/// although the printer would (89 columns). `len` leaves out a trailing comma, which the
/// printer does not count: a match arm, a call argument or a closure argument stays whole up
/// to 89 columns plus its comma, and breaks from 90 on (measured; `tests/layout.rs` sweeps
/// names across that edge). Renderers that choose between a joined and a broken form ask this.
pub fn fits(indent: usize, len: usize) -> Option<bool> {
    let width = columns(indent, len);
    if width < WIDTH {
        Some(true)
    } else if width > PRINTER_WIDTH {
        Some(false)
    } else {
        None
    }
}

/// Whether a line of `len` bytes at `indent` levels stays whole, for the shapes whose edge is
/// measured exactly and the same wherever they stand (a field's type, a route of the router):
/// the printer keeps them whole up to its width and breaks them past it.
pub(crate) fn within_printer_width(indent: usize, len: usize) -> bool {
    columns(indent, len) <= PRINTER_WIDTH
}

/// The columns a line of `len` bytes takes at `indent` levels.
pub(crate) fn columns(indent: usize, len: usize) -> usize {
    indent * INDENT.len() + len
}

/// Closes `count` brackets, the innermost first; `None` if fewer are open.
fn close(open: &mut Vec<Open>, mut count: usize) -> Option<()> {
    while count > 0 {
        let last = open.last_mut()?;
        let closed = count.min(last.count);
        last.count -= closed;
        count -= closed;
        if last.count == 0 {
            open.pop();
        }
    }
    Some(())
}

/// `source` cut into its top-level items (with the attributes and docs before each), so that
/// one item the fast layout cannot vouch for does not send its neighbours to the printer.
pub fn items(source: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut start, mut offset, mut depth) = (0, 0, 0usize);
    for line in super::scan::split_inclusive(source) {
        offset += line.len();
        let code = super::scan::trim(line);
        if code.starts_with("//") {
            continue;
        }
        // An unbalanced or unterminated line: leave the rest whole, for the printer to judge.
        let Some((closed, opened)) = brackets(code) else {
            break;
        };
        let Some(after) = depth.checked_sub(closed) else {
            break;
        };
        depth = after + opened;
        if depth == 0 && (code.ends_with('}') || code.ends_with(';')) {
            items.push(&source[start..offset]);
            start = offset;
        }
    }
    if super::scan::trim(&source[start..]).is_empty() {
        if let Some(last) = items.pop() {
            // Trailing blank lines belong to the last item.
            let begin = last.as_ptr() as usize - source.as_ptr() as usize;
            items.push(&source[begin..]);
        }
    } else {
        items.push(&source[start..]);
    }
    items
}

fn push_line(out: &mut String, indent: usize, start: &str, rest: &str) {
    for _ in 0..indent {
        out.push_str(INDENT);
    }
    out.push_str(start);
    out.push_str(rest);
    out.push('\n');
}

fn is_doc_comment(line: &str) -> bool {
    line == "///" || (line.starts_with("/// ") && !line.starts_with("////"))
}

/// How many brackets `line` closes that it did not open, and how many it leaves open,
/// outside string literals; `None` if it leaves a string open.
fn brackets(line: &str) -> Option<(usize, usize)> {
    let bytes = line.as_bytes();
    let (mut closed, mut opened, mut at) = (0usize, 0usize, 0);
    while let Some(&byte) = bytes.get(at) {
        match BRACKET_CLASS[usize::from(byte)] {
            OPENS => opened += 1,
            CLOSES => match opened.checked_sub(1) {
                Some(left) => opened = left,
                None => closed += 1,
            },
            QUOTE => loop {
                // To the string's closing quote; an escape's next byte is skipped.
                at += 1 + memchr::memchr2(b'"', b'\\', bytes.get(at + 1..)?)?;
                if bytes[at] == b'"' {
                    break;
                }
                at += 1;
            },
            _ => {}
        }
        at += 1;
    }
    Some((closed, opened))
}

const NOT_BRACKET: u8 = 0;
const OPENS: u8 = 1;
const CLOSES: u8 = 2;
const QUOTE: u8 = 3;

/// What each byte is to [`brackets`]: a table, as most bytes are none of them.
static BRACKET_CLASS: [u8; 256] = {
    let mut class = [NOT_BRACKET; 256];
    class[b'{' as usize] = OPENS;
    class[b'(' as usize] = OPENS;
    class[b'[' as usize] = OPENS;
    class[b'}' as usize] = CLOSES;
    class[b')' as usize] = CLOSES;
    class[b']' as usize] = CLOSES;
    class[b'"' as usize] = QUOTE;
    class
};

/// What prettyplease prints after `///` for a `#[doc = "..."]` line: the literal's value with
/// trailing spaces trimmed, if it is one line that does not start with `/` (which the printer
/// writes another way).
fn doc_comment(line: &str) -> Option<String> {
    let literal = line.strip_prefix("#[doc = ")?.strip_suffix(']')?;
    let mut value = string_value(literal)?;
    if value.starts_with('/') || value.chars().any(char::is_control) {
        return None;
    }
    value.truncate(value.trim_end_matches(' ').len());
    Some(value)
}

/// The value of a plain string literal (`"..."`) with the escapes `text::string_literal`
/// writes; `None` for anything else.
fn string_value(literal: &str) -> Option<String> {
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
    let mut value = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return None,
            '\\' => match chars.next()? {
                '"' => value.push('"'),
                '\\' => value.push('\\'),
                '\'' => value.push('\''),
                'u' => {
                    if chars.next()? != '{' {
                        return None;
                    }
                    let mut code = 0u32;
                    loop {
                        let digit = chars.next()?;
                        if digit == '}' {
                            break;
                        }
                        code = code.checked_mul(16)?.checked_add(digit.to_digit(16)?)?;
                    }
                    value.push(char::from_u32(code)?);
                }
                // Control characters, which a `///` line cannot hold as they are.
                _ => return None,
            },
            c => value.push(c),
        }
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-by-byte reading [`brackets`] gives the answers of.
    fn brackets_bytewise(line: &str) -> Option<(usize, usize)> {
        let (mut closed, mut opened) = (0usize, 0usize);
        let mut bytes = line.bytes();
        while let Some(byte) = bytes.next() {
            match byte {
                b'{' | b'(' | b'[' => opened += 1,
                b'}' | b')' | b']' => match opened.checked_sub(1) {
                    Some(left) => opened = left,
                    None => closed += 1,
                },
                b'"' => loop {
                    match bytes.next()? {
                        b'\\' => {
                            bytes.next()?;
                        }
                        b'"' => break,
                        _ => {}
                    }
                },
                _ => {}
            }
        }
        Some((closed, opened))
    }

    #[test]
    fn brackets_are_counted_outside_strings() {
        // Every line of up to six bytes from brackets, quotes, escapes and letters.
        let alphabet = [b'{', b')', b'[', b']', b'"', b'\\', b'a'];
        let mut lines = vec![Vec::new()];
        for _ in 0..6 {
            lines = lines
                .iter()
                .flat_map(|line| {
                    alphabet.iter().map(move |&b| {
                        let mut next = line.clone();
                        next.push(b);
                        next
                    })
                })
                .collect();
            for line in &lines {
                let line = std::str::from_utf8(line).unwrap();
                assert_eq!(brackets(line), brackets_bytewise(line), "{line:?}");
            }
        }
        for line in [r#"f("a\"b(", x) {"#, r#"}) "\\" ["#, "\"größe\" ("] {
            assert_eq!(brackets(line), brackets_bytewise(line), "{line:?}");
        }
    }

    use crate::format::printed;

    #[test]
    fn a_struct_comes_out_as_the_printer_prints_it() {
        let source = "#[doc = \" A \\\"thing\\\" \\u{e9}.  \"]\n#[doc = \"\"]\n\
            #[derive(Debug, Clone)]\npub struct Thing {\n#[doc = \" Its name.\"]\n    \
            #[serde(rename = \"na}me\")]\n        pub name: Option<String>,\n}\n\
            impl Thing {\n  /// Says so.\n pub fn f<S>(&self) -> bool\nwhere\nS: Clone,\n{\n\n\
            true\n}\n}\npub struct B {\n#[serde(\ndefault,\nskip_serializing_if = \"Option::is_none\",\n\
            deserialize_with = \"deserialize_present\"\n)]\npub b: i64,\n}\n";
        assert_eq!(lay_out(source).unwrap(), printed(source));
    }

    #[test]
    fn items_are_cut_where_they_end() {
        let source = "#[doc = \" a;\"]\npub struct A {\n}\nimpl A {\n    fn f() {}\n}\n\
            pub type B = [u8; 2];\n\n";
        assert_eq!(
            items(source),
            [
                "#[doc = \" a;\"]\npub struct A {\n}\n",
                "impl A {\n    fn f() {}\n}\n",
                "pub type B = [u8; 2];\n\n"
            ]
        );
        assert_eq!(items("pub struct A {\n"), ["pub struct A {\n"]);
    }

    #[test]
    fn it_gives_up_where_the_printer_might_differ() {
        let long = format!("pub struct A(pub Vec<{}>);\n", "B".repeat(85));
        for source in [
            long.as_str(),
            "#[doc = \"/ slash\"]\npub struct A;\n",
            "#[doc = \" two\\nlines\"]\npub struct A;\n",
            "#[doc = r\" raw\"]\npub struct A;\n",
            "// a comment\npub struct A;\n",
            "pub struct A {\n",
            "pub struct A }\n",
            "pub struct A {\n}\n",
            "pub const A: &str = \"open;\n",
        ] {
            assert_eq!(lay_out(source), None, "{source}");
        }
    }
}
