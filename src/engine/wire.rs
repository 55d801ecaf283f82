//! The wire (PRODUCT part 14): the TCP and UDP segments of the workbench's sockets on the
//! loopback interface, read from a packet socket on `lo` by a thread of their own and reported
//! as events beside the calls.
//!
//! Loopback shows every frame twice (once leaving, once arriving); only the arriving copy is
//! kept. Segments of sockets that are not ours, and whose other end is not ours either, are
//! left out. Headers are read with etherparse. A flood is summarised: at most
//! [`DETAIL_PER_WINDOW`] segments per [`WINDOW_US`] are reported one by one, the rest are
//! counted per flow, so neither the channel nor the session grows without bound.

use super::address::SocketAddress;
use super::event::Event;
use super::registry::Shared;
use crate::i18n::Lang;
use crate::t;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Bytes of each frame kept for the pcap export: every header and the start of the payload.
pub const SNAP_BYTES: usize = 512;
/// A flood is summarised beyond this many segments per window.
pub const DETAIL_PER_WINDOW: usize = 200;
pub const WINDOW_US: u64 = 100_000;
/// Segments are sent to the session in batches this far apart at most.
const FLUSH_EVERY_US: u64 = 10_000;
/// A segment that matches none of our addresses yet is kept this long, in case the socket
/// that sent it reports its address a moment later (a client's SYN leaves before connect()
/// returns and tells its port).
const HOLD_UNMATCHED_US: u64 = 100_000;
const MAX_HELD: usize = 512;
/// Directions whose initial sequence number and window scale are remembered.
const MAX_FLOWS: usize = 4_096;
/// Flows counted one by one in a summary; the rest are added up as one.
const MAX_SUMMARY_FLOWS: usize = 64;
/// How long the kernel takes to switch on receive timestamps (a worker runs it).
const TIMESTAMPS_SETTLE: Duration = Duration::from_millis(20);

/// TCP header flags, as the header carries them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TcpFlags(pub u8);

impl TcpFlags {
    pub const FIN: u8 = 0x01;
    pub const SYN: u8 = 0x02;
    pub const RST: u8 = 0x04;
    pub const PSH: u8 = 0x08;
    pub const ACK: u8 = 0x10;
    pub const URG: u8 = 0x20;
    pub const ECE: u8 = 0x40;
    pub const CWR: u8 = 0x80;
    /// In the order a textbook writes them ("SYN, ACK", "FIN, ACK", "PSH, ACK").
    const NAMES: [(u8, &'static str); 8] = [
        (Self::SYN, "SYN"),
        (Self::FIN, "FIN"),
        (Self::RST, "RST"),
        (Self::PSH, "PSH"),
        (Self::ACK, "ACK"),
        (Self::URG, "URG"),
        (Self::ECE, "ECE"),
        (Self::CWR, "CWR"),
    ];

    pub fn has(self, flag: u8) -> bool {
        self.0 & flag == flag
    }

    /// "SYN, ACK"; "none" for a segment without flags.
    pub fn names(self) -> String {
        let names: Vec<&str> = Self::NAMES
            .iter()
            .filter(|(bit, _)| self.has(*bit))
            .map(|(_, name)| *name)
            .collect();
        if names.is_empty() {
            "none".into()
        } else {
            names.join(", ")
        }
    }

    /// [`TcpFlags::names`] with "none" in `lang` (the flags' own names are as written).
    pub fn names_in(self, lang: Lang) -> String {
        if self.0 == 0 {
            t!(lang, "segment-no-flags")
        } else {
            self.names()
        }
    }

    /// A flag by its name ("SYN", "syn"), for scripts.
    pub fn flag_named(name: &str) -> Option<u8> {
        Self::NAMES
            .iter()
            .find(|(_, known)| known.eq_ignore_ascii_case(name))
            .map(|(bit, _)| *bit)
    }
}

/// What a TCP segment carried, with sequence numbers relative to each direction's first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TcpSegment {
    pub flags: TcpFlags,
    /// Relative to the sender's initial sequence number (its SYN is 0).
    pub seq: u32,
    /// Relative to the receiver's initial sequence number; 0 without the ACK flag.
    pub ack: u32,
    /// The window the sender advertises, in bytes (the header's value times the window scale
    /// both SYNs agreed on; the header's value alone when the handshake was not seen).
    pub window: u32,
    /// The header's 16-bit window field.
    pub window_raw: u16,
    pub payload_len: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Transport {
    Tcp(TcpSegment),
    Udp {
        payload_len: u32,
    },
    /// ICMP "port unreachable": the kernel's answer to a datagram for a port nobody has bound.
    /// Its ends are those of the datagram it answers, reversed (from the closed port to the
    /// sender).
    PortUnreachable,
}

/// One segment seen on loopback.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// When it arrived, in the engine's time (µs since the engine started).
    pub at_us: u64,
    /// The same moment in µs since the Unix epoch (pcap timestamps).
    pub unix_us: u64,
    pub from: SocketAddress,
    pub to: SocketAddress,
    pub transport: Transport,
    /// The frame's first [`SNAP_BYTES`] bytes, Ethernet header included.
    pub frame: Vec<u8>,
    /// The frame's whole length.
    pub frame_len: u32,
}

