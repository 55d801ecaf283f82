//! The window in 简体中文: switched from the toolbar while it runs, a quick start and a manual
//! exchange, a lesson step on stage, and an outcome in the same words in every view.

use egui_kittest::kittest::Queryable;
use socket_workbench::i18n::Lang;
use socket_workbench::session::Session;
use socket_workbench::t;
use socket_workbench::ui::WorkbenchApp;

use crate::window::{App, click, click_in, set_text_in, shows, shows_containing, wait_until};

fn harness_in(lang: Lang) -> App {
    egui_kittest::Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |cc| WorkbenchApp::new(&cc.egui_ctx).with_language(lang))
}

fn socket_named(session: &Session, name: &str) -> socket_workbench::engine::SocketId {
    session
        .sockets()
        .find(|view| view.name == name)
        .map(|view| view.id)
        .unwrap_or_else(|| panic!("no socket {name}"))
}

#[test]
fn the_language_switches_from_the_toolbar_while_the_window_runs() {
    let mut harness = harness_in(Lang::En);
    harness.run_ok();
    assert!(shows(&harness, "Quick start") && shows(&harness, "New session"));
    click(&mut harness, "简体中文");
    harness.run_ok();
    assert_eq!(harness.state().language(), Lang::Zh);
    assert!(shows(&harness, "快速开始"), "the first screen in Chinese");
    assert!(shows(&harness, "新会话"), "the toolbar in Chinese");
    assert!(!shows(&harness, "New session"));
    // The lessons list speaks it too: every title in Chinese.
    let first_lesson = harness.state().lessons()[0].title.get(Lang::Zh).to_string();
    assert!(shows(&harness, &first_lesson), "{first_lesson}");
    click(&mut harness, "English");
    harness.run_ok();
    assert_eq!(harness.state().language(), Lang::En);
    assert!(shows(&harness, "Quick start"));
}

#[test]
fn a_quick_start_and_an_exchange_by_hand_in_chinese() {
    let mut harness = harness_in(Lang::Zh);
    harness.run_ok();
    click(&mut harness, "TCP 服务器和客户端");
    wait_until(&mut harness, "the quick start", |h| {
        h.state().session().stats().sockets_open == 3
            && h.state().scenario().is_some_and(|run| run.finished)
    });
    harness.run_ok();
    // Its narration and title are the Chinese ones.
    assert!(shows_containing(
        &harness,
        "一个在 127.0.0.1 上监听的服务器"
    ));
    assert!(shows_containing(&harness, "快速开始：TCP 服务器和客户端"));
    let conn = socket_named(harness.state().session(), "conn");
    // The client sends; the server's connection receives: the result line is in Chinese, the
    // call and the bytes as Python writes them.
    set_text_in(
        &mut harness,
        &t!(Lang::Zh, "composer-send-text"),
        1,
        "你好\\n",
    );
    click_in(&mut harness, "send()", 1);
    click_in(&mut harness, "recv()", 0);
    wait_until(&mut harness, "conn to receive", |h| {
        h.state()
            .session()
            .socket(conn)
            .and_then(|view| view.chunks.back())
            .is_some_and(|chunk| chunk.data == "你好\n".as_bytes())
    });
    harness.run_ok();
    assert!(
        shows_containing(&harness, "最近：recv(1024) -> b'"),
        "the latest result, in Chinese"
    );
    assert!(shows_containing(&harness, "7 字节"), "its size, in Chinese");
}

#[test]
fn a_lesson_step_on_stage_in_chinese() {
    let mut harness = harness_in(Lang::Zh);
    harness.run_ok();
    let lesson = harness.state().lessons()[0].clone();
    let script = lesson.script.clone().expect("built-in lessons parse");
    harness.state_mut().open_lesson(&lesson);
    harness.state_mut().set_present(true);
    harness.run_ok();
    // Before the first step: the introduction, then what comes next.
    let intro_start: String = script
        .intro
        .as_ref()
        .map(|intro| intro.get(Lang::Zh).trim().chars().take(12).collect())
        .unwrap_or_default();
    assert!(shows_containing(&harness, &intro_start), "{intro_start}");
    click(&mut harness, &t!(Lang::Zh, "script-next-step"));
    wait_until(&mut harness, "step 1", |h| {
        h.state()
            .scenario()
            .is_some_and(|run| run.current == Some(0) && !run.running)
    });
    harness.run_ok();
    let say: String = script.steps[0]
        .say
        .as_ref()
        .map(|say| say.get(Lang::Zh).trim().chars().take(12).collect())
        .unwrap_or_default();
    assert!(shows_containing(&harness, &say), "{say}");
    let count = script.steps.len();
    assert!(shows_containing(
        &harness,
        &format!("第 1 步，共 {count} 步")
    ));
    assert!(
        shows_containing(&harness, "第 1 步的时间线"),
        "the stage's view title"
    );
}

