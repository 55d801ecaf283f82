//! Bytes <-> text for the send composer and the received-data view: escapes, hex, and the
//! encodings the syllabus meets (UTF-8, GBK, Latin-1). Bytes from the network are only ever
//! shown, never interpreted: every control byte and invalid sequence is shown escaped.

use crate::i18n::Lang;
use crate::t;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TextEncoding {
    #[default]
    Utf8,
    Gbk,
    Latin1,
}

impl TextEncoding {
    pub const ALL: [TextEncoding; 3] =
        [TextEncoding::Utf8, TextEncoding::Gbk, TextEncoding::Latin1];
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Gbk => "GBK",
            TextEncoding::Latin1 => "Latin-1",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LineEnding {
    #[default]
    None,
    Lf,
    CrLf,
}

impl LineEnding {
    pub const ALL: [LineEnding; 3] = [LineEnding::None, LineEnding::Lf, LineEnding::CrLf];
    /// `none`, `\n`, `\r\n`; "none" in `lang`, the escapes as written.
    pub fn label(self, lang: Lang) -> String {
        match self {
            LineEnding::None => t!(lang, "line-ending-none"),
            LineEnding::Lf => "\\n".into(),
            LineEnding::CrLf => "\\r\\n".into(),
        }
    }
    pub fn bytes(self) -> &'static [u8] {
        match self {
            LineEnding::None => b"",
            LineEnding::Lf => b"\n",
            LineEnding::CrLf => b"\r\n",
        }
    }
}

/// Where and why input could not be turned into bytes. `position` counts characters from 0.
/// It is worded when shown ([`InputError::text`]); its Display is English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub position: usize,
    pub problem: InputProblem,
}

/// Why input could not be turned into bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputProblem {
    /// The character has no bytes in the chosen encoding (Latin-1, GBK).
    NotInEncoding { ch: char, encoding: TextEncoding },
    /// A `\` with nothing after it.
    LoneBackslash,
    /// `\x` without two hex digits.
    ShortHexEscape,
    /// An escape the workbench does not know (`\q`).
    UnknownEscape(char),
    /// Hex input whose last byte has one digit.
    OddHexDigits,
    /// A character in hex input that is no hex digit.
    NotHexDigit(char),
}

impl InputError {
    /// Where and why, in `lang`: "at character 3: ...".
    pub fn text(&self, lang: Lang) -> String {
        t!(
            lang,
            "input-error-at",
            position = (self.position + 1).to_string(),
            problem = self.problem.text(lang)
        )
    }
}

