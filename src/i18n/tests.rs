use super::*;
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Ids made at run time, by prefix: their messages are looked up with [`lookup`], so the
/// compiler cannot check them; the test named beside each prefix checks them instead.
const RUN_TIME_ID_PREFIXES: &[(&str, &str)] = &[
    ("errno-", "errno_ids_match_the_errno_table"),
    (
        "option-about-",
        "option_descriptions_match_the_option_table",
    ),
];

fn catalogue_file(lang: Lang) -> String {
    let folder = match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("i18n")
        .join(folder)
        .join("socket_workbench.ftl");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Each message's id with the variables it uses (`$name`), attributes included.
fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let text = catalogue_file(lang);
    let resource = match fluent_syntax::parser::parse(text.as_str()) {
        Ok(resource) => resource,
        Err((_, errors)) => panic!("the {lang} catalogue does not parse: {errors:?}"),
    };
    let mut found = BTreeMap::new();
    for entry in resource.body {
        match entry {
            ast::Entry::Message(message) => {
                let mut variables = BTreeSet::new();
                if let Some(value) = &message.value {
                    pattern_variables(value, &mut variables);
                }
                for attribute in &message.attributes {
                    pattern_variables(&attribute.value, &mut variables);
                }
                let id = message.id.name.to_string();
                assert!(
                    found.insert(id.clone(), variables).is_none(),
                    "{lang}: {id} twice"
                );
            }
            ast::Entry::Junk { content } => panic!("{lang}: not Fluent: {content}"),
            _ => {}
        }
    }
    found
}

fn pattern_variables(pattern: &ast::Pattern<&str>, into: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, into);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, into: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => inline_variables(inline, into),
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, into);
            for variant in variants {
                pattern_variables(&variant.value, into);
            }
        }
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, into: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            into.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, into),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, into);
            }
        }
        _ => {}
    }
}

#[test]
fn both_languages_have_the_same_messages_with_the_same_arguments() {
    let english = messages(Lang::En);
    let chinese = messages(Lang::Zh);
    let only_english: Vec<_> = english
        .keys()
        .filter(|id| !chinese.contains_key(*id))
        .collect();
    let only_chinese: Vec<_> = chinese
        .keys()
        .filter(|id| !english.contains_key(*id))
        .collect();
    assert!(
        only_english.is_empty(),
        "missing in zh-CN: {only_english:?}"
    );
    assert!(only_chinese.is_empty(), "missing in en: {only_chinese:?}");
    for (id, variables) in &english {
        assert_eq!(
            &chinese[id], variables,
            "{id}: the two languages take different arguments"
        );
    }
    assert!(english.len() >= 8, "{} messages", english.len());
}

fn rust_sources(folder: &Path, into: &mut Vec<String>) {
    let entries = std::fs::read_dir(folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_sources(&path, into);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            into.push(std::fs::read_to_string(&path).unwrap_or_default());
        }
    }
}

#[test]
fn every_message_is_used_somewhere() {
    let mut sources = Vec::new();
    rust_sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut sources,
    );
    let all = sources.join("\n");
    let unused: Vec<String> = messages(Lang::En)
        .into_keys()
        .filter(|id| {
            !RUN_TIME_ID_PREFIXES
                .iter()
                .any(|(prefix, _)| id.starts_with(prefix))
        })
        .filter(|id| !all.contains(&format!("\"{id}\"")))
        .collect();
    assert!(unused.is_empty(), "messages no code uses: {unused:?}");
}

#[test]
fn a_message_reads_in_the_language_asked_for() {
    assert_eq!(t!(Lang::En, "outcome-pending"), "pending");
    assert_eq!(t!(Lang::Zh, "outcome-pending"), "等待中");
    // No isolation marks around arguments: egui would draw them.
    assert_eq!(
        t!(Lang::En, "outcome-errno-number", code = "104"),
        "errno 104"
    );
    assert_eq!(
        lookup(Lang::Zh, "outcome-cancelled").as_deref(),
        Some("被工作台取消")
    );
    assert_eq!(lookup(Lang::Zh, "no-such-message"), None);
}

