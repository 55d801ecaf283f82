//! Automatic behaviour: accepting, the receive loop, responders' replies and the flood,
//! each automatic call reported on its own or folded into a summary.

use super::recv_buffer::RecvBuffer;
use super::*;
use crate::engine::responder::Reply;

/// A reply rule's reply waiting in the outbox: its bytes' positions in everything the outbox
/// ever held, so the sends that carry them can say which rule answered.
#[derive(Clone, Copy, Debug)]
pub(super) struct ReplyMark {
    start: u64,
    end: u64,
    rule: u32,
}

/// Automatic behaviour's settings and the state it keeps between turns of the loop.
pub(super) struct Auto {
    pub(super) automation: Automation,
    pub(super) responder: Option<ResponderState>,
    /// Automatic replies waiting for room in the send buffer (stream sockets).
    pub(super) outbox: VecDeque<u8>,
    /// How many bytes the outbox has sent: where its first byte is, for `reply_marks`.
    outbox_sent: u64,
    /// Rule replies in the outbox, oldest first (bytes of other responders have none).
    reply_marks: VecDeque<ReplyMark>,
    pub(super) shutdown_after_outbox: bool,
    pub(super) close_after_outbox: bool,
    pub(super) flood_started: Option<Instant>,
    pub(super) flood_sent: u64,
    /// The bytes a flood sends, kept between sends.
    flood_payload: Arc<[u8]>,
    /// Automatic accept failed for want of descriptors (EMFILE...): not before then.
    pub(super) accept_paused_until: Option<Instant>,
    accept_backoff: Duration,
    /// The automatic receive loop's buffer, kept between receives while data flows.
    pub(super) buffer: RecvBuffer,
    pub(super) window_start: Instant,
    budget: u32,
    /// Boxed: most connections never fold a call, and the worker is kept small.
    pub(super) summary: Option<Box<AutoSummary>>,
}

impl Auto {
    pub(super) fn new() -> Auto {
        Auto {
            automation: Automation::default(),
            responder: None,
            outbox: VecDeque::new(),
            outbox_sent: 0,
            reply_marks: VecDeque::new(),
            shutdown_after_outbox: false,
            close_after_outbox: false,
            flood_started: None,
            flood_sent: 0,
            flood_payload: Arc::from(Vec::new()),
            accept_paused_until: None,
            accept_backoff: Duration::ZERO,
            buffer: RecvBuffer::default(),
            window_start: Instant::now(),
            budget: AUTO_INDIVIDUAL_PER_WINDOW,
            summary: None,
        }
    }
}

impl Worker {
    /// An automatic call would be reported on its own now (not folded into a summary).
    pub(super) fn auto_individual(&self) -> bool {
        self.auto.budget > 0 && self.shared.auto_events_welcome()
    }

    pub(super) fn auto_reading(&self) -> bool {
        let listening = self.state == Lifecycle::Listening;
        let accept_paused = self
            .auto
            .accept_paused_until
            .is_some_and(|until| until > Instant::now());
        (listening && self.auto.automation.auto_accept && !accept_paused)
            || (!listening
                && (self.auto.automation.auto_receive || self.auto.responder.is_some())
                && !self.peer_closed
                && self.state != Lifecycle::Error
                // Back-pressure: a peer that does not read its replies stops us reading its
                // requests, as a real server blocked in sendall() would.
                && self.auto.outbox.len() < OUTBOX_LIMIT_BYTES)
    }

    /// The responder's timer (HTTP: the request header must arrive in time) runs on a
    /// connected stream whose calls are all automatic.
    pub(super) fn responder_clock_runs(&self) -> bool {
        self.is_stream()
            && self.state == Lifecycle::Connected
            && self.socket.is_some()
            && self.reads.is_empty()
            && self.writes.is_empty()
    }

    pub(super) fn flood_delay(&self, now: Instant) -> Option<Duration> {
        let flood = self.auto.automation.flood.as_ref()?;
        if flood.bytes_per_sec == 0 {
            return Some(Duration::ZERO);
        }
        let started = self.auto.flood_started?;
        let due_at = started
            + Duration::from_secs_f64(self.auto.flood_sent as f64 / flood.bytes_per_sec as f64);
        Some(due_at.saturating_duration_since(now))
    }

