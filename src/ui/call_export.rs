//! Writing the call table to a CSV or JSON file without stopping the window.
//!
//! A million rows take about half a second to format, too long for one frame. An export is a
//! job: the rows to write are fixed when it starts (their log positions, in the order shown),
//! then each frame formats rows for a few milliseconds and hands the text to a writer thread,
//! which does the file I/O. The window shows the progress and can cancel. The rows go to a
//! temporary file renamed into place when complete, so a cancelled or failed export leaves no
//! partial file and an older file at that path intact. Rows the memory cap drops before they
//! are written are counted.

use super::call_table::{ExportFormat, ExportStatus, csv_field, json_string, row_cells};
use crate::session::Session;
use crossbeam_channel::{Receiver, Sender, TryRecvError, TrySendError, bounded};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long formatting may take in one frame.
pub const EXPORT_FRAME_BUDGET: Duration = Duration::from_millis(6);
/// Rows formatted between two checks of the clock.
const ROWS_PER_CLOCK_CHECK: usize = 128;
/// Formatted text handed to the writer at once, and how many such chunks may wait for it: the
/// memory an export holds stays bounded whatever the size of the file.
const CHUNK_BYTES: usize = 256 * 1024;
const CHUNKS_WAITING: usize = 8;

/// What the window sends the writer thread.
enum ToWriter {
    Data(Vec<u8>),
    /// Everything was sent: flush and close. Without it (the job dropped) the file is removed.
    Finish,
}

/// One export in progress.
pub struct ExportJob {
    format: ExportFormat,
    path: String,
    /// Log positions of the rows to write, in the order shown.
    positions: Vec<u64>,
    next: usize,
    written: usize,
    /// Rows the memory cap dropped before they were written.
    missing: usize,
    /// Text formatted but not yet taken by the writer.
    chunk: Vec<u8>,
    /// The chunk is complete and waits for room in the writer's queue.
    chunk_full: bool,
    footer_written: bool,
    finish_sent: bool,
    to_writer: Option<Sender<ToWriter>>,
    writer_done: Receiver<std::io::Result<()>>,
}

/// How far an export is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportProgress {
    pub rows_done: usize,
    pub rows_total: usize,
}

impl ExportJob {
    /// Starts the writer thread for `path` and prepares to write the rows at `positions`.
    pub fn start(
        format: ExportFormat,
        path: String,
        positions: Vec<u64>,
    ) -> std::io::Result<ExportJob> {
        let (to_writer, from_window) = bounded::<ToWriter>(CHUNKS_WAITING);
        let (done_tx, writer_done) = bounded(1);
        let file_path = PathBuf::from(&path);
        std::thread::Builder::new()
            .name("export".into())
            .spawn(move || {
                let result = write_chunks(&file_path, &from_window);
                let _ = done_tx.send(result);
            })?;
        let mut chunk = Vec::with_capacity(CHUNK_BYTES);
        chunk.extend_from_slice(match format {
            ExportFormat::Csv => b"time_s,socket,call,arguments,result,duration_us,bytes,origin\n",
            ExportFormat::Json => b"[",
        });
        Ok(ExportJob {
            format,
            path,
            positions,
            next: 0,
            written: 0,
            missing: 0,
            chunk,
            chunk_full: false,
            footer_written: false,
            finish_sent: false,
            to_writer: Some(to_writer),
            writer_done,
        })
    }