impl Segment {
    /// The arrow's label: "SYN", "SYN, ACK", "PSH, ACK 5 B", "ACK · win 0", "UDP 5 B", in
    /// English (the headless runner's transcript and the tests; the window uses
    /// [`Segment::label_in`]).
    pub fn label(&self) -> String {
        self.label_in(Lang::En)
    }

    /// [`Segment::label`] in `lang`: flags, sizes and protocol names are as written in every
    /// language; the words around them are not.
    pub fn label_in(&self, lang: Lang) -> String {
        match &self.transport {
            Transport::Tcp(tcp) => {
                let mut label = tcp.flags.names_in(lang);
                if tcp.payload_len > 0 {
                    label.push_str(&format!(" {} B", tcp.payload_len));
                }
                if tcp.window_raw == 0 && !tcp.flags.has(TcpFlags::RST) {
                    label.push_str(&t!(lang, "segment-zero-window"));
                }
                label
            }
            Transport::Udp { payload_len } => format!("UDP {payload_len} B"),
            Transport::PortUnreachable => t!(lang, "wire-icmp-port-unreachable"),
        }
    }

    pub fn payload_len(&self) -> u32 {
        match &self.transport {
            Transport::Tcp(tcp) => tcp.payload_len,
            Transport::Udp { payload_len } => *payload_len,
            Transport::PortUnreachable => 0,
        }
    }

    pub fn tcp(&self) -> Option<&TcpSegment> {
        match &self.transport {
            Transport::Tcp(tcp) => Some(tcp),
            Transport::Udp { .. } | Transport::PortUnreachable => None,
        }
    }
}

/// Segments of one direction of one flow, counted instead of reported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowCount {
    pub from: SocketAddress,
    pub to: SocketAddress,
    pub segments: u64,
    pub payload_bytes: u64,
}

/// The segments of a flood over one window, counted per direction of each flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireSummary {
    pub from_us: u64,
    pub to_us: u64,
    pub segments: u64,
    pub payload_bytes: u64,
    /// At most [`MAX_SUMMARY_FLOWS`]; the rest are only in the totals.
    pub flows: Vec<FlowCount>,
}

/// Why the wire cannot be shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WireProblem {
    /// Opening a packet socket needs CAP_NET_RAW.
    NoPermission,
    /// This system has no packet sockets (not Linux) or no loopback interface.
    NotSupported(String),
    /// Capture started and then failed.
    Failed(String),
}

impl WireProblem {
    /// What the runner says, with the one command that grants capture, in English (the
    /// headless runner's transcript; the window uses [`WireProblem::message_in`]).
    pub fn message(&self) -> String {
        self.message_in(Lang::En)
    }

    /// What the wire view says, in `lang`, with the one command that grants capture. `why`
    /// is the system's own words.
    pub fn message_in(&self, lang: Lang) -> String {
        match self {
            WireProblem::NoPermission => {
                t!(
                    lang,
                    "wire-problem-no-permission",
                    command = grant_command()
                )
            }
            WireProblem::NotSupported(why) => {
                t!(lang, "wire-problem-not-supported", why = why.as_str())
            }
            WireProblem::Failed(why) => t!(lang, "wire-problem-failed", why = why.as_str()),
        }
    }
}