#[test]
fn the_locale_decides_the_default_language() {
    let with = |pairs: &'static [(&'static str, &'static str)]| {
        Lang::from_locale(move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    };
    assert_eq!(with(&[]), Lang::En);
    assert_eq!(with(&[("LANG", "zh_CN.UTF-8")]), Lang::Zh);
    assert_eq!(with(&[("LANG", "en_US.UTF-8")]), Lang::En);
    assert_eq!(with(&[("LANG", "C")]), Lang::En);
    // LC_ALL wins over LC_MESSAGES, which wins over LANG; an empty one does not count.
    assert_eq!(with(&[("LC_ALL", "zh_TW"), ("LANG", "en_US")]), Lang::Zh);
    assert_eq!(
        with(&[("LC_ALL", ""), ("LC_MESSAGES", "en_GB"), ("LANG", "zh_CN")]),
        Lang::En
    );
    assert_eq!(with(&[("LC_MESSAGES", "zh-Hans")]), Lang::Zh);
    assert_eq!(Lang::from_code("zh"), Some(Lang::Zh));
    assert_eq!(Lang::from_code("EN"), Some(Lang::En));
    assert_eq!(Lang::from_code("fr"), None);
}

#[test]
fn a_text_in_one_language_falls_back_to_it() {
    let both = LocalText::both("hello", "你好");
    assert_eq!(both.get(Lang::En), "hello");
    assert_eq!(both.get(Lang::Zh), "你好");
    let english = LocalText::guessed("A server and a client.".into());
    assert!(english.has(Lang::En) && !english.has(Lang::Zh));
    assert_eq!(english.get(Lang::Zh), "A server and a client.");
    let chinese = LocalText::guessed("服务器调用 accept()，阻塞了。".into());
    assert!(chinese.has(Lang::Zh) && !chinese.has(Lang::En));
    assert_eq!(chinese.get(Lang::En), "服务器调用 accept()，阻塞了。");
    assert!(LocalText::default().is_empty());
    assert_eq!(guess_language("recv(1024) -> b'hi'"), Lang::En);
    assert_eq!(guess_language("（全角）"), Lang::Zh);
}

/// Errnos whose table entry exists on other platforms only (on Linux ENOTSUP is EOPNOTSUPP):
/// the catalogue explains them everywhere.
const ERRNOS_OF_OTHER_PLATFORMS: &[&str] = &["ENOTSUP"];

/// `errno-<NAME>` and `errno-<NAME>-fix` (engine/errno.rs): each errno the table knows has
/// its explanation, and its fix where it has one, in both languages; each such id belongs to
/// a known errno. `errno-unknown` is written in the source.
#[test]
fn errno_ids_match_the_errno_table() {
    use crate::engine::errno;
    let table: BTreeMap<&str, bool> = errno::all()
        .iter()
        .map(|entry| (entry.name, entry.fix.is_some()))
        .chain(ERRNOS_OF_OTHER_PLATFORMS.iter().map(|&name| (name, true)))
        .collect();
    for lang in Lang::ALL {
        let catalogue = messages(lang);
        for (name, has_fix) in &table {
            let id = format!("errno-{name}");
            assert!(catalogue.contains_key(&id), "{lang}: {id} is missing");
            let fix = format!("errno-{name}-fix");
            assert_eq!(
                catalogue.contains_key(&fix),
                *has_fix,
                "{lang}: {fix} (the table has a fix: {has_fix})"
            );
        }
        for (id, variables) in &catalogue {
            let Some(rest) = id.strip_prefix("errno-") else {
                continue;
            };
            assert!(variables.is_empty(), "{lang}: {id} takes no arguments");
            if rest == "unknown" {
                continue;
            }
            let (name, fix) = match rest.strip_suffix("-fix") {
                Some(name) => (name, true),
                None => (rest, false),
            };
            match table.get(name) {
                Some(has_fix) => assert!(!fix || *has_fix, "{lang}: {id}: the table has no fix"),
                None => panic!("{lang}: {id} is no errno the table knows"),
            }
        }
    }
}

/// `option-about-<NAME>` (engine/options.rs): each option the workbench knows is described in
/// both languages, and each such id names a known option.
#[test]
fn option_descriptions_match_the_option_table() {
    use crate::engine::options::OPTIONS;
    for lang in Lang::ALL {
        let catalogue = messages(lang);
        for spec in OPTIONS {
            let id = format!("option-about-{}", spec.name);
            assert!(catalogue.contains_key(&id), "{lang}: {id} is missing");
        }
        for (id, variables) in &catalogue {
            let Some(name) = id.strip_prefix("option-about-") else {
                continue;
            };
            assert!(variables.is_empty(), "{lang}: {id} takes no arguments");
            assert!(
                OPTIONS.iter().any(|spec| spec.name == name),
                "{lang}: {id} is no option the workbench knows"
            );
        }
    }
}
