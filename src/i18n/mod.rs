//! Every sentence a person reads, in 简体中文 and English, from one catalogue.
//!
//! The catalogue is Fluent (`i18n/<language>/socket_workbench.ftl`), loaded through i18n-embed
//! and read with [`t!`], which wraps i18n-embed-fl's `fl!`: a message id or an argument that the
//! English file lacks fails the build. English is the fallback language; a test checks that the
//! Chinese file has exactly the same ids, and that every id is used.
//!
//! The language is passed to every call rather than kept in a global: the window keeps it in
//! its settings (and switches while it runs), the headless runner takes `--lang`, and tests
//! pin theirs, so parallel tests in one process never see each other's language.
//!
//! Socket API names, errno names and Python literals (recv, SO_REUSEADDR, ECONNRESET,
//! b'hello') stay as written in both languages.

mod outcome;
mod text;

pub use outcome::{OutcomeWords, no_result_thread_ended, outcome_words};
pub use text::{LocalText, guess_language};

use i18n_embed::LanguageLoader;
use i18n_embed::fluent::{FluentLanguageLoader, fluent_language_loader};
use rust_embed::RustEmbed;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

/// A language the workbench speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh")]
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// `en` or `zh`, as `--lang` takes it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language's own name for itself (the toolbar's switch).
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
        }
    }

    /// `en`, `zh`, or a locale such as `zh_CN.UTF-8`, `zh-Hans`, `en_US`; None for anything
    /// else (including `C` and `POSIX`).
    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        let language = code.split(['_', '-', '.', '@']).next().unwrap_or_default();
        match language {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language the system's locale asks for: the first of LC_ALL, LC_MESSAGES and LANG
    /// that is set and not empty decides (as POSIX orders them); English when it names
    /// neither language.
    pub fn from_environment() -> Lang {
        Lang::from_locale(|name| std::env::var(name).ok())
    }

    /// [`Lang::from_environment`] over any lookup (tests pass their own).
    pub fn from_locale(lookup: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| lookup(name))
            .find(|value| !value.is_empty())
            .and_then(|value| Lang::from_code(&value))
            .unwrap_or(Lang::En)
    }

    fn identifier(self) -> LanguageIdentifier {
        match self {
            Lang::En => unic_langid::langid!("en"),
            Lang::Zh => unic_langid::langid!("zh-CN"),
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Catalogue;

/// One loader per language; each falls back to English for a message it lacks (none should:
/// a test checks).
static LOADERS: LazyLock<[FluentLanguageLoader; 2]> = LazyLock::new(|| {
    let all: FluentLanguageLoader = fluent_language_loader!();
    let languages: Vec<LanguageIdentifier> = Lang::ALL.iter().map(|l| l.identifier()).collect();
    if let Err(error) = all.load_languages(&Catalogue, &languages) {
        // The catalogue is built into the binary and checked by tests; should it still fail,
        // the words show as their ids, which is readable enough to report.
        eprintln!("socket-workbench: the message catalogue did not load: {error}");
    }
    Lang::ALL.map(|lang| {
        let loader = all.select_languages(&[lang.identifier()]);
        // No Unicode isolation marks around arguments: egui would draw them as boxes.
        loader.set_use_isolating(false);
        loader
    })
});

/// The catalogue in `lang` (use [`t!`] rather than this).
pub fn loader(lang: Lang) -> &'static FluentLanguageLoader {
    match lang {
        Lang::En => &LOADERS[0],
        Lang::Zh => &LOADERS[1],
    }
}

/// A message looked up by an id made at run time (an errno's explanation, say); ids written
/// in the source go through [`t!`], which checks them at compile time. None if the catalogue
/// lacks it.
pub fn lookup(lang: Lang, id: &str) -> Option<String> {
    let loader = loader(lang);
    loader.has(id).then(|| loader.get(id))
}

/// A message from the catalogue: `t!(lang, "id")` or `t!(lang, "id", name = value, ...)`.
/// The id and the argument names are checked against the English file when this compiles.
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:literal) => {
        i18n_embed_fl::fl!($crate::i18n::loader($lang), $id)
    };
    ($lang:expr, $id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        i18n_embed_fl::fl!($crate::i18n::loader($lang), $id, $($name = ($value)),+)
    };
}

#[cfg(test)]
mod tests;
