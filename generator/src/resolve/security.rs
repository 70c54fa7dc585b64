//! Security: the schemes of `components.securitySchemes` and the requirements of operations.
//!
//! Only a server or client needs these, so an invalid scheme or requirement is an operation
//! problem (see [`Resolver::problem`]), never a stop for the types.

use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::ir::{
    ParameterLocation, SchemeUse, Security, SecurityKind, SecurityRequirement, SecurityScheme,
};
use crate::naming::{self, Scope};

use super::references::child;
use super::{Resolver, docs_of};

impl<'a> Resolver<'a> {
    /// The schemes that are well formed; the others are recorded as problems.
    pub(super) fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let root = self.root;
        let Some(schemes) = crate::resolve::lookup(root, "/components/securitySchemes") else {
            return Vec::new();
        };
        let Some(schemes) = schemes.as_object() else {
            self.problem(Error::at(
                ErrorKind::Invalid,
                "/components/securitySchemes",
                "`securitySchemes` must be an object",
            ));
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut scope = Scope::default();
        for (key, scheme) in schemes {
            let pointer = child("/components/securitySchemes", key);
            match self.security_scheme(scheme, &pointer) {
                Ok((kind, docs)) => out.push(SecurityScheme {
                    key: key.clone(),
                    name: scope.claim(&naming::type_name(key)),
                    kind,
                    docs,
                }),
                Err(err) => self.problem(err),
            }
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        out
    }

    fn security_scheme(
        &self,
        scheme: &'a Value,
        pointer: &str,
    ) -> crate::error::Result<(SecurityKind, crate::ir::Docs)> {
        let (scheme, pointer) = self.deref(scheme, pointer, "/components/securitySchemes/")?;
        let scheme = super::expect_object(scheme, &pointer)?;
        let text = |key: &str| super::string_field(scheme, key, &pointer);
        let scheme_type = text("type")?.unwrap_or_default();
        let kind = match scheme_type.as_str() {
            "apiKey" => {
                let location = match text("in")?.as_deref() {
                    Some("header") => ParameterLocation::Header,
                    Some("query") => ParameterLocation::Query,
                    Some("cookie") => ParameterLocation::Cookie,
                    other => {
                        return Err(Error::at(
                            ErrorKind::Invalid,
                            &child(&pointer, "in"),
                            format!(
                                "an apiKey scheme must be `in` header, query or cookie, found {other:?}"
                            ),
                        ));
                    }
                };
                let parameter_name = text("name")?.ok_or_else(|| {
                    Error::at(
                        ErrorKind::Invalid,
                        &pointer,
                        "an apiKey scheme needs a `name`",
                    )
                })?;
                SecurityKind::ApiKey {
                    location,
                    parameter_name,
                }
            }
            "http" => SecurityKind::Http {
                scheme: text("scheme")?.unwrap_or_default(),
            },
            "oauth2" | "openIdConnect" => SecurityKind::OAuth2 { scheme_type },
            _ => SecurityKind::Other { scheme_type },
        };
        Ok((kind, docs_of(scheme)))
    }
}

/// An operation's (or the document's) `security`: requirements with their schemes and scopes.
/// A requirement naming an unknown scheme is an error.
pub(super) fn security_requirements(
    requirements: &Value,
    pointer: &str,
    schemes: &[SecurityScheme],
) -> crate::error::Result<Security> {
    let Some(requirements) = requirements.as_array() else {
        return Err(Error::at(
            ErrorKind::Invalid,
            pointer,
            "`security` must be an array",
        ));
    };
    let mut out = Vec::new();
    for (index, requirement) in requirements.iter().enumerate() {
        let at = child(pointer, &index.to_string());
        let requirement = super::expect_object(requirement, &at)?;
        let mut uses = Vec::new();
        for (key, scopes) in requirement {
            if !schemes.iter().any(|scheme| &scheme.key == key) {
                return Err(Error::at(
                    ErrorKind::Invalid,
                    &child(&at, key),
                    format!(
                        "the security scheme {key:?} is not defined in components.securitySchemes"
                    ),
                ));
            }
            let scopes = match scopes {
                Value::Array(items) => items
                    .iter()
                    .map(|scope| {
                        scope.as_str().map(str::to_owned).ok_or_else(|| {
                            Error::at(
                                ErrorKind::Invalid,
                                &child(&at, key),
                                "the scopes of a security requirement must be strings",
                            )
                        })
                    })
                    .collect::<crate::error::Result<Vec<_>>>()?,
                _ => {
                    return Err(Error::at(
                        ErrorKind::Invalid,
                        &child(&at, key),
                        "a security requirement lists scopes in an array",
                    ));
                }
            };
            uses.push(SchemeUse {
                key: key.clone(),
                scopes,
            });
        }
        let requirement = SecurityRequirement { schemes: uses };
        if !out.contains(&requirement) {
            out.push(requirement);
        }
    }
    Ok(Security(out))
}
