//! Request body values that JSON has no type for: files of a multipart body and bodies of any
//! media type. Shared by the server (which reads them) and the client (which sends them).

use std::cell::RefCell;
use std::fmt;
use std::io;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::Stream;
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// A file part of a `multipart/form-data` body.
///
/// The server keeps a file part in memory up to `ServerConfig::file_memory_limit` and the rest
/// of it in an anonymous temporary file (deleted by the system once the last clone of the
/// `File` is dropped), so an upload takes bounded memory whatever its size. Read it with
/// [`File::stream`], or whole with [`File::bytes`]. A client builds one with [`File::new`].
///
/// Clones share the content; each stream reads it from the start on its own.
#[derive(Clone, Default)]
pub struct File {
    /// The part's `filename`, if it was sent.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, if it was sent.
    pub content_type: Option<String>,
    content: Content,
}

#[derive(Clone)]
enum Content {
    Memory(Bytes),
    /// In a temporary file, read at offsets so that clones do not share a position. Only the
    /// server spools.
    #[cfg_attr(not(feature = "server"), allow(dead_code))]
    Spooled {
        file: Arc<std::fs::File>,
        len: u64,
    },
}

impl Default for Content {
    fn default() -> Self {
        Content::Memory(Bytes::new())
    }
}

/// How much of a spooled file a stream reads at once.
const CHUNK: u64 = 64 * 1024;

impl File {
    /// A file of `bytes`, without a name or content type.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        File {
            file_name: None,
            content_type: None,
            content: Content::Memory(bytes.into()),
        }
    }

    /// The same file, named `file_name`.
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The same file, of media type `content_type`.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// A file whose first `len` bytes are in `file`, a temporary file only it uses.
    #[cfg(feature = "server")]
    pub(crate) fn spooled(file: std::fs::File, len: u64) -> Self {
        File {
            file_name: None,
            content_type: None,
            content: Content::Spooled {
                file: Arc::new(file),
                len,
            },
        }
    }

    /// The content's length in bytes.
    pub fn len(&self) -> u64 {
        match &self.content {
            Content::Memory(bytes) => bytes.len() as u64,
            Content::Spooled { len, .. } => *len,
        }
    }

    /// Whether the content is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the content is in a temporary file rather than in memory (it was longer than
    /// the server's `file_memory_limit`).
    pub fn is_spooled(&self) -> bool {
        matches!(self.content, Content::Spooled { .. })
    }

    /// The content, if it is in memory.
    pub fn in_memory(&self) -> Option<&Bytes> {
        match &self.content {
            Content::Memory(bytes) => Some(bytes),
            Content::Spooled { .. } => None,
        }
    }

    /// The content from its start, a chunk at a time; a spooled file is read on tokio's
    /// blocking threads (so this needs a tokio runtime).
    pub fn stream(&self) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
        futures_util::stream::unfold((self.content.clone(), 0u64), |(content, at)| async move {
            match &content {
                Content::Memory(bytes) if at == 0 && !bytes.is_empty() => {
                    let chunk = bytes.clone();
                    Some((Ok(chunk), (content, 1)))
                }
                Content::Memory(_) => None,
                Content::Spooled { file, len } => {
                    let len = *len;
                    if at >= len {
                        return None;
                    }
                    let size = CHUNK.min(len - at);
                    let file = Arc::clone(file);
                    let read =
                        tokio::task::spawn_blocking(move || read_range(&file, at, size)).await;
                    match read.unwrap_or_else(|error| Err(io::Error::other(error))) {
                        Ok(chunk) => Some((Ok(chunk), (content, at + size))),
                        // An error ends the stream.
                        Err(error) => Some((Err(error), (content, len))),
                    }
                }
            }
        })
    }

    /// The whole content; meant for small files (a spooled one is read into memory whole).
    pub async fn bytes(&self) -> io::Result<Bytes> {
        match &self.content {
            Content::Memory(bytes) => Ok(bytes.clone()),
            Content::Spooled { file, len } => {
                let (file, len) = (Arc::clone(file), *len);
                tokio::task::spawn_blocking(move || read_range(&file, 0, len))
                    .await
                    .unwrap_or_else(|error| Err(io::Error::other(error)))
            }
        }
    }

    /// The whole content, read on this thread.
    #[cfg(feature = "client")]
    pub(crate) fn bytes_blocking(&self) -> io::Result<Bytes> {
        match &self.content {
            Content::Memory(bytes) => Ok(bytes.clone()),
            Content::Spooled { file, len } => read_range(file, 0, *len),
        }
    }
}

