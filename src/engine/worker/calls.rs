//! Call semantics: each socket call as the kernel runs it, in the person's mode (blocking,
//! non-blocking, timeout), with the kernel's state transitions.

use super::*;
use crate::i18n::Lang;

impl Worker {
    pub(super) fn start_call(&mut self, call_id: CallId, call: Call, origin: Origin) {
        let started = Instant::now();
        let started_us = self.shared.now_us();
        self.emit_started(call_id, &call, origin, started_us);
        if self.closing || matches!(call, Call::Recv { bufsize: 0, .. }) {
            // After close() the descriptor is gone (EBADF); recv(0) is b'' at once: CPython
            // answers it without a syscall, whatever the socket's state.
            let finish = closed_socket_finish(&call);
            self.emit_returned(call_id, started_us, finish, WokenBy::NoWait);
            return;
        }
        let is_read = matches!(
            call,
            Call::Accept | Call::Recv { .. } | Call::RecvFrom { .. }
        );
        let is_write = matches!(
            call,
            Call::Connect(_) | Call::Send { .. } | Call::SendAll { .. } | Call::SendTo { .. }
        );
        if !is_read && !is_write {
            let finish = self.immediate_call(&call);
            self.emit_returned(call_id, started_us, finish, WokenBy::NoWait);
            return;
        }
        let dontwait = matches!(call, Call::Recv { flags, .. } | Call::RecvFrom { flags, .. } if flags.dontwait);
        let non_blocking = self.mode == Mode::NonBlocking || dontwait;
        let (deadline, timeout_ms) = match self.mode {
            Mode::Timeout { timeout_ms } => (
                Some(started + Duration::from_millis(timeout_ms)),
                timeout_ms,
            ),
            _ => (None, 0),
        };
        let mut pending = Pending {
            call_id,
            call,
            started_us,
            deadline,
            timeout_ms,
            progress: 0,
            collected: Vec::new(),
            retry_at: None,
            connect_issued: false,
            waited: false,
            blocking: !non_blocking && deadline.is_none(),
        };
        let queue_empty = if is_read {
            self.reads.is_empty()
        } else {
            self.writes.is_empty()
        };
        if !queue_empty && !non_blocking {
            // Another call of the same direction is waiting; this one waits behind it.
            self.queue(is_read, pending);
            return;
        }
        match self.attempt(&mut pending) {
            Attempt::Done(finish) => {
                self.emit_returned(call_id, started_us, finish, WokenBy::NoWait)
            }
            Attempt::Wait if non_blocking => {
                let finish = self.would_block_result(&pending);
                self.emit_returned(call_id, started_us, finish, WokenBy::NoWait);
            }
            Attempt::Wait => {
                if pending
                    .deadline
                    .is_some_and(|deadline| deadline <= Instant::now())
                {
                    let finish = self.timeout_result(&pending);
                    self.emit_returned(call_id, started_us, finish, WokenBy::Timeout);
                } else {
                    self.report_state();
                    self.queue(is_read, pending);
                }
            }
        }
    }

    pub(super) fn queue(&mut self, is_read: bool, pending: Pending) {
        if is_read {
            self.reads.push_back(pending);
        } else {
            self.writes.push_back(pending);
        }
    }

    /// A non-blocking call that found nothing to do: the kernel's answer in that mode.
    pub(super) fn would_block_result(&self, pending: &Pending) -> Finish {
        match &pending.call {
            Call::Connect(_) if pending.connect_issued => {
                Finish::errno(&io::Error::from_raw_os_error(libc::EINPROGRESS))
            }
            Call::Send { .. } if pending.progress > 0 => {
                Finish::ok(Value::Int(pending.progress as i64)).moved(pending.progress)
            }
            Call::Recv { .. } if !pending.collected.is_empty() => {
                self.recv_finish(pending.collected.clone(), None, None)
            }
            _ => Finish::errno(&io::Error::from_raw_os_error(libc::EWOULDBLOCK))
                .moved(pending.progress),
        }
    }

    pub(super) fn timeout_result(&self, pending: &Pending) -> Finish {
        match &pending.call {
            Call::Send { .. } if pending.progress > 0 => {
                Finish::ok(Value::Int(pending.progress as i64)).moved(pending.progress)
            }
            Call::Recv { .. } if !pending.collected.is_empty() => {
                self.recv_finish(pending.collected.clone(), None, None)
            }
            _ => Finish::outcome(Outcome::TimedOut {
                timeout_ms: pending.timeout_ms,
            })
            .moved(pending.progress),
        }
    }

