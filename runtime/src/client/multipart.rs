//! `multipart/form-data` bodies (RFC 7578), as the generated server reads them: a text part per
//! value (strings as they are, other values as JSON text), a part per item of a list, a file
//! part per [`File`].

use bytes::Bytes;
use serde::Serialize;

use super::Error;
use crate::File;

/// A multipart body being built.
#[derive(Debug, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

/// A part: its name, content, and for a file part its file name and content type.
#[derive(Debug)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Bytes,
}

/// A field that holds files: a [`File`], or an `Option` or list of them.
pub trait FileField {
    /// The files, in order.
    fn files(&self) -> Vec<&File>;
}

impl FileField for File {
    fn files(&self) -> Vec<&File> {
        vec![self]
    }
}

impl<F: FileField> FileField for Option<F> {
    fn files(&self) -> Vec<&File> {
        self.as_ref().map(FileField::files).unwrap_or_default()
    }
}

impl<F: FileField> FileField for Vec<F> {
    fn files(&self) -> Vec<&File> {
        self.iter().flat_map(FileField::files).collect()
    }
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds `value` as text parts named `name`: nothing for `None`, one part per item of a
    /// list, a string as it is, any other value as JSON.
    pub fn value<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let value = serde_json::to_value(value)
            .map_err(|err| Error::Request(format!("part `{name}`: {err}")))?;
        let items = match value {
            serde_json::Value::Null => Vec::new(),
            serde_json::Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            let text = match item {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            self.parts.push(Part {
                name: name.to_owned(),
                file_name: None,
                content_type: None,
                bytes: text.into(),
            });
        }
        Ok(())
    }

    /// Adds the files of `field` as file parts named `name`. A file a server spooled to disk
    /// is read here, on this thread.
    pub fn file<F: FileField + ?Sized>(&mut self, name: &str, field: &F) -> Result<(), Error> {
        for file in field.files() {
            let bytes = file
                .bytes_blocking()
                .map_err(|err| Error::Request(format!("part `{name}`: {err}")))?;
            self.parts.push(Part {
                name: name.to_owned(),
                file_name: Some(file.file_name.clone().unwrap_or_else(|| name.to_owned())),
                content_type: Some(
                    file.content_type
                        .clone()
                        .unwrap_or_else(|| "application/octet-stream".to_owned()),
                ),
                bytes,
            });
        }
        Ok(())
    }

    /// The body and its `Content-Type` (with a boundary that occurs in no part).
    pub fn finish(self) -> (String, Vec<u8>) {
        let contains = |haystack: &[u8], needle: &[u8]| {
            haystack
                .windows(needle.len())
                .any(|window| window == needle)
        };
        let boundary = (0u64..)
            .map(|n| format!("openapi-rustgen-{n:x}"))
            .find(|boundary| {
                !self
                    .parts
                    .iter()
                    .any(|part| contains(&part.bytes, boundary.as_bytes()))
            })
            .unwrap_or_default();
        let quote = |text: &str| text.replace('\\', "\\\\").replace('"', "\\\"");
        let mut body = Vec::new();
        for part in self.parts {
            let Part {
                name,
                file_name,
                content_type,
                bytes,
            } = part;
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!("form-data; name=\"{}\"", quote(&name));
            if let Some(file_name) = file_name {
                disposition.push_str(&format!("; filename=\"{}\"", quote(&file_name)));
            }
            body.extend_from_slice(format!("Content-Disposition: {disposition}\r\n").as_bytes());
            if let Some(content_type) = content_type {
                body.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }
}