impl InputProblem {
    /// Why, in `lang` (escapes and encodings' names as written).
    pub fn text(&self, lang: Lang) -> String {
        match self {
            InputProblem::NotInEncoding { ch, encoding } => t!(
                lang,
                "input-error-not-in-encoding",
                ch = ch.to_string(),
                encoding = encoding.label()
            ),
            InputProblem::LoneBackslash => t!(lang, "input-error-lone-backslash"),
            InputProblem::ShortHexEscape => t!(lang, "input-error-short-hex-escape"),
            InputProblem::UnknownEscape(next) => {
                t!(
                    lang,
                    "input-error-unknown-escape",
                    escape = format!("\\{next}")
                )
            }
            InputProblem::OddHexDigits => t!(lang, "input-error-odd-hex-digits"),
            InputProblem::NotHexDigit(ch) => {
                t!(lang, "input-error-not-hex-digit", ch = ch.to_string())
            }
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for InputError {}

fn encode_char(ch: char, encoding: TextEncoding, position: usize) -> Result<Vec<u8>, InputError> {
    match encoding {
        TextEncoding::Utf8 => Ok(ch.to_string().into_bytes()),
        TextEncoding::Latin1 => u8::try_from(u32::from(ch))
            .map(|byte| vec![byte])
            .map_err(|_| InputError {
                position,
                problem: InputProblem::NotInEncoding { ch, encoding },
            }),
        TextEncoding::Gbk => {
            let text = ch.to_string();
            let (bytes, _, had_errors) = encoding_rs::GBK.encode(&text);
            if had_errors {
                Err(InputError {
                    position,
                    problem: InputProblem::NotInEncoding { ch, encoding },
                })
            } else {
                Ok(bytes.into_owned())
            }
        }
    }
}

fn hex_value(ch: char) -> Option<u8> {
    ch.to_digit(16).map(|digit| digit as u8)
}

/// Text with escapes (`\r \n \t \0 \\ \' \" \xNN`) to bytes; the text itself in `encoding`.
pub fn parse_escaped(text: &str, encoding: TextEncoding) -> Result<Vec<u8>, InputError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut index = 0;
    while index < chars.len() {
        let ch = chars[index];
        if ch != '\\' {
            out.extend(encode_char(ch, encoding, index)?);
            index += 1;
            continue;
        }
        let Some(&next) = chars.get(index + 1) else {
            return Err(InputError {
                position: index,
                problem: InputProblem::LoneBackslash,
            });
        };
        let simple = match next {
            'n' => Some(b'\n'),
            'r' => Some(b'\r'),
            't' => Some(b'\t'),
            '0' => Some(0),
            '\\' => Some(b'\\'),
            '\'' => Some(b'\''),
            '"' => Some(b'"'),
            _ => None,
        };
        if let Some(byte) = simple {
            out.push(byte);
            index += 2;
            continue;
        }
        if next == 'x' {
            let high = chars.get(index + 2).copied().and_then(hex_value);
            let low = chars.get(index + 3).copied().and_then(hex_value);
            match (high, low) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    index += 4;
                    continue;
                }
                _ => {
                    return Err(InputError {
                        position: index,
                        problem: InputProblem::ShortHexEscape,
                    });
                }
            }
        }
        return Err(InputError {
            position: index,
            problem: InputProblem::UnknownEscape(next),
        });
    }
    Ok(out)
}

/// Hex digits to bytes. Spaces, tabs, newlines, `0x` prefixes and `:`/`-` separators are
/// allowed between bytes; a byte is always two digits.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, InputError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::with_capacity(chars.len() / 2);
    let mut pending: Option<(usize, u8)> = None;
    let mut index = 0;
    while index < chars.len() {
        let ch = chars[index];
        let prefix = ch == '0' && matches!(chars.get(index + 1), Some('x' | 'X'));
        if prefix && pending.is_none() {
            index += 2;
            continue;
        }
        if let Some(value) = hex_value(ch) {
            match pending.take() {
                None => pending = Some((index, value)),
                Some((_, high)) => out.push(high << 4 | value),
            }
            index += 1;
            continue;
        }
        if let Some((position, _)) = pending {
            return Err(InputError {
                position,
                problem: InputProblem::OddHexDigits,
            });
        }
        if ch.is_whitespace() || matches!(ch, ':' | '-' | ',') {
            index += 1;
            continue;
        }
        return Err(InputError {
            position: index,
            problem: InputProblem::NotHexDigit(ch),
        });
    }
    if let Some((position, _)) = pending {
        return Err(InputError {
            position,
            problem: InputProblem::OddHexDigits,
        });
    }
    Ok(out)
}

