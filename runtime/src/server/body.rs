//! What request bodies of other media than JSON become: multipart bodies parsed into their
//! parts, and [`Piece`], a value the generated body types deserialize from, which can hold
//! bytes (files, any media type) beside JSON and select one variant of a body enum.

use ::serde::de::value::{Error, MapDeserializer, SeqDeserializer, U32Deserializer};
use ::serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use ::serde_json::Value;

/// A body, or a piece of one, as the runtime read it.
#[derive(Debug)]
pub(crate) enum Piece {
    /// JSON (a JSON body, a form, a text part).
    Json(Value),
    /// Text.
    Text(String),
    /// Bytes, read as a sequence of `u8` (a `Vec<u8>`).
    Bytes(Vec<u8>),
    /// An object: a struct, a `File`, a `Media`.
    Map(Vec<(String, Piece)>),
    /// A list.
    Seq(Vec<Piece>),
    /// Variant `.0` (its position) of an enum, holding `.1`.
    Variant(u32, Box<Piece>),
}

impl Piece {
    /// A `File`'s piece.
    pub(crate) fn file(part: Part) -> Piece {
        let mut fields = vec![("bytes".to_owned(), Piece::Bytes(part.bytes))];
        if let Some(name) = part.file_name {
            fields.push(("file_name".to_owned(), Piece::Text(name)));
        }
        if let Some(content_type) = part.content_type {
            fields.push(("content_type".to_owned(), Piece::Text(content_type)));
        }
        Piece::Map(fields)
    }

    /// A `Media`'s piece.
    pub(crate) fn media(media_type: String, bytes: Vec<u8>) -> Piece {
        Piece::Map(vec![
            ("media_type".to_owned(), Piece::Text(media_type)),
            ("bytes".to_owned(), Piece::Bytes(bytes)),
        ])
    }
}

impl<'de> IntoDeserializer<'de, Error> for Piece {
    type Deserializer = Piece;
    fn into_deserializer(self) -> Piece {
        self
    }
}

/// The methods a JSON piece hands to its value and any other piece to `deserialize_any`.
macro_rules! by_kind {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self {
                Piece::Json(value) => de::Deserializer::$method(value, visitor).map_err(de::Error::custom),
                other => other.deserialize_any(visitor),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Piece {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Piece::Json(value) => value.deserialize_any(visitor).map_err(de::Error::custom),
            Piece::Text(text) => visitor.visit_string(text),
            Piece::Bytes(bytes) => visitor.visit_seq(SeqDeserializer::new(bytes.into_iter())),
            Piece::Map(fields) => visitor.visit_map(MapDeserializer::new(fields.into_iter())),
            Piece::Seq(items) => visitor.visit_seq(SeqDeserializer::new(items.into_iter())),
            Piece::Variant(index, inner) => visitor.visit_enum(Chosen(index, *inner)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Piece::Json(value) => value.deserialize_option(visitor).map_err(de::Error::custom),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Piece::Json(value) => value
                .deserialize_newtype_struct(name, visitor)
                .map_err(de::Error::custom),
            other => visitor.visit_newtype_struct(other),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Piece::Json(value) => value
                .deserialize_enum(name, variants, visitor)
                .map_err(de::Error::custom),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Piece::Json(value) => value
                .deserialize_struct(name, fields, visitor)
                .map_err(de::Error::custom),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Error> {
        match self {
            Piece::Json(value) => value
                .deserialize_tuple(len, visitor)
                .map_err(de::Error::custom),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Piece::Json(value) => value
                .deserialize_tuple_struct(name, len, visitor)
                .map_err(de::Error::custom),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Piece::Json(value) => value
                .deserialize_unit_struct(name, visitor)
                .map_err(de::Error::custom),
            other => other.deserialize_any(visitor),
        }
    }

    by_kind! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_seq deserialize_map deserialize_identifier deserialize_ignored_any
    }
}

/// The variant the runtime chose, by position, and its content.
struct Chosen(u32, Piece);

impl<'de> de::EnumAccess<'de> for Chosen {
    type Error = Error;
    type Variant = Piece;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Piece), Error> {
        let index = seed.deserialize(U32Deserializer::<Error>::new(self.0))?;
        Ok((index, self.1))
    }
}

impl<'de> de::VariantAccess<'de> for Piece {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, PartialEq)]
pub(crate) struct Part {
    /// The `name` of its `Content-Disposition`.
    pub(crate) name: String,
    /// Its `filename`, if any.
    pub(crate) file_name: Option<String>,
    /// Its `Content-Type`, if any.
    pub(crate) content_type: Option<String>,
    /// Its content.
    pub(crate) bytes: Vec<u8>,
}

/// The `boundary` parameter of a `multipart/...` content type.
fn boundary(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"'))
            .filter(|value| !value.is_empty())
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|at| at + from)
}

