//! Builds the list of built-in lessons (assets/lessons/*.toml) into the binary, so the
//! program finds them wherever it runs from, and stamps the message catalogue (i18n/) so the
//! crate is built again when a message changes.
//!
//! The lessons' texts are written into the generated file itself: rustc's dep-info does not
//! list a file that `include_str!` takes from a generated file, so an edited lesson would not
//! make cargo rebuild the crate (a stale lesson in the binary was seen). The same goes for the
//! catalogue, which the `fl!` and `RustEmbed` macros read while the crate compiles.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join("lessons");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from("/// (file name, text) of every built-in lesson, in order.\n");
    code.push_str("pub const BUILTIN_LESSONS: &[(&str, &str)] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        let _ = writeln!(code, "    ({name:?}, {text:?}),");
    }
    code.push_str("];\n");
    let _ = writeln!(
        code,
        "/// Changes whenever a file of the message catalogue does.\npub const CATALOGUE_STAMP: u64 = {};",
        catalogue_stamp()
    );
    let out =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("lessons.rs");
    if let Err(error) = std::fs::write(&out, code) {
        panic!("cannot write {}: {error}", out.display());
    }
}

/// A hash of every catalogue file's name and text (FNV-1a: stable, no dependency).
fn catalogue_stamp() -> u64 {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    let mut folders: Vec<_> = std::fs::read_dir(&root)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    folders.sort();
    for folder in folders {
        println!("cargo:rerun-if-changed={}", folder.display());
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            eat(file.display().to_string().as_bytes());
            eat(&std::fs::read(&file).unwrap_or_default());
        }
    }
    hash
}