/// Bytes as hex pairs separated by spaces.
pub fn to_hex(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len() * 3);
    for (index, byte) in data.iter().enumerate() {
        if index > 0 {
            out.push(' ');
        }
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// Characters that would change how text looks without being visible themselves.
fn is_invisible_control(ch: char) -> bool {
    ch.is_control()
        || matches!(ch, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

fn push_char_escaped(out: &mut String, ch: char, keep_line_breaks: bool) {
    match ch {
        '\n' => {
            out.push_str("\\n");
            if keep_line_breaks {
                out.push('\n');
            }
        }
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\\' => out.push_str("\\\\"),
        ch if is_invisible_control(ch) => {
            let code = u32::from(ch);
            if code < 0x100 {
                out.push_str(&format!("\\x{code:02x}"));
            } else {
                out.push_str(&format!("\\u{{{code:04x}}}"));
            }
        }
        ch => out.push(ch),
    }
}

fn push_byte_escaped(out: &mut String, byte: u8) {
    out.push_str(&format!("\\x{byte:02x}"));
}

/// Bytes as text in `encoding`, with control characters and invalid sequences escaped so
/// nothing is interpreted. With `keep_line_breaks`, a `\n` is shown as `\n` and also breaks
/// the line.
pub fn display_text(data: &[u8], encoding: TextEncoding, keep_line_breaks: bool) -> String {
    let mut out = String::with_capacity(data.len() + data.len() / 8);
    match encoding {
        TextEncoding::Utf8 => {
            for chunk in data.utf8_chunks() {
                for ch in chunk.valid().chars() {
                    push_char_escaped(&mut out, ch, keep_line_breaks);
                }
                for byte in chunk.invalid() {
                    push_byte_escaped(&mut out, *byte);
                }
            }
        }
        TextEncoding::Latin1 => {
            for byte in data {
                push_char_escaped(&mut out, char::from(*byte), keep_line_breaks);
            }
        }
        TextEncoding::Gbk => {
            let mut index = 0;
            while index < data.len() {
                let byte = data[index];
                if byte < 0x80 {
                    push_char_escaped(&mut out, char::from(byte), keep_line_breaks);
                    index += 1;
                    continue;
                }
                let decoded = [2usize, 4].into_iter().find_map(|len| {
                    let sequence = data.get(index..index + len)?;
                    let text = encoding_rs::GBK
                        .decode_without_bom_handling_and_without_replacement(sequence)?;
                    (text.chars().count() == 1).then(|| (len, text.into_owned()))
                });
                match decoded {
                    Some((len, text)) => {
                        for ch in text.chars() {
                            push_char_escaped(&mut out, ch, keep_line_breaks);
                        }
                        index += len;
                    }
                    None => {
                        push_byte_escaped(&mut out, byte);
                        index += 1;
                    }
                }
            }
        }
    }
    out
}

/// One line of a hex dump: offset, 16 bytes in hex, and the printable ASCII beside them.
pub fn hex_dump_line(data: &[u8], offset: usize) -> String {
    let mut line = format!("{offset:08x}  ");
    for column in 0..16 {
        match data.get(column) {
            Some(byte) => line.push_str(&format!("{byte:02x} ")),
            None => line.push_str("   "),
        }
        if column == 7 {
            line.push(' ');
        }
    }
    line.push_str(" |");
    for byte in data.iter().take(16) {
        line.push(if byte.is_ascii_graphic() || *byte == b' ' {
            char::from(*byte)
        } else {
            '.'
        });
    }
    line.push('|');
    line
}

/// A whole hex dump, 16 bytes a line.
pub fn hex_dump(data: &[u8]) -> String {
    data.chunks(16)
        .enumerate()
        .map(|(index, chunk)| hex_dump_line(chunk, index * 16))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_become_bytes() {
        assert_eq!(
            parse_escaped("GET /\\r\\n\\t\\0\\x41\\\\", TextEncoding::Utf8).unwrap(),
            b"GET /\r\n\t\0A\\"
        );
        assert_eq!(parse_escaped("", TextEncoding::Utf8).unwrap(), b"");
    }

    #[test]
    fn bad_escapes_are_pointed_at() {
        let error = parse_escaped("ab\\q", TextEncoding::Utf8).unwrap_err();
        assert_eq!(error.position, 2);
        assert!(error.to_string().contains("unknown escape '\\q'"));
        assert_eq!(
            parse_escaped("\\x4", TextEncoding::Utf8)
                .unwrap_err()
                .position,
            0
        );
        assert_eq!(
            parse_escaped("abc\\", TextEncoding::Utf8)
                .unwrap_err()
                .position,
            3
        );
    }

    #[test]
    fn text_is_encoded_in_the_chosen_encoding() {
        assert_eq!(
            parse_escaped("中文", TextEncoding::Gbk).unwrap(),
            [0xd6, 0xd0, 0xce, 0xc4]
        );
        assert_eq!(
            parse_escaped("中文", TextEncoding::Utf8).unwrap(),
            "中文".as_bytes()
        );
        assert_eq!(parse_escaped("é", TextEncoding::Latin1).unwrap(), [0xe9]);
        let error = parse_escaped("a中", TextEncoding::Latin1).unwrap_err();
        assert_eq!(error.position, 1);
    }

    #[test]
    fn input_errors_read_as_before_in_english_and_in_chinese() {
        let cases = [
            (
                parse_escaped("a中", TextEncoding::Latin1),
                "at character 2: '中' cannot be written in Latin-1 (use UTF-8 or \\xNN)",
            ),
            (
                parse_escaped("\u{1F600}", TextEncoding::Gbk),
                "at character 1: '\u{1F600}' cannot be written in GBK (use UTF-8 or \\xNN)",
            ),
            (
                parse_escaped("abc\\", TextEncoding::Utf8),
                "at character 4: a lone '\\' at the end: write \\\\ for a backslash",
            ),
            (
                parse_escaped("\\x4", TextEncoding::Utf8),
                "at character 1: \\x needs two hex digits, e.g. \\x0a",
            ),
            (
                parse_escaped("ab\\q", TextEncoding::Utf8),
                "at character 3: unknown escape '\\q' (known: \\r \\n \\t \\0 \\\\ \\' \\\" \\xNN)",
            ),
            (
                parse_hex("48 6 6c"),
                "at character 4: odd number of hex digits: a byte is two digits (e.g. 0a)",
            ),
            (
                parse_hex("48 zz"),
                "at character 4: 'z' is not a hex digit (0-9, a-f)",
            ),
        ];
        for (result, english) in cases {
            let error = result.unwrap_err();
            assert_eq!(error.to_string(), english);
            let chinese = error.text(Lang::Zh);
            assert!(
                chinese
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{chinese}"
            );
        }
        assert_eq!(LineEnding::None.label(Lang::En), "none");
        assert_eq!(LineEnding::CrLf.label(Lang::Zh), "\\r\\n");
    }

    #[test]
    fn hex_allows_spaces_and_points_at_mistakes() {
        assert_eq!(parse_hex("48 65\n6c6C 0x6f").unwrap(), b"Hello");
        assert_eq!(parse_hex("de:ad-be,ef").unwrap(), [0xde, 0xad, 0xbe, 0xef]);
        let odd = parse_hex("48 6 6c").unwrap_err();
        assert_eq!(odd.position, 3);
        assert!(odd.to_string().contains("odd number"));
        let bad = parse_hex("48 zz").unwrap_err();
        assert_eq!(bad.position, 3);
        assert!(bad.to_string().contains("'z' is not a hex digit"));
        assert_eq!(parse_hex("abc").unwrap_err().position, 2);
    }

    #[test]
    fn received_text_is_shown_escaped_never_interpreted() {
        assert_eq!(
            display_text(b"hi\r\n\x1b[31mred\x07", TextEncoding::Utf8, false),
            "hi\\r\\n\\x1b[31mred\\x07"
        );
        assert_eq!(
            display_text(b"a\xffb", TextEncoding::Utf8, false),
            "a\\xffb"
        );
        assert_eq!(
            display_text("x\u{202e}y".as_bytes(), TextEncoding::Utf8, false),
            "x\\u{202e}y"
        );
        assert_eq!(display_text(b"1\n2", TextEncoding::Utf8, true), "1\\n\n2");
    }

    #[test]
    fn gbk_bytes_show_as_chinese_and_bad_ones_escaped() {
        assert_eq!(
            display_text(&[0xd6, 0xd0, 0xce, 0xc4], TextEncoding::Gbk, false),
            "中文"
        );
        assert_eq!(
            display_text(&[0xd6, 0x20, 0x41], TextEncoding::Gbk, false),
            "\\xd6 A"
        );
        assert_eq!(display_text(&[0xe9], TextEncoding::Latin1, false), "é");
    }

    #[test]
    fn hex_dump_has_offsets_and_ascii() {
        let dump = hex_dump(b"hello, world! 0123456789");
        let lines: Vec<&str> = dump.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("00000000  68 65 6c 6c 6f"));
        assert!(lines[0].ends_with("|hello, world! 01|"));
        assert!(lines[1].starts_with("00000010  32 33"));
    }

    fn escape_all(data: &[u8]) -> String {
        data.iter().map(|byte| format!("\\x{byte:02x}")).collect()
    }

    proptest! {
        #[test]
        fn hex_round_trips(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(parse_hex(&to_hex(&data)).unwrap(), data);
        }

        #[test]
        fn escapes_round_trip(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(parse_escaped(&escape_all(&data), TextEncoding::Utf8).unwrap(), data);
        }

        #[test]
        fn utf8_text_round_trips_through_display(text in "[^\\\\\\p{C}]{0,60}") {
            let shown = display_text(text.as_bytes(), TextEncoding::Utf8, false);
            prop_assert_eq!(parse_escaped(&shown, TextEncoding::Utf8).unwrap(), text.as_bytes());
        }

        #[test]
        fn display_never_panics_and_has_no_raw_controls(
            data in proptest::collection::vec(any::<u8>(), 0..300),
            encoding in prop_oneof![Just(TextEncoding::Utf8), Just(TextEncoding::Gbk), Just(TextEncoding::Latin1)],
        ) {
            let shown = display_text(&data, encoding, false);
            prop_assert!(!shown.chars().any(|ch| ch.is_control()));
        }
    }
}

/// Text made safe to print on a terminal: control characters (except newline and tab), DEL,
/// C1 controls and the bidirectional-override characters are shown escaped (`\x1b`,
/// `\u{202e}`), so a peer's bytes or a file's names cannot move the cursor, recolour the
/// screen or reorder what is shown.
pub fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let code = c as u32;
        let bidi = matches!(code, 0x061c | 0x200e | 0x200f | 0x202a..=0x202e | 0x2066..=0x2069);
        if c == '\n' || c == '\t' {
            out.push(c);
        } else if code < 0x20 || code == 0x7f {
            out.push_str(&format!("\\x{code:02x}"));
        } else if (0x80..=0x9f).contains(&code) || bidi {
            out.push_str(&format!("\\u{{{code:04x}}}"));
        } else {
            out.push(c);
        }
    }
    out
}