    pub(super) fn cancel_result(&self, pending: &Pending, reason: CancelReason) -> Finish {
        match &pending.call {
            // Like a blocking send interrupted by a signal: the part already sent is the result.
            Call::Send { .. } if pending.progress > 0 => {
                Finish::ok(Value::Int(pending.progress as i64)).moved(pending.progress)
            }
            Call::Recv { .. } if !pending.collected.is_empty() => {
                self.recv_finish(pending.collected.clone(), None, None)
            }
            _ => Finish::outcome(Outcome::Cancelled(reason)).moved(pending.progress),
        }
    }

    pub(super) fn cancel_all(&mut self, reason: CancelReason) {
        let woken_by = match reason {
            CancelReason::User => WokenBy::Cancel,
            CancelReason::Closed => WokenBy::Close,
        };
        let pending: Vec<Pending> = self.reads.drain(..).chain(self.writes.drain(..)).collect();
        for pending in pending {
            let finish = self.cancel_result(&pending, reason);
            self.emit_returned(pending.call_id, pending.started_us, finish, woken_by);
        }
    }

    /// Releases a closed socket once no call is waiting on it any more (dropping it closes the
    /// descriptor: FIN, or RST with SO_LINGER 0).
    pub(super) fn release_if_closed(&mut self) {
        if self.closing && self.reads.is_empty() && self.writes.is_empty() && self.socket.is_some()
        {
            self.flush_summary();
            self.socket = None;
        }
    }

    // ----- calls that never wait ------------------------------------------------------------

    pub(super) fn immediate_call(&mut self, call: &Call) -> Finish {
        match call {
            Call::Bind(addr) => match self.resolve(addr) {
                Err(message) => Finish::outcome(Outcome::Invalid(message)),
                Ok(address) => match self.socket().and_then(|socket| socket.bind(&address)) {
                    Ok(()) => {
                        self.state = Lifecycle::Bound;
                        Finish::ok(Value::None)
                    }
                    Err(error) => Finish::errno(&error),
                },
            },
            Call::Listen { backlog } => {
                match self.socket().and_then(|socket| socket.listen(*backlog)) {
                    Ok(()) => {
                        self.state = Lifecycle::Listening;
                        Finish::ok(Value::None)
                    }
                    Err(error) => Finish::errno(&error),
                }
            }
            Call::Shutdown(how) => {
                let std_how = match how {
                    ShutdownHow::Read => std::net::Shutdown::Read,
                    ShutdownHow::Write => std::net::Shutdown::Write,
                    ShutdownHow::Both => std::net::Shutdown::Both,
                };
                match self.socket().and_then(|socket| socket.shutdown(std_how)) {
                    Ok(()) => {
                        if *how != ShutdownHow::Read {
                            self.state = Lifecycle::WriteShut;
                            self.write_shut = true;
                        }
                        if *how != ShutdownHow::Write {
                            self.read_shut = true;
                        }
                        Finish::ok(Value::None)
                    }
                    Err(error) => Finish::errno(&error),
                }
            }
            Call::Close => {
                self.state = Lifecycle::Closed;
                self.closing = true;
                self.auto.automation = Automation::default();
                self.auto.responder = None;
                self.auto.outbox.clear();
                self.release_if_closed();
                Finish::ok(Value::None)
            }
            // A socket thread has no language: a refused option is worded in English and
            // stays so in its Outcome::Invalid.
            Call::SetOpt { name, value } => {
                match self
                    .socket()
                    .map_err(OptError::Os)
                    .and_then(|socket| options::set_in(Lang::En, socket, name, value))
                {
                    Ok(()) => Finish::ok(Value::None),
                    Err(OptError::Invalid(message)) => Finish::outcome(Outcome::Invalid(message)),
                    Err(OptError::Os(error)) => Finish::errno(&error),
                }
            }
            Call::GetOpt { name } => {
                match self
                    .socket()
                    .map_err(OptError::Os)
                    .and_then(|socket| options::get_in(Lang::En, socket, name, self.family))
                {
                    Ok(value) => Finish::ok(value),
                    Err(OptError::Invalid(message)) => Finish::outcome(Outcome::Invalid(message)),
                    Err(OptError::Os(error)) => Finish::errno(&error),
                }
            }
            Call::SetBlocking(blocking) => {
                self.mode = if *blocking {
                    Mode::Blocking
                } else {
                    Mode::NonBlocking
                };
                Finish::ok(Value::None)
            }
            Call::SetTimeout(timeout_ms) => {
                self.mode = match timeout_ms {
                    None => Mode::Blocking,
                    Some(0) => Mode::NonBlocking,
                    Some(timeout_ms) => Mode::Timeout {
                        timeout_ms: *timeout_ms,
                    },
                };
                Finish::ok(Value::None)
            }
            Call::GetSockName => match self.socket().and_then(|socket| socket.local_addr()) {
                Ok(address) => Finish::ok(Value::Address(SocketAddress::from_sock_addr(&address))),
                Err(error) => Finish::errno(&error),
            },
            Call::GetPeerName => match self.socket().and_then(|socket| socket.peer_addr()) {
                Ok(address) => Finish::ok(Value::Address(SocketAddress::from_sock_addr(&address))),
                Err(error) => Finish::errno(&error),
            },
            // The waiting calls are never routed here.
            Call::Accept
            | Call::Connect(_)
            | Call::Send { .. }
            | Call::SendAll { .. }
            | Call::SendTo { .. }
            | Call::Recv { .. }
            | Call::RecvFrom { .. } => Finish::outcome(Outcome::Invalid(format!(
                "{} was routed wrongly (a bug)",
                call.name()
            ))),
        }
    }

