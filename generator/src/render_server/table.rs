//! The `OPERATIONS` table, compact: each distinct parameter, parameter list, body and security
//! requirement is written once, as a named constant, and an operation's row, one line, names
//! them. Real specs repeat the same few (autotask.net: 13,696 parameters, 11 distinct; 898
//! bodies, 202 distinct), so the table grows by a line per operation.

use std::collections::BTreeMap;

use super::{BodyModel, CredentialSource, OperationModel, ParamModel, SecurityModel};
use crate::ir::Docs;
use crate::naming::{self, Scope};

/// The constants the rows of `OPERATIONS` name.
pub(super) struct Table {
    pub(super) params: Vec<ParamConst>,
    pub(super) lists: Vec<ListConst>,
    pub(super) bodies: Vec<BodyConst>,
    pub(super) securities: Vec<SecurityConst>,
}

/// One distinct request body: an `rt::BodySpec` constant.
pub(super) struct BodyConst {
    pub(super) name: String,
    pub(super) docs: String,
    pub(super) schema_literal: String,
    pub(super) media: &'static str,
    pub(super) accept: String,
    pub(super) form: String,
}

/// What makes two bodies the same constant: every field of the `rt::BodySpec`.
type BodyKey = (String, &'static str, String, String);

fn body_key(body: &BodyModel) -> BodyKey {
    (
        body.schema_literal.clone(),
        body.media,
        body.accept.clone(),
        body.form.clone(),
    )
}

/// One distinct parameter: an `rt::ParamSpec` constant.
pub(super) struct ParamConst {
    pub(super) name: String,
    pub(super) docs: String,
    pub(super) wire_literal: String,
    pub(super) key_literal: String,
    pub(super) location: String,
    pub(super) required: bool,
    pub(super) coerce: String,
    pub(super) array: bool,
    pub(super) schema_literal: String,
}

/// One distinct parameter list: a `&[rt::ParamSpec]` constant of parameter constants.
pub(super) struct ListConst {
    pub(super) name: String,
    pub(super) docs: String,
    pub(super) params: Vec<String>,
}

impl ListConst {
    /// The constant, laid out.
    pub(super) fn source(&self) -> String {
        super::laid::nested(super::laid::list(
            &format!("const {}: &[rt::ParamSpec] = &[", self.name),
            &self.params,
            "];",
        ))
    }
}

/// One distinct security: an `rt::Security` constant.
pub(super) struct SecurityConst {
    pub(super) name: String,
    pub(super) docs: String,
    pub(super) requirements: Vec<Vec<(String, String)>>,
    pub(super) optional: bool,
}

/// What makes two parameters the same constant: every field of the `rt::ParamSpec`.
type ParamKey = (String, String, String, bool, String, bool, String);

fn param_key(param: &ParamModel) -> ParamKey {
    (
        param.wire_literal.clone(),
        param.key_literal.clone(),
        param.location.clone(),
        param.required,
        param.coerce.clone(),
        param.array,
        param.schema_literal.clone(),
    )
}

fn security_key(security: &SecurityModel) -> SecurityKey {
    let requirements = security
        .requirements
        .iter()
        .map(|requirement| {
            requirement
                .iter()
                .map(|CredentialSource { source, scopes }| (source.clone(), scopes.clone()))
                .collect()
        })
        .collect();
    (requirements, security.optional)
}

/// `name`, or `name_2`, `name_3`, ... if taken.
fn claim(names: &mut Scope, name: &str) -> String {
    if names.reserve(name) {
        return name.to_owned();
    }
    (2..)
        .map(|n| format!("{name}_{n}"))
        .find(|candidate| names.reserve(candidate))
        .unwrap_or_default()
}

/// "`GET /a`" or "`GET /a` and 3 other operations".
fn users(routes: &[&str]) -> String {
    match routes.len() {
        0 | 1 => routes.concat(),
        2 => format!("{} and one other operation", routes[0]),
        n => format!("{} and {} other operations", routes[0], n - 1),
    }
}

/// What makes two securities the same constant: the alternatives and whether none is needed.
type SecurityKey = (Vec<Vec<(String, String)>>, bool);

/// Distinct values in the order they first appear, each with the routes that use it.
struct Distinct<'a, K> {
    index: BTreeMap<K, usize>,
    values: Vec<(K, Vec<&'a str>)>,
}

impl<'a, K: Ord + Clone> Distinct<'a, K> {
    fn new() -> Self {
        Distinct {
            index: BTreeMap::new(),
            values: Vec::new(),
        }
    }

    /// The position of `key`, added if new; `route` is noted as a user.
    fn add(&mut self, key: K, route: &'a str) -> usize {
        let next = self.values.len();
        let index = *self.index.entry(key.clone()).or_insert(next);
        if index == next {
            self.values.push((key, Vec::new()));
        }
        self.values[index].1.push(route);
        index
    }
}

/// Names the distinct parameters, lists, bodies and securities of `operations`, in the order
/// they first appear, and sets each operation's `table_row` to its row of `OPERATIONS`. `names`
/// holds the module's other constants.
pub(super) fn build(operations: &mut [OperationModel], names: &mut Scope) -> Table {
    let mut params: Vec<ParamConst> = Vec::new();
    let mut param_index: BTreeMap<ParamKey, usize> = BTreeMap::new();
    let mut lists: Distinct<Vec<usize>> = Distinct::new();
    let mut bodies: Distinct<BodyKey> = Distinct::new();
    let mut securities: Distinct<SecurityKey> = Distinct::new();
    let mut rows = Vec::with_capacity(operations.len());
    for op in operations.iter() {
        let members: Vec<usize> = op
            .params
            .iter()
            .map(|param| {
                *param_index.entry(param_key(param)).or_insert_with(|| {
                    params.push(param_const(param, names));
                    params.len() - 1
                })
            })
            .collect();
        let route = op.route.as_str();
        rows.push((
            (!members.is_empty()).then(|| lists.add(members, route)),
            op.body.as_ref().map(|body| {
                if body.alternatives.is_empty() {
                    vec![bodies.add(body_key(body), route)]
                } else {
                    body.alternatives
                        .iter()
                        .map(|alternative| bodies.add(body_key(alternative), route))
                        .collect()
                }
            }),
            op.security
                .as_ref()
                .map(|security| securities.add(security_key(security), route)),
        ));
    }

    let lists: Vec<ListConst> = lists
        .values
        .into_iter()
        .enumerate()
        .map(|(index, (members, routes))| ListConst {
            name: claim(names, &format!("PARAMS_{}", index + 1)),
            docs: Docs(Some(format!("The parameters of {}.", users(&routes)))).attributes(),
            params: members
                .iter()
                .map(|&index| params[index].name.clone())
                .collect(),
        })
        .collect();
    let bodies: Vec<BodyConst> = bodies
        .values
        .into_iter()
        .enumerate()
        .map(
            |(index, ((schema_literal, media, accept, form), routes))| BodyConst {
                name: claim(names, &format!("BODY_{}", index + 1)),
                docs: Docs(Some(format!("The request body of {}.", users(&routes)))).attributes(),
                schema_literal,
                media,
                accept,
                form,
            },
        )
        .collect();
    let securities: Vec<SecurityConst> = securities
        .values
        .into_iter()
        .enumerate()
        .map(
            |(index, ((requirements, optional), routes))| SecurityConst {
                name: claim(names, &format!("SECURITY_{}", index + 1)),
                docs: Docs(Some(format!("The security of {}.", users(&routes)))).attributes(),
                requirements,
                optional,
            },
        )
        .collect();
    for (op, (list, body, security)) in operations.iter_mut().zip(rows) {
        let security = security.map_or("rt::Security::NONE", |i| &securities[i].name);
        let params = list.map_or("&[]", |i| &lists[i].name);
        let several = op.body.as_ref().is_some_and(|b| !b.alternatives.is_empty());
        op.table_row = match body {
            None => format!("rt::OperationSpec::new({security}, {params}, None)"),
            Some(indices) if several => format!(
                "rt::OperationSpec::new({security}, {params}, None).several(&[{}])",
                indices
                    .iter()
                    .map(|&i| bodies[i].name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Some(indices) => format!(
                "rt::OperationSpec::new({security}, {params}, Some({}))",
                bodies[indices[0]].name
            ),
        };
    }
    Table {
        params,
        lists,
        bodies,
        securities,
    }
}

fn param_const(param: &ParamModel, names: &mut Scope) -> ParamConst {
    let field = param.field.trim_start_matches("r#");
    let name = naming::constant_name(&format!("{} {field}", param.place));
    ParamConst {
        name: claim(names, &name),
        docs: Docs(Some(format!(
            "The {} parameter `{}`.",
            param.place, param.wire_name
        )))
        .attributes(),
        wire_literal: param.wire_literal.clone(),
        key_literal: param.key_literal.clone(),
        location: param.location.clone(),
        required: param.required,
        coerce: param.coerce.clone(),
        array: param.array,
        schema_literal: param.schema_literal.clone(),
    }
}