/// The script that makes the kinds of outcome a person sees: a value, an errno, a timeout, a
/// cancelled call (the fifth, a call ended by "Close all", is made by hand after it).
const EVERY_OUTCOME: &str = r#"
title = "every outcome"
[[step]]
do = [
  "a = socket(AF_INET, SOCK_DGRAM)",
  "a.bind(('127.0.0.1', 0))",
  "b = socket(AF_INET, SOCK_DGRAM)",
  "b.sendto(b'hi', a)                 => 2",
  "c = socket(AF_INET, SOCK_STREAM)",
  "c.connect(('127.0.0.1', 1))        => ECONNREFUSED",
  "d = socket(AF_INET, SOCK_DGRAM)",
  "d.bind(('127.0.0.1', 0))",
  "d.settimeout(0.2)",
  "d.recvfrom(10)                     => timeout",
  "e = socket(AF_INET, SOCK_DGRAM)",
  "e.bind(('127.0.0.1', 0))",
  "&e.recvfrom(10)",
  "sleep 100ms",
  "e.cancel()",
  "await e.recvfrom                   => cancelled",
  "f = socket(AF_INET, SOCK_DGRAM)",
  "f.bind(('127.0.0.1', 0))",
]
"#;

/// One function words an outcome, and every view uses it: for each kind of outcome, the words
/// of `outcome_words` are the timeline bar's result, the call table's result, the inspector's
/// result line and the runner's line, in both languages, and the window shows them.
#[test]
fn an_outcome_reads_the_same_in_every_view_in_both_languages() {
    use socket_workbench::engine::{CallKind, CancelReason, Outcome};
    use socket_workbench::i18n::outcome_words;
    use socket_workbench::ui::{TimelineView, call_result_text, result_headline};
    for lang in Lang::ALL {
        let mut harness = harness_in(lang);
        harness.run_ok();
        let script = socket_workbench::script::parse(EVERY_OUTCOME).expect("script");
        harness.state_mut().open_script(script);
        harness.state_mut().run_all_steps();
        wait_until(&mut harness, "the script", |h| {
            h.state()
                .scenario()
                .is_some_and(|run| run.finished && !run.running)
        });
        harness.run_ok();
        // In the window itself: d's inspector shows the timeout in those words.
        let d = socket_named(harness.state().session(), "d");
        harness
            .state_mut()
            .apply_intent(socket_workbench::ui::Intent::Select(d));
        for _ in 0..3 {
            harness.run_ok();
        }
        let timed_out = format!("-> {}", socket_workbench::t!(lang, "outcome-timed-out"));
        assert!(
            shows_containing(&harness, &timed_out),
            "{lang}: {timed_out} not shown"
        );
        // The fifth kind: a recvfrom made by hand on f, still waiting when "Close all" ends it.
        let f = socket_named(harness.state().session(), "f");
        harness
            .state_mut()
            .apply_intent(socket_workbench::ui::Intent::Call {
                socket: f,
                call: socket_workbench::engine::Call::RecvFrom {
                    bufsize: 10,
                    flags: Default::default(),
                },
            });
        wait_until(&mut harness, "the hand-made recvfrom waits", |h| {
            h.state()
                .session()
                .socket(f)
                .is_some_and(|view| view.pending.len() == 1)
        });
        click(&mut harness, &t!(lang, "sockets-close-all"));
        wait_until(&mut harness, "close all ends it", |h| {
            h.state()
                .session()
                .socket(f)
                .is_some_and(|view| view.pending.is_empty())
        });
        harness.run_ok();
        let session = harness.state().session();
        let runner_text = harness
            .state()
            .scenario()
            .map(|run| run.timeline().to_string())
            .unwrap_or_default();
        let cases = [
            ("b", CallKind::SendTo, "value"),
            ("c", CallKind::Connect, "errno"),
            ("d", CallKind::RecvFrom, "timeout"),
            ("e", CallKind::RecvFrom, "cancelled"),
            ("f", CallKind::RecvFrom, "ended by close all"),
        ];
        for (name, kind, what) in cases {
            let by_hand = what == "ended by close all";
            let socket = socket_named(session, name);
            let record = (0..session.log_len())
                .filter_map(|n| match session.log_entry(n) {
                    Some(socket_workbench::session::LogEntry::Call(record))
                        if record.socket == socket && record.call.kind() == kind =>
                    {
                        Some(record)
                    }
                    _ => None,
                })
                .next()
                .unwrap_or_else(|| panic!("{lang}: no {kind:?} of {name}"));
            let outcome = record.outcome.as_ref().expect("it ended");
            match (what, outcome) {
                ("value", Outcome::Ok(_))
                | ("errno", Outcome::Errno(_))
                | ("timeout", Outcome::TimedOut { .. })
                | ("cancelled", Outcome::Cancelled(CancelReason::User))
                | ("ended by close all", Outcome::Cancelled(CancelReason::Closed)) => {}
                _ => panic!("{lang}: {name} ended {outcome:?}, not as a {what}"),
            }
            let words =
                outcome_words(lang, Some(outcome), record.call.name(), |_| "2".into()).result;
            let returned_us = record.returned_us.expect("returned");
            let bar = TimelineView::full_label(lang, session, record, returned_us);
            assert_eq!(bar.result(), words, "{lang} {what}: the timeline bar");
            assert_eq!(
                call_result_text(lang, session, record),
                words,
                "{lang} {what}: the call table"
            );
            let last = session
                .socket(socket)
                .and_then(|view| view.last_result(kind))
                .expect("the inspector's latest result");
            let (headline, _) = result_headline(lang, session, last, None);
            assert!(
                headline.contains(&format!("-> {words}")),
                "{lang} {what}: the inspector reads {headline:?}, not {words:?}"
            );
            assert!(
                by_hand || runner_text.contains(&format!("-> {words}")),
                "{lang} {what}: the runner's lines lack {words:?}:\n{runner_text}"
            );
        }
    }
}

