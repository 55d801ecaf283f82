//! Splits one action string (`client.send(b'hi\r\n') => 4`) into tokens with their character
//! positions, so every later error can point at the exact place.

use crate::i18n::Lang;
use crate::t;

/// One token of an action.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    Ident(String),
    Int(i64),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    /// `( ) [ ] , = . & | * - => == != >= <= > <`
    Punct(&'static str),
}

impl Tok {
    /// How the token reads in an error message.
    pub(crate) fn describe(&self, lang: Lang) -> String {
        match self {
            Tok::Ident(name) => t!(lang, "lex-token-name", name = name.as_str()),
            Tok::Int(value) => t!(lang, "lex-token-number", value = value.to_string()),
            Tok::Float(value) => t!(lang, "lex-token-number", value = value.to_string()),
            Tok::Str(text) => t!(lang, "lex-token-string", text = text.as_str()),
            Tok::Bytes(_) => t!(lang, "lex-token-bytes"),
            Tok::Punct(punct) => t!(lang, "lex-token-name", name = *punct),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    /// Character index of the token's first character within the action.
    pub(crate) pos: usize,
    /// Character index just after the token.
    pub(crate) end: usize,
}

/// A lexing error: a character position within the action and a message.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LexError {
    pub(crate) pos: usize,
    pub(crate) message: String,
}

const PUNCT2: [&str; 5] = ["=>", "==", "!=", ">=", "<="];
const PUNCT1: [&str; 14] = [
    "(", ")", "[", "]", ",", "=", ".", "&", "|", "*", "-", ">", "<", ":",
];

/// Tokenizes one action. A `#` outside a string starts a comment that runs to the end. Errors
/// are worded in `lang`.
pub(crate) fn lex(lang: Lang, text: &str) -> Result<Vec<Token>, LexError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '#' {
            break;
        }
        let start = i;
        if c.is_ascii_digit() {
            let (tok, end) = lex_number(lang, &chars, i)?;
            tokens.push(Token {
                tok,
                pos: start,
                end,
            });
            i = end;
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let mut end = i;
            while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
                end += 1;
            }
            let word: String = chars[i..end].iter().collect();
            // String prefixes: b'..', r'..', rb'..', br'..'.
            let lower = word.to_ascii_lowercase();
            if end < chars.len()
                && (chars[end] == '\'' || chars[end] == '"')
                && matches!(lower.as_str(), "b" | "r" | "rb" | "br")
            {
                let bytes = lower.contains('b');
                let raw = lower.contains('r');
                let (tok, after) = lex_string(lang, &chars, end, bytes, raw, start)?;
                tokens.push(Token {
                    tok,
                    pos: start,
                    end: after,
                });
                i = after;
                continue;
            }
            tokens.push(Token {
                tok: Tok::Ident(word),
                pos: start,
                end,
            });
            i = end;
            continue;
        }
        if c == '\'' || c == '"' {
            let (tok, after) = lex_string(lang, &chars, i, false, false, start)?;
            tokens.push(Token {
                tok,
                pos: start,
                end: after,
            });
            i = after;
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        if let Some(punct) = PUNCT2.iter().find(|p| **p == two) {
            tokens.push(Token {
                tok: Tok::Punct(punct),
                pos: start,
                end: i + 2,
            });
            i += 2;
            continue;
        }
        let one = c.to_string();
        if let Some(punct) = PUNCT1.iter().find(|p| **p == one) {
            tokens.push(Token {
                tok: Tok::Punct(punct),
                pos: start,
                end: i + 1,
            });
            i += 1;
            continue;
        }
        return Err(LexError {
            pos: i,
            message: t!(lang, "lex-unexpected-character", char = c.to_string()),
        });
    }
    Ok(tokens)
}

