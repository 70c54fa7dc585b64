//! [`Piece`]: what a request body of other media than JSON becomes, a value the generated body
//! types deserialize from, which can hold bytes, files and JSON and select one variant of a
//! body enum.

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
    /// A file part, handed to `File`'s `Deserialize`.
    File(crate::File),
    /// An object: a struct, a `Media`.
    Map(Vec<(String, Piece)>),
    /// A list.
    Seq(Vec<Piece>),
    /// Variant `.0` (its position) of an enum, holding `.1`.
    Variant(u32, Box<Piece>),
}

impl Piece {
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

/// The methods a JSON piece hands to its value and any other piece to `deserialize_any`, each
/// with the arguments its `Deserializer` method takes before the visitor.
macro_rules! by_kind {
    ($($method:ident($($arg:ident: $type:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $type,)* visitor: V) -> Result<V::Value, Error> {
            match self {
                Piece::Json(value) => de::Deserializer::$method(value, $($arg,)* visitor)
                    .map_err(de::Error::custom),
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
            Piece::File(_) => Err(de::Error::custom("a file where a value was expected")),
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
            Piece::File(file) if name == crate::media::FILE_TOKEN => {
                crate::media::hand_over(file, || visitor.visit_unit())
            }
            other => visitor.visit_newtype_struct(other),
        }
    }

    by_kind! {
        deserialize_bool(); deserialize_i8(); deserialize_i16(); deserialize_i32();
        deserialize_i64(); deserialize_i128(); deserialize_u8(); deserialize_u16();
        deserialize_u32(); deserialize_u64(); deserialize_u128(); deserialize_f32();
        deserialize_f64(); deserialize_char(); deserialize_str(); deserialize_string();
        deserialize_bytes(); deserialize_byte_buf(); deserialize_unit(); deserialize_seq();
        deserialize_map(); deserialize_identifier(); deserialize_ignored_any();
        deserialize_tuple(len: usize);
        deserialize_unit_struct(name: &'static str);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
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

#[cfg(test)]
mod tests {
    use super::*;
    use ::serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Upload {
        title: String,
        count: Option<i32>,
        file: crate::File,
        more: Vec<crate::File>,
    }

    #[derive(Debug, Deserialize)]
    enum Body {
        Json(Upload),
        Any(crate::Media),
    }

    #[test]
    fn pieces_deserialize_structs_files_and_variants() {
        let part = |bytes: &'static [u8]| Piece::File(crate::File::new(bytes).with_file_name("f"));
        let upload = Piece::Map(vec![
            ("title".to_owned(), Piece::Json(Value::from("t"))),
            ("file".to_owned(), part(b"\x00\xff")),
            ("more".to_owned(), Piece::Seq(vec![part(b"x")])),
        ]);
        let read = Body::deserialize(Piece::Variant(0, Box::new(upload))).expect("an upload");
        let Body::Json(upload) = read else {
            panic!("the first variant")
        };
        assert_eq!(upload.title, "t");
        assert_eq!(upload.count, None);
        assert_eq!(
            upload.file.in_memory().map(|b| &b[..]),
            Some(&b"\x00\xff"[..])
        );
        assert_eq!(upload.file.file_name.as_deref(), Some("f"));
        assert_eq!(upload.more.len(), 1);
        let media = Piece::media("image/png".to_owned(), b"png".to_vec());
        let Body::Any(media) =
            Body::deserialize(Piece::Variant(1, Box::new(media))).expect("media")
        else {
            panic!("the second variant")
        };
        assert_eq!(media, crate::Media::new("image/png", b"png".to_vec()));
        // A file only where a file is expected.
        assert!(String::deserialize(part(b"x")).is_err());
        assert!(crate::File::deserialize(Piece::Text("x".to_owned())).is_err());
    }
}
