//! Recursive types: boxing fields that close a cycle, rejecting alias cycles.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{RustType, TypeDef, TypeKind};

use super::Resolver;

impl<'a> Resolver<'a> {
    /// Boxes struct fields that would otherwise make a type contain itself.
    pub(super) fn box_recursive_fields(&mut self) {
        let edges: BTreeMap<&str, BTreeSet<String>> = self
            .types
            .iter()
            .map(|(name, def)| (name.as_str(), by_value_references(def)))
            .collect();
        // A field from S to T closes a cycle exactly when T reaches S, that is when both are in
        // the same strongly connected component: one linear pass instead of a search per field.
        let component = strongly_connected_components(&edges);
        let closes_cycle = |owner: &str, ty: &RustType| {
            let mut targets = BTreeSet::new();
            direct_references(ty, &mut targets);
            targets
                .iter()
                .any(|target| component.get(target.as_str()) == component.get(owner))
        };
        // (type, index of the field or variant)
        let mut to_box = Vec::new();
        for (name, def) in &self.types {
            let types: Vec<&RustType> = match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
                TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
                _ => Vec::new(),
            };
            for (index, ty) in types.into_iter().enumerate() {
                if closes_cycle(name, ty) {
                    to_box.push((name.clone(), index));
                }
            }
        }
        for (name, index) in to_box {
            let ty = match self.types.get_mut(&name).map(|def| &mut def.kind) {
                Some(TypeKind::Struct(s)) => &mut s.fields[index].ty,
                Some(TypeKind::Union(u)) => &mut u.variants[index].ty,
                _ => continue,
            };
            *ty = box_named(std::mem::replace(ty, RustType::Any));
        }
    }

    /// Rust rejects a type alias that refers to itself, even through `Vec`.
    pub(super) fn check_alias_cycles(&self) -> Result<()> {
        let aliases: BTreeMap<&str, BTreeSet<String>> = self
            .types
            .iter()
            .filter_map(|(name, def)| match &def.kind {
                TypeKind::Alias { target } => {
                    let mut names = BTreeSet::new();
                    collect_named(target, &mut names);
                    Some((name.as_str(), names))
                }
                _ => None,
            })
            .collect();
        let component = strongly_connected_components(&aliases);
        let mut size: BTreeMap<usize, usize> = BTreeMap::new();
        for index in component.values() {
            *size.entry(*index).or_default() += 1;
        }
        // An alias is in a cycle when it refers to itself or shares its component with another
        // alias; the first such name (in name order) is reported. Component sizes keep this
        // linear: a long chain of aliases is common in generated specs.
        let cyclic = aliases
            .iter()
            .find(|(name, refs)| refs.contains(**name) || size[&component[**name]] > 1);
        match cyclic {
            Some((start, _)) => Err(Error::at(
                ErrorKind::Unsupported,
                &self.types[*start].origin,
                format!(
                    "the schema `{start}` refers to itself without an object in between; recursive types must go through an object"
                ),
            )),
            None => Ok(()),
        }
    }
}

/// The strongly connected component of every node of `edges` (edges to names that are not
/// nodes are ignored), by Tarjan's algorithm without recursion, so deep specs cannot overflow
/// the stack.
pub(super) fn strongly_connected_components<'n>(
    edges: &BTreeMap<&'n str, BTreeSet<String>>,
) -> BTreeMap<&'n str, usize> {
    let nodes: Vec<&str> = edges.keys().copied().collect();
    let index_of: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let successors: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| {
            edges[n]
                .iter()
                .filter_map(|t| index_of.get(t.as_str()).copied())
                .collect()
        })
        .collect();
    const UNVISITED: usize = usize::MAX;
    let mut index = vec![UNVISITED; nodes.len()];
    let mut low = vec![0; nodes.len()];
    let mut on_stack = vec![false; nodes.len()];
    let mut stack = Vec::new();
    let mut component = vec![0; nodes.len()];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..nodes.len() {
        if index[root] != UNVISITED {
            continue;
        }
        // (node, position of the next successor to look at)
        let mut work = vec![(root, 0)];
        while let Some(&mut (node, ref mut next)) = work.last_mut() {
            if *next == 0 && index[node] == UNVISITED {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&successor) = successors[node].get(*next) {
                *next += 1;
                if index[successor] == UNVISITED {
                    work.push((successor, 0));
                } else if on_stack[successor] {
                    low[node] = low[node].min(index[successor]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    nodes.into_iter().zip(component).collect()
}

/// Names a type refers to without indirection (`Vec` and maps are indirection; `Option` is not).
pub(super) fn by_value_references(def: &TypeDef) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .for_each(|f| direct_references(&f.ty, &mut out)),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .for_each(|v| direct_references(&v.ty, &mut out)),
        TypeKind::Alias { target } => direct_references(target, &mut out),
        TypeKind::Enum(_) | TypeKind::ValueEnum(_) => {}
    }
    out
}

/// The names `ty` holds by value: through `Option` and tuples, not `Vec`, maps or `Box`.
fn direct_references(ty: &RustType, out: &mut BTreeSet<String>) {
    match ty {
        RustType::Named(name) => {
            out.insert(name.clone());
        }
        RustType::Option(inner) => direct_references(inner, out),
        RustType::Tuple(items) => items.iter().for_each(|item| direct_references(item, out)),
        _ => {}
    }
}

pub(super) fn collect_named(ty: &RustType, out: &mut BTreeSet<String>) {
    match ty {
        RustType::Named(name) => {
            out.insert(name.clone());
        }
        RustType::Vec(inner)
        | RustType::Map(inner)
        | RustType::Option(inner)
        | RustType::Boxed(inner) => collect_named(inner, out),
        RustType::Tuple(items) => items.iter().for_each(|item| collect_named(item, out)),
        _ => {}
    }
}

pub(super) fn box_named(ty: RustType) -> RustType {
    match ty {
        RustType::Option(inner) => RustType::Option(Box::new(box_named(*inner))),
        named @ RustType::Named(_) => RustType::Boxed(Box::new(named)),
        RustType::Tuple(items) => RustType::Tuple(items.into_iter().map(box_named).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph<'a>(edges: &[(&'a str, &[&str])]) -> BTreeMap<&'a str, BTreeSet<String>> {
        edges
            .iter()
            .map(|(from, to)| (*from, to.iter().map(|t| (*t).to_owned()).collect()))
            .collect()
    }

    #[test]
    fn components_group_exactly_the_nodes_that_reach_each_other() {
        // a → b → c → a is a cycle; d → a hangs off it; e refers to itself; f to nothing known.
        let edges = graph(&[
            ("a", &["b"]),
            ("b", &["c"]),
            ("c", &["a"]),
            ("d", &["a"]),
            ("e", &["e"]),
            ("f", &["unknown"]),
        ]);
        let component = strongly_connected_components(&edges);
        assert_eq!(component["a"], component["b"]);
        assert_eq!(component["b"], component["c"]);
        assert_ne!(component["d"], component["a"]);
        assert_ne!(component["e"], component["a"]);
        assert_ne!(component["f"], component["d"]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let names: Vec<String> = (0..100_000).map(|i| format!("n{i}")).collect();
        let edges: BTreeMap<&str, BTreeSet<String>> = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                (
                    name.as_str(),
                    names.get(i + 1).into_iter().cloned().collect(),
                )
            })
            .collect();
        let component = strongly_connected_components(&edges);
        let distinct: BTreeSet<usize> = component.values().copied().collect();
        assert_eq!(distinct.len(), names.len());
    }
}
