//! `allOf`, `oneOf` and `anyOf`.

use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};

use super::references::child;
use super::{NameHint, Resolved, Resolver};

impl<'a> Resolver<'a> {
    /// `oneOf`/`anyOf` of one schema and `null` (an optional value), or `allOf` of one schema.
    pub(super) fn combinator(
        &mut self,
        combinator: &str,
        branches: &Value,
        pointer: &str,
        hint: NameHint,
    ) -> Result<Resolved> {
        let Some(branches) = branches.as_array() else {
            return Err(Error::at(
                ErrorKind::Invalid,
                pointer,
                format!("`{combinator}` must be an array of schemas"),
            ));
        };
        let is_null = |branch: &Value| branch.get("type") == Some(&Value::String("null".into()));
        let non_null: Vec<(usize, &Value)> = branches
            .iter()
            .enumerate()
            .filter(|(_, b)| !is_null(b))
            .collect();
        let has_null = non_null.len() < branches.len();
        match (combinator, non_null.as_slice()) {
            ("allOf", [(index, only)]) if !has_null => {
                self.type_of(only, &child(pointer, &index.to_string()), hint)
            }
            ("oneOf" | "anyOf", [(index, only)]) => {
                let mut resolved = self.type_of(only, &child(pointer, &index.to_string()), hint)?;
                resolved.nullable |= has_null;
                Ok(resolved)
            }
            _ => Err(Error::at(
                ErrorKind::Unsupported,
                pointer,
                format!(
                    "`{combinator}` with {} schemas is not supported; supported are `oneOf`/`anyOf` of one schema and {{\"type\": \"null\"}}, and `allOf` of one schema",
                    branches.len()
                ),
            )),
        }
    }
}
