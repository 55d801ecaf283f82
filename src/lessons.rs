//! The built-in lessons (assets/lessons, built into the binary) and teachers' own lesson files.

use crate::script::{self, Script};

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// One lesson as the lessons panel lists it.
#[derive(Clone, Debug)]
pub struct Lesson {
    pub file_name: String,
    pub title: String,
    /// The first sentence of the introduction.
    pub summary: String,
    pub script: Result<Script, String>,
}

impl Lesson {
    /// Parses a lesson; a malformed one is kept with its error (`FILE:LINE:COL: what`).
    pub fn from_text(file_name: &str, text: &str) -> Lesson {
        let script = script::parse(text).map_err(|error| error.render(file_name, text));
        let (title, summary) = match &script {
            Ok(script) => (
                if script.title.is_empty() {
                    file_name.to_string()
                } else {
                    script.title.clone()
                },
                script
                    .intro
                    .as_deref()
                    .map(first_sentence)
                    .unwrap_or_default(),
            ),
            Err(_) => (file_name.to_string(), "this file has an error".to_string()),
        };
        Lesson {
            file_name: file_name.to_string(),
            title,
            summary,
            script,
        }
    }
}

fn first_sentence(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.find(". ") {
        Some(end) => text[..=end].to_string(),
        None => text,
    }
}

/// Every built-in lesson, in order.
pub fn builtin() -> Vec<Lesson> {
    BUILTIN_LESSONS
        .iter()
        .map(|(name, text)| Lesson::from_text(name, text))
        .collect()
}

/// A teacher's own lesson file.
pub fn load_file(path: &std::path::Path) -> Lesson {
    let name = path.display().to_string();
    match crate::script::read_text(path) {
        Ok(text) => Lesson::from_text(&name, &text),
        Err(message) => Lesson {
            file_name: name.clone(),
            title: name.clone(),
            summary: String::new(),
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
    fn the_summary_is_the_first_sentence() {
        assert_eq!(first_sentence("One two.  Three four."), "One two.");
        assert_eq!(first_sentence("No full stop"), "No full stop");
    }
}