    // ----- calls that may wait ---------------------------------------------------------------

    pub(super) fn attempt(&mut self, pending: &mut Pending) -> Attempt {
        let call = pending.call.clone();
        match &call {
            Call::Accept => self.try_accept(),
            Call::Recv { bufsize, flags } => self.try_recv(pending, *bufsize, *flags, false),
            Call::RecvFrom { bufsize, flags } => self.try_recv(pending, *bufsize, *flags, true),
            Call::Connect(addr) => self.try_connect(pending, addr),
            Call::Send { data } => self.try_send(pending, data, false),
            Call::SendAll { data } => self.try_send(pending, data, true),
            Call::SendTo { data, addr } => self.try_send_to(data, addr),
            _ => Attempt::Done(self.immediate_call(&call)),
        }
    }

    pub(super) fn try_accept(&mut self) -> Attempt {
        let accepted = self.socket().and_then(|socket| socket.accept());
        match accepted {
            Ok((connection, peer)) => {
                let peer = SocketAddress::from_sock_addr(&peer);
                match self.adopt_connection(connection) {
                    Ok(child) => Attempt::Done(Finish::ok(Value::Accepted { child, peer })),
                    Err(message) => Attempt::Done(Finish::outcome(Outcome::Invalid(message))),
                }
            }
            Err(error) if would_block(&error) => Attempt::Wait,
            Err(error) => Attempt::Done(Finish::errno(&error)),
        }
    }

    /// Gives an accepted connection its own thread; it inherits the listener's automatic
    /// receive loop, responder and generator.
    pub(super) fn adopt_connection(&mut self, connection: Socket) -> Result<SocketId, String> {
        let child_automation = Automation {
            auto_accept: false,
            auto_receive: self.auto.automation.auto_receive
                || self.auto.automation.responder.is_some(),
            responder: self.auto.automation.responder.clone(),
            flood: self.auto.automation.flood.clone(),
            recv_bufsize: self.auto.automation.recv_bufsize,
        };
        let (open_gate, gate) = crossbeam_channel::bounded(0);
        let child = self
            .shared
            .spawn_worker(
                connection,
                self.family,
                self.sock_type,
                Some(self.id),
                Lifecycle::Connected,
                child_automation,
                Some(gate),
            )
            .map_err(|error| error.to_string())?;
        // Dropped (the child starts) once this accept's result has been reported.
        self.gates.push(open_gate);
        Ok(child)
    }

