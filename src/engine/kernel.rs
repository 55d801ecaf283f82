//! What the kernel holds for one socket right now: queue bytes, applied buffer sizes, TCP
//! state and RTT, and a listener's accept queue. Linux only; elsewhere the snapshot says so.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KernelSnapshot {
    /// False where the OS offers none of this (the fields are then all None).
    pub available: bool,
    /// Bytes received and not yet read by recv (SIOCINQ).
    pub rx_queue: Option<u32>,
    /// Bytes in the send queue (SIOCOUTQ): for TCP, those written and not yet acknowledged,
    /// whether sent or not; `unsent` is the part not sent at all.
    pub tx_queue: Option<u32>,
    /// TCP: bytes of `tx_queue` not yet sent (SIOCOUTQNSD), e.g. while the peer's window is 0.
    pub unsent: Option<u32>,
    /// Receive buffer in use, with the kernel's bookkeeping for each packet (SO_MEMINFO):
    /// what SO_RCVBUF limits. A UDP datagram of 1 byte takes hundreds.
    pub rcvbuf_used: Option<u32>,
    /// Packets the kernel dropped for this socket (SO_MEMINFO): a UDP receiver's full buffer.
    pub drops: Option<u32>,
    /// SO_RCVBUF / SO_SNDBUF as applied (Linux doubles what setsockopt asked for).
    pub rcvbuf: Option<u32>,
    pub sndbuf: Option<u32>,
    /// TCP state name as netstat prints it: "ESTABLISHED", "TIME_WAIT", "LISTEN"...
    pub tcp_state: Option<String>,
    /// Smoothed round-trip time.
    pub rtt_us: Option<u32>,
    /// Listener: connections completed by the kernel and waiting for accept().
    pub accept_queue: Option<u32>,
    /// Listener: the backlog in force.
    pub backlog: Option<u32>,
}

/// Linux's TCP states (include/net/tcp_states.h), by their netstat names.
pub fn tcp_state_name(state: u8) -> &'static str {
    match state {
        1 => "ESTABLISHED",
        2 => "SYN_SENT",
        3 => "SYN_RECV",
        4 => "FIN_WAIT1",
        5 => "FIN_WAIT2",
        6 => "TIME_WAIT",
        7 => "CLOSE",
        8 => "CLOSE_WAIT",
        9 => "LAST_ACK",
        10 => "LISTEN",
        11 => "CLOSING",
        12 => "NEW_SYN_RECV",
        _ => "UNKNOWN",
    }
}

#[cfg(target_os = "linux")]
pub(crate) fn snapshot(socket: &socket2::Socket, is_tcp: bool) -> KernelSnapshot {
    use super::sys;
    use std::os::fd::AsRawFd;
    let fd = socket.as_raw_fd();
    let mut snapshot = KernelSnapshot {
        available: true,
        rcvbuf: socket.recv_buffer_size().ok().map(|size| size as u32),
        sndbuf: socket.send_buffer_size().ok().map(|size| size as u32),
        ..KernelSnapshot::default()
    };
    let info = if is_tcp { sys::tcp_info(fd).ok() } else { None };
    let listening = info.as_ref().is_some_and(|info| info.state == 10);
    if let Some(info) = &info {
        snapshot.tcp_state = Some(tcp_state_name(info.state).to_string());
        if listening {
            snapshot.accept_queue = Some(info.unacked);
            snapshot.backlog = Some(info.sacked);
        } else {
            snapshot.rtt_us = Some(info.rtt_us);
        }
    }
    if !listening {
        snapshot.rx_queue = sys::receive_queue_bytes(fd).ok();
        snapshot.tx_queue = sys::send_queue_bytes(fd).ok();
        if is_tcp {
            snapshot.unsent = sys::unsent_bytes(fd).ok();
        }
    }
    if let Ok(info) = sys::meminfo(fd) {
        snapshot.rcvbuf_used = Some(info.rmem_alloc);
        snapshot.drops = Some(info.drops);
    }
    snapshot
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn snapshot(_socket: &socket2::Socket, _is_tcp: bool) -> KernelSnapshot {
    KernelSnapshot::default()
}