/// A writer that passes text on through [`terminal_safe`] (bytes that are not UTF-8 are
/// shown as `\xNN`).
pub struct TerminalSafe<W: std::io::Write>(pub W);

impl<W: std::io::Write> std::io::Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = match std::str::from_utf8(buf) {
            Ok(text) => terminal_safe(text),
            Err(_) => buf
                .utf8_chunks()
                .map(|chunk| {
                    let mut part = terminal_safe(chunk.valid());
                    for byte in chunk.invalid() {
                        part.push_str(&format!("\\x{byte:02x}"));
                    }
                    part
                })
                .collect(),
        };
        self.0.write_all(text.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod terminal_tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn terminal_controls_and_bidi_overrides_are_escaped() {
        assert_eq!(terminal_safe("a\u{1b}[2Jb"), "a\\x1b[2Jb");
        assert_eq!(terminal_safe("x\u{202e}y\u{2066}"), "x\\u{202e}y\\u{2066}");
        assert_eq!(terminal_safe("line\nnext\ttab"), "line\nnext\ttab");
        assert_eq!(
            terminal_safe("\u{7f}\u{85}\r\u{0}"),
            "\\x7f\\u{0085}\\x0d\\x00"
        );
        assert_eq!(terminal_safe("中文 ok"), "中文 ok");
        let mut out = TerminalSafe(Vec::new());
        out.write_all(b"ok \x1b]0;title\x07 \xff").unwrap();
        assert_eq!(
            String::from_utf8(out.0).unwrap(),
            "ok \\x1b]0;title\\x07 \\xff"
        );
    }
}
