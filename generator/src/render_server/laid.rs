//! Server source written the way the printer lays it out, so the fast layout can copy it
//! without a syntax tree (see `format::layout`). Where the printer's choice between a joined
//! line and a broken one depends on the width, these helpers make it with a margin; too close
//! to tell, they mark the item with [`UNSURE`] and the printer lays it out.

use crate::format::{CLOSURE_WIDTH, FUTURE_DECLARATION, columns, fits, within_printer_width};

/// A comment line that sends its item to the printer (the fast layout never copies comments;
/// syn drops them).
pub(super) const UNSURE: &str = "// laid out by the printer\n";

/// A Rust expression as the renderers build it: an atom, or a call whose arguments the
/// printer puts one per line when the call does not fit.
pub(super) enum Expr {
    Atom(String),
    Call { function: String, args: Vec<Expr> },
}

impl Expr {
    pub(super) fn call(function: &str, args: Vec<Expr>) -> Expr {
        Expr::Call {
            function: function.to_owned(),
            args,
        }
    }

    pub(super) fn atom(text: impl Into<String>) -> Expr {
        Expr::Atom(text.into())
    }

    /// The expression on one line.
    pub(super) fn joined(&self) -> String {
        match self {
            Expr::Atom(text) => text.clone(),
            Expr::Call { function, args } => {
                let args: Vec<String> = args.iter().map(Expr::joined).collect();
                format!("{function}({})", args.join(", "))
            }
        }
    }

    /// The expression's lines at `indent` levels with `suffix` after it, as the printer
    /// breaks it; `None` where that is not certain.
    fn lines(&self, indent: usize, suffix: &str, out: &mut String) -> Option<()> {
        let joined = self.joined();
        // A trailing comma does not count (see `fits`).
        let counted = joined.len() + usize::from(suffix != ",") * suffix.len();
        match (self, fits(indent, counted)?) {
            (_, true) | (Expr::Atom(_), false) => {
                // An atom has nowhere to break: the fast layout judges its length.
                line(out, &joined, suffix);
            }
            // Deep in, the printer stops breaking (it keeps 60 columns of room at least).
            (Expr::Call { .. }, false) if indent >= DEEPEST_BREAK => return None,
            (Expr::Call { function, args }, false) => {
                line(out, function, "(");
                for arg in args {
                    arg.lines(indent + 1, ",", out)?;
                }
                line(out, ")", suffix);
            }
        }
        Some(())
    }
}

fn line(out: &mut String, text: &str, suffix: &str) {
    out.push_str(text);
    out.push_str(suffix);
    out.push('\n');
}

/// `text` if it is certain, else the joined form behind [`UNSURE`].
fn or_unsure(text: Option<String>, joined: impl FnOnce() -> String) -> String {
    text.unwrap_or_else(|| format!("{UNSURE}{}\n", joined()))
}

/// A match arm `pattern => expr,` at `indent` levels: whole if it fits, else the expression
/// in a block, as the printer writes it.
pub(super) fn arm(indent: usize, pattern: &str, expr: &Expr) -> String {
    let joined = format!("{pattern} => {},", expr.joined());
    let laid = || -> Option<String> {
        if fits(indent, joined.len() - 1)? {
            return Some(format!("{joined}\n"));
        }
        let open = format!("{pattern} => {{");
        fits(indent, open.len())?.then_some(())?;
        let mut out = format!("{open}\n");
        expr.lines(indent + 1, "", &mut out)?;
        out.push_str("}\n");
        Some(out)
    };
    or_unsure(laid(), || joined.clone())
}

/// `expr` as the last expression of a block at `indent` levels.
pub(super) fn tail(indent: usize, expr: &Expr) -> String {
    let mut out = String::new();
    let laid = expr.lines(indent, "", &mut out).map(|()| out);
    or_unsure(laid, || expr.joined())
}

/// `let typed = …;` in a handler (indent 1): `None`, or the typed-body check. The printer
/// breaks a struct literal of two fields whatever its width.
pub(super) fn typed(check: Option<(&str, bool)>) -> String {
    let Some((check, arrays)) = check else {
        return "let typed = None;\n".to_owned();
    };
    let check = format!("check: {check},");
    let laid = format!("let typed = Some(rt::Typed {{\n{check}\narrays: {arrays},\n}});\n");
    match fits(2, check.len() - 1) {
        Some(true) => laid,
        _ => format!("{UNSURE}{laid}"),
    }
}

/// The return type ending a trait method's broken signature (indent 1): whole, or with the
/// future's output on a line of its own, as the printer breaks it past its width whatever the
/// parameters before it (see `FUTURE_DECLARATION`).
pub(super) fn future_tail(output: &str) -> String {
    let joined = format!("{FUTURE_DECLARATION}{output}> + Send;");
    if within_printer_width(1, joined.len()) {
        format!("{joined}\n")
    } else {
        format!(") -> impl ::std::future::Future<\nOutput = {output},\n> + Send;\n")
    }
}

/// `text` with every line after the first indented, so that none of a helper's lines
/// stands in the first column, where `format::split_items` looks for the start of an item.
/// The layout recomputes indentation anyway.
pub(super) fn nested(text: String) -> String {
    let mut lines = text.split_inclusive('\n');
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(lines.next().unwrap_or_default());
    for line in lines {
        out.push_str("    ");
        out.push_str(line);
    }
    out
}

/// The deepest indentation at which the fast layout breaks a call: from about 29 columns
/// in, the printer keeps lines that do not fit (measured on a chain of ten headers).
const DEEPEST_BREAK: usize = 6;