fn lex_number(lang: Lang, chars: &[char], start: usize) -> Result<(Tok, usize), LexError> {
    let mut i = start;
    let radix_prefix = if chars[i] == '0' && i + 1 < chars.len() {
        match chars[i + 1] {
            'x' | 'X' => Some(16),
            'o' | 'O' => Some(8),
            'b' | 'B' => Some(2),
            _ => None,
        }
    } else {
        None
    };
    if let Some(radix) = radix_prefix {
        i += 2;
        let digits_start = i;
        while i < chars.len() && (chars[i].is_digit(radix) || chars[i] == '_') {
            i += 1;
        }
        let digits: String = chars[digits_start..i]
            .iter()
            .filter(|c| **c != '_')
            .collect();
        let value = i64::from_str_radix(&digits, radix).map_err(|_| LexError {
            pos: start,
            message: t!(lang, "lex-not-a-number"),
        })?;
        return Ok((Tok::Int(value), i));
    }
    while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '_') {
        i += 1;
    }
    let mut is_float = false;
    if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
        is_float = true;
        i += 1;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '_') {
            i += 1;
        }
    }
    let digits: String = chars[start..i].iter().filter(|c| **c != '_').collect();
    if is_float {
        let value: f64 = digits.parse().map_err(|_| LexError {
            pos: start,
            message: t!(lang, "lex-not-a-valid-number", digits = digits.as_str()),
        })?;
        Ok((Tok::Float(value), i))
    } else {
        let value: i64 = digits.parse().map_err(|_| LexError {
            pos: start,
            message: t!(lang, "lex-number-too-large", digits = digits.as_str()),
        })?;
        Ok((Tok::Int(value), i))
    }
}

/// Lexes a quoted string starting at `quote_at` (the quote character). `token_start` is where
/// the token began (before any b/r prefix), for the "unterminated" error.
fn lex_string(
    lang: Lang,
    chars: &[char],
    quote_at: usize,
    bytes: bool,
    raw: bool,
    token_start: usize,
) -> Result<(Tok, usize), LexError> {
    let quote = chars[quote_at];
    let mut i = quote_at + 1;
    let mut out: Vec<u8> = Vec::new();
    let mut text = String::new();
    let not_closed = || {
        let quote = quote.to_string();
        if bytes {
            t!(lang, "lex-bytes-not-closed", quote = quote)
        } else {
            t!(lang, "lex-string-not-closed", quote = quote)
        }
    };
    loop {
        let Some(&c) = chars.get(i) else {
            return Err(LexError {
                pos: token_start,
                message: not_closed(),
            });
        };
        if c == quote {
            i += 1;
            break;
        }
        if c == '\\' && !raw {
            let Some(&next) = chars.get(i + 1) else {
                return Err(LexError {
                    pos: token_start,
                    message: not_closed(),
                });
            };
            let escape_at = i;
            let simple = match next {
                'n' => Some('\n'),
                'r' => Some('\r'),
                't' => Some('\t'),
                '\\' => Some('\\'),
                '\'' => Some('\''),
                '"' => Some('"'),
                'a' => Some('\u{7}'),
                'b' => Some('\u{8}'),
                'f' => Some('\u{c}'),
                'v' => Some('\u{b}'),
                _ => None,
            };
            if let Some(value) = simple {
                push_char(&mut out, &mut text, value, bytes);
                i += 2;
                continue;
            }
            if next == 'x' {
                let hex: String = chars.iter().skip(i + 2).take(2).collect();
                if hex.len() != 2 || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                    return Err(LexError {
                        pos: escape_at,
                        message: t!(lang, "lex-hex-escape"),
                    });
                }
                let value = u8::from_str_radix(&hex, 16).map_err(|_| LexError {
                    pos: escape_at,
                    message: t!(lang, "lex-hex-escape-short"),
                })?;
                if bytes {
                    out.push(value);
                } else {
                    text.push(char::from(value));
                }
                i += 4;
                continue;
            }
            if next.is_digit(8) {
                let mut end = i + 1;
                while end < chars.len() && end < i + 4 && chars[end].is_digit(8) {
                    end += 1;
                }
                let octal: String = chars[i + 1..end].iter().collect();
                let value = u32::from_str_radix(&octal, 8).unwrap_or(0);
                if value > 0xff {
                    return Err(LexError {
                        pos: escape_at,
                        message: t!(lang, "lex-octal-escape-too-large", octal = octal.as_str()),
                    });
                }
                if bytes {
                    out.push(value as u8);
                } else {
                    text.push(char::from(value as u8));
                }
                i = end;
                continue;
            }
            if !bytes && (next == 'u' || next == 'U') {
                let width = if next == 'u' { 4 } else { 8 };
                let hex: String = chars.iter().skip(i + 2).take(width).collect();
                let value = u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == width)
                    .and_then(char::from_u32);
                let Some(value) = value else {
                    return Err(LexError {
                        pos: escape_at,
                        message: t!(
                            lang,
                            "lex-unicode-escape",
                            escape = next.to_string(),
                            width = width.to_string()
                        ),
                    });
                };
                text.push(value);
                i += 2 + width;
                continue;
            }
            return Err(LexError {
                pos: escape_at,
                message: if bytes {
                    t!(lang, "lex-unknown-escape-bytes", escape = next.to_string())
                } else {
                    t!(lang, "lex-unknown-escape-string", escape = next.to_string())
                },
            });
        }
        if bytes && !c.is_ascii() {
            return Err(LexError {
                pos: i,
                message: t!(lang, "lex-bytes-ascii-only", char = c.to_string()),
            });
        }
        push_char(&mut out, &mut text, c, bytes);
        i += 1;
    }
    if bytes {
        Ok((Tok::Bytes(out), i))
    } else {
        Ok((Tok::Str(text), i))
    }
}