    pub(super) fn recv_finish(
        &self,
        data: Vec<u8>,
        from: Option<SocketAddress>,
        real_len: Option<usize>,
    ) -> Finish {
        let len = data.len();
        Finish {
            outcome: Outcome::Ok(Value::Bytes(len)),
            bytes_moved: len,
            data: Some(data),
            from,
            truncated_from: real_len.filter(|real| *real > len),
            nothing_bound_at_destination: false,
        }
    }

    pub(super) fn raw_recv(
        &self,
        bufsize: usize,
        flags: libc::c_int,
        want_source: bool,
    ) -> io::Result<(Vec<u8>, usize, Option<SocketAddress>)> {
        let socket = self.socket()?;
        let mut buffer = vec![0u8; bufsize];
        let (reported, from) = if want_source {
            let (count, source) =
                socket.recv_from_with_flags(sys::as_uninit(&mut buffer), flags)?;
            // No address at all (a TCP peer, an unnamed AF_UNIX sender): Python's None.
            let from = (source.len() > 0).then(|| SocketAddress::from_sock_addr(&source));
            (count, from)
        } else {
            (
                socket.recv_with_flags(sys::as_uninit(&mut buffer), flags)?,
                None,
            )
        };
        buffer.truncate(reported.min(bufsize));
        Ok((buffer, reported, from))
    }

    /// recv / recvfrom into `buffer`: the length the kernel reported (a datagram's real
    /// length with MSG_TRUNC) and the source.
    pub(super) fn raw_recv_into(
        &self,
        buffer: &mut [u8],
        flags: libc::c_int,
        want_source: bool,
    ) -> io::Result<(usize, Option<SocketAddress>)> {
        let socket = self.socket()?;
        if want_source {
            let (count, source) = socket.recv_from_with_flags(sys::as_uninit(buffer), flags)?;
            let from = (source.len() > 0).then(|| SocketAddress::from_sock_addr(&source));
            Ok((count, from))
        } else {
            Ok((socket.recv_with_flags(sys::as_uninit(buffer), flags)?, None))
        }
    }

    pub(super) fn try_recv(
        &mut self,
        pending: &mut Pending,
        bufsize: usize,
        flags: RecvFlags,
        want_source: bool,
    ) -> Attempt {
        let mut raw_flags = 0;
        if flags.peek {
            raw_flags |= libc::MSG_PEEK;
        }
        if !self.is_stream() {
            raw_flags |= DATAGRAM_TRUNC_FLAG;
        }
        // MSG_WAITALL waits for bufsize bytes only on the kernel's blocking path: CPython in
        // timeout mode calls recv on a non-blocking descriptor once poll(2) says data is
        // there, and gets what is queued.
        let wait_all = flags.waitall && self.is_stream() && bufsize > 0 && pending.blocking;
        if wait_all && flags.peek {
            // MSG_PEEK|MSG_WAITALL: succeed only once bufsize bytes can be seen at once.
            return match self.raw_recv(bufsize, raw_flags, want_source) {
                Ok((data, _, from)) if data.len() >= bufsize || data.is_empty() => {
                    Attempt::Done(self.recv_finish(data, from, None))
                }
                Ok(_) => {
                    pending.retry_at = Some(Instant::now() + RETRY_PERIOD);
                    Attempt::Wait
                }
                Err(error) if would_block(&error) => Attempt::Wait,
                Err(error) => Attempt::Done(Finish::errno(&error)),
            };
        }
        if wait_all {
            // MSG_WAITALL: collect until bufsize bytes, EOF or an error, as the kernel does.
            loop {
                let wanted = bufsize - pending.collected.len();
                match self.raw_recv(wanted, raw_flags, false) {
                    Ok((data, _, _)) => {
                        let eof = data.is_empty();
                        pending.collected.extend_from_slice(&data);
                        if eof {
                            self.note_eof();
                        }
                        if eof || pending.collected.len() >= bufsize {
                            let data = std::mem::take(&mut pending.collected);
                            return Attempt::Done(self.recv_finish(data, None, None));
                        }
                    }
                    Err(error) if would_block(&error) => return Attempt::Wait,
                    Err(error) => {
                        self.note_error(&error);
                        if pending.collected.is_empty() {
                            return Attempt::Done(Finish::errno(&error));
                        }
                        let data = std::mem::take(&mut pending.collected);
                        return Attempt::Done(self.recv_finish(data, None, None));
                    }
                }
            }
        }
        match self.raw_recv(bufsize, raw_flags, want_source) {
            Ok((data, reported, from)) => {
                if data.is_empty() && self.is_stream() && bufsize > 0 {
                    self.note_eof();
                }
                let real_len = (!self.is_stream()).then_some(reported);
                Attempt::Done(self.recv_finish(data, from, real_len))
            }
            Err(error) if would_block(&error) => Attempt::Wait,
            Err(error) => {
                self.note_error(&error);
                Attempt::Done(Finish::errno(&error))
            }
        }
    }

