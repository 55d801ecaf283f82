//! The built-in lessons (assets/lessons, built into the binary) and teachers' own lesson files.

use crate::i18n::{Lang, LocalText};
use crate::script::{self, Script};
use crate::t;

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// One lesson as the lessons panel lists it.
#[derive(Clone, Debug)]
pub struct Lesson {
    pub file_name: String,
    /// The file's title (its file name when it has none).
    pub title: LocalText,
    /// The introduction's first sentence, in each language the file has.
    pub summary: LocalText,
    pub script: Result<Script, String>,
}

impl Lesson {
    /// Parses a lesson; a malformed one is kept with its error (`FILE:LINE:COL: what`), in
    /// English (see [`Lesson::from_text_in`]).
    pub fn from_text(file_name: &str, text: &str) -> Lesson {
        Lesson::from_text_in(Lang::En, file_name, text)
    }

    /// Parses a lesson; a malformed one is kept with its error (`FILE:LINE:COL: what`), the
    /// what in `lang`.
    pub fn from_text_in(lang: Lang, file_name: &str, text: &str) -> Lesson {
        let script = script::parse_in(lang, text).map_err(|error| error.render(file_name, text));
        let (title, summary) = match &script {
            Ok(script) => (
                if script.title.is_empty() {
                    LocalText::guessed(file_name.to_string())
                } else {
                    script.title.clone()
                },
                script
                    .intro
                    .as_ref()
                    .map(|intro| LocalText {
                        en: intro.en.as_deref().map(first_sentence),
                        zh: intro.zh.as_deref().map(first_sentence),
                    })
                    .unwrap_or_default(),
            ),
            Err(_) => (
                LocalText::guessed(file_name.to_string()),
                LocalText::default(),
            ),
        };
        Lesson {
            file_name: file_name.to_string(),
            title,
            summary,
            script,
        }
    }
}

/// The text up to its first full stop: ". " in English, "。" in Chinese.
fn first_sentence(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let english = text.find(". ").map(|at| at + 1);
    let chinese = text.find('。').map(|at| at + '。'.len_utf8());
    match (english, chinese) {
        (Some(a), Some(b)) => text[..a.min(b)].to_string(),
        (Some(end), None) | (None, Some(end)) => text[..end].to_string(),
        (None, None) => text,
    }
}

/// Every built-in lesson, in order.
pub fn builtin() -> Vec<Lesson> {
    BUILTIN_LESSONS
        .iter()
        .map(|(name, text)| Lesson::from_text(name, text))
        .collect()
}

/// The text is one of the built-in lessons' (a copy of `assets/lessons/…`): trusted as the
/// built-in lesson is.
pub fn is_builtin_text(text: &str) -> bool {
    BUILTIN_LESSONS.iter().any(|(_, builtin)| *builtin == text)
}

/// A built-in lesson's number, from its file name (`10_sticky_packets.toml` is L10).
pub fn number(lesson: &Lesson) -> Option<u32> {
    let digits: String = lesson
        .file_name
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The built-in lesson a person means by `L10`, `10` or a word of its name or title
/// (`sticky`, `粘包`); an error names what matched when that is not exactly one.
pub fn find(lang: Lang, query: &str) -> Result<Lesson, String> {
    let query = query.trim();
    let lessons = builtin();
    let wanted = query
        .strip_prefix(['L', 'l'])
        .unwrap_or(query)
        .parse::<u32>()
        .ok();
    let matches: Vec<&Lesson> = match wanted {
        Some(wanted) => lessons
            .iter()
            .filter(|lesson| number(lesson) == Some(wanted))
            .collect(),
        None => {
            let needle = query.to_lowercase();
            lessons
                .iter()
                .filter(|lesson| {
                    !needle.is_empty()
                        && (lesson.file_name.to_lowercase().contains(&needle)
                            || Lang::ALL.iter().any(|lang| {
                                lesson.title.get(*lang).to_lowercase().contains(&needle)
                            }))
                })
                .collect()
        }
    };
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(t!(lang, "cli-no-such-lesson", query = query)),
        several => {
            let names: Vec<String> = several
                .iter()
                .map(|lesson| lesson.title.get(lang).to_string())
                .collect();
            Err(t!(
                lang,
                "cli-several-lessons",
                query = query,
                lessons = names.join("; ")
            ))
        }
    }
}

