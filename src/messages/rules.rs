//! Reply rules compiled for answering (PRODUCT part 15; Packet Sender's smart responses): each
//! rule's matcher is built once, each reply's template parsed once, and [`RuleSet::answer`]
//! picks the first rule that matches a received chunk or datagram and expands its reply.
//!
//! Matching, by the rule's [`MatchKind`] and [`BodyFormat`]:
//! - exact, prefix, contains: on bytes; the pattern is text with the composer's escapes (in
//!   UTF-8) or hex digits;
//! - regex: `regex::bytes` over the data itself for a text pattern, and over the data's hex
//!   text (`01 03 00`, as [`crate::codec::to_hex`] writes it, letters in either case) for a hex
//!   pattern.
//!
//! A rule set comes from a person's file, the data from any peer: a regular expression is
//! compiled within [`REGEX_SIZE_LIMIT`], and contains and regex look at the first
//! [`MATCH_WINDOW`] bytes of the data only (exact and prefix compare at most the pattern's
//! length anyway), so no chunk can make an answer slow.

use super::template::{Context, ExpandError, SplitMix64, Template, TemplateError, parse_message};
use super::{BodyFormat, MatchKind, ReplyRule, SavedMessage};
use crate::codec::{InputError, TextEncoding, parse_escaped, parse_hex, to_hex};
use crate::i18n::Lang;
use crate::t;
use regex::bytes::{Regex, RegexBuilder};
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// How much memory one rule's compiled regular expression may take (and its lazy DFA).
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// How many bytes of the data contains and regex rules look at (the first ones).
pub const MATCH_WINDOW: usize = 64 * 1024;

/// "rule 2": how the timeline and the errors name a rule (1-based), in `lang`.
pub fn rule_label(lang: Lang, rule: usize) -> String {
    t!(lang, "rules-rule-label", rule = rule.to_string())
}

/// Reply rules ready to answer. Send and Sync, and cheap to copy: the compiled rules are
/// shared. A clone counts on from where the original was; [`RuleSet::fresh_copy`] counts from
/// the start (the engine gives each connection one, so each client counts from 1).
#[derive(Clone, Debug)]
pub struct RuleSet {
    compiled: Arc<Compiled>,
    /// Per reply: how many times this rule set sent it (grown on first use, so a copy made
    /// for a connection that never gets an answer allocates nothing).
    counters: Vec<u64>,
    random: SplitMix64,
}

#[derive(Debug)]
struct Compiled {
    rules: Vec<Rule>,
    replies: Vec<Reply>,
    /// What the set was compiled from: two sets from the same rules and replies are the same.
    source: Vec<ReplyRule>,
    messages: Vec<SavedMessage>,
}

#[derive(Debug)]
struct Rule {
    matcher: Matcher,
    /// Index into `replies`.
    reply: usize,
}

#[derive(Debug)]
struct Reply {
    name: String,
    template: Template,
}

#[derive(Debug)]
enum Matcher {
    Exact(Vec<u8>),
    Prefix(Vec<u8>),
    /// The needle and its Knuth-Morris-Pratt table: linear in the data, whatever the needle.
    Contains(Vec<u8>, Vec<usize>),
    Regex {
        regex: Regex,
        over_hex: bool,
    },
}

/// What answered and with which bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleAnswer {
    /// The rule that matched, counted from 1 (as errors and the timeline say it).
    pub rule: usize,
    pub bytes: Vec<u8>,
}

/// A rule that cannot be used: which one (counted from 1) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    pub rule: usize,
    pub problem: RuleProblem,
}

/// Why a rule cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleProblem {
    /// A text pattern with a bad escape, or a hex pattern that is not hex (with where).
    Pattern(InputError),
    /// The regular expression does not compile (regex's own words).
    Regex(String),
    /// The reply names no saved message.
    NoSuchMessage { name: String },
    /// The saved message's body does not parse as a template.
    Reply { name: String, error: TemplateError },
}

/// A rule matched but its reply could not be made (`${peer}` on a socket without a peer...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerError {
    /// The rule that matched, counted from 1.
    pub rule: usize,
    /// The saved message it replies with.
    pub name: String,
    pub error: ExpandError,
}

