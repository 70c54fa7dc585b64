//! The planned checks as Rust: the check functions and each body's fast-path closure, as
//! `bool` expressions over the typed value.

use std::collections::BTreeMap;

use super::{Check, CheckFn, PlannedBody, TypedBody};
use crate::text;

/// The check functions, named: what renders them and each body's fast path.
pub struct Finished {
    /// Per checked type, its function's name.
    pub(super) names: BTreeMap<String, String>,
    /// Per checked type, its own checks.
    pub(super) checks: BTreeMap<String, Vec<Check>>,
    pub(super) types_path: String,
}

impl Finished {
    /// The functions, sorted by type name.
    pub fn functions(&self) -> Vec<CheckFn> {
        self.names
            .iter()
            .map(|(name, function)| CheckFn {
                name: function.clone(),
                ty: format!("{}{name}", self.types_path),
                conditions: render(
                    &Subject::reference("value"),
                    &self.checks[name],
                    0,
                    &self.names,
                ),
            })
            .collect()
    }

    /// The fast path of `body`, whose type is `ty` (as a path from the server module).
    pub fn typed_body(&self, body: &PlannedBody, ty: &str) -> TypedBody {
        let check = match body.checks.as_slice() {
            [Check::Named(name)] if self.names.contains_key(name) => self.names[name].clone(),
            checks => {
                let conditions = render(&Subject::reference("body"), checks, 0, &self.names);
                if conditions.is_empty() {
                    format!("|_: &{ty}| true")
                } else {
                    format!("|body: &{ty}| {}", conditions.join(" && "))
                }
            }
        };
        TypedBody {
            check,
            arrays: body.arrays,
        }
    }
}

/// How a checked value is reached in generated code.
struct Subject {
    expr: String,
    /// Whether `expr` is a reference (a closure argument) rather than a place.
    is_ref: bool,
}

impl Subject {
    fn reference(name: &str) -> Self {
        Subject {
            expr: name.to_owned(),
            is_ref: true,
        }
    }

    /// As a function argument of type `&T` (deref coercion does the rest).
    fn arg(&self) -> String {
        if self.is_ref {
            self.expr.clone()
        } else {
            format!("&{}", self.expr)
        }
    }

    /// The value itself, for `Copy` numbers.
    fn value(&self) -> String {
        if self.is_ref {
            format!("*{}", self.expr)
        } else {
            self.expr.clone()
        }
    }

    fn field(&self, name: &str) -> Subject {
        Subject {
            expr: format!("{}.{name}", self.expr),
            is_ref: false,
        }
    }

    fn unboxed(&self) -> Subject {
        Subject {
            expr: format!("(*{})", self.value()),
            is_ref: false,
        }
    }
}

/// The conditions of `checks` on `subject`, each a `bool` expression.
fn render(
    subject: &Subject,
    checks: &[Check],
    depth: usize,
    functions: &BTreeMap<String, String>,
) -> Vec<String> {
    let item = format!("v{depth}");
    let nested = |inner: &[Check], subject: &Subject| {
        render(subject, inner, depth + 1, functions).join(" && ")
    };
    let mut out = Vec::new();
    // Two bounds on one value read as a range (as clippy asks).
    let int_low = checks.iter().find_map(|c| match c {
        Check::IntAtLeast(n) => Some(*n),
        _ => None,
    });
    let int_high = checks.iter().find_map(|c| match c {
        Check::IntAtMost(n) => Some(*n),
        _ => None,
    });
    let float_low = checks.iter().find_map(|c| match c {
        Check::FloatAbove { bound, exclusive } => Some((*bound, *exclusive)),
        _ => None,
    });
    let float_high = checks.iter().find_map(|c| match c {
        Check::FloatBelow { bound, exclusive } => Some((*bound, *exclusive)),
        _ => None,
    });
    let int_range = int_low.zip(int_high);
    let float_range = float_low
        .zip(float_high)
        .filter(|((_, low_exclusive), _)| !low_exclusive);
    let integer = || format!("i128::from({})", subject.value());
    for check in checks {
        let condition = match check {
            Check::MinChars(n) => format!("rt::chars_at_least({}, {n})", subject.arg()),
            Check::MaxChars(n) => format!("rt::chars_at_most({}, {n})", subject.arg()),
            Check::OneOf(values) => {
                let literals: Vec<String> =
                    values.iter().map(|v| text::string_literal(v)).collect();
                if literals.is_empty() {
                    "false".to_owned()
                } else {
                    format!(
                        "matches!({}.as_str(), {})",
                        subject.expr,
                        literals.join(" | ")
                    )
                }
            }
            Check::IntAtLeast(n) => match int_range {
                Some((low, high)) => format!("({low}..={high}).contains(&{})", integer()),
                None => format!("{} >= {n}", integer()),
            },
            Check::IntAtMost(n) => match int_range {
                Some(_) => continue,
                None => format!("{} <= {n}", integer()),
            },
            Check::FloatAbove { bound, exclusive } => match float_range {
                Some(((low, _), (high, high_exclusive))) => format!(
                    "({low:?}..{}{high:?}).contains({})",
                    if high_exclusive { "" } else { "=" },
                    subject.arg()
                ),
                None => format!(
                    "{} {} {bound:?}",
                    subject.value(),
                    if *exclusive { ">" } else { ">=" }
                ),
            },
            Check::FloatBelow { bound, exclusive } => match float_range {
                Some(_) => continue,
                None => format!(
                    "{} {} {bound:?}",
                    subject.value(),
                    if *exclusive { "<" } else { "<=" }
                ),
            },
            Check::MinLen(0) => continue,
            Check::MinLen(1) => format!("!{}.is_empty()", subject.expr),
            Check::MinLen(n) => format!("{}.len() >= {n}", subject.expr),
            Check::MaxLen(n) => format!("{}.len() <= {n}", subject.expr),
            Check::Named(name) => match functions.get(name) {
                Some(function) => format!("{function}({})", subject.arg()),
                None => continue,
            },
            Check::IfSome(inner) | Check::EachItem(inner) | Check::EachValue(inner) => {
                let method = match check {
                    Check::IfSome(_) => "as_ref().is_none_or",
                    Check::EachItem(_) => "iter().all",
                    _ => "values().all",
                };
                match closure(&item, &nested(inner, &Subject::reference(&item))) {
                    Some(body) => format!("{}.{method}({body})", subject.expr),
                    None => continue,
                }
            }
            Check::Unboxed(inner) => {
                out.extend(render(&subject.unboxed(), inner, depth, functions));
                continue;
            }
            Check::Field(name, inner) => {
                out.extend(render(&subject.field(name), inner, depth, functions));
                continue;
            }
        };
        out.push(condition);
    }
    out
}

/// `|item| body` as an argument; a call of one function on `item` is passed as the function
/// itself (as clippy asks). `None` when there is nothing to check.
fn closure(item: &str, body: &str) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    if let Some(function) = body.strip_suffix(&format!("({item})"))
        && function
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Some(function.to_owned());
    }
    Some(format!("|{item}| {body}"))
}
