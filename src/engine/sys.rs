//! The few raw system calls socket2 does not wrap: poll(2), the queue ioctls, TCP_INFO, the
//! eventfd that wakes a socket thread, and the memory calls that keep idle threads small
//! (madvise on a stack's unused pages, malloc_trim).
//! The only `unsafe` in the crate lives here; each block is a plain libc call on a valid fd
//! with correctly sized buffers.
#![allow(unsafe_code)]

use std::io;
use std::mem::MaybeUninit;
use std::os::fd::RawFd;

pub(crate) use libc::pollfd as PollFd;

/// poll(2) over `fds`; `timeout_ms` < 0 waits forever. EINTR counts as "nothing ready".
pub(crate) fn poll(fds: &mut [PollFd], timeout_ms: i32) -> io::Result<usize> {
    // SAFETY: `fds` is a valid, exclusively borrowed slice of pollfd of the given length.
    let ready = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout_ms) };
    if ready < 0 {
        let error = io::Error::last_os_error();
        if error.kind() == io::ErrorKind::Interrupted {
            return Ok(0);
        }
        return Err(error);
    }
    Ok(ready as usize)
}

/// A wake-up a socket thread waits on in poll(2) beside its socket: one descriptor (an
/// eventfd; elsewhere a socket pair, two), signalled by whoever sends the thread a command.
pub(crate) struct Wake {
    #[cfg(target_os = "linux")]
    fd: std::os::fd::OwnedFd,
    #[cfg(not(target_os = "linux"))]
    pair: (
        std::os::unix::net::UnixDatagram,
        std::os::unix::net::UnixDatagram,
    ),
}