/// A teacher's own lesson file; an error is worded in English (see [`load_file_in`]).
pub fn load_file(path: &std::path::Path) -> Lesson {
    load_file_in(Lang::En, path)
}

/// A teacher's own lesson file; a file that cannot be read or is malformed is kept with its
/// error in `lang`.
pub fn load_file_in(lang: Lang, path: &std::path::Path) -> Lesson {
    let name = path.display().to_string();
    match crate::script::read_text_in(lang, path) {
        Ok(text) => Lesson::from_text_in(lang, &name, &text),
        Err(message) => Lesson {
            file_name: name.clone(),
            title: LocalText::guessed(name.clone()),
            summary: LocalText::default(),
            script: Err(message),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_lesson_is_listed_with_its_line() {
        let lesson = Lesson::from_text("mine.toml", "title = 'x'\n[[step]]\ndo = ['s.recvv(1)']\n");
        let error = lesson.script.expect_err("malformed");
        assert!(error.starts_with("mine.toml:3:"), "{error}");
    }

    #[test]
    fn a_malformed_lesson_is_explained_in_the_language_asked_for() {
        let text = "title = 'x'\n[[step]]\ndo = ['s.recvv(1)']\n";
        let english = Lesson::from_text_in(Lang::En, "mine.toml", text);
        assert_eq!(english.script, Lesson::from_text("mine.toml", text).script);
        let english = english.script.expect_err("malformed");
        let chinese = Lesson::from_text_in(Lang::Zh, "mine.toml", text)
            .script
            .expect_err("malformed");
        assert!(english.starts_with("mine.toml:3:"), "{english}");
        // Where, and the excerpt with its caret, do not change with the language.
        let (english_where, _) = english.split_once(": ").expect("where");
        let (chinese_where, _) = chinese.split_once(": ").expect("where");
        assert_eq!(chinese_where, english_where);
        assert!(
            chinese
                .contains(": 没有名叫“s”的套接字（请先创建它：s = socket(AF_INET, SOCK_STREAM)）"),
            "{chinese}"
        );
        assert_eq!(
            chinese.split_once('\n').map(|(_, excerpt)| excerpt),
            english.split_once('\n').map(|(_, excerpt)| excerpt)
        );
        // A file that cannot be read says so in Chinese, after its name.
        let missing = std::path::Path::new("/nonexistent/mine.toml");
        let english = load_file(missing).script.expect_err("missing");
        let chinese = load_file_in(Lang::Zh, missing).script.expect_err("missing");
        assert!(
            english.starts_with("/nonexistent/mine.toml: cannot read: "),
            "{english}"
        );
        assert!(
            chinese.starts_with("/nonexistent/mine.toml: 无法读取："),
            "{chinese}"
        );
    }

    #[test]
    fn a_lesson_is_found_by_number_or_by_a_word_of_its_name() {
        let by = |query: &str| find(Lang::En, query).map(|lesson| lesson.file_name);
        assert_eq!(by("L10").as_deref(), Ok("10_sticky_packets.toml"));
        assert_eq!(by("10").as_deref(), Ok("10_sticky_packets.toml"));
        assert_eq!(by("l1").as_deref(), Ok("01_tcp_hello.toml"));
        assert_eq!(by("sticky").as_deref(), Ok("10_sticky_packets.toml"));
        assert_eq!(by("黏包").as_deref(), Ok("10_sticky_packets.toml"));
        let none = by("L99").expect_err("no L99");
        assert!(none.contains("L99") && none.contains("lessons"), "{none}");
        // A word in several titles names them all.
        let several = by("udp").expect_err("several");
        assert!(
            several.contains("L6 ") && several.contains("L7 "),
            "{several}"
        );
        let chinese = find(Lang::Zh, "L99").expect_err("no L99");
        assert!(chinese.contains("没有"), "{chinese}");
    }

    #[test]
    fn the_summary_is_the_first_sentence() {
        assert_eq!(first_sentence("One two.  Three four."), "One two.");
        assert_eq!(first_sentence("No full stop"), "No full stop");
        assert_eq!(
            first_sentence("服务器先监听。客户端再连接。"),
            "服务器先监听。"
        );
        assert_eq!(
            first_sentence("用 recv() 读。 Then more. 还有。"),
            "用 recv() 读。"
        );
        assert_eq!(first_sentence("Call recv(). 然后。"), "Call recv().");
    }
}