    pub(super) fn note_eof(&mut self) {
        self.peer_closed = true;
        if matches!(self.state, Lifecycle::Connected | Lifecycle::Connecting) {
            self.state = Lifecycle::PeerClosed;
        }
    }

    pub(super) fn note_error(&mut self, error: &io::Error) {
        let fatal = matches!(
            error.raw_os_error(),
            Some(libc::ECONNRESET | libc::EPIPE | libc::ETIMEDOUT | libc::ECONNABORTED)
        );
        if fatal && self.is_stream() {
            self.state = Lifecycle::Error;
        }
    }

    pub(super) fn try_connect(&mut self, pending: &mut Pending, addr: &AddrArg) -> Attempt {
        if pending.connect_issued {
            return self.check_connect(pending);
        }
        let connected = match self.connect_syscall(addr) {
            Ok(connected) => connected,
            Err(message) => return Attempt::Done(Finish::outcome(Outcome::Invalid(message))),
        };
        match connected {
            Ok(()) => {
                self.state = Lifecycle::Connected;
                let mut finish = Finish::ok(Value::None);
                // A datagram socket's connect only sets where datagrams go: say when nothing
                // is there.
                if let Ok(address) = self.resolve(addr) {
                    finish.nothing_bound_at_destination = self.nothing_bound_at(&address);
                }
                Attempt::Done(finish)
            }
            Err(error) if error.raw_os_error() == Some(libc::EINPROGRESS) => {
                pending.connect_issued = true;
                self.state = Lifecycle::Connecting;
                Attempt::Wait
            }
            // A Unix stream listener with a full backlog: the kernel would wait for room.
            Err(error) if would_block(&error) && self.family == Family::Unix => {
                pending.retry_at = Some(Instant::now() + RETRY_PERIOD);
                Attempt::Wait
            }
            Err(error) => {
                // connect() failing at once leaves the socket as it was (the kernel keeps it
                // unconnected; it can connect again).
                if self.is_stream()
                    && !matches!(error.raw_os_error(), Some(libc::EISCONN | libc::EALREADY))
                {
                    self.state = self.unconnected_state();
                }
                Attempt::Done(Finish::errno(&error))
            }
        }
    }

    pub(super) fn check_connect(&mut self, pending: &mut Pending) -> Attempt {
        if pending.blocking {
            return self.finish_blocking_connect(pending);
        }
        let socket = match self.socket() {
            Ok(socket) => socket,
            Err(error) => return Attempt::Done(Finish::errno(&error)),
        };
        match socket.take_error() {
            Ok(Some(error)) => {
                self.state = Lifecycle::Error;
                Attempt::Done(Finish::errno(&error))
            }
            Err(error) => Attempt::Done(Finish::errno(&error)),
            Ok(None) => {
                if socket.peer_addr().is_ok() {
                    self.state = Lifecycle::Connected;
                    Attempt::Done(Finish::ok(Value::None))
                } else {
                    let _ = pending;
                    Attempt::Wait
                }
            }
        }
    }

    /// connect(2) to `addr`; an address that cannot be resolved is the call's result (Err,
    /// with why).
    pub(super) fn connect_syscall(&self, addr: &AddrArg) -> Result<io::Result<()>, String> {
        let address = self.resolve(addr)?;
        Ok(self.socket().and_then(|socket| socket.connect(&address)))
    }