fn push_char(out: &mut Vec<u8>, text: &mut String, c: char, bytes: bool) {
    if bytes {
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    } else {
        text.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        lex(Lang::En, text)
            .unwrap()
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    #[test]
    fn lexes_calls_numbers_and_durations() {
        assert_eq!(
            toks("s.recv(1024) => blocks >= 200ms"),
            vec![
                Tok::Ident("s".into()),
                Tok::Punct("."),
                Tok::Ident("recv".into()),
                Tok::Punct("("),
                Tok::Int(1024),
                Tok::Punct(")"),
                Tok::Punct("=>"),
                Tok::Ident("blocks".into()),
                Tok::Punct(">="),
                Tok::Int(200),
                Tok::Ident("ms".into()),
            ]
        );
        assert_eq!(toks("0.5"), vec![Tok::Float(0.5)]);
        assert_eq!(toks("0x10 1_000"), vec![Tok::Int(16), Tok::Int(1000)]);
    }

    #[test]
    fn bytes_escapes() {
        assert_eq!(
            toks(r"b'a\n\r\t\0\x41\xff\\\'z'"),
            vec![Tok::Bytes(b"a\n\r\t\0A\xff\\'z".to_vec())]
        );
        assert_eq!(toks(r#"b"it's""#), vec![Tok::Bytes(b"it's".to_vec())]);
        assert_eq!(toks(r"rb'\n'"), vec![Tok::Bytes(b"\\n".to_vec())]);
        assert_eq!(toks("'你好'"), vec![Tok::Str("你好".into())]);
    }

    #[test]
    fn string_errors_point_at_the_problem() {
        let error = lex(Lang::En, r"x.send(b'ab\q')").unwrap_err();
        assert_eq!(error.pos, 11);
        assert!(
            error.message.contains("unknown escape \\q"),
            "{}",
            error.message
        );
        let error = lex(Lang::En, "x.send(b'abc)").unwrap_err();
        assert_eq!(error.pos, 7);
        assert!(error.message.contains("no closing"));
        let error = lex(Lang::En, r"b'\x4'").unwrap_err();
        assert!(error.message.contains("two hex digits"));
        let error = lex(Lang::En, "b'é'").unwrap_err();
        assert_eq!(error.pos, 2);
        assert!(error.message.contains("ASCII only"));
        let error = lex(Lang::En, "a ? b").unwrap_err();
        assert_eq!(error.pos, 2);
    }

    #[test]
    fn comments_end_the_action() {
        assert_eq!(toks("sleep 1s # wait"), toks("sleep 1s"));
    }
}