impl RuleSet {
    /// Compiles `rules`, each replying with a message of `messages` (the first of that name).
    pub fn compile(rules: &[ReplyRule], messages: &[SavedMessage]) -> Result<RuleSet, RuleError> {
        let mut compiled = Compiled {
            rules: Vec::with_capacity(rules.len()),
            replies: Vec::new(),
            source: rules.to_vec(),
            messages: Vec::new(),
        };
        for (index, rule) in rules.iter().enumerate() {
            let error = |problem: RuleProblem| RuleError {
                rule: index + 1,
                problem,
            };
            let matcher = matcher(rule).map_err(error)?;
            let reply = match compiled.replies.iter().position(|r| r.name == rule.reply) {
                Some(reply) => reply,
                None => {
                    let message = messages
                        .iter()
                        .find(|message| message.name == rule.reply)
                        .ok_or_else(|| {
                            error(RuleProblem::NoSuchMessage {
                                name: rule.reply.clone(),
                            })
                        })?;
                    let template = parse_message(message).map_err(|template_error| {
                        error(RuleProblem::Reply {
                            name: rule.reply.clone(),
                            error: template_error,
                        })
                    })?;
                    compiled.replies.push(Reply {
                        name: rule.reply.clone(),
                        template,
                    });
                    compiled.messages.push(message.clone());
                    compiled.replies.len() - 1
                }
            };
            compiled.rules.push(Rule { matcher, reply });
        }
        Ok(RuleSet {
            compiled: Arc::new(compiled),
            counters: Vec::new(),
            random: SplitMix64::new(clock_seed()),
        })
    }

    /// How many rules the set has.
    pub fn len(&self) -> usize {
        self.compiled.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.compiled.rules.is_empty()
    }

    /// The rules it was compiled from.
    pub fn rules(&self) -> &[ReplyRule] {
        &self.compiled.source
    }

    /// A copy that counts from the start and has random bytes of its own (a connection's).
    pub fn fresh_copy(&self) -> RuleSet {
        RuleSet {
            compiled: Arc::clone(&self.compiled),
            counters: Vec::new(),
            random: SplitMix64::new(clock_seed()),
        }
    }

    /// Seeds `${random:N}` (the same seed gives the same bytes: tests, repeatable runs).
    pub fn set_seed(&mut self, seed: u64) {
        self.random = SplitMix64::new(seed);
    }

    /// The same rules and replies (compiled once, or from equal rules and messages); counters
    /// are not compared.
    pub fn same_rules(&self, other: &RuleSet) -> bool {
        Arc::ptr_eq(&self.compiled, &other.compiled)
            || (self.compiled.source == other.compiled.source
                && self.compiled.messages == other.compiled.messages)
    }

    /// The answer to `data` (one chunk of a stream, or one whole datagram): the first rule
    /// that matches, its reply expanded now with its counter advanced (the first send of a
    /// message is 1). `local` and `peer` fill `${local}` and `${peer}`. None: no rule matches.
    pub fn answer(
        &mut self,
        data: &[u8],
        local: Option<&str>,
        peer: Option<&str>,
    ) -> Option<Result<RuleAnswer, AnswerError>> {
        let window = &data[..data.len().min(MATCH_WINDOW)];
        // Hex rules' text, made once per answer and only if such a rule is reached.
        let mut hex: Option<String> = None;
        let compiled = Arc::clone(&self.compiled);
        let (index, rule) = compiled
            .rules
            .iter()
            .enumerate()
            .find(|(_, rule)| rule.matcher.matches(data, window, &mut hex))?;
        let reply = compiled.replies.get(rule.reply)?;
        if self.counters.len() < compiled.replies.len() {
            self.counters.resize(compiled.replies.len(), 0);
        }
        // Binary counter forms wrap; so does the count, rather than panic after 2^64 sends.
        let counter = self
            .counters
            .get(rule.reply)
            .copied()
            .unwrap_or(0)
            .wrapping_add(1);
        let random = &mut self.random;
        let mut fill = |bytes: &mut [u8]| random.fill(bytes);
        let mut context = Context {
            counter,
            now: chrono::Local::now(),
            local,
            peer,
            random: &mut fill,
        };
        let answer = match reply.template.expand(&mut context) {
            Ok(bytes) => {
                if let Some(slot) = self.counters.get_mut(rule.reply) {
                    *slot = counter;
                }
                Ok(RuleAnswer {
                    rule: index + 1,
                    bytes,
                })
            }
            Err(error) => Err(AnswerError {
                rule: index + 1,
                name: reply.name.clone(),
                error,
            }),
        };
        Some(answer)
    }
}