/// `sudo setcap cap_net_raw=eip <this program>`.
pub fn grant_command() -> String {
    let program = std::env::current_exe()
        .map(|path| path.display().to_string())
        .unwrap_or_else(|_| "target/release/socket-workbench".into());
    format!("sudo setcap cap_net_raw=eip {program}")
}

/// What the capture thread reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WireReport {
    /// Capture is running.
    Started {
        at_us: u64,
        /// On the loopback of a private network namespace ([`super::Engine::use_private_network`]).
        #[serde(default)]
        private_network: bool,
    },
    /// Capture could not start (or stopped on an error).
    Unavailable {
        at_us: u64,
        problem: WireProblem,
    },
    /// Segments in the order they arrived.
    Segments(Vec<Segment>),
    Summary(WireSummary),
    /// Capture was switched off.
    Stopped {
        at_us: u64,
    },
    /// The kernel dropped `frames` frames since the last report: the capture's queue was
    /// full (a flood faster than it is read). Counts since then may be short.
    Lost {
        at_us: u64,
        frames: u64,
    },
    /// Every segment that reached loopback before mark `id` was asked for has been reported
    /// (so a script can count them).
    Mark {
        id: u64,
        at_us: u64,
    },
}

// ----- parsing ---------------------------------------------------------------------------

/// What the headers of one frame say, before sequence numbers are made relative.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedFrame {
    pub from: SocketAddr,
    pub to: SocketAddr,
    pub kind: ParsedKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParsedKind {
    Tcp {
        flags: TcpFlags,
        seq: u32,
        ack: u32,
        window: u16,
        /// The window scale option (SYN segments only).
        window_scale: Option<u8>,
        payload_len: u32,
    },
    Udp {
        payload_len: u32,
    },
    PortUnreachable,
}

/// Reads an Ethernet frame's IP and TCP/UDP headers, or an ICMP port unreachable (with the
/// ends of the datagram it answers); None for anything else (ARP, other ICMP, fragments, a
/// malformed frame). `frame` may be the first bytes only of a frame `real_len`
/// long (the capture reads no more than it keeps): the headers must be whole, and the part
/// cut off is payload.
pub fn parse_frame(frame: &[u8], real_len: usize) -> Option<ParsedFrame> {
    use etherparse::{LaxNetSlice, LaxSlicedPacket, TransportSlice};
    let packet = LaxSlicedPacket::from_ethernet(frame).ok()?;
    let (source, destination): (IpAddr, IpAddr) = match packet.net.as_ref()? {
        LaxNetSlice::Ipv4(ip) => (
            ip.header().source_addr().into(),
            ip.header().destination_addr().into(),
        ),
        LaxNetSlice::Ipv6(ip) => (
            ip.header().source_addr().into(),
            ip.header().destination_addr().into(),
        ),
        LaxNetSlice::Arp(_) => return None,
    };
    let cut_off = real_len.saturating_sub(frame.len()) as u32;
    match packet.transport.as_ref()? {
        TransportSlice::Tcp(tcp) => {
            let window_scale = tcp.options_iterator().find_map(|option| match option {
                Ok(etherparse::TcpOptionElement::WindowScale(shift)) => Some(shift),
                _ => None,
            });
            // The flags byte is byte 13 of the TCP header.
            let flags = TcpFlags(tcp.header_slice().get(13).copied().unwrap_or(0));
            Some(ParsedFrame {
                from: SocketAddr::new(source, tcp.source_port()),
                to: SocketAddr::new(destination, tcp.destination_port()),
                kind: ParsedKind::Tcp {
                    flags,
                    seq: tcp.sequence_number(),
                    ack: tcp.acknowledgment_number(),
                    window: tcp.window_size(),
                    window_scale,
                    payload_len: tcp.payload().len() as u32 + cut_off,
                },
            })
        }
        TransportSlice::Udp(udp) => Some(ParsedFrame {
            from: SocketAddr::new(source, udp.source_port()),
            to: SocketAddr::new(destination, udp.destination_port()),
            kind: ParsedKind::Udp {
                // The header's length, unless the frame is shorter (a hostile one may lie).
                payload_len: u32::from(udp.length().saturating_sub(8))
                    .min(udp.payload().len() as u32 + cut_off),
            },
        }),
        TransportSlice::Icmpv4(icmp) => match icmp.icmp_type() {
            etherparse::Icmpv4Type::DestinationUnreachable(
                etherparse::icmpv4::DestUnreachableHeader::Port,
            ) => port_unreachable(icmp.payload()),
            _ => None,
        },
        TransportSlice::Icmpv6(icmp) => match icmp.icmp_type() {
            etherparse::Icmpv6Type::DestinationUnreachable(
                etherparse::icmpv6::DestUnreachableCode::Port,
            ) => port_unreachable(icmp.payload()),
            _ => None,
        },
        _ => None,
    }
}

