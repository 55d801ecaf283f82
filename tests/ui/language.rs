//! The window in 简体中文: switched from the toolbar while it runs, a quick start and a manual
//! exchange, a lesson step on stage, and an outcome in the same words in every view.

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