/// A seed that differs between runs and between copies made in the same instant (replies
/// with `${random:N}` are not to repeat).
fn clock_seed() -> u64 {
    static COPIES: AtomicU64 = AtomicU64::new(0);
    let nth = COPIES.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0x5EED, |since| since.as_nanos() as u64);
    nanos ^ nth.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn matcher(rule: &ReplyRule) -> Result<Matcher, RuleProblem> {
    if rule.kind == MatchKind::Regex {
        let over_hex = rule.format == BodyFormat::Hex;
        let regex = RegexBuilder::new(&rule.pattern)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            // Hex text is written in lower case; a person may write 0A.
            .case_insensitive(over_hex)
            .build()
            .map_err(|error| RuleProblem::Regex(regex_message(&error)))?;
        return Ok(Matcher::Regex { regex, over_hex });
    }
    let bytes = match rule.format {
        BodyFormat::Text => parse_escaped(&rule.pattern, TextEncoding::Utf8),
        BodyFormat::Hex => parse_hex(&rule.pattern),
    }
    .map_err(RuleProblem::Pattern)?;
    Ok(match rule.kind {
        MatchKind::Exact => Matcher::Exact(bytes),
        MatchKind::Prefix => Matcher::Prefix(bytes),
        _ => {
            let table = kmp_table(&bytes);
            Matcher::Contains(bytes, table)
        }
    })
}