/// `size` bytes of `file` from `offset`, without moving a shared position.
fn read_range(file: &std::fs::File, offset: u64, size: u64) -> io::Result<Bytes> {
    let size = usize::try_from(size).map_err(io::Error::other)?;
    let mut buffer = vec![0; size];
    let mut done = 0;
    while done < size {
        match read_at(file, &mut buffer[done..], offset + done as u64) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => done += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(Bytes::from(buffer))
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, buffer: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_at(file: &std::fs::File, buffer: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buffer, offset)
}

#[cfg(not(any(unix, windows)))]
fn read_at(_: &std::fs::File, _: &mut [u8], _: u64) -> io::Result<usize> {
    Err(io::ErrorKind::Unsupported.into())
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.len())
            .field("spooled", &self.is_spooled())
            .finish()
    }
}

/// The name under which the server's body reader hands a `File` over to serde.
pub(crate) const FILE_TOKEN: &str = "$openapi_rustgen_runtime::File";

thread_local! {
    /// The file the server's body reader is handing to `File::deserialize` on this thread:
    /// serde carries no values of its own types, so the file waits here for the visitor.
    static HANDED: RefCell<Option<File>> = const { RefCell::new(None) };
}

/// Runs `read` (a deserializer's call into a visitor of `File`) with `file` ready for it.
#[cfg(feature = "server")]
pub(crate) fn hand_over<R>(file: File, read: impl FnOnce() -> R) -> R {
    HANDED.with(|slot| *slot.borrow_mut() = Some(file));
    let read = read();
    HANDED.with(|slot| slot.borrow_mut().take());
    read
}

/// A `File` from the server's body reader, or from a map of `file_name`, `content_type` and
/// `bytes` (a list of numbers) in any other format.
impl<'de> Deserialize<'de> for File {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(FILE_TOKEN, FileVisitor)
    }
}

struct FileVisitor;

impl<'de> Visitor<'de> for FileVisitor {
    type Value = File;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a file")
    }

    fn visit_unit<E: de::Error>(self) -> Result<File, E> {
        HANDED
            .with(|slot| slot.borrow_mut().take())
            .ok_or_else(|| E::custom("expected a file"))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, inner: D) -> Result<File, D::Error> {
        inner.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<File, A::Error> {
        let mut file = File::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "file_name" => file.file_name = map.next_value()?,
                "content_type" => file.content_type = map.next_value()?,
                "bytes" => file.content = Content::Memory(map.next_value::<Vec<u8>>()?.into()),
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(file)
    }
}

/// A body of a media type the spec leaves open (`*/*`, `image/*`): the bytes and what they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
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

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    #[test]
    fn a_file_reads_from_a_map_elsewhere() {
        let file: File = serde_json::from_str(
            r#"{"file_name": "a.txt", "content_type": "text/plain", "bytes": [104, 105]}"#,
        )
        .expect("a file");
        assert_eq!(file.file_name.as_deref(), Some("a.txt"));
        assert_eq!(file.in_memory().map(|b| &b[..]), Some(&b"hi"[..]));
        assert!(serde_json::from_str::<File>("null").is_err());
    }

    #[tokio::test]
    async fn a_spooled_file_streams_from_its_start_for_each_clone() {
        use std::io::Write;
        let content: Vec<u8> = (0..(3 * CHUNK + 5)).map(|i| (i % 251) as u8).collect();
        let mut temporary = tempfile::tempfile().expect("a temporary file");
        temporary.write_all(&content).expect("written");
        let file = File::spooled(temporary, content.len() as u64);
        assert!(file.is_spooled());
        assert_eq!(file.len(), content.len() as u64);
        let copy = file.clone();
        let mut first = Vec::new();
        let mut chunks = std::pin::pin!(file.stream());
        // Half of it, then the clone whole: each has its own position.
        let chunk = chunks.next().await.expect("a chunk").expect("read");
        first.extend_from_slice(&chunk);
        assert_eq!(copy.bytes().await.expect("read"), content);
        while let Some(chunk) = chunks.next().await {
            first.extend_from_slice(&chunk.expect("read"));
        }
        assert_eq!(first, content);
    }
}