/// An ICMP port unreachable from the datagram it quotes (its IP header and the UDP header):
/// from the port that was not open, to the datagram's sender.
fn port_unreachable(quoted: &[u8]) -> Option<ParsedFrame> {
    let (ip, _) = etherparse::LaxIpSlice::from_slice(quoted).ok()?;
    if ip.payload().ip_number != etherparse::IpNumber::UDP {
        return None;
    }
    let (udp, _) = etherparse::UdpHeader::from_slice(ip.payload().payload).ok()?;
    Some(ParsedFrame {
        from: SocketAddr::new(ip.destination_addr(), udp.destination_port),
        to: SocketAddr::new(ip.source_addr(), udp.source_port),
        kind: ParsedKind::PortUnreachable,
    })
}

/// Each direction's initial sequence number and window scale, so segments can be shown with
/// relative numbers and windows in bytes. Bounded: the oldest directions are forgotten.
#[derive(Default)]
pub struct FlowTable {
    directions: HashMap<(SocketAddr, SocketAddr), Direction>,
    order: VecDeque<(SocketAddr, SocketAddr)>,
}

#[derive(Clone, Copy)]
struct Direction {
    initial_seq: u32,
    window_scale: Option<u8>,
}

impl FlowTable {
    pub fn new() -> FlowTable {
        FlowTable::default()
    }

    /// The transport as shown: relative sequence numbers, window in bytes.
    pub fn relate(&mut self, parsed: &ParsedFrame) -> Transport {
        let (flags, seq, ack, window, window_scale, payload_len) = match parsed.kind {
            ParsedKind::Udp { payload_len } => return Transport::Udp { payload_len },
            ParsedKind::PortUnreachable => return Transport::PortUnreachable,
            ParsedKind::Tcp {
                flags,
                seq,
                ack,
                window,
                window_scale,
                payload_len,
            } => (flags, seq, ack, window, window_scale, payload_len),
        };
        let key = (parsed.from, parsed.to);
        let syn = flags.has(TcpFlags::SYN);
        let known = self.directions.get(&key).copied();
        let direction = match known {
            // A new SYN with another number is a new connection on the same ports.
            Some(direction) if !syn || direction.initial_seq == seq => direction,
            _ => {
                let direction = Direction {
                    // Without the SYN, count from the first segment seen as if it followed one.
                    initial_seq: if syn { seq } else { seq.wrapping_sub(1) },
                    window_scale: if syn { window_scale } else { None },
                };
                self.remember(key, direction);
                direction
            }
        };
        let reverse = self.directions.get(&(parsed.to, parsed.from)).copied();
        let relative_ack = if flags.has(TcpFlags::ACK) {
            reverse.map_or(ack, |other| ack.wrapping_sub(other.initial_seq))
        } else {
            0
        };
        // Scaling applies only when both SYNs carried the option, and never to a SYN.
        let scale = match (direction.window_scale, reverse.and_then(|r| r.window_scale)) {
            (Some(own), Some(_)) if !syn => u32::from(own.min(14)),
            _ => 0,
        };
        Transport::Tcp(TcpSegment {
            flags,
            seq: seq.wrapping_sub(direction.initial_seq),
            ack: relative_ack,
            window: u32::from(window) << scale,
            window_raw: window,
            payload_len,
        })
    }