/// regex's message on one line: a syntax error's "error: ..." lines (the pattern and caret
/// lines before them need a fixed-width font to make sense), else the message as it is.
fn regex_message(error: &regex::Error) -> String {
    let text = error.to_string();
    let mut lines = text.lines().skip_while(|line| !line.starts_with("error:"));
    let first = lines
        .next()
        .map(|line| line.trim_start_matches("error:").trim());
    match first {
        Some(first) => std::iter::once(first)
            .chain(lines.map(str::trim))
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        None => text.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

impl Matcher {
    /// `window` is the start of `data` that contains and regex look at; `hex` is the
    /// window's hex text once a hex regex needed it.
    fn matches(&self, data: &[u8], window: &[u8], hex: &mut Option<String>) -> bool {
        match self {
            Matcher::Exact(pattern) => data == pattern.as_slice(),
            Matcher::Prefix(pattern) => data.starts_with(pattern),
            Matcher::Contains(needle, table) => kmp_contains(window, needle, table),
            Matcher::Regex {
                regex,
                over_hex: false,
            } => regex.is_match(window),
            Matcher::Regex {
                regex,
                over_hex: true,
            } => regex.is_match(hex.get_or_insert_with(|| to_hex(window)).as_bytes()),
        }
    }
}

/// For each prefix of `needle`, the length of its longest proper border.
fn kmp_table(needle: &[u8]) -> Vec<usize> {
    let mut table = vec![0; needle.len()];
    let mut border = 0;
    for (index, &byte) in needle.iter().enumerate().skip(1) {
        while border > 0 && needle.get(border) != Some(&byte) {
            border = table.get(border - 1).copied().unwrap_or(0);
        }
        if needle.get(border) == Some(&byte) {
            border += 1;
        }
        if let Some(slot) = table.get_mut(index) {
            *slot = border;
        }
    }
    table
}

fn kmp_contains(haystack: &[u8], needle: &[u8], table: &[usize]) -> bool {
    if needle.is_empty() {
        return true;
    }
    let mut matched = 0;
    for &byte in haystack {
        while matched > 0 && needle.get(matched) != Some(&byte) {
            matched = table.get(matched - 1).copied().unwrap_or(0);
        }
        if needle.get(matched) == Some(&byte) {
            matched += 1;
            if matched == needle.len() {
                return true;
            }
        }
    }
    false
}

impl RuleError {
    /// Which rule and what is wrong, in `lang`: "rule 2: the pattern: at character 3: ...".
    pub fn text(&self, lang: Lang) -> String {
        let rule = self.rule.to_string();
        match &self.problem {
            RuleProblem::Pattern(error) => t!(
                lang,
                "rules-error-pattern",
                rule = rule,
                problem = error.text(lang)
            ),
            RuleProblem::Regex(message) => t!(
                lang,
                "rules-error-regex",
                rule = rule,
                message = message.as_str()
            ),
            RuleProblem::NoSuchMessage { name } => t!(
                lang,
                "rules-error-no-message",
                rule = rule,
                name = name.as_str()
            ),
            RuleProblem::Reply { name, error } => t!(
                lang,
                "rules-error-reply",
                rule = rule,
                name = name.as_str(),
                problem = error.text(lang)
            ),
        }
    }
}

impl AnswerError {
    /// Which rule, which message and why it could not be made, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        t!(
            lang,
            "rules-error-answer",
            rule = self.rule.to_string(),
            name = self.name.as_str(),
            problem = self.error.text(lang)
        )
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for RuleError {}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for AnswerError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::InputProblem;
    use crate::messages::template::TemplateProblem;
    use proptest::prelude::*;

    const LOCAL: &str = "127.0.0.1:5000";
    const PEER: &str = "127.0.0.1:6000";

    fn message(name: &str, body: &str, format: BodyFormat) -> SavedMessage {
        SavedMessage {
            name: name.to_string(),
            body: body.to_string(),
            format,
            ..SavedMessage::default()
        }
    }

    fn text(name: &str, body: &str) -> SavedMessage {
        message(name, body, BodyFormat::Text)
    }

    fn rule(kind: MatchKind, pattern: &str, format: BodyFormat, reply: &str) -> ReplyRule {
        ReplyRule {
            kind,
            pattern: pattern.to_string(),
            format,
            reply: reply.to_string(),
        }
    }

    fn compile(rules: &[ReplyRule], messages: &[SavedMessage]) -> RuleSet {
        RuleSet::compile(rules, messages).unwrap_or_else(|error| panic!("{error}"))
    }

    /// Which rule answered `data`, and with what (None: no rule matched).
    fn answer(set: &mut RuleSet, data: &[u8]) -> Option<(usize, Vec<u8>)> {
        set.answer(data, Some(LOCAL), Some(PEER))
            .map(|answer| answer.map(|a| (a.rule, a.bytes)).unwrap())
    }

    /// Rule 1 of a set with one rule, replying "yes".
    fn one(kind: MatchKind, pattern: &str, format: BodyFormat) -> RuleSet {
        compile(&[rule(kind, pattern, format, "r")], &[text("r", "yes")])
    }

    fn matches(set: &mut RuleSet, data: &[u8]) -> bool {
        answer(set, data).is_some()
    }

    #[test]
    fn exact_prefix_and_contains_compare_bytes_written_as_text() {
        let mut exact = one(MatchKind::Exact, "PING\\r\\n", BodyFormat::Text);
        assert_eq!(answer(&mut exact, b"PING\r\n"), Some((1, b"yes".to_vec())));
        assert!(!matches(&mut exact, b"PING\r\nPING\r\n"));
        assert!(!matches(&mut exact, b"PING"));
        let mut prefix = one(MatchKind::Prefix, "GET ", BodyFormat::Text);
        assert!(matches(&mut prefix, b"GET / HTTP/1.0\r\n"));
        assert!(matches(&mut prefix, b"GET "));
        assert!(!matches(&mut prefix, b"GE"));
        assert!(!matches(&mut prefix, b" GET /"));
        let mut contains = one(MatchKind::Contains, "\\xffab", BodyFormat::Text);
        assert!(matches(&mut contains, b"xx\xffabyy"));
        assert!(matches(&mut contains, b"\xffab"));
        assert!(!matches(&mut contains, b"\xffa b"));
        // UTF-8 text is its UTF-8 bytes.
        let mut chinese = one(MatchKind::Contains, "你好", BodyFormat::Text);
        assert!(matches(&mut chinese, "说你好吗".as_bytes()));
        // A needle whose start repeats (the search must fall back, not skip).
        let mut tricky = one(MatchKind::Contains, "aab", BodyFormat::Text);
        assert!(matches(&mut tricky, b"aaab"));
        assert!(!matches(&mut tricky, b"abaa"));
        let mut periodic = one(MatchKind::Contains, "abab c", BodyFormat::Text);
        assert!(matches(&mut periodic, b"ababab c"));
        // An empty pattern: exact matches only the empty datagram, the others everything.
        let mut empty = one(MatchKind::Exact, "", BodyFormat::Text);
        assert!(matches(&mut empty, b""));
        assert!(!matches(&mut empty, b"x"));
        assert!(matches(
            &mut one(MatchKind::Contains, "", BodyFormat::Text),
            b"x"
        ));
    }

    #[test]
    fn exact_prefix_and_contains_compare_bytes_written_as_hex() {
        let mut exact = one(MatchKind::Exact, "01 03 00 00 00 01", BodyFormat::Hex);
        assert!(matches(&mut exact, &[1, 3, 0, 0, 0, 1]));
        assert!(!matches(&mut exact, &[1, 3, 0, 0, 0, 1, 0]));
        let mut prefix = one(MatchKind::Prefix, "0103", BodyFormat::Hex);
        assert!(matches(&mut prefix, &[1, 3, 0x10]));
        assert!(!matches(&mut prefix, &[1, 4]));
        let mut contains = one(MatchKind::Contains, "FF 00", BodyFormat::Hex);
        assert!(matches(&mut contains, &[1, 0xff, 0, 2]));
        assert!(!matches(&mut contains, &[0xff, 1, 0]));
    }

    #[test]
    fn a_text_regex_searches_the_data() {
        let mut get = one(MatchKind::Regex, r"^GET (\S+)", BodyFormat::Text);
        assert!(matches(&mut get, b"GET /index.html HTTP/1.0\r\n"));
        assert!(!matches(&mut get, b"POST / HTTP/1.0\r\n"));
        assert!(!matches(&mut get, b" GET /"));
        // Unanchored: anywhere in the chunk.
        let mut digits = one(MatchKind::Regex, r"\d{3}", BodyFormat::Text);
        assert!(matches(&mut digits, b"code 404!"));
        assert!(!matches(&mut digits, b"code 40"));
        // Bytes that are not UTF-8, with Unicode off.
        let mut binary = one(MatchKind::Regex, r"(?-u)^\xff\x00", BodyFormat::Text);
        assert!(matches(&mut binary, b"\xff\x00\x01"));
        assert!(!matches(&mut binary, b"\x00\xff"));
    }

    #[test]
    fn a_hex_regex_searches_the_datas_hex_text() {
        let mut read = one(MatchKind::Regex, "^01 03 00", BodyFormat::Hex);
        assert!(matches(&mut read, &[1, 3, 0, 0, 0, 1]));
        assert!(!matches(&mut read, &[1, 6, 0, 0, 0, 1]));
        // Any register, one of two unit ids, exactly six bytes; hex letters in either case.
        let mut shaped = one(
            MatchKind::Regex,
            "^(01|0A) 03 .. .. 00 01$",
            BodyFormat::Hex,
        );
        assert!(matches(&mut shaped, &[0x0a, 3, 0x12, 0x34, 0, 1]));
        assert!(matches(&mut shaped, &[1, 3, 0xab, 0xcd, 0, 1]));
        assert!(!matches(&mut shaped, &[1, 3, 0xab, 0xcd, 0, 1, 7]));
        assert!(!matches(&mut shaped, &[2, 3, 0xab, 0xcd, 0, 1]));
        let mut letters = one(MatchKind::Regex, "ff FE", BodyFormat::Hex);
        assert!(matches(&mut letters, &[0, 0xff, 0xfe]));
    }

    #[test]
    fn the_first_matching_rule_answers() {
        let rules = [
            rule(MatchKind::Prefix, "PING", BodyFormat::Text, "pong"),
            rule(MatchKind::Contains, "I", BodyFormat::Text, "other"),
            rule(MatchKind::Regex, ".*", BodyFormat::Text, "fallback"),
        ];
        let messages = [
            text("pong", "PONG"),
            text("other", "OTHER"),
            text("fallback", "?"),
        ];
        let mut set = compile(&rules, &messages);
        assert_eq!(set.len(), 3);
        assert_eq!(answer(&mut set, b"PING"), Some((1, b"PONG".to_vec())));
        assert_eq!(answer(&mut set, b"HI"), Some((2, b"OTHER".to_vec())));
        assert_eq!(answer(&mut set, b"hello"), Some((3, b"?".to_vec())));
        let mut none = compile(&rules[..2], &messages);
        assert_eq!(answer(&mut none, b"hello"), None);
        let mut empty = compile(&[], &[]);
        assert!(empty.is_empty());
        assert_eq!(answer(&mut empty, b"anything"), None);
    }

    #[test]
    fn each_reply_counts_its_own_sends_from_one() {
        let rules = [
            rule(MatchKind::Prefix, "PING", BodyFormat::Text, "pong"),
            rule(MatchKind::Prefix, "ping", BodyFormat::Text, "pong"),
            rule(MatchKind::Prefix, "TIME", BodyFormat::Text, "n"),
        ];
        let messages = [
            text("pong", "PONG ${counter}\\n"),
            text("n", "${counter:u8}"),
        ];
        let mut set = compile(&rules, &messages);
        assert_eq!(answer(&mut set, b"PING"), Some((1, b"PONG 1\n".to_vec())));
        assert_eq!(answer(&mut set, b"PING"), Some((1, b"PONG 2\n".to_vec())));
        // Two rules, one message: one counter.
        assert_eq!(answer(&mut set, b"ping"), Some((2, b"PONG 3\n".to_vec())));
        assert_eq!(answer(&mut set, b"TIME"), Some((3, vec![1])));
        assert_eq!(answer(&mut set, b"nothing"), None);
        assert_eq!(answer(&mut set, b"TIME"), Some((3, vec![2])));
        // A copy counts on its own, from where the original was.
        let mut copy = set.clone();
        assert_eq!(answer(&mut copy, b"PING"), Some((1, b"PONG 4\n".to_vec())));
        assert_eq!(answer(&mut copy, b"PING"), Some((1, b"PONG 5\n".to_vec())));
        assert_eq!(answer(&mut set, b"PING"), Some((1, b"PONG 4\n".to_vec())));
        assert!(copy.same_rules(&set));
    }

    #[test]
    fn a_reply_may_end_with_a_checksum_over_its_bytes() {
        let rules = [rule(
            MatchKind::Exact,
            "01 03 00 00 00 01",
            BodyFormat::Hex,
            "holding register",
        )];
        let messages = [message(
            "holding register",
            "01 03 02 00 2A ${crc16_modbus}",
            BodyFormat::Hex,
        )];
        let mut set = compile(&rules, &messages);
        assert_eq!(
            answer(&mut set, &[1, 3, 0, 0, 0, 1]),
            Some((1, vec![1, 3, 2, 0, 0x2a, 0x39, 0x9b]))
        );
    }

    #[test]
    fn addresses_and_random_bytes_are_filled_at_answer_time() {
        let rules = [
            rule(MatchKind::Prefix, "who", BodyFormat::Text, "who"),
            rule(MatchKind::Prefix, "rnd", BodyFormat::Text, "rnd"),
        ];
        let messages = [
            text("who", "${local} -> ${peer} #${counter}"),
            text("rnd", "${random:8}"),
        ];
        let mut set = compile(&rules, &messages);
        let answered = set
            .answer(b"who", Some(LOCAL), Some(PEER))
            .unwrap()
            .unwrap();
        assert_eq!(answered.bytes, b"127.0.0.1:5000 -> 127.0.0.1:6000 #1");
        // No peer: the rule matched, its reply cannot be made, and nothing was counted.
        let failed = set.answer(b"who", Some(LOCAL), None).unwrap().unwrap_err();
        assert_eq!((failed.rule, failed.name.as_str()), (1, "who"));
        let english = failed.text(Lang::En);
        assert!(
            english.contains("rule 1") && english.contains("${peer}"),
            "{english}"
        );
        assert_ne!(failed.text(Lang::Zh), english);
        let again = set
            .answer(b"who", Some(LOCAL), Some(PEER))
            .unwrap()
            .unwrap();
        assert!(again.bytes.ends_with(b"#2"), "{:?}", again.bytes);
        // The same seed, the same bytes.
        set.set_seed(7);
        let first = answer(&mut set, b"rnd").unwrap().1;
        set.set_seed(7);
        assert_eq!(answer(&mut set, b"rnd").unwrap().1, first);
        assert_eq!(first.len(), 8);
    }

    #[test]
    fn contains_and_regex_look_at_the_first_64_kib_only() {
        let mut data = vec![b'a'; MATCH_WINDOW + 100];
        data.extend_from_slice(b"needle");
        let mut contains = one(MatchKind::Contains, "needle", BodyFormat::Text);
        assert!(!matches(&mut contains, &data));
        let mut regex = one(MatchKind::Regex, "needle", BodyFormat::Text);
        assert!(!matches(&mut regex, &data));
        let mut hex = one(MatchKind::Regex, "6e 65", BodyFormat::Hex);
        assert!(!matches(&mut hex, &data));
        data[10..16].copy_from_slice(b"needle");
        assert!(matches(&mut contains, &data));
        assert!(matches(&mut regex, &data));
        assert!(matches(&mut hex, &data));
        // Exact and prefix compare the pattern's length, so they see the whole datagram.
        let mut exact = compile(
            &[rule(MatchKind::Exact, "aa", BodyFormat::Text, "r")],
            &[text("r", "")],
        );
        assert!(!matches(&mut exact, &data));
    }

    fn problem(rules: &[ReplyRule], messages: &[SavedMessage]) -> RuleError {
        let error = RuleSet::compile(rules, messages).unwrap_err();
        for lang in Lang::ALL {
            let worded = error.text(lang);
            assert!(worded.contains(&error.rule.to_string()), "{worded}");
        }
        assert_ne!(error.text(Lang::En), error.text(Lang::Zh));
        error
    }

    #[test]
    fn every_rule_error_names_the_rule_and_what_is_wrong() {
        let ok = rule(MatchKind::Prefix, "a", BodyFormat::Text, "m");
        let messages = [text("m", "x"), text("bad", "${cnt}")];
        let with = |bad: ReplyRule| [ok.clone(), ok.clone(), bad];

        let escape = problem(
            &with(rule(MatchKind::Exact, "ab\\q", BodyFormat::Text, "m")),
            &messages,
        );
        assert_eq!(escape.rule, 3);
        assert_eq!(
            escape.problem,
            RuleProblem::Pattern(InputError {
                position: 2,
                problem: InputProblem::UnknownEscape('q')
            })
        );
        let codec_words = InputError {
            position: 2,
            problem: InputProblem::UnknownEscape('q'),
        }
        .text(Lang::En);
        assert!(codec_words.starts_with("at character 3: "), "{codec_words}");
        assert_eq!(
            escape.text(Lang::En),
            format!("rule 3: its pattern: {codec_words}")
        );

        let hex = problem(
            &with(rule(MatchKind::Contains, "01 G0", BodyFormat::Hex, "m")),
            &messages,
        );
        assert_eq!(
            hex.problem,
            RuleProblem::Pattern(InputError {
                position: 3,
                problem: InputProblem::NotHexDigit('G')
            })
        );
        let odd = problem(
            &with(rule(MatchKind::Prefix, "01 0", BodyFormat::Hex, "m")),
            &messages,
        );
        assert_eq!(
            odd.problem,
            RuleProblem::Pattern(InputError {
                position: 3,
                problem: InputProblem::OddHexDigits
            })
        );

        let regex = problem(
            &with(rule(MatchKind::Regex, "(abc", BodyFormat::Text, "m")),
            &messages,
        );
        let RuleProblem::Regex(message) = &regex.problem else {
            panic!("{regex:?}");
        };
        assert_eq!(message, "unclosed group");
        assert_eq!(
            regex.text(Lang::En),
            "rule 3: its regular expression does not compile: unclosed group"
        );

        let huge = problem(
            &with(rule(
                MatchKind::Regex,
                r"(\w{100}){100}",
                BodyFormat::Text,
                "m",
            )),
            &messages,
        );
        let RuleProblem::Regex(message) = &huge.problem else {
            panic!("{huge:?}");
        };
        assert!(message.contains("size limit"), "{message}");
        assert!(!message.contains('\n'));

        let missing = problem(
            &with(rule(MatchKind::Exact, "x", BodyFormat::Text, "nope")),
            &messages,
        );
        assert_eq!(
            missing.problem,
            RuleProblem::NoSuchMessage {
                name: "nope".into()
            }
        );

        let reply = problem(
            &with(rule(MatchKind::Exact, "x", BodyFormat::Text, "bad")),
            &messages,
        );
        let RuleProblem::Reply { name, error } = &reply.problem else {
            panic!("{reply:?}");
        };
        assert_eq!(name, "bad");
        assert!(matches!(error.problem, TemplateProblem::UnknownName { .. }));
        assert!(reply.text(Lang::En).contains("${cnt}"), "{reply}");
    }

    #[test]
    fn sets_from_the_same_rules_are_the_same() {
        let rules = [rule(MatchKind::Prefix, "a", BodyFormat::Text, "m")];
        let messages = [text("m", "x"), text("unused", "y")];
        let first = compile(&rules, &messages);
        let second = compile(&rules, &messages[..1]);
        assert!(
            first.same_rules(&second),
            "an unused message does not count"
        );
        let other = compile(&rules, &[text("m", "z")]);
        assert!(!first.same_rules(&other));
        let more = compile(&[rules[0].clone(), rules[0].clone()], &messages);
        assert!(!first.same_rules(&more));
        assert_eq!(first.rules(), &rules);
    }

    fn kind() -> impl Strategy<Value = MatchKind> {
        prop_oneof![
            Just(MatchKind::Exact),
            Just(MatchKind::Prefix),
            Just(MatchKind::Contains),
            Just(MatchKind::Regex),
        ]
    }

    fn format() -> impl Strategy<Value = BodyFormat> {
        prop_oneof![Just(BodyFormat::Text), Just(BodyFormat::Hex)]
    }

    fn pattern() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[0-9a-fA-F ]{0,12}",
            "[\\\\x0-9a-f()\\[\\]*+?{}|^$.]{0,16}",
        ]
    }

    proptest! {
        #[test]
        fn compiling_and_answering_never_panic(
            rules in proptest::collection::vec((kind(), pattern(), format()), 0..4),
            body in any::<String>(),
            data in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let rules: Vec<ReplyRule> = rules
                .into_iter()
                .map(|(kind, pattern, format)| rule(kind, &pattern, format, "m"))
                .collect();
            let messages = [text("m", &body)];
            match RuleSet::compile(&rules, &messages) {
                Ok(mut set) => {
                    for (local, peer) in [(Some(LOCAL), Some(PEER)), (None, None)] {
                        if let Some(Err(error)) = set.answer(&data, local, peer) {
                            for lang in Lang::ALL {
                                let _ = error.text(lang);
                            }
                        }
                    }
                }
                Err(error) => {
                    prop_assert!(error.rule >= 1 && error.rule <= rules.len());
                    for lang in Lang::ALL {
                        let _ = error.text(lang);
                    }
                }
            }
        }
    }
}
