//! An incremental `multipart/form-data` parser (RFC 2046, RFC 7578): the parts of a body
//! stream, each part's content a chunk at a time, the body limit counted as bytes arrive.
//!
//! Own rather than `multer`'s: a part's head is taken as any UTF-8 text, as browsers and test
//! tools send names (control characters included), where `multer` holds part headers to HTTP's
//! rules and refuses such bodies.

use ::bytes::{Buf, Bytes, BytesMut};
use ::futures_util::{Stream, StreamExt};

/// Why a body could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Error {
    /// Longer than the limit.
    TooLarge,
    /// Not a multipart body with this boundary.
    Malformed,
    /// The stream failed.
    Unreadable,
}

/// The parts of a multipart body.
pub(super) struct Parts<S> {
    stream: S,
    buffer: BytesMut,
    /// `--boundary`, which opens the first part.
    opening: Vec<u8>,
    /// `\r\n--boundary`, which ends a part's content.
    delimiter: Vec<u8>,
    state: State,
    read: usize,
    limit: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the first delimiter (the preamble).
    Preamble,
    /// Just after a delimiter.
    Delimited,
    /// In a part's content.
    Content,
    /// After the closing delimiter.
    Closed,
}

impl<S, E> Parts<S>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    /// The parts of `stream`, delimited by `boundary`; more than `limit` bytes is an error.
    pub(super) fn new(stream: S, boundary: &str, limit: usize) -> Self {
        Parts {
            stream,
            buffer: BytesMut::new(),
            opening: [b"--", boundary.as_bytes()].concat(),
            delimiter: [b"\r\n--", boundary.as_bytes()].concat(),
            state: State::Preamble,
            read: 0,
            limit,
        }
    }

    /// Reads the next chunk of the stream into the buffer; `false` at its end.
    async fn fill(&mut self) -> Result<bool, Error> {
        loop {
            match self.stream.next().await {
                None => return Ok(false),
                Some(Err(_)) => return Err(Error::Unreadable),
                Some(Ok(chunk)) if chunk.is_empty() => continue,
                Some(Ok(chunk)) => {
                    self.read += chunk.len();
                    if self.read > self.limit {
                        return Err(Error::TooLarge);
                    }
                    self.buffer.extend_from_slice(&chunk);
                    return Ok(true);
                }
            }
        }
    }

    /// Whether the body has a byte at all.
    pub(super) async fn is_empty(&mut self) -> Result<bool, Error> {
        Ok(self.buffer.is_empty() && !self.fill().await?)
    }

    /// At least `n` bytes in the buffer, or a malformed body.
    async fn want(&mut self, n: usize) -> Result<(), Error> {
        while self.buffer.len() < n {
            if !self.fill().await? {
                return Err(Error::Malformed);
            }
        }
        Ok(())
    }

    /// The next part's head (its header lines, as sent), or `None` after the last part.
    pub(super) async fn next_part(&mut self) -> Result<Option<Bytes>, Error> {
        while self.state == State::Content {
            self.chunk().await?;
        }
        if self.state == State::Preamble {
            loop {
                if let Some(at) = find(&self.buffer, &self.opening) {
                    self.buffer.advance(at + self.opening.len());
                    break;
                }
                // Keep what may be the start of the delimiter.
                let keep = self.opening.len() - 1;
                self.buffer.advance(self.buffer.len().saturating_sub(keep));
                if !self.fill().await? {
                    return Err(Error::Malformed);
                }
            }
            self.state = State::Delimited;
        }
        if self.state == State::Closed {
            return Ok(None);
        }
        self.want(2).await?;
        if self.buffer.starts_with(b"--") {
            self.state = State::Closed;
            // The epilogue is read (the limit applies to the whole body) and dropped.
            self.buffer.clear();
            while self.fill().await? {
                self.buffer.clear();
            }
            return Ok(None);
        }
        // Transport padding, then the line break that ends the delimiter line.
        let padding = loop {
            let padding = self
                .buffer
                .iter()
                .take_while(|byte| **byte == b' ' || **byte == b'\t')
                .count();
            if padding < self.buffer.len() {
                break padding;
            }
            self.want(self.buffer.len() + 1).await?;
        };
        self.want(padding + 2).await?;
        if &self.buffer[padding..padding + 2] != b"\r\n" {
            return Err(Error::Malformed);
        }
        self.buffer.advance(padding + 2);
        self.want(2).await?;
        let head = if self.buffer.starts_with(b"\r\n") {
            self.buffer.advance(2);
            Bytes::new()
        } else {
            let mut from = 0;
            let end = loop {
                if let Some(at) = find(&self.buffer[from..], b"\r\n\r\n") {
                    break from + at;
                }
                from = self.buffer.len().saturating_sub(3);
                if !self.fill().await? {
                    return Err(Error::Malformed);
                }
            };
            let head = self.buffer.split_to(end).freeze();
            self.buffer.advance(4);
            head
        };
        self.state = State::Content;
        Ok(Some(head))
    }

    /// The next piece of the current part's content, or `None` at its end.
    pub(super) async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        if self.state != State::Content {
            return Ok(None);
        }
        loop {
            if let Some(at) = find(&self.buffer, &self.delimiter) {
                if at > 0 {
                    return Ok(Some(self.buffer.split_to(at).freeze()));
                }
                self.buffer.advance(self.delimiter.len());
                self.state = State::Delimited;
                return Ok(None);
            }
            // All but what may be the start of the delimiter is content.
            let sure = self.buffer.len().saturating_sub(self.delimiter.len() - 1);
            if sure > 0 {
                return Ok(Some(self.buffer.split_to(sure).freeze()));
            }
            if !self.fill().await? {
                return Err(Error::Malformed);
            }
        }
    }
}