    fn remember(&mut self, key: (SocketAddr, SocketAddr), direction: Direction) {
        if self.directions.insert(key, direction).is_none() {
            self.order.push_back(key);
            while self.order.len() > MAX_FLOWS {
                if let Some(oldest) = self.order.pop_front() {
                    self.directions.remove(&oldest);
                }
            }
        }
    }
}

// ----- which segments are ours -------------------------------------------------------------

/// Every address a workbench socket has had (never forgotten: the segments of a closed
/// socket's TIME_WAIT are still ours). A listener on 0.0.0.0 or :: owns its port on every
/// address.
#[derive(Default)]
pub(crate) struct Endpoints {
    exact: HashSet<(IpAddr, u16)>,
    wildcard_ports: HashSet<u16>,
}

/// More addresses than a session can have had; past it nothing new is remembered.
const MAX_ENDPOINTS: usize = 65_536;

impl Endpoints {
    pub(crate) fn add(&mut self, address: &SocketAddress) {
        let (Some(ip), Some(port)) = (address.canonical_ip(), address.port()) else {
            return;
        };
        if port == 0 || self.exact.len() + self.wildcard_ports.len() >= MAX_ENDPOINTS {
            return;
        }
        if ip.is_unspecified() {
            self.wildcard_ports.insert(port);
        } else {
            self.exact.insert((ip, port));
        }
    }

    fn owns(&self, address: &SocketAddr) -> bool {
        let ip = match address.ip() {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            v4 => v4,
        };
        self.exact.contains(&(ip, address.port())) || self.wildcard_ports.contains(&address.port())
    }

    fn either_end(&self, parsed: &ParsedFrame) -> bool {
        self.owns(&parsed.from) || self.owns(&parsed.to)
    }
}

// ----- the capture thread ------------------------------------------------------------------

/// The running capture: dropping it does not stop it, [`Capture::stop`] does.
pub(crate) struct Capture {
    stop: Arc<AtomicBool>,
    /// The newest mark asked for.
    mark_wanted: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Capture {
    /// Opens the packet socket here (so a missing permission is reported at once) and starts
    /// the thread that reads it, which reports `Started`. On failure an `Unavailable` report
    /// has been sent.
    pub(crate) fn start(shared: &Arc<Shared>) -> Option<Capture> {
        let opened = open(shared);
        let (fd, ifindex) = match opened {
            Ok(opened) => opened,
            Err(problem) => {
                shared.emit(Event::Wire(WireReport::Unavailable {
                    at_us: shared.now_us(),
                    problem,
                }));
                return None;
            }
        };
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = Arc::clone(&stop);
        let mark_wanted = Arc::new(AtomicU64::new(0));
        let thread_mark = Arc::clone(&mark_wanted);
        let thread_shared = Arc::clone(shared);
        let thread = std::thread::Builder::new()
            .name("wire-capture".into())
            .spawn(move || capture_loop(&thread_shared, fd, ifindex, &thread_stop, &thread_mark));
        match thread {
            Ok(thread) => Some(Capture {
                stop,
                mark_wanted,
                thread: Some(thread),
            }),
            Err(error) => {
                shared.emit(Event::Wire(WireReport::Unavailable {
                    at_us: shared.now_us(),
                    problem: WireProblem::Failed(format!("could not start its thread: {error}")),
                }));
                None
            }
        }
    }

    /// Asks for [`WireReport::Mark`] `id` once everything already on the wire is reported.
    pub(crate) fn mark(&self, id: u64) {
        self.mark_wanted.fetch_max(id, Ordering::Relaxed);
    }

    /// Stops the thread and waits for it (it looks at the flag at least every 50 ms).
    pub(crate) fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(target_os = "linux")]
fn open(shared: &Shared) -> Result<(std::os::fd::OwnedFd, i32), WireProblem> {
    let private = shared.private_network();
    super::sys::open_loopback_capture(private.as_deref()).map_err(|error| {
        match error.raw_os_error() {
            Some(libc::EPERM) | Some(libc::EACCES) => WireProblem::NoPermission,
            Some(libc::EAFNOSUPPORT) => {
                WireProblem::NotSupported("packet sockets are not available".into())
            }
            _ => {
                WireProblem::NotSupported(format!("opening a packet socket on lo failed: {error}"))
            }
        }
    })
}

/// Opening a packet socket in the machine's network is refused for want of CAP_NET_RAW.
pub(crate) fn capture_needs_privilege() -> bool {
    #[cfg(target_os = "linux")]
    {
        matches!(
            super::sys::open_loopback_capture(None).map_err(|error| error.raw_os_error()),
            Err(Some(libc::EPERM | libc::EACCES))
        )
    }
    #[cfg(not(target_os = "linux"))]
    false
}

#[cfg(not(target_os = "linux"))]
fn open(_shared: &Shared) -> Result<(std::os::fd::OwnedFd, i32), WireProblem> {
    Err(WireProblem::NotSupported(
        "capture is built for Linux packet sockets only".into(),
    ))
}

/// What the thread collects between two reports.
struct Batcher {
    pending: Vec<Segment>,
    last_flush_us: u64,
    window_start_us: u64,
    detailed_in_window: usize,
    summary: Option<WireSummary>,
}

impl Batcher {
    fn new(now_us: u64) -> Batcher {
        Batcher {
            pending: Vec::new(),
            last_flush_us: now_us,
            window_start_us: now_us,
            detailed_in_window: 0,
            summary: None,
        }
    }