    // ----- automatic behaviour ---------------------------------------------------------------

    pub(super) fn tick_auto_window(&mut self) {
        if self.auto.window_start.elapsed() >= AUTO_WINDOW {
            self.flush_summary();
            self.auto.window_start = Instant::now();
            self.auto.budget = AUTO_INDIVIDUAL_PER_WINDOW;
        }
    }

    pub(super) fn flush_summary(&mut self) {
        if let Some(mut summary) = self.auto.summary.take() {
            summary.to_us = self.shared.now_us();
            self.shared.emit(Event::Auto(*summary));
        }
    }

    /// Reports one automatic call: on its own while the channel is not crowded, otherwise
    /// folded into the current summary.
    pub(super) fn report_auto(&mut self, call: Call, started_us: u64, finish: Finish) {
        self.report_auto_by(call, started_us, finish, None);
    }

    /// [`Worker::report_auto`] for a send that carries reply rule `rule`'s reply: reported on
    /// its own, the call says which rule answered (within the same budget; a folded one is
    /// counted in the summary as any other send).
    fn report_auto_by(&mut self, call: Call, started_us: u64, finish: Finish, rule: Option<u32>) {
        if self.auto_individual() {
            self.auto.budget -= 1;
            let call_id = self.shared.next_call_id();
            // Automatic calls are made when poll says the socket is ready, so none waits.
            self.emit_started(call_id, &call, Origin::Auto, started_us);
            if let Some(rule) = rule {
                self.shared.emit(Event::ReplyRule {
                    socket: self.id,
                    call_id,
                    rule,
                });
            }
            self.emit_returned(call_id, started_us, finish, WokenBy::NoWait);
            return;
        }
        let now_us = self.shared.now_us();
        let summary = self.auto.summary.get_or_insert_with(|| {
            Box::new(AutoSummary {
                socket: self.id,
                from_us: now_us,
                to_us: now_us,
                ..AutoSummary::default()
            })
        });
        let is_send = matches!(
            call,
            Call::Send { .. } | Call::SendTo { .. } | Call::Shutdown(_)
        );
        if !finish.outcome.is_ok() {
            summary.errors += 1;
        }
        if is_send {
            summary.send_calls += 1;
            summary.send_bytes += finish.bytes_moved as u64;
        } else {
            summary.recv_calls += 1;
            summary.recv_bytes += finish.bytes_moved as u64;
            if let Some(data) = &finish.data {
                let room = SUMMARY_SAMPLE_BYTES.saturating_sub(summary.sample.len());
                summary
                    .sample
                    .extend_from_slice(&data[..data.len().min(room)]);
            }
        }
        // A folded accept: its connection may start now.
        self.gates.clear();
    }

    pub(super) fn auto_read(&mut self) {
        if !self.auto_reading() {
            return;
        }
        let bufsize = if self.auto.automation.recv_bufsize == 0 {
            DEFAULT_AUTO_RECV_BUFSIZE
        } else {
            self.auto.automation.recv_bufsize
        };
        for _ in 0..AUTO_CALLS_PER_TURN {
            if !self.auto_reading() || self.socket.is_none() {
                return;
            }
            let go_on = if self.state == Lifecycle::Listening {
                self.auto_accept_once()
            } else {
                self.auto_receive_once(bufsize)
            };
            if !go_on {
                return;
            }
        }
    }