impl Wake {
    #[cfg(target_os = "linux")]
    pub(crate) fn new() -> io::Result<Wake> {
        use std::os::fd::FromRawFd;
        // SAFETY: eventfd takes no pointers; a non-negative result is a new descriptor we own.
        let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` was just returned by eventfd and is owned by nothing else.
        Ok(Wake {
            fd: unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) },
        })
    }

    #[cfg(not(target_os = "linux"))]
    pub(crate) fn new() -> io::Result<Wake> {
        let pair = std::os::unix::net::UnixDatagram::pair()?;
        pair.0.set_nonblocking(true)?;
        pair.1.set_nonblocking(true)?;
        Ok(Wake { pair })
    }

    /// The descriptor to poll for POLLIN.
    pub(crate) fn raw_fd(&self) -> RawFd {
        use std::os::fd::AsRawFd;
        #[cfg(target_os = "linux")]
        return self.fd.as_raw_fd();
        #[cfg(not(target_os = "linux"))]
        return self.pair.1.as_raw_fd();
    }

    /// Wakes the waiting thread. A wake-up already pending absorbs this one: nothing is lost.
    pub(crate) fn signal(&self) {
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            let one: u64 = 1;
            // SAFETY: writes the 8 bytes of `one` to an eventfd we own.
            let _ = unsafe {
                libc::write(
                    self.fd.as_raw_fd(),
                    (&one as *const u64).cast(),
                    std::mem::size_of::<u64>(),
                )
            };
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = self.pair.0.send(&[1]);
        }
    }

    /// Takes every pending wake-up, so the next poll waits again.
    pub(crate) fn clear(&self) {
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            let mut count: u64 = 0;
            // SAFETY: reads at most 8 bytes into `count` from an eventfd we own (non-blocking).
            let _ = unsafe {
                libc::read(
                    self.fd.as_raw_fd(),
                    (&mut count as *mut u64).cast(),
                    std::mem::size_of::<u64>(),
                )
            };
        }
        #[cfg(not(target_os = "linux"))]
        {
            let mut sink = [0u8; 64];
            while self.pair.1.recv(&mut sink).is_ok() {}
        }
    }
}

/// Gives the memory the allocator holds free back to the system (glibc keeps what threads
/// freed in its arenas; after thousands of connections have come and gone that is hundreds of
/// megabytes). Elsewhere nothing is needed or done.
pub fn give_back_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointers and may be called from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Keeps allocations of 128 KiB and more out of the shared heap (each gets its own mapping,
/// returned whole when freed). glibc raises that threshold by itself after such a block is
/// freed, and the session's large tables and buffers, resized while thousands of
/// connections come and go, then leave holes in the heap that pin its pages: after 9,000
/// clients had left, about 4 MB more stayed held. Once per process; elsewhere nothing.
pub fn keep_large_allocations_apart() {
    static DONE: std::sync::Once = std::sync::Once::new();
    DONE.call_once(|| {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: mallopt takes no pointers; it sets one of the allocator's parameters.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        }
    });
}

/// Bytes the program has allocated and not yet freed (glibc's count; what the allocator holds
/// beyond it is its slack). None where the allocator does not say.
pub fn heap_in_use_bytes() -> Option<usize> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallinfo2 takes no pointers; it only reads the allocator's counters.
        let info = unsafe { libc::mallinfo2() };
        Some(info.uordblks + info.hblkhd)
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        None
    }
}

/// The calling thread's stack, so that a socket thread going idle can give back the pages a
/// deeper moment touched: thousands of idle connection threads would otherwise each keep
/// the deepest their stack ever went (glibc does the same for a thread that ends).
pub(crate) struct ThreadStack {
    /// The lowest address of the usable stack.
    low: usize,
    page: usize,
}

impl ThreadStack {
    /// The current thread's stack (None where it cannot be found out).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    pub(crate) fn current() -> Option<ThreadStack> {
        // SAFETY: pthread_getattr_np fills `attr` for the calling thread, which is destroyed
        // after the stack's place is read from it; sysconf takes no pointers.
        unsafe {
            let mut attr: libc::pthread_attr_t = std::mem::zeroed();
            if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
                return None;
            }
            let mut low: *mut libc::c_void = std::ptr::null_mut();
            let mut size: libc::size_t = 0;
            let found = libc::pthread_attr_getstack(&attr, &mut low, &mut size);
            libc::pthread_attr_destroy(&mut attr);
            let page = usize::try_from(libc::sysconf(libc::_SC_PAGESIZE)).ok()?;
            (found == 0 && !low.is_null() && page > 0).then_some(ThreadStack {
                low: low as usize,
                page,
            })
        }
    }

    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    pub(crate) fn current() -> Option<ThreadStack> {
        None
    }

    /// Gives the pages below the caller's frame back to the system; the next deep call
    /// touches them afresh (zeroed). Everything from a margin below this frame up is kept:
    /// this function's own frame and the return address of the madvise call sit below the
    /// marker, and must not be in a page taken away under them. Call it from the thread the
    /// stack is of.
    pub(crate) fn release_unused(&self) {
        const MARGIN_BYTES: usize = 1024;
        let marker = 0u8;
        let here = std::hint::black_box(&marker) as *const u8 as usize;
        let end = here.saturating_sub(MARGIN_BYTES) & !(self.page - 1);
        if end <= self.low {
            return;
        }
        #[cfg(target_os = "linux")]
        // SAFETY: [low, end) lies in this thread's own stack more than MARGIN_BYTES below this
        // frame (the stack grows down; this frame and the call below it take far less), so
        // nothing in it is in use; MADV_DONTNEED on private anonymous memory only makes it
        // read as zero later.
        unsafe {
            libc::madvise(
                self.low as *mut libc::c_void,
                end - self.low,
                libc::MADV_DONTNEED,
            );
        }
    }
}

/// A byte buffer seen as the uninitialised buffer socket2's recv functions take.
pub(crate) fn as_uninit(buf: &mut [u8]) -> &mut [MaybeUninit<u8>] {
    // SAFETY: u8 and MaybeUninit<u8> have the same layout; an initialised buffer is a valid
    // uninitialised one, and recv only writes bytes into it.
    unsafe { &mut *(buf as *mut [u8] as *mut [MaybeUninit<u8>]) }
}

/// Bytes waiting in the receive queue (SIOCINQ, the same request as FIONREAD).
pub(crate) fn receive_queue_bytes(fd: RawFd) -> io::Result<u32> {
    let mut value: libc::c_int = 0;
    // SAFETY: FIONREAD writes one c_int into `value`.
    let result = unsafe { libc::ioctl(fd, libc::FIONREAD as _, &mut value) };
    if result < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(value.max(0) as u32)
}

/// Bytes in the send queue not yet acknowledged by the peer (SIOCOUTQ, same as TIOCOUTQ).
#[cfg(target_os = "linux")]
pub(crate) fn send_queue_bytes(fd: RawFd) -> io::Result<u32> {
    let mut value: libc::c_int = 0;
    // SAFETY: TIOCOUTQ on a socket (SIOCOUTQ) writes one c_int into `value`.
    let result = unsafe { libc::ioctl(fd, libc::TIOCOUTQ as _, &mut value) };
    if result < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(value.max(0) as u32)
}

/// TCP: bytes in the send queue not yet sent at all (SIOCOUTQNSD): the part of
/// [`send_queue_bytes`] still waiting for the peer's window or for congestion control.
#[cfg(target_os = "linux")]
pub(crate) fn unsent_bytes(fd: RawFd) -> io::Result<u32> {
    const SIOCOUTQNSD: libc::c_ulong = 0x894B;
    let mut value: libc::c_int = 0;
    // SAFETY: SIOCOUTQNSD on a TCP socket writes one c_int into `value`.
    let result = unsafe { libc::ioctl(fd, SIOCOUTQNSD as _, &mut value) };
    if result < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(value.max(0) as u32)
}

/// What SO_MEMINFO tells about a socket's receive side.
#[cfg(target_os = "linux")]
pub(crate) struct MemInfo {
    /// Receive buffer in use, counting the kernel's bookkeeping for every packet (what
    /// SO_RCVBUF limits, and what `ss` shows as a UDP socket's Recv-Q).
    pub rmem_alloc: u32,
    /// Packets dropped for this socket, mostly because its receive buffer was full.
    pub drops: u32,
}

#[cfg(target_os = "linux")]
pub(crate) fn meminfo(fd: RawFd) -> io::Result<MemInfo> {
    const SK_MEMINFO_VARS: usize = 9;
    const SK_MEMINFO_RMEM_ALLOC: usize = 0;
    const SK_MEMINFO_DROPS: usize = 8;
    let mut info = [0u32; SK_MEMINFO_VARS];
    let mut len = std::mem::size_of_val(&info) as libc::socklen_t;
    // SAFETY: SO_MEMINFO writes at most `len` bytes (nine u32) into `info` and sets `len`.
    let result = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_MEMINFO,
            info.as_mut_ptr().cast(),
            &mut len,
        )
    };
    if result < 0 {
        return Err(io::Error::last_os_error());
    }
    if (len as usize) < SK_MEMINFO_VARS * std::mem::size_of::<u32>() {
        return Err(io::Error::other("SO_MEMINFO returned too little"));
    }
    Ok(MemInfo {
        rmem_alloc: info[SK_MEMINFO_RMEM_ALLOC],
        drops: info[SK_MEMINFO_DROPS],
    })
}

/// The fields of Linux's `struct tcp_info` the workbench shows.
#[cfg(target_os = "linux")]
pub(crate) struct TcpInfo {
    pub state: u8,
    pub rtt_us: u32,
    /// For a listener: connections waiting in the accept queue.
    pub unacked: u32,
    /// For a listener: the backlog the kernel applied.
    pub sacked: u32,
}

#[cfg(target_os = "linux")]
pub(crate) fn tcp_info(fd: RawFd) -> io::Result<TcpInfo> {
    let mut info = MaybeUninit::<libc::tcp_info>::zeroed();
    let mut len = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
    // SAFETY: the kernel writes at most `len` bytes of tcp_info into `info`, which is zeroed
    // first so a shorter answer from an older kernel leaves the rest at 0.
    let result = unsafe {
        libc::getsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            info.as_mut_ptr().cast(),
            &mut len,
        )
    };
    if result < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: zero-initialised and partly written by the kernel: every bit pattern of this
    // plain integer struct is valid.
    let info = unsafe { info.assume_init() };
    Ok(TcpInfo {
        state: info.tcpi_state,
        rtt_us: info.tcpi_rtt,
        unacked: info.tcpi_unacked,
        sacked: info.tcpi_sacked,
    })
}

/// A packet socket (AF_PACKET, SOCK_RAW, every protocol) bound to the loopback interface: it
/// receives a copy of every frame on `lo`. Needs CAP_NET_RAW (EPERM without it), except in a
/// [`PrivateNetwork`], whose `lo` it is then bound to.
#[cfg(target_os = "linux")]
pub(crate) fn open_loopback_capture(
    private: Option<&PrivateNetwork>,
) -> io::Result<(std::os::fd::OwnedFd, i32)> {
    use std::os::fd::{AsRawFd, FromRawFd};
    let protocol = (libc::ETH_P_ALL as u16).to_be();
    let (owned, ifindex) = match private {
        // A new namespace's first interface, lo, is number 1.
        Some(network) => (
            network.socket(libc::AF_PACKET, libc::SOCK_RAW, libc::c_int::from(protocol))?,
            1,
        ),
        None => {
            // SAFETY: a plain socket(2) call; the result is checked before it is used.
            let fd = unsafe {
                libc::socket(
                    libc::AF_PACKET,
                    libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                    libc::c_int::from(protocol),
                )
            };
            if fd < 0 {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: the name is a valid NUL-terminated string.
            let ifindex = unsafe { libc::if_nametoindex(c"lo".as_ptr()) };
            // SAFETY: `fd` was just returned by socket(2) and is owned by nobody else.
            let owned = unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) };
            if ifindex == 0 {
                return Err(io::Error::other(
                    "this system has no loopback interface named lo",
                ));
            }
            (owned, ifindex)
        }
    };
    let fd = owned.as_raw_fd();
    // SAFETY: fcntl on an fd we own.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    // Options before bind, so no frame is queued without them.
    // Timestamps (nanoseconds, sent with each frame): the kernel then stamps every frame as
    // it arrives. The switch takes effect a moment later, on a kernel worker.
    set_int_option(fd, libc::SOL_SOCKET, libc::SO_TIMESTAMPNS, 1)?;
    // Loopback hands every frame to packet sockets twice, leaving and arriving: the copy
    // leaving is left in the kernel (Linux 4.20+; older kernels send it and it is skipped).
    let _ = set_int_option(fd, libc::SOL_PACKET, libc::PACKET_IGNORE_OUTGOING, 1);
    // A deep queue, so a burst is read late rather than lost (FORCE passes the system's cap
    // with CAP_NET_ADMIN; without it the capped size is taken).
    if set_int_option(
        fd,
        libc::SOL_SOCKET,
        libc::SO_RCVBUFFORCE,
        CAPTURE_QUEUE_BYTES,
    )
    .is_err()
    {
        let _ = set_int_option(fd, libc::SOL_SOCKET, libc::SO_RCVBUF, CAPTURE_QUEUE_BYTES);
    }
    // SAFETY: sockaddr_ll is plain data; all-zero is a valid value before the fields are set.
    let mut address: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
    address.sll_family = libc::AF_PACKET as u16;
    address.sll_protocol = protocol;
    address.sll_ifindex = ifindex as i32;
    // SAFETY: `address` is a valid sockaddr_ll and the length passed is its size.
    let bound = unsafe {
        libc::bind(
            fd,
            (&address as *const libc::sockaddr_ll).cast(),
            std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t,
        )
    };
    if bound < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((owned, ifindex as i32))
}

/// The capture socket's receive queue (the kernel doubles it for its bookkeeping): tens of
/// thousands of small frames, a few hundred of loopback's 64 KiB ones.
#[cfg(target_os = "linux")]
const CAPTURE_QUEUE_BYTES: libc::c_int = 32 << 20;

#[cfg(target_os = "linux")]
fn set_int_option(
    fd: RawFd,
    level: libc::c_int,
    name: libc::c_int,
    value: libc::c_int,
) -> io::Result<()> {
    // SAFETY: the option reads one c_int from `value`.
    let set = unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            (&value as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if set < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Frames the kernel dropped for a packet socket since the last call (PACKET_STATISTICS,
/// which resets its counts when read): its queue was full.
#[cfg(target_os = "linux")]
pub(crate) fn capture_drops(fd: RawFd) -> io::Result<u32> {
    let mut stats = libc::tpacket_stats {
        tp_packets: 0,
        tp_drops: 0,
    };
    let mut len = std::mem::size_of::<libc::tpacket_stats>() as libc::socklen_t;
    // SAFETY: PACKET_STATISTICS writes at most `len` bytes, a tpacket_stats, into `stats`.
    let result = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_PACKET,
            libc::PACKET_STATISTICS,
            (&mut stats as *mut libc::tpacket_stats).cast(),
            &mut len,
        )
    };
    if result < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(stats.tp_drops)
}

/// One frame read from a packet socket.
#[cfg(target_os = "linux")]
pub(crate) struct CapturedFrame {
    /// The frame's real length (it may be longer than what fitted in the buffer).
    pub len: usize,
    /// PACKET_HOST, PACKET_OUTGOING, ...: on loopback every frame is seen twice, once going out
    /// and once coming in.
    pub packet_type: u8,
    pub ifindex: i32,
    /// When the kernel took the frame in (SO_TIMESTAMPNS), in µs since the Unix epoch; None if
    /// the kernel sent no timestamp with it.
    pub arrived_unix_us: Option<u64>,
}

/// Reads one waiting frame (None when none is waiting), with its kernel receive timestamp.
#[cfg(target_os = "linux")]
pub(crate) fn recv_frame(fd: RawFd, buf: &mut [u8]) -> io::Result<Option<CapturedFrame>> {
    // SAFETY: sockaddr_ll is plain data; all-zero is valid.
    let mut from: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
    // Room for one SCM_TIMESTAMPNS control message (a timespec), 8-byte aligned.
    let mut control = [0u64; 8];
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // SAFETY: msghdr is plain data; all-zero is valid.
    let mut message: libc::msghdr = unsafe { std::mem::zeroed() };
    message.msg_name = (&mut from as *mut libc::sockaddr_ll).cast();
    message.msg_namelen = std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
    message.msg_iov = &mut iov;
    message.msg_iovlen = 1;
    message.msg_control = control.as_mut_ptr().cast();
    message.msg_controllen = std::mem::size_of_val(&control) as _;
    // SAFETY: every pointer in `message` is valid for the length given beside it.
    let len = unsafe { libc::recvmsg(fd, &mut message, libc::MSG_DONTWAIT | libc::MSG_TRUNC) };
    if len < 0 {
        let error = io::Error::last_os_error();
        if matches!(
            error.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
        ) {
            return Ok(None);
        }
        return Err(error);
    }
    let mut arrived_unix_us = None;
    // SAFETY: the CMSG_* walk stays inside `control`, as the kernel filled it in `message`.
    unsafe {
        let mut header = libc::CMSG_FIRSTHDR(&message);
        while !header.is_null() {
            if (*header).cmsg_level == libc::SOL_SOCKET
                && (*header).cmsg_type == libc::SCM_TIMESTAMPNS
            {
                let stamp: libc::timespec =
                    std::ptr::read_unaligned(libc::CMSG_DATA(header).cast());
                arrived_unix_us = Some(
                    (stamp.tv_sec.max(0) as u64) * 1_000_000
                        + (stamp.tv_nsec.max(0) as u64) / 1_000,
                );
            }
            header = libc::CMSG_NXTHDR(&message, header);
        }
    }
    Ok(Some(CapturedFrame {
        len: len as usize,
        packet_type: from.sll_pkttype,
        ifindex: from.sll_ifindex,
        arrived_unix_us,
    }))
}

// ----- a private network namespace -----------------------------------------------------------

/// A private network namespace (with its own loopback) made without privilege: a forked child
/// enters a new user namespace, in which it is root, and a new network namespace, brings `lo`
/// up there, and then creates sockets on request and hands them over (SCM_RIGHTS). A socket
/// keeps the namespace it was made in, so the engine uses them as any other; a packet socket
/// on that `lo` needs no CAP_NET_RAW in the machine's namespace. Where unprivileged user
/// namespaces are not allowed, [`PrivateNetwork::start`] fails with EPERM (or EACCES/ENOSPC).
#[cfg(target_os = "linux")]
pub(crate) struct PrivateNetwork {
    /// Requests go here one at a time (SOCK_SEQPACKET keeps each message whole). None once
    /// the helper is gone or out of step: no later request could be trusted.
    control: std::sync::Mutex<Option<std::os::fd::OwnedFd>>,
    pid: libc::pid_t,
}

/// Retries a system call interrupted by a signal.
#[cfg(target_os = "linux")]
fn retry_interrupted(mut call: impl FnMut() -> isize) -> isize {
    loop {
        let result = call();
        if result >= 0 || io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return result;
        }
    }
}

#[cfg(target_os = "linux")]
impl PrivateNetwork {
    pub(crate) fn start() -> io::Result<PrivateNetwork> {
        use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
        let mut pair = [0 as libc::c_int; 2];
        // SAFETY: socketpair writes two fds into `pair`.
        if unsafe {
            libc::socketpair(
                libc::AF_UNIX,
                libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
                0,
                pair.as_mut_ptr(),
            )
        } < 0
        {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: both fds were just made and are owned by nobody else.
        let (ours, theirs) =
            unsafe { (OwnedFd::from_raw_fd(pair[0]), OwnedFd::from_raw_fd(pair[1])) };
        // Everything the child writes is made before fork: after it, in a copy of a process
        // with many threads, only plain system calls are safe (no allocation, no locks).
        // The maps name the effective ids, as an unprivileged map must.
        // SAFETY: geteuid/getegid cannot fail.
        let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
        let uid_map = format!("0 {uid} 1");
        let gid_map = format!("0 {gid} 1");
        // SAFETY: fork(2); the child runs only `private_network_child`, which makes plain
        // system calls and ends in _exit.
        let pid = unsafe { libc::fork() };
        if pid < 0 {
            return Err(io::Error::last_os_error());
        }
        if pid == 0 {
            private_network_child(theirs.as_raw_fd(), uid_map.as_bytes(), gid_map.as_bytes());
        }
        drop(theirs);
        // The child's first word: 0 once the namespace is ready, else the errno that stopped it.
        // Its answers take microseconds; a bound on the wait means the caller (the window's
        // thread, for the Wire view's button) can never hang on it.
        let mut word = [0u8; 4];
        let raw = ours.as_raw_fd();
        let timeout = libc::timeval {
            tv_sec: 2,
            tv_usec: 0,
        };
        // SAFETY: SO_RCVTIMEO reads one timeval from `timeout`.
        unsafe {
            libc::setsockopt(
                raw,
                libc::SOL_SOCKET,
                libc::SO_RCVTIMEO,
                (&timeout as *const libc::timeval).cast(),
                std::mem::size_of::<libc::timeval>() as libc::socklen_t,
            )
        };
        // SAFETY: reads at most 4 bytes into `word`.
        let got = retry_interrupted(|| unsafe { libc::recv(raw, word.as_mut_ptr().cast(), 4, 0) });
        // From here the child is reaped when `network` is dropped, whatever happens next.
        let network = PrivateNetwork {
            control: std::sync::Mutex::new(Some(ours)),
            pid,
        };
        if got != 4 {
            return Err(io::Error::other(
                "the private network's helper ended at once",
            ));
        }
        match i32::from_ne_bytes(word) {
            0 => Ok(network),
            errno => Err(io::Error::from_raw_os_error(errno)),
        }
    }

    /// socket(2) inside the namespace.
    pub(crate) fn socket(
        &self,
        domain: libc::c_int,
        kind: libc::c_int,
        protocol: libc::c_int,
    ) -> io::Result<std::os::fd::OwnedFd> {
        let mut control = self
            .control
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let result = Self::ask(&mut control, domain, kind, protocol);
        if let Err(Broken(why)) = &result {
            // Gone, or a reply may still be on its way: nothing more can be asked.
            *control = None;
            return Err(io::Error::other(format!(
                "the private network's helper: {why}"
            )));
        }
        result.unwrap_or_else(|Broken(why)| Err(io::Error::other(why)))
    }

    /// One request and its answer; `Broken` when the conversation cannot go on.
    fn ask(
        control: &mut Option<std::os::fd::OwnedFd>,
        domain: libc::c_int,
        kind: libc::c_int,
        protocol: libc::c_int,
    ) -> Result<io::Result<std::os::fd::OwnedFd>, Broken> {
        use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
        let fd = control
            .as_ref()
            .ok_or_else(|| Broken("it has ended".into()))?
            .as_raw_fd();
        let mut request = [0u8; 12];
        request[..4].copy_from_slice(&domain.to_ne_bytes());
        request[4..8].copy_from_slice(&kind.to_ne_bytes());
        request[8..].copy_from_slice(&protocol.to_ne_bytes());
        // SAFETY: sends the 12 bytes of `request`.
        let sent = retry_interrupted(|| unsafe {
            libc::send(fd, request.as_ptr().cast(), 12, libc::MSG_NOSIGNAL)
        });
        if sent != 12 {
            return Err(Broken(format!(
                "it is gone ({})",
                io::Error::last_os_error()
            )));
        }
        let mut word = [0u8; 4];
        let mut control_buffer = [0u64; 4];
        let mut iov = libc::iovec {
            iov_base: word.as_mut_ptr().cast(),
            iov_len: 4,
        };
        // SAFETY: msghdr is plain data; all-zero is valid.
        let mut message: libc::msghdr = unsafe { std::mem::zeroed() };
        message.msg_iov = &mut iov;
        message.msg_iovlen = 1;
        message.msg_control = control_buffer.as_mut_ptr().cast();
        message.msg_controllen = std::mem::size_of_val(&control_buffer) as _;
        // SAFETY: every pointer in `message` is valid for the length given beside it.
        let got = retry_interrupted(|| unsafe {
            libc::recvmsg(fd, &mut message, libc::MSG_CMSG_CLOEXEC)
        });
        if got != 4 {
            return Err(Broken(format!(
                "it did not answer ({})",
                io::Error::last_os_error()
            )));
        }
        let errno = i32::from_ne_bytes(word);
        if errno != 0 {
            return Ok(Err(io::Error::from_raw_os_error(errno)));
        }
        // The kernel drops a passed fd this process has no room for (EMFILE).
        if message.msg_flags & libc::MSG_CTRUNC != 0 {
            return Ok(Err(io::Error::from_raw_os_error(libc::EMFILE)));
        }
        // SAFETY: the walk stays inside `control_buffer`, as the kernel filled it.
        unsafe {
            let header = libc::CMSG_FIRSTHDR(&message);
            if !header.is_null()
                && (*header).cmsg_level == libc::SOL_SOCKET
                && (*header).cmsg_type == libc::SCM_RIGHTS
            {
                let passed: libc::c_int = std::ptr::read_unaligned(libc::CMSG_DATA(header).cast());
                return Ok(Ok(OwnedFd::from_raw_fd(passed)));
            }
        }
        Err(Broken("it sent no socket".into()))
    }

    /// The helper's process id: /proc/<pid>/net shows the namespace's sockets.
    pub(crate) fn pid(&self) -> u32 {
        self.pid as u32
    }
}

/// Why the conversation with the helper cannot go on.
#[cfg(target_os = "linux")]
struct Broken(String);

#[cfg(target_os = "linux")]
impl Drop for PrivateNetwork {
    fn drop(&mut self) {
        // Closing the control socket ends the helper (its recv returns 0); it is killed as
        // well, in case it never got that far, and then reaped. The sockets it made are ours.
        drop(
            self.control
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take(),
        );
        let mut status = 0;
        // SAFETY: signals and waits for our own child (which no one else waits for).
        unsafe { libc::kill(self.pid, libc::SIGKILL) };
        retry_interrupted(|| unsafe { libc::waitpid(self.pid, &mut status, 0) } as isize);
    }
}

/// The forked child: into a new user and network namespace, `lo` up, then a socket for each
/// request until the control socket closes. Only plain system calls; never returns.
#[cfg(target_os = "linux")]
fn private_network_child(control: RawFd, uid_map: &[u8], gid_map: &[u8]) -> ! {
    // SAFETY (whole function): plain system calls on fds and buffers that are valid here.
    unsafe {
        let errno = || *libc::__errno_location();
        // Keep nothing of the parent's but the control socket, as fd 3, and no stdio either:
        // a copy of one of the workbench's sockets (or of the other end of the control
        // socket) held here would keep it open after the workbench closed it.
        if control != 3 && libc::dup2(control, 3) < 0 {
            libc::_exit(1);
        }
        let control: RawFd = 3;
        for fd in 0..3 {
            libc::close(fd);
        }
        if libc::syscall(libc::SYS_close_range, 4u32, u32::MAX, 0u32) < 0 {
            let mut limit: libc::rlimit = std::mem::zeroed();
            let highest = if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
                limit.rlim_cur.min(1 << 20) as RawFd
            } else {
                65_536
            };
            for fd in 4..highest {
                libc::close(fd);
            }
        }
        // Its own process group, and default signal handling: a Ctrl-C meant for the
        // workbench's terminal is not for it, and the workbench's handlers are not its own.
        // It ends when the control socket closes, however the workbench ends.
        libc::setpgid(0, 0);
        for signal in 1..32 {
            if signal != libc::SIGKILL && signal != libc::SIGSTOP {
                libc::signal(signal, libc::SIG_DFL);
            }
        }
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        let fail = |errno: i32| -> ! {
            let word = if errno == 0 { libc::EIO } else { errno }.to_ne_bytes();
            libc::send(control, word.as_ptr().cast(), 4, libc::MSG_NOSIGNAL);
            libc::_exit(1)
        };
        if libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNET) < 0 {
            fail(errno());
        }
        let write_file = |path: &std::ffi::CStr, text: &[u8]| -> bool {
            let fd = libc::open(path.as_ptr(), libc::O_WRONLY);
            if fd < 0 {
                return false;
            }
            let written = libc::write(fd, text.as_ptr().cast(), text.len());
            libc::close(fd);
            written == text.len() as isize
        };
        // setgroups must be denied before an unprivileged gid_map (Linux 3.19+; older kernels
        // have no such file and need nothing).
        if !write_file(c"/proc/self/setgroups", b"deny") && errno() != libc::ENOENT {
            fail(errno());
        }
        if !write_file(c"/proc/self/uid_map", uid_map)
            || !write_file(c"/proc/self/gid_map", gid_map)
        {
            fail(errno());
        }
        // lo up (SIOCSIFFLAGS): a new namespace's loopback starts down.
        let probe = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if probe < 0 {
            fail(errno());
        }
        let mut request: libc::ifreq = std::mem::zeroed();
        for (slot, byte) in request.ifr_name.iter_mut().zip(b"lo\0") {
            *slot = *byte as libc::c_char;
        }
        if libc::ioctl(probe, libc::SIOCGIFFLAGS as _, &mut request) < 0 {
            fail(errno());
        }
        request.ifr_ifru.ifru_flags |= (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
        if libc::ioctl(probe, libc::SIOCSIFFLAGS as _, &request) < 0 {
            fail(errno());
        }
        libc::close(probe);
        let ready = 0i32.to_ne_bytes();
        libc::send(control, ready.as_ptr().cast(), 4, libc::MSG_NOSIGNAL);
        loop {
            let mut request = [0u8; 12];
            let got = libc::recv(control, request.as_mut_ptr().cast(), 12, 0);
            if got < 0 && errno() == libc::EINTR {
                continue;
            }
            if got != 12 {
                libc::_exit(0);
            }
            let word = |at: usize| {
                libc::c_int::from_ne_bytes([
                    request[at],
                    request[at + 1],
                    request[at + 2],
                    request[at + 3],
                ])
            };
            let made = libc::socket(word(0), word(4) | libc::SOCK_CLOEXEC, word(8));
            let mut answer = if made < 0 { errno().max(1) } else { 0 }.to_ne_bytes();
            let mut iov = libc::iovec {
                iov_base: answer.as_mut_ptr().cast(),
                iov_len: 4,
            };
            let mut space = [0u64; 4];
            let mut message: libc::msghdr = std::mem::zeroed();
            message.msg_iov = &mut iov;
            message.msg_iovlen = 1;
            if made >= 0 {
                message.msg_control = space.as_mut_ptr().cast();
                message.msg_controllen = libc::CMSG_SPACE(4) as _;
                let header = libc::CMSG_FIRSTHDR(&message);
                (*header).cmsg_level = libc::SOL_SOCKET;
                (*header).cmsg_type = libc::SCM_RIGHTS;
                (*header).cmsg_len = libc::CMSG_LEN(4) as _;
                std::ptr::write_unaligned(libc::CMSG_DATA(header).cast::<libc::c_int>(), made);
            }
            while libc::sendmsg(control, &message, libc::MSG_NOSIGNAL) < 0 && errno() == libc::EINTR
            {
            }
            if made >= 0 {
                libc::close(made);
            }
        }
    }
}