    fn add(&mut self, shared: &Shared, segment: Segment) {
        if segment.at_us >= self.window_start_us + WINDOW_US {
            self.flush(shared);
            self.end_window(shared);
            self.window_start_us = segment.at_us;
        }
        if self.detailed_in_window < DETAIL_PER_WINDOW && shared.auto_events_welcome() {
            self.detailed_in_window += 1;
            self.pending.push(segment);
        } else {
            count_into(&mut self.summary, &segment);
        }
    }

    fn tick(&mut self, shared: &Shared, now_us: u64) {
        if now_us >= self.last_flush_us + FLUSH_EVERY_US {
            self.flush(shared);
            self.last_flush_us = now_us;
        }
        if now_us >= self.window_start_us + WINDOW_US {
            self.end_window(shared);
            self.window_start_us = now_us;
        }
    }

    fn flush(&mut self, shared: &Shared) {
        if !self.pending.is_empty() {
            shared.emit(Event::Wire(WireReport::Segments(std::mem::take(
                &mut self.pending,
            ))));
        }
    }

    fn end_window(&mut self, shared: &Shared) {
        self.detailed_in_window = 0;
        if let Some(summary) = self.summary.take() {
            shared.emit(Event::Wire(WireReport::Summary(summary)));
        }
    }
}

fn count_into(summary: &mut Option<WireSummary>, segment: &Segment) {
    let summary = summary.get_or_insert_with(|| WireSummary {
        from_us: segment.at_us,
        to_us: segment.at_us,
        segments: 0,
        payload_bytes: 0,
        flows: Vec::new(),
    });
    let payload = u64::from(segment.payload_len());
    summary.to_us = summary.to_us.max(segment.at_us);
    summary.segments += 1;
    summary.payload_bytes += payload;
    if let Some(flow) = summary
        .flows
        .iter_mut()
        .find(|flow| flow.from == segment.from && flow.to == segment.to)
    {
        flow.segments += 1;
        flow.payload_bytes += payload;
    } else if summary.flows.len() < MAX_SUMMARY_FLOWS {
        summary.flows.push(FlowCount {
            from: segment.from.clone(),
            to: segment.to.clone(),
            segments: 1,
            payload_bytes: payload,
        });
    }
}

#[cfg(target_os = "linux")]
fn capture_loop(
    shared: &Shared,
    fd: std::os::fd::OwnedFd,
    ifindex: i32,
    stop: &AtomicBool,
    mark_wanted: &AtomicU64,
) {
    use super::sys;
    use std::os::fd::AsRawFd;
    let raw = fd.as_raw_fd();
    // Only the part kept is read: the kernel copies no more, and the headers fit in it.
    let mut buffer = vec![0u8; SNAP_BYTES];
    let mut flows = FlowTable::new();
    let mut batcher = Batcher::new(shared.now_us());
    // Frames not (yet) known to be ours: (arrival, frame, parsed, unix time).
    let mut held: VecDeque<(u64, Vec<u8>, u32, ParsedFrame, u64)> = VecDeque::new();
    let mut mark_done = 0;
    // Timestamps switched on at open take effect on a kernel worker, a moment later; frames
    // before then would carry the time they are read. Report Started after that moment.
    std::thread::sleep(TIMESTAMPS_SETTLE);
    shared.emit(Event::Wire(WireReport::Started {
        at_us: shared.now_us(),
        private_network: shared.private_network().is_some(),
    }));
    while !stop.load(Ordering::Relaxed) {
        // Read before draining: whatever reached lo before the mark was asked for is already
        // in the packet socket's queue, so it is reported before the mark.
        let mark = mark_wanted.load(Ordering::Relaxed);
        let mut fds = [sys::PollFd {
            fd: raw,
            events: libc::POLLIN,
            revents: 0,
        }];
        if let Err(error) = sys::poll(&mut fds, 5) {
            batcher.flush(shared);
            shared.emit(Event::Wire(WireReport::Unavailable {
                at_us: shared.now_us(),
                problem: WireProblem::Failed(format!("poll on the packet socket: {error}")),
            }));
            return;
        }
        // Read everything waiting (a bounded number at a time, so stop is seen), then report.
        let mut drained = false;
        let clock = ClockOffset::measure(shared);
        for _ in 0..4_096 {
            let frame = match sys::recv_frame(raw, &mut buffer) {
                Ok(Some(frame)) => frame,
                Ok(None) => {
                    drained = true;
                    break;
                }
                Err(error) => {
                    batcher.flush(shared);
                    shared.emit(Event::Wire(WireReport::Unavailable {
                        at_us: shared.now_us(),
                        problem: WireProblem::Failed(format!("reading the packet socket: {error}")),
                    }));
                    return;
                }
            };
            // Loopback hands every frame to packet sockets twice: leaving and arriving.
            if frame.packet_type == libc::PACKET_OUTGOING || frame.ifindex != ifindex {
                continue;
            }
            let stored = frame.len.min(buffer.len());
            let Some(parsed) = parse_frame(&buffer[..stored], frame.len) else {
                continue;
            };
            let (at_us, unix_us) = clock.arrival(shared, frame.arrived_unix_us);
            let snap = buffer[..stored].to_vec();
            let ours = shared.wire_endpoints().either_end(&parsed);
            if ours {
                release_held(shared, &mut held, &mut flows, &mut batcher, at_us);
                let segment = make_segment(&mut flows, &parsed, at_us, unix_us, snap, frame.len);
                batcher.add(shared, segment);
            } else if held.len() < MAX_HELD {
                held.push_back((at_us, snap, frame.len as u32, parsed, unix_us));
            }
        }
        let now_us = shared.now_us();
        release_held(shared, &mut held, &mut flows, &mut batcher, now_us);
        batcher.tick(shared, now_us);
        // Reported before a mark, so what was lost before it is known when counting.
        if let Ok(frames @ 1..) = sys::capture_drops(raw) {
            batcher.flush(shared);
            shared.emit(Event::Wire(WireReport::Lost {
                at_us: now_us,
                frames: u64::from(frames),
            }));
        }
        if mark > mark_done && drained {
            batcher.flush(shared);
            batcher.end_window(shared);
            mark_done = mark;
            shared.emit(Event::Wire(WireReport::Mark {
                id: mark,
                at_us: now_us,
            }));
        }
    }
    release_held(shared, &mut held, &mut flows, &mut batcher, u64::MAX);
    batcher.flush(shared);
    batcher.end_window(shared);
}

#[cfg(not(target_os = "linux"))]
fn capture_loop(_: &Shared, _: std::os::fd::OwnedFd, _: i32, _: &AtomicBool, _: &AtomicU64) {}

/// Held frames: those now known to be ours are reported (in arrival order), those held too
/// long are forgotten.
fn release_held(
    shared: &Shared,
    held: &mut VecDeque<(u64, Vec<u8>, u32, ParsedFrame, u64)>,
    flows: &mut FlowTable,
    batcher: &mut Batcher,
    now_us: u64,
) {
    if held.is_empty() {
        return;
    }
    let endpoints_now: Vec<bool> = {
        let endpoints = shared.wire_endpoints();
        held.iter()
            .map(|(_, _, _, parsed, _)| endpoints.either_end(parsed))
            .collect()
    };
    let mut kept = VecDeque::new();
    for ((at_us, snap, len, parsed, unix_us), ours) in held.drain(..).zip(endpoints_now) {
        if ours {
            let segment = make_segment(flows, &parsed, at_us, unix_us, snap, len as usize);
            batcher.add(shared, segment);
        } else if now_us.saturating_sub(at_us) < HOLD_UNMATCHED_US {
            kept.push_back((at_us, snap, len, parsed, unix_us));
        }
    }
    *held = kept;
}

fn make_segment(
    flows: &mut FlowTable,
    parsed: &ParsedFrame,
    at_us: u64,
    unix_us: u64,
    frame: Vec<u8>,
    frame_len: usize,
) -> Segment {
    Segment {
        at_us,
        unix_us,
        from: SocketAddress::inet(parsed.from.ip(), parsed.from.port()),
        to: SocketAddress::inet(parsed.to.ip(), parsed.to.port()),
        transport: flows.relate(parsed),
        frame,
        frame_len: frame_len as u32,
    }
}

/// Unix time minus engine time, in µs, read as a tight pair: the kernel stamps frames with
/// the wall clock, the engine's events use a monotonic one. Measured for each burst read, so
/// the two drifting apart over a long session does not move segments against calls.
#[derive(Clone, Copy)]
struct ClockOffset {
    unix_minus_engine_us: i128,
}

impl ClockOffset {
    /// The best of three readings: a thread preempted between its two clock reads would put
    /// every segment of the burst off by as long as it waited.
    fn measure(shared: &Shared) -> ClockOffset {
        let mut best: Option<(u64, i128)> = None;
        for _ in 0..3 {
            let before = unix_now_us();
            let engine = shared.now_us();
            let after = unix_now_us();
            let gap = after.saturating_sub(before);
            let offset = i128::from(before / 2 + after / 2) - i128::from(engine);
            if best.is_none_or(|(best_gap, _)| gap < best_gap) {
                best = Some((gap, offset));
            }
        }
        ClockOffset {
            unix_minus_engine_us: best.map_or(0, |(_, offset)| offset),
        }
    }