    /// A blocking connect ends inside connect() itself: calling it again once poll(2) wakes
    /// makes the kernel take the same state transition as its blocking path (connected: a
    /// later connect is EISCONN; refused: the error, and the socket can connect again).
    /// CPython's timeout mode reads SO_ERROR instead, and so does the workbench there.
    pub(super) fn finish_blocking_connect(&mut self, pending: &mut Pending) -> Attempt {
        let Call::Connect(addr) = &pending.call else {
            return Attempt::Wait;
        };
        let connected = match self.connect_syscall(addr) {
            Ok(connected) => connected,
            Err(message) => return Attempt::Done(Finish::outcome(Outcome::Invalid(message))),
        };
        match connected {
            Ok(()) => {
                self.state = Lifecycle::Connected;
                Attempt::Done(Finish::ok(Value::None))
            }
            Err(error)
                if matches!(
                    error.raw_os_error(),
                    Some(libc::EALREADY | libc::EINPROGRESS)
                ) =>
            {
                Attempt::Wait
            }
            Err(error) => {
                self.state = self.unconnected_state();
                Attempt::Done(Finish::errno(&error))
            }
        }
    }

    /// The state of a stream socket that is not connected (again): bound if it has a port.
    pub(super) fn unconnected_state(&self) -> Lifecycle {
        let bound = self
            .socket
            .as_ref()
            .and_then(|socket| socket.local_addr().ok())
            .is_some_and(|address| match address.as_socket() {
                Some(inet) => inet.port() != 0,
                None => address.as_pathname().is_some(),
            });
        if bound {
            Lifecycle::Bound
        } else {
            Lifecycle::Created
        }
    }

    pub(super) fn try_send(
        &mut self,
        pending: &mut Pending,
        data: &[u8],
        send_all: bool,
    ) -> Attempt {
        // Blocking stream send behaves as the kernel's: it returns once everything is queued.
        // In timeout and non-blocking mode one send() may take only part (Python's behaviour).
        let loop_until_done = send_all || (self.mode == Mode::Blocking && self.is_stream());
        loop {
            let remaining = &data[pending.progress..];
            let result = self
                .socket()
                .and_then(|socket| socket.send_with_flags(remaining, SEND_FLAGS));
            match result {
                Ok(sent) => {
                    pending.progress += sent;
                    let done = pending.progress >= data.len() || !loop_until_done;
                    if done {
                        let value = if send_all {
                            Value::None
                        } else {
                            Value::Int(pending.progress as i64)
                        };
                        return Attempt::Done(Finish::ok(value).moved(pending.progress));
                    }
                }
                Err(error) if would_block(&error) => return Attempt::Wait,
                Err(error) => {
                    self.note_error(&error);
                    if pending.progress > 0 && !send_all {
                        // The kernel reports the part that was sent; the error comes next time.
                        return Attempt::Done(
                            Finish::ok(Value::Int(pending.progress as i64)).moved(pending.progress),
                        );
                    }
                    return Attempt::Done(Finish::errno(&error).moved(pending.progress));
                }
            }
        }
    }

    /// A UDP socket sends to a loopback address where no socket on this machine (in this
    /// thread's network) is bound: the datagram is dropped without an error.
    pub(super) fn nothing_bound_at(&self, address: &SockAddr) -> bool {
        if self.sock_type != SockType::Datagram {
            return false;
        }
        let Some(destination) = address.as_socket() else {
            return false;
        };
        let loopback = match destination.ip() {
            std::net::IpAddr::V4(ip) => ip.is_loopback(),
            std::net::IpAddr::V6(ip) => {
                ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
            }
        };
        loopback && super::super::proc_net::udp_bound_at(destination) == Some(false)
    }

    pub(super) fn try_send_to(&mut self, data: &[u8], addr: &AddrArg) -> Attempt {
        let address = match self.resolve(addr) {
            Ok(address) => address,
            Err(message) => return Attempt::Done(Finish::outcome(Outcome::Invalid(message))),
        };
        match self
            .socket()
            .and_then(|socket| socket.send_to_with_flags(data, &address, SEND_FLAGS))
        {
            Ok(sent) => {
                if self.state == Lifecycle::Created {
                    // sendto on an unbound socket binds it to an ephemeral port.
                    self.state = Lifecycle::Bound;
                }
                let mut finish = Finish::ok(Value::Int(sent as i64)).moved(sent);
                finish.nothing_bound_at_destination = self.nothing_bound_at(&address);
                Attempt::Done(finish)
            }
            Err(error) if would_block(&error) => Attempt::Wait,
            Err(error) => Attempt::Done(Finish::errno(&error)),
        }
    }
}