/// The closure a handler passes to `rt::serve`, as its last argument (indent 2).
pub(super) fn closure(pattern: &str, call: &str) -> String {
    let joined = format!("move |{pattern}| async move {{ {call} }},");
    let laid = || -> Option<String> {
        if fits(2, joined.len() - 1)? {
            return Some(format!("{joined}\n"));
        }
        let open = format!("move |{pattern}| async move {{");
        // The printer keeps the parameters on that line up to 101 columns (measured).
        (columns(2, open.len()) <= CLOSURE_WIDTH && fits(3, call.len())?).then_some(())?;
        Some(format!("{open}\n{call}\n}},\n"))
    };
    or_unsure(laid(), || joined.clone())
}

/// A top-level item `{open}a, b, c{close}` (an array): whole if it fits, else one element
/// per line.
pub(super) fn list(open: &str, elements: &[String], close: &str) -> String {
    let joined = format!("{open}{}{close}", elements.join(", "));
    match fits(0, joined.len()) {
        Some(true) => format!("{joined}\n"),
        Some(false) => {
            let mut out = format!("{open}\n");
            for element in elements {
                out.push_str(element);
                out.push_str(",\n");
            }
            out.push_str(close);
            out.push('\n');
            out
        }
        None => format!("{UNSURE}{joined}\n"),
    }
}

/// One `.route(path, rt::methods().get(handler)…)` of the router's chain (indent 2), with
/// `method_router` in place of `rt::methods()`.
pub(super) fn route(
    path_literal: &str,
    method_router: &str,
    methods: &[(String, String)],
) -> String {
    let calls: Vec<String> = methods
        .iter()
        .map(|(method, handler)| format!(".{method}({handler}::<T>)"))
        .collect();
    let chain = format!("{method_router}{}", calls.concat());
    let joined = format!(".route({path_literal}, {chain})");
    // Every edge is exact (measured): the joined route stays whole up to the printer's
    // width, and so does the method chain, its trailing comma left out.
    if within_printer_width(2, joined.len()) {
        return format!("{joined}\n");
    }
    let mut out = format!(".route(\n{path_literal},\n");
    if within_printer_width(3, chain.len()) {
        out.push_str(&format!("{chain},\n"));
    } else {
        out.push_str(method_router);
        out.push('\n');
        // A call that does not fit (its trailing comma left out) breaks around its handler,
        // which stays whole up to the printer's width, its comma left out too; past it, the
        // printer breaks the handler at its generic arguments.
        for (i, (call, (method, handler))) in calls.iter().zip(methods).enumerate() {
            let comma = if i + 1 == calls.len() { "," } else { "" };
            if within_printer_width(4, call.len()) {
                out.push_str(&format!("{call}{comma}\n"));
                continue;
            }
            let argument = format!("{handler}::<T>");
            if within_printer_width(5, argument.len()) {
                out.push_str(&format!(".{method}(\n{argument},\n){comma}\n"));
            } else {
                out.push_str(&format!(".{method}(\n{handler}::<\nT,\n>,\n){comma}\n"));
            }
        }
    }
    out.push_str(")\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{lay_out, printed};

    #[test]
    fn a_call_breaks_one_argument_per_line_only_where_it_does_not_fit() {
        let inner = Expr::call(
            "rt::json",
            vec![
                Expr::atom("401"),
                Expr::atom("\"application/json\""),
                Expr::atom("&body"),
            ],
        );
        let short = Expr::call(
            "rt::header",
            vec![inner, Expr::atom("\"www\""), Expr::atom("www")],
        );
        assert_eq!(
            arm(3, "Self::A { body, www }", &short),
            "Self::A { body, www } => {\nrt::header(rt::json(401, \"application/json\", &body), \"www\", www)\n}\n"
        );
        assert_eq!(
            arm(3, "Self::A", &Expr::atom("rt::empty(204)")),
            "Self::A => rt::empty(204),\n"
        );
        // At the edge of the width the printer decides.
        let edge = Expr::atom("x".repeat(89 - 12 - "Self::A => ".len()));
        assert!(arm(3, "Self::A", &edge).starts_with(UNSURE));
    }

    /// Routes whose calls and handlers cross the printer's width, with one method or several,
    /// through either method router: the fast layout takes every one and gives the printer's
    /// bytes.
    #[test]
    fn routes_come_out_as_the_printer_prints_them_across_the_width() {
        let shapes: [(&str, &[&str]); 3] = [
            ("rt::methods()", &["get"]),
            ("rt::methods()", &["get", "put"]),
            ("rt::routed_methods(PATHS_3)", &["post", "delete", "patch"]),
        ];
        for length in 20..=110 {
            for path in [
                "\"/a\"",
                "\"/enterprises/{p0}/actions/oidc/customization/properties\"",
            ] {
                for (router, methods) in shapes {
                    let methods: Vec<(String, String)> = methods
                        .iter()
                        .enumerate()
                        .map(|(i, method)| {
                            let handler = format!("handle_{}{i}", "x".repeat(length - 8));
                            ((*method).to_owned(), handler)
                        })
                        .collect();
                    let route = route(path, router, &methods);
                    let source = format!(
                        "pub fn router<T: Api>(api: T) -> axum::Router {{\naxum::Router::new()\n\
                         {route}.fallback(rt::not_found)\n}}\n"
                    );
                    assert_eq!(lay_out(&source), Some(printed(&source)), "{source}");
                }
            }
        }
    }

    /// A trait method's future crosses the printer's width: whole up to it, broken past it.
    #[test]
    fn a_future_tail_comes_out_as_the_printer_prints_it_across_the_width() {
        for length in 30..=70 {
            let tail = future_tail(&"R".repeat(length));
            let source = format!(
                "pub trait Api {{\nfn op(\n&self,\nrequest: &axum::http::request::Parts,\n{tail}}}\n"
            );
            assert_eq!(lay_out(&source), Some(printed(&source)), "{source}");
        }
    }
}
