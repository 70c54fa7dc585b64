//! Request body values that JSON has no type for: files of a multipart body and bodies of any
//! media type. Shared by the server (which reads them) and the client (which sends them).

use serde::Deserialize;

/// A file part of a `multipart/form-data` body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct File {
    /// The part's `filename`, if it was sent.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, if it was sent.
    pub content_type: Option<String>,
    /// The part's content.
    pub bytes: Vec<u8>,
}

impl File {
    /// A file of `bytes`, without a name or content type.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        File {
            file_name: None,
            content_type: None,
            bytes: bytes.into(),
        }
    }
}

/// A body of a media type the spec leaves open (`*/*`, `image/*`): the bytes and what they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Media {
    /// The media type, as in `Content-Type` (e.g. `image/png`).
    pub media_type: String,
    /// The body.
    pub bytes: Vec<u8>,
}

impl Media {
    /// `bytes` of `media_type`.
    pub fn new(media_type: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Media {
            media_type: media_type.into(),
            bytes: bytes.into(),
        }
    }
}