    /// One automatic accept; false when the loop is to stop for now.
    fn auto_accept_once(&mut self) -> bool {
        let started_us = self.shared.now_us();
        match self.try_accept() {
            Attempt::Wait => false,
            Attempt::Done(finish) => {
                let out_of_resources = matches!(
                    finish.outcome,
                    Outcome::Errno(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
                );
                self.report_auto(Call::Accept, started_us, finish);
                if out_of_resources {
                    // No descriptor to take the connection with: trying again at once
                    // would spin. Wait, longer each time, until accept works again.
                    self.auto.accept_backoff = (self.auto.accept_backoff * 2)
                        .clamp(ACCEPT_BACKOFF_MIN, ACCEPT_BACKOFF_MAX);
                    self.auto.accept_paused_until = Some(Instant::now() + self.auto.accept_backoff);
                    return false;
                }
                self.auto.accept_backoff = Duration::ZERO;
                true
            }
        }
    }

    /// One automatic recv (recvfrom on a datagram socket) of at most `bufsize` bytes, and the
    /// responder's answer to it; false when the loop is to stop for now.
    fn auto_receive_once(&mut self, bufsize: usize) -> bool {
        let started_us = self.shared.now_us();
        let is_datagram = !self.is_stream();
        // One buffer kept between receives: allocating (and zeroing) a fresh one per recv
        // would cost as much as the copy itself at loopback speed. It is as large as the
        // traffic needs (RecvBuffer), so an idle connection holds almost nothing.
        let mut buffer = std::mem::take(&mut self.auto.buffer);
        let bytes = buffer.take(bufsize, is_datagram);
        let size = bytes.len();
        let call = if is_datagram {
            Call::RecvFrom {
                bufsize: size,
                flags: RecvFlags::default(),
            }
        } else {
            Call::Recv {
                bufsize: size,
                flags: RecvFlags::default(),
            }
        };
        let flags = if is_datagram { DATAGRAM_TRUNC_FLAG } else { 0 };
        let received = self.raw_recv_into(bytes, flags, is_datagram);
        let received = received.map(|(reported, from)| {
            let len = reported.min(size);
            let reply = self.responder_reply(&bytes[..len], is_datagram, from.as_ref());
            // Reported on its own: all its bytes; folded into a summary: the sample only.
            let kept = if self.auto_individual() {
                len
            } else {
                len.min(SUMMARY_SAMPLE_BYTES)
            };
            (bytes[..kept].to_vec(), len, reported, from, reply)
        });
        if let Ok((_, len, ..)) = &received {
            buffer.used(*len, bufsize);
        }
        self.auto.buffer = buffer;
        match received {
            Ok((data, len, reported, from, reply)) => {
                let eof = len == 0 && !is_datagram;
                if eof {
                    self.note_eof();
                }
                let real_len = is_datagram.then_some(reported);
                let mut finish = self.recv_finish(data, from.clone(), real_len);
                finish.outcome = Outcome::Ok(Value::Bytes(len));
                finish.bytes_moved = len;
                finish.truncated_from = real_len.filter(|real| *real > len);
                self.report_auto(call, started_us, finish);
                if let Some(reply) = reply {
                    self.take_reply(reply, from, is_datagram);
                }
                if eof {
                    // A served connection whose client has gone is closed, as a server would.
                    if self.auto.responder.is_some() {
                        self.auto.close_after_outbox = true;
                        self.after_outbox();
                    }
                    return false;
                }
                true
            }
            Err(error) if would_block(&error) => false,
            Err(error) => {
                self.note_error(&error);
                self.report_auto(call, started_us, Finish::errno(&error));
                if self.is_stream() {
                    self.peer_closed = true;
                    self.report_state();
                }
                false
            }
        }
    }

    /// The responder's reply to received `data`. Reply rules get the socket's addresses as
    /// text (a datagram's peer is its sender), made only for them: from the state last
    /// reported, which is up to date after any call that changes them.
    fn responder_reply(
        &mut self,
        data: &[u8],
        is_datagram: bool,
        from: Option<&SocketAddress>,
    ) -> Option<Reply> {
        let responder = self.auto.responder.as_mut()?;
        if !responder.wants_addresses() {
            return responder.on_data_at(data, is_datagram, None, None);
        }
        let reported = self.last_reported.as_deref();
        let local = reported
            .and_then(|change| change.local.as_ref())
            .map(SocketAddress::field_text);
        let peer = if is_datagram {
            from.map(SocketAddress::field_text)
        } else {
            reported
                .and_then(|change| change.peer.as_ref())
                .map(SocketAddress::field_text)
        };
        responder.on_data_at(data, is_datagram, local.as_deref(), peer.as_deref())
    }

    /// Sends a reply (a datagram at once, a stream's through the outbox); a rule's reply that
    /// could not be made shows as that send, refused with the reason.
    fn take_reply(&mut self, reply: Reply, from: Option<SocketAddress>, is_datagram: bool) {
        if let Some(message) = reply.error {
            let call = match from.filter(|_| is_datagram) {
                Some(to) => Call::SendTo {
                    data: Vec::new(),
                    addr: to.to_arg(),
                },
                None => Call::Send { data: Vec::new() },
            };
            let started_us = self.shared.now_us();
            let finish = Finish::outcome(Outcome::Invalid(message));
            self.report_auto_by(call, started_us, finish, reply.rule);
            return;
        }
        if is_datagram {
            self.auto_reply_datagram(reply.data, from, reply.rule);
            return;
        }
        if let Some(rule) = reply.rule
            && !reply.data.is_empty()
        {
            let start = self.auto.outbox_sent + self.auto.outbox.len() as u64;
            self.auto.reply_marks.push_back(ReplyMark {
                start,
                end: start + reply.data.len() as u64,
                rule,
            });
        }
        self.auto.outbox.extend(reply.data);
        self.auto.shutdown_after_outbox |= reply.then_shutdown_write;
    }

    /// How much of the outbox's front the next send may take, and the rule whose reply it
    /// carries: a send never mixes a rule's reply with other bytes.
    fn outbox_piece(&mut self) -> (usize, Option<u32>) {
        let sent = self.auto.outbox_sent;
        while self
            .auto
            .reply_marks
            .front()
            .is_some_and(|mark| mark.end <= sent)
        {
            self.auto.reply_marks.pop_front();
        }
        match self.auto.reply_marks.front() {
            None => (usize::MAX, None),
            Some(mark) if mark.start <= sent => {
                let left = usize::try_from(mark.end - sent).unwrap_or(usize::MAX);
                (left, Some(mark.rule))
            }
            Some(mark) => {
                let before = usize::try_from(mark.start - sent).unwrap_or(usize::MAX);
                (before, None)
            }
        }
    }

    pub(super) fn auto_reply_datagram(
        &mut self,
        data: Vec<u8>,
        to: Option<SocketAddress>,
        rule: Option<u32>,
    ) {
        let Some(to) = to else { return };
        let started_us = self.shared.now_us();
        // Reply to the exact address the datagram came from.
        let Some(address) = to.to_sock_addr() else {
            return;
        };
        let result = self
            .socket()
            .and_then(|socket| socket.send_to_with_flags(&data, &address, SEND_FLAGS));
        let finish = match result {
            Ok(sent) => Finish::ok(Value::Int(sent as i64)).moved(sent),
            Err(error) => Finish::errno(&error),
        };
        let call = Call::SendTo {
            data,
            addr: to.to_arg(),
        };
        self.report_auto_by(call, started_us, finish, rule);
    }

    pub(super) fn auto_write_outbox(&mut self) {
        for _ in 0..AUTO_CALLS_PER_TURN {
            if self.auto.outbox.is_empty() {
                return;
            }
            let (limit, rule) = self.outbox_piece();
            let (front, _) = self.auto.outbox.as_slices();
            let chunk: Vec<u8> = front[..front.len().min(limit.max(1))].to_vec();
            let started_us = self.shared.now_us();
            let result = self
                .socket()
                .and_then(|socket| socket.send_with_flags(&chunk, SEND_FLAGS));
            match result {
                Ok(sent) => {
                    self.auto.outbox.drain(..sent);
                    self.auto.outbox_sent += sent as u64;
                    let call = Call::Send {
                        data: chunk[..sent].to_vec(),
                    };
                    self.report_auto_by(
                        call,
                        started_us,
                        Finish::ok(Value::Int(sent as i64)).moved(sent),
                        rule,
                    );
                }
                Err(error) if would_block(&error) => return,
                Err(error) => {
                    self.note_error(&error);
                    // The peer has gone: drop its backlog and, as a server would, close.
                    self.auto.outbox.clear();
                    self.auto.reply_marks.clear();
                    self.report_auto_by(
                        Call::Send { data: chunk },
                        started_us,
                        Finish::errno(&error),
                        rule,
                    );
                    if self.auto.responder.is_some() {
                        self.auto.close_after_outbox = true;
                    }
                    return;
                }
            }
        }
    }

    /// Once automatic replies are all sent: the shutdown or close they asked for.
    pub(super) fn after_outbox(&mut self) {
        if !self.auto.outbox.is_empty() || self.socket.is_none() {
            return;
        }
        // A peer that was slow to read may have made the outbox large: an emptied one keeps
        // nothing (idle connections are many).
        if self.auto.outbox.capacity() > 0 {
            self.auto.outbox = VecDeque::new();
        }
        // Marks left by an outbox emptied elsewhere (a close) point at nothing now.
        if self.auto.reply_marks.capacity() > 0 {
            self.auto.reply_marks = VecDeque::new();
        }
        if self.auto.shutdown_after_outbox {
            self.auto.shutdown_after_outbox = false;
            let started_us = self.shared.now_us();
            let call = Call::Shutdown(ShutdownHow::Write);
            let finish = self.immediate_call(&call);
            self.report_auto(call, started_us, finish);
        }
        if self.auto.close_after_outbox {
            self.auto.close_after_outbox = false;
            let call_id = self.shared.next_call_id();
            let started_us = self.shared.now_us();
            self.emit_started(call_id, &Call::Close, Origin::Auto, started_us);
            let finish = self.immediate_call(&Call::Close);
            self.emit_returned(call_id, started_us, finish, WokenBy::NoWait);
        }
    }

    pub(super) fn auto_flood(&mut self) {
        let Some(flood) = self.auto.automation.flood.clone() else {
            return;
        };
        let chunk_size = if !self.is_stream() && flood.chunk_size == DEFAULT_FLOOD_CHUNK {
            // The stream default is over a datagram's limit: the untouched default means a
            // datagram size that fits.
            DEFAULT_DATAGRAM_FLOOD_CHUNK
        } else {
            flood.chunk_size.max(1)
        };
        if self.auto.flood_payload.len() != chunk_size {
            // Built once per size, not per send: at loopback speed this would cost as much
            // as the sends themselves.
            self.auto.flood_payload = (0..chunk_size)
                .map(|index| b'a' + (index % 26) as u8)
                .collect();
        }
        let payload = Arc::clone(&self.auto.flood_payload);
        let destination = match &flood.destination {
            Some(addr) => match self.resolve(addr) {
                Ok(address) => Some(address),
                Err(message) => {
                    // A bad destination switches the generator off with the reason shown.
                    self.auto.automation.flood = None;
                    let started_us = self.shared.now_us();
                    let call = Call::SendTo {
                        data: Vec::new(),
                        addr: addr.clone(),
                    };
                    let call_id = self.shared.next_call_id();
                    self.emit_started(call_id, &call, Origin::Auto, started_us);
                    self.emit_returned(
                        call_id,
                        started_us,
                        Finish::outcome(Outcome::Invalid(message)),
                        WokenBy::NoWait,
                    );
                    return;
                }
            },
            None => None,
        };
        for _ in 0..AUTO_CALLS_PER_TURN {
            let now = Instant::now();
            if self.flood_delay(now).is_none_or(|delay| !delay.is_zero()) {
                return;
            }
            if flood
                .total_bytes
                .is_some_and(|total| self.auto.flood_sent >= total)
            {
                self.auto.automation.flood = None;
                return;
            }
            let mut size = chunk_size;
            if let Some(total) = flood.total_bytes {
                size = size.min((total - self.auto.flood_sent) as usize);
            }
            let data = &payload[..size];
            let started_us = self.shared.now_us();
            let result = self.socket().and_then(|socket| match &destination {
                Some(address) => socket.send_to_with_flags(data, address, SEND_FLAGS),
                None => socket.send_with_flags(data, SEND_FLAGS),
            });
            if matches!(&result, Err(error) if would_block(error)) {
                return;
            }
            // The bytes are copied into the call only when it is reported on its own.
            let shown = if self.auto_individual() {
                data.to_vec()
            } else {
                Vec::new()
            };
            let call = match &flood.destination {
                Some(addr) => Call::SendTo {
                    data: shown,
                    addr: addr.clone(),
                },
                None => Call::Send { data: shown },
            };
            match result {
                Ok(sent) => {
                    self.auto.flood_sent += sent as u64;
                    self.report_auto(
                        call,
                        started_us,
                        Finish::ok(Value::Int(sent as i64)).moved(sent),
                    );
                }
                Err(error) if would_block(&error) => return,
                Err(error) => {
                    self.note_error(&error);
                    self.report_auto(call, started_us, Finish::errno(&error));
                    if self.is_stream() || error.raw_os_error() != Some(libc::ECONNREFUSED) {
                        // The connection is gone: stop generating.
                        self.auto.automation.flood = None;
                    }
                    return;
                }
            }
        }
    }
}