/// Where `needle` (not empty) first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let (first, rest) = needle.split_first()?;
    let mut from = 0;
    while let Some(at) = haystack[from..].iter().position(|byte| byte == first) {
        let at = from + at;
        let end = at + needle.len();
        if end > haystack.len() {
            return None;
        }
        if &haystack[at + 1..end] == rest {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each part (head and content) of `body` read `size` bytes at a time, or the error.
    async fn read(body: &[u8], size: usize, limit: usize) -> Result<Vec<(Bytes, Vec<u8>)>, Error> {
        let chunks: Vec<Result<Bytes, ()>> = body
            .chunks(size)
            .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
            .collect();
        let mut parts = Parts::new(::futures_util::stream::iter(chunks), "XyZ", limit);
        let mut read = Vec::new();
        while let Some(head) = parts.next_part().await? {
            let mut content = Vec::new();
            while let Some(chunk) = parts.chunk().await? {
                assert!(!chunk.is_empty());
                content.extend_from_slice(&chunk);
            }
            read.push((head, content));
        }
        Ok(read)
    }

    const BODY: &[u8] = b"preamble --X\r\n--XyZ  \r\nA: 1\r\nB: 2\r\n\r\nHello\r\n--Xy\r\n\r\n--XyZ\r\n\r\n\x00\r\n\xff\r\n--XyZ--\r\nepilogue";

    #[tokio::test]
    async fn parts_are_the_same_whatever_the_chunks() {
        for size in 1..BODY.len() {
            let parts = read(BODY, size, 1000).await.expect("a valid body");
            assert_eq!(parts.len(), 2, "{size}");
            assert_eq!(parts[0].0, &b"A: 1\r\nB: 2"[..]);
            assert_eq!(parts[0].1, b"Hello\r\n--Xy\r\n");
            assert_eq!(parts[1].0, &b""[..]);
            assert_eq!(parts[1].1, b"\x00\r\n\xff");
        }
    }

    #[tokio::test]
    async fn broken_bodies_are_malformed_and_long_ones_too_large() {
        for body in [
            &b"no delimiter"[..],
            b"--XyZ\r\nA: 1\r\n\r\nunterminated",
            b"--XyZ garbage",
            b"--XyZ\r\nA: 1 without an end of head",
            b"--XyZ\r\n\r\nno closing delimiter\r\n--XyZ",
        ] {
            for size in [1, 4, body.len()] {
                assert_eq!(read(body, size, 1000).await, Err(Error::Malformed));
            }
        }
        // The epilogue counts too.
        assert_eq!(read(BODY, 3, BODY.len() - 1).await, Err(Error::TooLarge));
        assert!(read(BODY, 3, BODY.len()).await.is_ok());
    }

    #[test]
    fn find_finds_the_first_whole_occurrence() {
        assert_eq!(find(b"aab", b"ab"), Some(1));
        assert_eq!(find(b"a-b-c", b"-c"), Some(3));
        assert_eq!(find(b"abc", b"cd"), None);
        assert_eq!(find(b"", b"a"), None);
    }
}
