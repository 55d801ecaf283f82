//! Prose written by a person in one or both languages: a lesson's title, introduction and
//! narration. A file may carry both (`title.en = "…"`, `title.zh = "…"`) or one; asked for the
//! other, it gives what it has and says that it fell back.

use super::Lang;

/// A text in English, in Chinese, or in both.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocalText {
    pub en: Option<String>,
    pub zh: Option<String>,
}

impl LocalText {
    /// One text whose language is guessed from its script (see [`guess_language`]).
    pub fn guessed(text: String) -> LocalText {
        match guess_language(&text) {
            Lang::En => LocalText {
                en: Some(text),
                zh: None,
            },
            Lang::Zh => LocalText {
                en: None,
                zh: Some(text),
            },
        }
    }

    pub fn both(en: &str, zh: &str) -> LocalText {
        LocalText {
            en: Some(en.to_string()),
            zh: Some(zh.to_string()),
        }
    }

    fn exact(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => self.en.as_deref(),
            Lang::Zh => self.zh.as_deref(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.en.as_deref().is_none_or(str::is_empty) && self.zh.as_deref().is_none_or(str::is_empty)
    }

    /// True when the text exists in `lang` itself, not only in the other language.
    pub fn has(&self, lang: Lang) -> bool {
        self.exact(lang).is_some()
    }

    /// The text in `lang`, or in the other language when it has none ("" when it has neither).
    pub fn get(&self, lang: Lang) -> &str {
        self.exact(lang)
            .or_else(|| Lang::ALL.iter().find_map(|other| self.exact(*other)))
            .unwrap_or_default()
    }
}

/// Chinese when the text holds a CJK ideograph or CJK punctuation, else English: what a text
/// in a file with a single language is taken to be written in.
pub fn guess_language(text: &str) -> Lang {
    let chinese = text.chars().any(|c| {
        matches!(c,
            '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
            | '\u{3400}'..='\u{4DBF}' // extension A
            | '\u{3000}'..='\u{303F}' // CJK punctuation: 。、「」
            | '\u{FF00}'..='\u{FFEF}' // full-width forms: ，：？！（）
        )
    });
    if chinese { Lang::Zh } else { Lang::En }
}