    pub fn progress(&self) -> ExportProgress {
        ExportProgress {
            rows_done: self.next,
            rows_total: self.positions.len(),
        }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// Every row was handed to the writer, which is closing the file: too late to cancel.
    pub fn is_finishing(&self) -> bool {
        self.finish_sent
    }

    /// Formats rows for at most `budget` and passes them on. Returns the outcome once the file
    /// is written (or could not be). Never waits for the writer.
    pub fn step(&mut self, session: &Session, budget: Duration) -> Option<ExportStatus> {
        let started = Instant::now();
        if let Some(status) = self.check_writer() {
            return Some(status);
        }
        while !self.finish_sent {
            let Some(to_writer) = &self.to_writer else {
                // The writer stopped (it could not write): its result will say why.
                self.finish_sent = true;
                break;
            };
            if self.chunk_full {
                if !self.hand_over() {
                    break; // the writer is busy: go on next frame
                }
                continue;
            }
            if self.next < self.positions.len() {
                self.format_rows(session);
                if started.elapsed() >= budget {
                    break;
                }
                continue;
            }
            if !self.footer_written {
                self.footer_written = true;
                if self.format == ExportFormat::Json {
                    self.chunk
                        .extend_from_slice(if self.written > 0 { b"\n]\n" } else { b"]\n" });
                }
                if !self.chunk.is_empty() {
                    self.chunk_full = true;
                    continue;
                }
            }
            match to_writer.try_send(ToWriter::Finish) {
                Ok(()) => self.finish_sent = true,
                Err(TrySendError::Full(_)) => break,
                Err(TrySendError::Disconnected(_)) => self.to_writer = None,
            }
        }
        self.check_writer()
    }

    /// Formats up to ROWS_PER_CLOCK_CHECK rows, or until the chunk is full.
    fn format_rows(&mut self, session: &Session) {
        let end = (self.next + ROWS_PER_CLOCK_CHECK).min(self.positions.len());
        while self.next < end && self.chunk.len() < CHUNK_BYTES {
            let position = self.positions[self.next];
            self.next += 1;
            let entry = session.log_entry_at_mark(position);
            let Some(entry) = entry else {
                self.missing += 1;
                continue;
            };
            write_row(
                session,
                entry,
                self.format,
                self.written == 0,
                &mut self.chunk,
            );
            self.written += 1;
        }
        if self.chunk.len() >= CHUNK_BYTES {
            self.chunk_full = true;
        }
    }

    /// Gives the full chunk to the writer if it has room. False if it had none.
    fn hand_over(&mut self) -> bool {
        let Some(to_writer) = &self.to_writer else {
            return true;
        };
        let data = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK_BYTES));
        match to_writer.try_send(ToWriter::Data(data)) {
            Ok(()) => {
                self.chunk_full = false;
                true
            }
            Err(TrySendError::Full(ToWriter::Data(data))) => {
                self.chunk = data;
                false
            }
            Err(_) => {
                self.chunk_full = false;
                self.to_writer = None;
                true
            }
        }
    }

    /// The writer's outcome, once it has one.
    fn check_writer(&mut self) -> Option<ExportStatus> {
        match self.writer_done.try_recv() {
            Ok(Ok(())) => Some(ExportStatus::Written {
                rows: self.written,
                missing: self.missing,
                path: self.path.clone(),
            }),
            Ok(Err(error)) => Some(ExportStatus::Failed {
                path: self.path.clone(),
                error: Some(error.to_string()),
            }),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(ExportStatus::Failed {
                path: self.path.clone(),
                error: None,
            }),
        }
    }
}

/// The writer thread. It writes to a temporary file beside `path` and renames it to `path` on
/// Finish, so an existing file is replaced only by a complete export. If the window drops the
/// job first (Cancel) or a write fails, the temporary file is removed and `path` is untouched.
fn write_chunks(path: &Path, from_window: &Receiver<ToWriter>) -> std::io::Result<()> {
    let partial = partial_path(path);
    let result =
        write_partial(&partial, from_window).and_then(|()| std::fs::rename(&partial, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

fn write_partial(partial: &Path, from_window: &Receiver<ToWriter>) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(partial)?);
    loop {
        match from_window.recv() {
            Ok(ToWriter::Data(data)) => out.write_all(&data)?,
            Ok(ToWriter::Finish) => return out.flush(),
            Err(_) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::Interrupted,
                    "cancelled",
                ));
            }
        }
    }
}

/// `calls.csv` -> `calls.csv.part-<pid>-<n>` in the same directory (so the rename stays on one
/// file system); unique, so two exports to one path never share it.
fn partial_path(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut name = path.file_name().map(OsString::from).unwrap_or_default();
    name.push(format!(".part-{}-{n}", std::process::id()));
    path.with_file_name(name)
}

/// One row in the file's format.
fn write_row(
    session: &Session,
    entry: &crate::session::LogEntry,
    format: ExportFormat,
    first: bool,
    out: &mut Vec<u8>,
) {
    let cells = row_cells(session, entry);
    match format {
        ExportFormat::Csv => {
            let duration = cells.duration_us.map(|d| d.to_string()).unwrap_or_default();
            let bytes = cells.bytes.map(|b| b.to_string()).unwrap_or_default();
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{}",
                cells.text.time,
                csv_field(&cells.text.socket),
                csv_field(&cells.text.call),
                csv_field(&cells.text.arguments),
                csv_field(&cells.text.result),
                duration,
                bytes,
                cells.text.origin,
            );
        }
        ExportFormat::Json => {
            if !first {
                out.push(b',');
            }
            let null = || "null".to_string();
            let _ = write!(
                out,
                "\n{{\"time_s\":{},\"socket\":{},\"socket_id\":{},\"call\":{},\
                 \"arguments\":{},\"result\":{},\"duration_us\":{},\"bytes\":{},\
                 \"origin\":{}}}",
                cells.text.time,
                json_string(&cells.text.socket),
                entry.socket().0,
                json_string(&cells.text.call),
                json_string(&cells.text.arguments),
                json_string(&cells.text.result),
                cells.duration_us.map_or_else(null, |d| d.to_string()),
                cells.bytes.map_or_else(null, |b| b.to_string()),
                json_string(&cells.text.origin),
            );
        }
    }
}