/// The parts of a multipart body (RFC 7578) sent with `content_type`; parts without a name are
/// left out. The error says what is wrong, for the client.
pub(crate) fn parse_multipart(body: &[u8], content_type: &str) -> Result<Vec<Part>, String> {
    let boundary = boundary(content_type)
        .ok_or_else(|| "The multipart Content-Type has no boundary.".to_owned())?;
    let delimiter = [b"--", boundary.as_bytes()].concat();
    let next = [b"\r\n--", boundary.as_bytes()].concat();
    let malformed = || "The multipart body is malformed.".to_owned();
    let mut at = find(body, &delimiter, 0).ok_or_else(malformed)? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        let rest = &body[at..];
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        // Transport padding, then the line break that ends the delimiter line.
        let padding = rest
            .iter()
            .take_while(|byte| **byte == b' ' || **byte == b'\t')
            .count();
        if !rest[padding..].starts_with(b"\r\n") {
            return Err(malformed());
        }
        let head_start = at + padding + 2;
        let (head, content_start) = if body[head_start..].starts_with(b"\r\n") {
            (&body[head_start..head_start], head_start + 2)
        } else {
            let end = find(body, b"\r\n\r\n", head_start).ok_or_else(malformed)?;
            (&body[head_start..end], end + 4)
        };
        let content_end = find(body, &next, content_start).ok_or_else(malformed)?;
        at = content_end + next.len();
        let head = std::str::from_utf8(head).map_err(|_| malformed())?;
        let mut name = None;
        let mut file_name = None;
        let mut content_type = None;
        for line in head.split("\r\n") {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim();
            if key.eq_ignore_ascii_case("content-disposition") {
                for param in disposition_params(value) {
                    match param {
                        (key, value) if key.eq_ignore_ascii_case("name") => name = Some(value),
                        (key, value) if key.eq_ignore_ascii_case("filename") => {
                            file_name = Some(value)
                        }
                        _ => {}
                    }
                }
            } else if key.eq_ignore_ascii_case("content-type") {
                content_type = Some(value.trim().to_owned());
            }
        }
        if let Some(name) = name {
            parts.push(Part {
                name,
                file_name,
                content_type,
                bytes: body[content_start..content_end].to_vec(),
            });
        }
    }
}

/// The `key=value` parameters of a `Content-Disposition` value, quoted values unquoted.
fn disposition_params(value: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut rest = value;
    // The disposition type comes first.
    match rest.find(';') {
        Some(at) => rest = &rest[at + 1..],
        None => return params,
    }
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        let Some(eq) = rest.find('=') else {
            return params;
        };
        let key = rest[..eq].trim().to_owned();
        rest = rest[eq + 1..].trim_start();
        let value;
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut text = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((index, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            text.push(escaped);
                        }
                    }
                    '"' => {
                        end = index + 1;
                        break;
                    }
                    c => text.push(c),
                }
            }
            value = text;
            rest = &quoted[end.min(quoted.len())..];
        } else {
            let end = rest.find(';').unwrap_or(rest.len());
            value = rest[..end].trim().to_owned();
            rest = &rest[end..];
        }
        params.push((key, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::serde::Deserialize;

    const TYPE: &str = "multipart/form-data; boundary=\"XyZ\"";

    #[test]
    fn parts_are_read_with_names_files_and_types() {
        let body = b"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHello\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01\r\n\xff\r\n\
--XyZ\r\ncontent-disposition: form-data; name=tag\r\n\r\n\r\n--XyZ--\r\n";
        let parts = parse_multipart(body, TYPE).expect("a valid body");
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].name, "title");
        assert_eq!(parts[0].bytes, b"Hello");
        assert_eq!(parts[1].file_name.as_deref(), Some("a \"b\".bin"));
        assert_eq!(
            parts[1].content_type.as_deref(),
            Some("application/octet-stream")
        );
        assert_eq!(parts[1].bytes, b"\x00\x01\r\n\xff");
        assert_eq!(parts[2].name, "tag");
        assert_eq!(parts[2].bytes, b"");
    }

    #[test]
    fn broken_bodies_are_refused() {
        for body in [
            &b"no delimiter"[..],
            b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
            b"--XyZ garbage",
        ] {
            assert!(parse_multipart(body, TYPE).is_err());
        }
        assert!(parse_multipart(b"--a--", "multipart/form-data").is_err());
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Upload {
        title: String,
        count: Option<i32>,
        file: crate::File,
        more: Vec<crate::File>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum Body {
        Json(Upload),
        Any(crate::Media),
    }

    #[test]
    fn pieces_deserialize_structs_files_and_variants() {
        let part = |bytes: &[u8]| Part {
            name: "file".to_owned(),
            file_name: Some("f".to_owned()),
            content_type: None,
            bytes: bytes.to_vec(),
        };
        let upload = Piece::Map(vec![
            ("title".to_owned(), Piece::Json(Value::from("t"))),
            ("file".to_owned(), Piece::file(part(b"\x00\xff"))),
            ("more".to_owned(), Piece::Seq(vec![Piece::file(part(b"x"))])),
        ]);
        let read = Body::deserialize(Piece::Variant(0, Box::new(upload))).expect("an upload");
        let Body::Json(upload) = read else {
            panic!("the first variant")
        };
        assert_eq!(upload.title, "t");
        assert_eq!(upload.count, None);
        assert_eq!(upload.file.bytes, b"\x00\xff");
        assert_eq!(upload.file.file_name.as_deref(), Some("f"));
        assert_eq!(upload.more.len(), 1);
        let media = Piece::media("image/png".to_owned(), b"png".to_vec());
        assert_eq!(
            Body::deserialize(Piece::Variant(1, Box::new(media))).expect("media"),
            Body::Any(crate::Media::new("image/png", b"png".to_vec()))
        );
    }
}