/// The keyboard alone: Tab moves the focus through the inspector's calls, Enter performs the
/// focused one, and Escape cancels the call that then waits.
#[test]
fn tab_reaches_a_call_enter_performs_it_and_escape_cancels_it() {
    use egui_kittest::kittest::NodeT;
    let mut harness = harness_in(Lang::En);
    harness.run_ok();
    harness
        .state_mut()
        .apply_intent(socket_workbench::ui::Intent::QuickStart(
            socket_workbench::ui::QuickStart::UdpPair,
        ));
    wait_until(&mut harness, "the quick start", |h| {
        h.state().session().stats().sockets_open == 2
            && h.state().scenario().is_some_and(|run| run.finished)
    });
    for _ in 0..3 {
        harness.run_ok();
    }
    let focused_label = |h: &App| {
        h.root()
            .children_recursive()
            .find(|node| node.accesskit_node().is_focused())
            .and_then(|node| node.accesskit_node().label())
    };
    // Tab until the focus is on a recvfrom() button (an inspector's call).
    let mut reached = false;
    for _ in 0..400 {
        harness.key_press(egui::Key::Tab);
        harness.run_ok();
        if focused_label(&harness).as_deref() == Some("recvfrom()") {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reached recvfrom()");
    let before = harness.state().session().stats().calls_pending;
    harness.key_press(egui::Key::Enter);
    wait_until(&mut harness, "Enter to start recvfrom", |h| {
        h.state().session().stats().calls_pending == before + 1
    });
    // Escape: the waiting call ends, cancelled.
    harness.key_press(egui::Key::Escape);
    wait_until(&mut harness, "Escape to cancel it", |h| {
        h.state().session().stats().calls_pending == before
    });
}

/// A teacher's file in English only, opened in a Chinese window: its words as written, and
/// the window says so once, beside the title.
#[test]
fn a_file_in_one_language_falls_back_to_it_and_says_so() {
    let mut harness = harness_in(Lang::Zh);
    harness.run_ok();
    let script = socket_workbench::script::parse(
        "title = 'My lesson'\nintro = 'Only English here.'\n[[step]]\nsay = 'One socket.'\ndo = ['s = socket(AF_INET, SOCK_DGRAM)']\n",
    )
    .expect("script");
    harness.state_mut().open_script(script);
    for _ in 0..3 {
        harness.run_ok();
    }
    assert!(shows_containing(&harness, "My lesson"));
    assert!(shows_containing(&harness, "Only English here."));
    let notice = t!(Lang::Zh, "script-other-language");
    assert_eq!(
        harness.query_all_by_label(&notice).count(),
        1,
        "said once: {notice}"
    );
    // Both languages in the file: nothing to say.
    let both = socket_workbench::script::parse(
        "title.en = 'Mine'\ntitle.zh = '我的'\n[[step]]\nsay.en = 'One.'\nsay.zh = '一个。'\ndo = ['s = socket(AF_INET, SOCK_DGRAM)']\n",
    )
    .expect("script");
    harness.state_mut().open_script(both);
    for _ in 0..3 {
        harness.run_ok();
    }
    assert!(shows_containing(&harness, "我的"));
    assert_eq!(harness.query_all_by_label(&notice).count(), 0);
}