    /// A frame's arrival in the engine's time and in Unix time (now, if it has no stamp).
    fn arrival(self, shared: &Shared, stamp_unix_us: Option<u64>) -> (u64, u64) {
        match stamp_unix_us {
            Some(stamp) => {
                let engine = (i128::from(stamp) - self.unix_minus_engine_us)
                    .clamp(0, i128::from(shared.now_us()));
                (engine as u64, stamp)
            }
            None => (shared.now_us(), unix_now_us()),
        }
    }
}

pub(crate) fn unix_now_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_micros() as u64
}

// ----- pcap ------------------------------------------------------------------------------

/// The segments as a pcap file (microsecond timestamps, Ethernet link type) that tcpdump and
/// Wireshark read. Each frame is the part kept ([`SNAP_BYTES`]); its real length is recorded.
pub fn pcap_bytes<'a>(segments: impl IntoIterator<Item = &'a Segment>) -> Vec<u8> {
    const LINKTYPE_ETHERNET: u32 = 1;
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_c3d4_u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&0i32.to_le_bytes()); // thiszone
    out.extend_from_slice(&0u32.to_le_bytes()); // sigfigs
    out.extend_from_slice(&(SNAP_BYTES as u32).to_le_bytes());
    out.extend_from_slice(&LINKTYPE_ETHERNET.to_le_bytes());
    for segment in segments {
        let seconds = (segment.unix_us / 1_000_000) as u32;
        let micros = (segment.unix_us % 1_000_000) as u32;
        out.extend_from_slice(&seconds.to_le_bytes());
        out.extend_from_slice(&micros.to_le_bytes());
        out.extend_from_slice(&(segment.frame.len() as u32).to_le_bytes());
        out.extend_from_slice(
            &segment
                .frame_len
                .max(segment.frame.len() as u32)
                .to_le_bytes(),
        );
        out.extend_from_slice(&segment.frame);
    }
    out
}

#[cfg(test)]
mod tests;
