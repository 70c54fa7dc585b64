//! Lines and their trimming, as `str` gives them, for the passes over generated source. Each
//! pass splits every line; `str`'s char searcher and Unicode trim were a fifth of a small
//! spec's formatting.

/// `text` split after each `\n`, as [`str::split_inclusive`] splits it, found with `memchr`.
pub fn split_inclusive(text: &str) -> SplitInclusive<'_> {
    SplitInclusive { rest: text }
}

/// `text`'s lines, as [`str::lines`] gives them: without `\n` or `\r\n`.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    split_inclusive(text).map(|line| match line.strip_suffix('\n') {
        Some(line) => line.strip_suffix('\r').unwrap_or(line),
        None => line,
    })
}

/// `line` without its leading and trailing whitespace, as [`str::trim`] gives it. Generated
/// source is indented with ASCII spaces; only where a non-ASCII character is left at an end is
/// Unicode whitespace looked for.
pub fn trim(line: &str) -> &str {
    let trimmed = line.trim_ascii();
    let ascii_ends = trimmed.bytes().next().is_none_or(|b| b.is_ascii())
        && trimmed.bytes().next_back().is_none_or(|b| b.is_ascii());
    if ascii_ends { trimmed } else { trimmed.trim() }
}

/// `line` without its trailing whitespace, as [`str::trim_end`] gives it.
pub fn trim_end(line: &str) -> &str {
    let trimmed = line.trim_ascii_end();
    if trimmed.bytes().next_back().is_none_or(|b| b.is_ascii()) {
        trimmed
    } else {
        trimmed.trim_end()
    }
}

/// The iterator of [`split_inclusive`].
pub struct SplitInclusive<'a> {
    rest: &'a str,
}

impl<'a> Iterator for SplitInclusive<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', self.rest.as_bytes()).map_or(self.rest.len(), |at| at + 1);
        // `\n` is ASCII, so the byte after it starts a character.
        let (line, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXTS: &[&str] = &[
        "",
        "\n",
        "\n\n",
        "one",
        "one\n",
        "one\ntwo",
        "one\r\ntwo\r\n",
        "one\r",
        "one\r\r\n",
        "\r\n\r\n",
        "  indented {\n        deeper;\n    }\n",
        "größe\n\u{a0}nbsp\u{a0}\n\u{3000}\t wide \u{2003}\n",
        "\u{85}next line\u{85}\n\u{2028}\n",
        "   \t\n\u{a0}\n",
    ];

    #[test]
    fn lines_are_what_str_gives() {
        for text in TEXTS {
            assert_eq!(
                split_inclusive(text).collect::<Vec<_>>(),
                text.split_inclusive('\n').collect::<Vec<_>>(),
                "{text:?}"
            );
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn trimming_is_what_str_gives() {
        for text in TEXTS {
            for line in text
                .split_inclusive('\n')
                .chain(text.split('\r'))
                .chain([*text])
            {
                assert_eq!(trim(line), line.trim(), "{line:?}");
                assert_eq!(trim_end(line), line.trim_end(), "{line:?}");
            }
        }
    }
}
