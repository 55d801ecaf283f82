# Socket Workbench's words in English (the fallback language: every message is here).
# Socket API names, errno names and Python literals stay as written in every language.

## How a call ended (i18n::outcome_words): the same words in every view.
outcome-pending = pending
outcome-timed-out = timed out
outcome-timed-out-after = after { $seconds } s
outcome-cancelled = cancelled by the workbench
outcome-ended-by-close-all = ended by the workbench (close all)
outcome-invalid = invalid: { $reason }
outcome-errno-number = errno { $code }
outcome-would-still-wait = in a Python program this { $call }() would still be waiting
outcome-thread-ended = no result (socket thread ended)

## Scripts and lessons in the window (ui/presenting.rs)
stage-blanked = blanked: press B to show the window again
script-open-in-browser = Open in browser
script-open-in-browser-tip = the page is served by the workbench socket
script-url-or-terminal = { $url }   or in a terminal:
script-reset-question = Start again from the first step?
script-reset-explained = The script's sockets are closed and its steps run again from nothing.
script-reset-yes = Start again
script-reset-no = Stay here
lessons-heading = Lessons
lessons-explained = One click loads a lesson: its sockets, its steps and what to look at.
lessons-file = lesson file
lessons-open-file = Open file
lessons-open-file-tip = load your own lesson or scenario file (the format is in docs/scripts.md)
script-steps = { $count ->
    [one] 1 step
   *[other] { $count } steps
}
script-step-of = step { $step } of { $count }
script-running = running...
script-finished = finished
script-close = Close script
script-next-say = Next: { $say }
script-step-calls = the calls of step { $step }
script-timeline-text = timeline (text)
script-previous-step = Previous step
script-previous-step-tip = start again and run up to the step before (PageUp, Left)
script-next-step = Next step
script-next-step-tip = run the next step's calls (PageDown, Right, Space; End: every step, Home: back to step 1)
script-run-all = Run all steps
script-reset = Reset
script-reset-tip = close this script's sockets and start again from the first step

## The presenter's stage (ui/stage.rs)
stage-timeline-title = Timeline of step { $step }
stage-kernel-title = Kernel: { $socket }
stage-received-title = Received by { $socket }
stage-system-title = System sockets (ports { $ports })
stage-python-title = Python of step { $step }
stage-calls-title = Calls
stage-wire-title = Segments on the wire
stage-step-mark = step { $step }
stage-progress-running = { " " }(running)
stage-progress-finished = { " " }(finished)
stage-preview = Preview
stage-preview-tip = show the next step's narration, small, under this one
stage-preview-next = next, step { $step }: { $say }...
stage-leave = Leave
stage-leave-tip = leave the stage: back to the whole workbench (the script stays loaded)
stage-sockets = Sockets:
stage-closed-earlier = +{ $count } closed earlier
stage-socket-tip = local { $local }; click to open its inspector beside the stage
stage-socket-tip-peer = local { $local }, peer { $peer }; click to open its inspector beside the stage
stage-no-calls-yet = no calls in this step yet
stage-no-room = No room for the stage: zoom out (Ctrl -) or enlarge the window.
stage-nothing = This step puts nothing on stage.
stage-inspector-title = Inspector: { $socket }
stage-inspector-close = Close inspector
zoom-out-tip = zoom out (Ctrl -)
zoom-in-tip = zoom in (Ctrl +)
address-none-yet = (none yet)

## What a socket received (the stage and the received view)
received-nothing-yet = Nothing received yet.
received-datagram-cut = (datagram of { $size } B, rest discarded)
received-from = from { $from }
received-end-of-stream = end of stream
received-auto-sample = auto: { $calls } recv, { $bytes }

## The first screen and its quick starts (ui/start.rs)
app-name = Socket Workbench
start-explained = Real sockets, one call at a time: each call's result, how long it waited and what woke it, and what the kernel holds. Start with a ready pair, a lesson, or New TCP socket on the left.
start-recent = Opened lately
quick-start = Quick start
quick-start-title = Quick start: { $title }
quick-tcp-pair = TCP server and client
quick-udp-pair = UDP pair
quick-connect-title = Connect to { $host }:{ $port }
quick-listen-title = Listen on port { $port } ({ $responder })
quick-tcp-pair-intro = A server listening on 127.0.0.1 (the kernel picked a free port), a client connected to it, and conn, the connection the server accepted. Go on with any call: send on one side, recv on the other.
quick-udp-pair-intro = Two UDP sockets, each bound to a free port on 127.0.0.1. sendto from one to the other (the address buttons fill it in), recvfrom on the other.
quick-connect-intro = A TCP client connected to the address you gave; what arrives is received automatically and shown under Received. Send from the inspector.
quick-listen-intro = A TCP server on 127.0.0.1 that accepts every client and answers it by itself. Connect to it from here, or from another program.
quick-connect-give-host-port = give host:port, e.g. example.com:80 or [::1]:8080
quick-connect-bad-host = '{ $host }' is not a host name or an IP address
quick-connect-bad-port = port { $port }: a port to connect to is 1-65535
quick-listen-bad-port = '{ $text }' is not a port (0-65535)
quick-connect-to = connect to
quick-connect = Connect
quick-connect-tip = a TCP client that connects there and receives automatically
quick-listen-on-port = listen on port
quick-answering-with = answering with
quick-listen = Listen
quick-listen-tip = a TCP server on 127.0.0.1 that accepts and answers by itself

## The headless runner's lines (script/run.rs)
run-datagram-truncated = truncated: the datagram had { $size } bytes

## A call's result in the inspector (ui/calls.rs)
result-blocked-until = blocked until { $what }
result-bytes = { $count ->
    [one] 1 byte
   *[other] { $count } bytes
}
result-latest = latest: { $headline }
result-latest-none = latest: no call yet
result-usual-fix = Usual fix: { $fix }
call-cancel = Cancel
call-cancel-tip = end every pending call of this socket as cancelled; the socket stays usable
call-blocked-in = blocked in { $call }() { $seconds } s

## The toolbar, the status bar and the views (ui/mod.rs, ui/theme.rs)
toolbar-new-session = New session
toolbar-new-session-tip = close every socket, clear the calls, data and views, and go back to the first screen (asks first when sockets are open)
toolbar-sockets = Sockets
toolbar-sockets-tip = show or hide the list of sockets (more room on a projector)
toolbar-lessons = Lessons
toolbar-lessons-tip = the built-in lessons, and your own lesson files
toolbar-views = Views
toolbar-views-tip = the views of all sockets: timeline, calls, Python, ...
toolbar-display = Display
toolbar-display-tip = projector mode, zoom and language
toolbar-present = Present
toolbar-present-tip = the presenter stage: the narration large, and what this step shows
toolbar-language-tip = the workbench's language (switches at once)
new-session-question = Start a new session?
new-session-explained = { $count ->
    [one] 1 open socket will be closed, and the calls, data and views of this session cleared.
   *[other] { $count } open sockets will be closed, and the calls, data and views of this session cleared.
}
new-session-yes = Close them and start anew
new-session-no = Keep working
status-counts = { $open } sockets open · { $bytes_in } in · { $bytes_out } out · { $pending } calls pending
status-dropped = · dropped by the memory cap: { $entries } log entries, { $bytes } received
status-forgotten = · { $count } closed sockets forgotten
view-timeline = Timeline
view-calls = Call table
view-system = System sockets
view-throughput = Throughput
view-python = Python
view-wire = Wire
view-timeline-tip = every call as a bar on its socket's lane, arrows from each send to the recv that got its bytes
view-calls-tip = every call as a row: sort, filter, export to CSV or JSON
view-system-tip = all sockets of this machine, like netstat -ano; ours highlighted
view-throughput-tip = bytes per second in and out of each socket
view-python-tip = the Python 3 line of every call made; export the session as a script
view-wire-tip = the TCP and UDP segments of these sockets on loopback: capture, table, pcap export
inspector-title = Inspector
display-projector = Projector mode
display-projector-tip = Large, high-contrast light theme with thick lines, for a classroom projector
display-zoom-out-tip = Zoom out ({ $keys })
display-zoom-tip = Zoom of the whole window
display-zoom-in-tip = Zoom in ({ $keys })
display-zoom-reset = Reset
display-zoom-reset-tip = Back to { $percent } % ({ $keys })

## The command line (main.rs, lessons.rs)
cli-no-such-lesson = '{ $query }': no such file, and no built-in lesson by that number or name (socket-workbench lessons lists them)
cli-several-lessons = '{ $query }' names several lessons: { $lessons }

## errno explanations and their usual fixes (engine/errno.rs): ids made at run time,
## errno-<NAME> and errno-<NAME>-fix, plus errno-unknown; checked by i18n::tests
errno-EADDRINUSE = Another socket is already bound to that address and port (or, for AF_UNIX, a file already exists at that path).
errno-EADDRINUSE-fix = Set SO_REUSEADDR before bind (an earlier connection may still be in TIME_WAIT), stop the other program, or choose another port / port 0; for AF_UNIX remove the old socket file first.
errno-EADDRNOTAVAIL = The address is not one this machine owns, or no free local (ephemeral) port was left to connect from.
errno-EADDRNOTAVAIL-fix = Bind to 0.0.0.0, 127.0.0.1 or an address shown by `ip addr`; if you opened very many connections, close some or wait for TIME_WAIT to expire.
errno-EAFNOSUPPORT = The address family does not match this socket, or this kernel does not support it (for example IPv6 disabled).
errno-EAFNOSUPPORT-fix = Use an IPv4 address with an AF_INET socket and an IPv6 address with an AF_INET6 socket.
errno-EPFNOSUPPORT = The protocol family asked for is not supported by this system.
errno-EPFNOSUPPORT-fix = Use AF_INET, AF_INET6 or AF_UNIX.
errno-EDESTADDRREQ = The socket has no peer address, so the kernel does not know where to send the data.
errno-EDESTADDRREQ-fix = Use sendto() with a destination address, or connect() the socket first.
errno-EWOULDBLOCK = The socket is non-blocking (or its SO_RCVTIMEO/SO_SNDTIMEO timeout ran out) and the call could not finish right now: no data to read, no room in the send buffer, or no connection waiting to be accepted.
errno-EWOULDBLOCK-fix = Wait until the socket is ready with select()/poll(), then try the call again.
errno-EINPROGRESS = A non-blocking connect() has started the handshake but it has not finished yet; this is normal, not a failure.
errno-EINPROGRESS-fix = Wait until the socket becomes writable with select()/poll(), then read SO_ERROR to learn whether the connection succeeded.
errno-EALREADY = A previous non-blocking connect() on this socket is still in progress.
errno-EALREADY-fix = Do not call connect() again; wait for the socket to become writable and check SO_ERROR.
errno-EINTR = A signal arrived while the call was blocked, so the kernel stopped the call before it finished.
errno-EINTR-fix = Simply retry the call (Python since 3.5 retries automatically).
errno-EISCONN = The socket is already connected, so it cannot be connected again or be given a different destination.
errno-EISCONN-fix = Use send() on the connected socket, or create a new socket for a new connection.
errno-ENOTCONN = The socket is not connected, so there is no peer to send to, receive from or shut down.
errno-ENOTCONN-fix = Call connect() first; on a server, use the new socket returned by accept(), not the listening socket.
errno-ECONNREFUSED = Nothing is listening on that address and port, so the other side answered the connection attempt with a reset.
errno-ECONNREFUSED-fix = Start the server first, or check the address and port number.
errno-ECONNRESET = The peer reset the connection (it sent an RST), for example because it closed with unread data, closed with SO_LINGER 0, or its machine restarted and no longer knows the connection (a program that merely crashes is closed normally by its kernel on Linux).
errno-ECONNRESET-fix = Treat the connection as gone: close this socket and reconnect if needed.
errno-ECONNABORTED = The connection was aborted on this machine, typically because the client gave up before accept() picked it up.
errno-ECONNABORTED-fix = Ignore it and call accept() again for the next client.
errno-EPIPE = You wrote to a connection whose sending side is closed, either by your own shutdown() or because the peer has gone away.
errno-EPIPE-fix = Stop sending and close the socket; pass MSG_NOSIGNAL (or ignore SIGPIPE) so the program is not killed by the signal.
errno-ESHUTDOWN = This direction of the socket was already shut down with shutdown(), so it cannot be used any more.
errno-ESHUTDOWN-fix = Do not send after shutdown(SHUT_WR); open a new connection instead.
errno-ETIMEDOUT = The other side never answered: the connection attempt (or the retransmissions on an open connection) timed out.
errno-ETIMEDOUT-fix = Check that the host is up and that no firewall silently drops the packets, then retry.
errno-ENETRESET = The connection was dropped because the network reset it, for example a keepalive probe found the path broken.
errno-ENETRESET-fix = Close the socket and reconnect.
errno-ENETUNREACH = This machine has no route to the destination network (for example no default gateway, or no IPv6 connectivity).
errno-ENETUNREACH-fix = Check the address and the network setup (`ip route`); use an address you can actually reach.
errno-EHOSTUNREACH = The destination host cannot be reached: a router reported it unreachable, or nobody answered on the local network.
errno-EHOSTUNREACH-fix = Check that the host is up and the address is right, and that no firewall rejects the traffic.
errno-ENETDOWN = The network interface needed for this traffic is down.
errno-ENETDOWN-fix = Bring the interface up or use another network, then retry.
errno-EHOSTDOWN = The destination host is down and does not answer on the local network.
errno-EHOSTDOWN-fix = Check that the host is switched on and connected, then retry.
errno-EACCES = Permission denied: a privileged port, a broadcast send without SO_BROADCAST, a firewall rule, or an AF_UNIX path you may not access.
errno-EACCES-fix = Ports below 1024 need root or CAP_NET_BIND_SERVICE: use a port of 1024 or more; set SO_BROADCAST before sending to a broadcast address; check the permissions of an AF_UNIX path.
errno-EPERM = The operation is not permitted: for example a raw socket or privileged option without root, or a local firewall rule blocked the packet.
errno-EPERM-fix = Run without needing privileges (use SOCK_STREAM/SOCK_DGRAM), grant the needed capability, or check the firewall rules.
errno-EINVAL = An argument is not valid in this state: for example bind() on an already bound socket, accept() on a socket that is not listening, or a wrong length or option value.
errno-EINVAL-fix = Check the order of calls (socket, bind, listen, accept) and the arguments you passed.
errno-EBADF = The file descriptor is not open, usually because the socket was already closed.
errno-EBADF-fix = Do not use a socket after close(), and close each socket only once.
errno-ENOTSOCK = The file descriptor refers to something that is not a socket, such as a regular file or a pipe.
errno-ENOTSOCK-fix = Pass the descriptor returned by socket() or accept().
errno-EOPNOTSUPP = This socket type does not support the operation, for example listen() or accept() on a UDP socket, or MSG_OOB on a datagram socket.
errno-EOPNOTSUPP-fix = Use SOCK_STREAM for listen()/accept(), or drop the unsupported flag.
errno-ENOTSUP = The operation or option is not supported by this socket or system.
errno-ENOTSUP-fix = Use a different option or socket type that supports this operation.
errno-ENOPROTOOPT = The option is unknown at the level you gave (for example a TCP option passed with SOL_SOCKET).
errno-ENOPROTOOPT-fix = Check the option name and level: SOL_SOCKET for SO_* options, IPPROTO_TCP for TCP_* options, IPPROTO_IP for IP_* options.
errno-EPROTONOSUPPORT = The protocol is not supported for this family and type, for example IPPROTO_TCP with SOCK_DGRAM.
errno-EPROTONOSUPPORT-fix = Pass protocol 0 to let the kernel choose, or use IPPROTO_TCP with SOCK_STREAM and IPPROTO_UDP with SOCK_DGRAM.
errno-ESOCKTNOSUPPORT = The socket type is not supported in this address family.
errno-ESOCKTNOSUPPORT-fix = Use SOCK_STREAM or SOCK_DGRAM.
errno-EPROTOTYPE = The socket type does not match the other end or the protocol, for example connecting a SOCK_STREAM socket to a SOCK_DGRAM AF_UNIX socket.
errno-EPROTOTYPE-fix = Use the same socket type on both ends.
errno-EPROTO = A protocol error happened while the connection was being set up.
errno-EPROTO-fix = Call accept() again for the next connection.
errno-EMSGSIZE = The datagram is too large to be sent in one piece.
errno-EMSGSIZE-fix = A UDP datagram over IPv4 can carry at most 65,507 bytes of payload (and much less without fragmentation): send smaller messages.
errno-EDOM = The option value is out of range, for example a timeout whose microseconds field is 1,000,000 or more.
errno-EDOM-fix = Pass a valid timeval: seconds plus microseconds below 1,000,000.
errno-EFAULT = A buffer or address pointer passed to the call points outside the program's memory.
errno-EFAULT-fix = This is a bug in the calling program: check the buffer pointers and lengths.
errno-EMFILE = This process has reached its limit of open file descriptors (each socket uses one).
errno-EMFILE-fix = Close sockets you no longer need, or raise the limit with `ulimit -n`.
errno-ENFILE = The whole system has reached its limit of open files.
errno-ENFILE-fix = Close unused sockets and files, or raise the system limit (fs.file-max).
errno-ENOBUFS = The kernel ran out of buffer space for the socket, for example because data is being sent faster than it can leave.
errno-ENOBUFS-fix = Send more slowly or in smaller pieces, close unused sockets, and retry.
errno-ENOMEM = The kernel could not get enough memory to finish the call.
errno-ENOMEM-fix = Free memory or close unused sockets, then retry.
errno-ENOSPC = The filesystem is full, so the AF_UNIX socket file cannot be created.
errno-ENOSPC-fix = Free disk space or put the socket path on another filesystem (such as /tmp).
errno-EIO = A low-level input/output error happened while creating or using the AF_UNIX socket file.
errno-EIO-fix = Check the filesystem holding the socket path, or choose a path elsewhere.
errno-ENOENT = No socket file exists at that AF_UNIX path (or a directory in the path does not exist).
errno-ENOENT-fix = Start the server first so it creates the socket file, and check the path spelling.
errno-ENOTDIR = Part of the AF_UNIX path that should be a directory is not a directory.
errno-ENOTDIR-fix = Fix the path so every component before the last one is a directory.
errno-ENAMETOOLONG = The AF_UNIX path is too long for sun_path (about 108 bytes on Linux, 104 on macOS).
errno-ENAMETOOLONG-fix = Use a shorter path, for example in /tmp.
errno-EROFS = The AF_UNIX socket file would be created on a read-only filesystem.
errno-EROFS-fix = Bind to a path on a writable filesystem, such as /tmp.
errno-ELOOP = Too many symbolic links were followed while resolving the AF_UNIX path.
errno-ELOOP-fix = Remove the symbolic link loop or use the real path.
errno-EEXIST = Something already exists at that name, such as an AF_UNIX socket file left over from an earlier run.
errno-EEXIST-fix = Remove the old file (unlink it) before binding, or choose another path.
errno-ENODEV = No such network device: the interface named (SO_BINDTODEVICE, an IPv6 scope id) does not exist.
errno-ENODEV-fix = Use an interface name shown by `ip link`, such as lo or eth0.
errno-ENXIO = No such device or address, typically because an AF_UNIX socket file was opened with open() as if it were a regular file.
errno-ENXIO-fix = Use socket() and connect() to talk to an AF_UNIX socket, not open().
errno-unknown = The operating system reported an error number that this workbench does not describe; look it up with `man errno`.

## Errno explanations that fit the call and the socket (engine/explain.rs)
explain-econnaborted-connect = An earlier connect() on this socket failed and its error was already reported (or read with SO_ERROR); the kernel answers the next connect() with ECONNABORTED and resets the socket.
explain-econnaborted-connect-fix = Call connect() again: the socket can connect now.
explain-econnrefused-unix-dgram = The socket file exists, but no socket is bound to it any more (the program that bound it closed it).
explain-econnrefused-unix-dgram-fix = Start the receiving program again, or remove the stale socket file.
explain-econnrefused-unix-stream = The socket file exists, but nothing listens on it (listen() was never called, or its program closed it).
explain-econnrefused-unix-stream-fix = Start the server (bind and listen) first; remove the stale socket file if its program is gone.
explain-econnrefused-udp = A datagram sent earlier from this connected UDP socket reached a port where nothing is bound; the 'port unreachable' answer is reported on this later call.
explain-econnrefused-udp-fix = Start the receiver first or check its port; the error is reported once, and later calls go on.
explain-eaddrinuse-unix = A file already exists at that path: a socket file stays on disk after its socket is closed.
explain-eaddrinuse-unix-fix = Remove the old file first (os.unlink(path)) or choose another path.
explain-eaddrinuse-reuseaddr = Another socket is bound to that port and still in use. SO_REUSEADDR (already set here) only lets bind() reuse a port whose old connections wait in TIME_WAIT, not one a socket is bound to or listens on.
explain-eaddrinuse-reuseaddr-fix = Stop the other program or close the other socket, or choose another port (port 0 lets the kernel pick); two listeners on one port need SO_REUSEPORT on both.
explain-enetunreach-v6only = This socket is IPv6-only (IPV6_V6ONLY = 1), so it cannot reach { $target }: that is an IPv4 address written in IPv6 form, and IPv4 is another network to this socket.
explain-enetunreach-v6only-fix = Use an AF_INET socket for IPv4 peers, or an IPv6 socket without IPV6_V6ONLY.
explain-epipe-write-shut = This socket shut its own sending side with shutdown(SHUT_WR); nothing more can be sent on it.
explain-epipe-write-shut-fix = Send everything before shutdown(SHUT_WR).
explain-no-default-destination = This datagram socket has no default destination: send() works only after connect().
explain-no-default-destination-fix = Use sendto(data, address), or connect() the socket to its peer first.
explain-ebadf-closed = This socket was closed (close()); its descriptor no longer exists, so no call can use it.
explain-ebadf-closed-fix = Create a new socket.
## What an empty receive means (engine/explain.rs)
explain-empty-recv-zero = b'' at once: recv(0) asks for no bytes
explain-empty-recv-datagram = an empty datagram (0 bytes; not end of file)
explain-empty-recv-read-shut = b'': this socket shut its own reading side (shutdown(SHUT_RD)); it says nothing about the peer
explain-empty-recv-eof = b'': end of file, the peer closed its sending side
## A datagram that went nowhere (engine/explain.rs)
explain-nothing-bound-connect = Nothing on this machine is bound to { $destination }: connect() on a UDP socket only sets where datagrams go, so it succeeds; what you send is dropped, and a later recv may fail with ECONNREFUSED.
explain-nothing-bound-sendto = Nothing on this machine is bound to { $destination }: the datagram was dropped, and UDP does not tell the sender. Bind a socket there first, or send to one that is.
## What ended a call's wait (engine/explain.rs)
explain-woken-timeout-closed = the timeout, on a socket closed meanwhile
explain-woken-ready-closed = the socket became ready, but it had been closed meanwhile
explain-woken-connected = the connection was set up
explain-woken-refused = the peer refused the connection (RST)
explain-woken-gave-up = no answer: the kernel gave up retrying
explain-woken-accepted = a connection arrived
explain-woken-reset = the peer reset the connection (RST)
explain-woken-read-closed = the connection's reading side closed (FIN from the peer, or our own shutdown)
explain-woken-data = data arrived
explain-woken-room = room appeared in the send buffer
explain-woken-no-wait = did not wait
explain-woken-writable = room in the send buffer / connection complete
explain-woken-hangup = peer closed or reset
explain-woken-timeout = timeout
explain-woken-cancel = cancel
explain-woken-close = close
## A call the workbench ended (engine/explain.rs)
explain-cancelled-by-user = cancelled by the workbench; in a Python program this { $call }() would still be waiting
explain-cancelled-by-close-all = ended by the workbench when it closed every socket; in a Python program this { $call }() would still be waiting

## Socket options (engine/options.rs): option-about-<NAME> is made at run time, one for each
## option in options::OPTIONS; checked by i18n::tests
option-about-SO_REUSEADDR = Allow bind to a port that still has connections in TIME_WAIT.
option-about-SO_REUSEPORT = Let several sockets bind the same address and port (each must set it).
option-about-SO_BROADCAST = Allow sending UDP datagrams to a broadcast address.
option-about-SO_KEEPALIVE = Send TCP keep-alive probes on an idle connection.
option-about-SO_LINGER = How close() ends a connection: linger 0 sends RST instead of FIN.
option-about-SO_RCVBUF = Receive buffer size in bytes (Linux applies double the value).
option-about-SO_SNDBUF = Send buffer size in bytes (Linux applies double the value).
option-about-SO_ERROR = Read (and clear) the pending error, e.g. of a non-blocking connect.
option-about-TCP_NODELAY = Send small segments at once instead of waiting to combine them (Nagle off).
option-about-IP_TTL = Time to live: how many routers an IPv4 packet may pass.
option-about-IPV6_V6ONLY = An IPv6 socket refuses IPv4 peers (off = dual stack).
option-about-IP_MULTICAST_TTL = How far multicast datagrams may travel (1 = this network).
option-about-IP_MULTICAST_LOOP = Deliver our own multicast datagrams back to this host.
option-about-IP_ADD_MEMBERSHIP = Join an IPv4 multicast group on an interface.
option-about-IP_DROP_MEMBERSHIP = Leave an IPv4 multicast group.
option-about-IPV6_MULTICAST_LOOP = Deliver our own IPv6 multicast datagrams back to this host.
option-about-IPV6_JOIN_GROUP = Join an IPv6 multicast group (interface index, 0 = default).
option-about-IPV6_LEAVE_GROUP = Leave an IPv6 multicast group.
## Why setsockopt/getsockopt was refused before it reached the kernel (engine/options.rs)
option-unknown = unknown option '{ $name }'; known options: { $known }
option-takes-integer = { $name } takes an integer, not { $value }
option-out-of-range = { $name } must be between 0 and { $max }
option-linger-value = SO_LINGER takes (onoff, seconds), not { $value }
option-read-only = { $name } can only be read
option-set-only = { $name } can only be set
option-membership-v4-value = a membership option takes a group and an interface address
option-membership-v6-value = a membership option takes a group and an interface index
option-not-ipv4-group = '{ $group }' is not an IPv4 group address
option-not-ipv4-multicast = { $group } is not a multicast (class D, 224.0.0.0-239.255.255.255) address
option-not-ipv4-interface = '{ $interface }' is not an IPv4 interface address
option-not-ipv6-group = '{ $group }' is not an IPv6 group address
option-not-ipv6-multicast = { $group } is not an IPv6 multicast (ff00::/8) address
option-not-interface-index = '{ $interface }' is not an interface index

## Calls and the inspector (ui/calls.rs, ui/inspector.rs)
calls-closed = the socket is closed
calls-bind-once = already has an address (state: { $state }): a socket is bound once
calls-listen-not-udp = listen is for stream sockets: UDP has no connections to accept
calls-listen-needs-bind = listen needs a bound stream socket: call bind() first
calls-listen-unconnected = only a bound, unconnected socket can listen
calls-accept-not-udp = accept is for stream listeners: UDP has no connections
calls-accept-needs-listen = accept needs a listening socket: bind() and listen() first
calls-connect-listening = a listening socket accepts connections; it cannot connect
calls-connect-once = already connected (or connecting): a TCP socket connects once
calls-recv-listening = a listening socket carries no data: accept() a connection and recv on that
calls-recv-unconnected = recv needs a connected socket: connect() (client) or accept() (server) first
calls-recv-unbound-udp = nothing can reach an unbound UDP socket: bind() first (or send: that binds an ephemeral port)
calls-send-shut = the sending side is shut down (shutdown SHUT_WR)
calls-send-unconnected = send needs a connected socket: connect() or accept() first
calls-send-no-peer = an unconnected UDP socket has no default peer: use sendto, or connect() first
calls-sendto-stream = sendto is for datagram sockets; a TCP socket uses send
calls-shutdown-unconnected = shutdown needs a connected stream socket
calls-no-peer = not connected: there is no peer
calls-bad-port = '{ $port }' is not a port number (0-65535)
calls-port-out-of-range = port { $port } is out of range (a port is 0-65535)
calls-host-missing = the host is missing, e.g. 127.0.0.1:8080
calls-bad-backlog = '{ $text }' is not a valid backlog (a whole number)
calls-bad-bufsize = '{ $text }' is not a valid bufsize (a byte count)
calls-not-now = Not now: { $reason }
calls-not-now-label = not now:
calls-not-now-label-tip = these calls make no sense in this state; hover one to see why
calls-bind-address = bind address
calls-all-interfaces = all interfaces: reachable from the network
calls-backlog = backlog
calls-connect-address = connect address
calls-bufsize = bufsize
calls-peek-tip = look at the data but leave it queued: the next recv gets it again
calls-waitall-tip = wait until bufsize bytes have arrived (or EOF)
calls-dontwait-tip = this call does not wait, whatever the socket's mode
calls-role-tip = what this socket is for, from the calls made on it
calls-role-accepted = accepted connection
calls-role-listener = listener
calls-role-client = client
calls-thread-failed = The workbench's thread for this socket failed (a bug, not the kernel): { $failure }
calls-local = local { $address }
calls-peer = peer { $address }
calls-counters = in { $bytes_in } ({ $recv_calls } recv) · out { $bytes_out } ({ $send_calls } send)
calls-counters-tip = bytes received and sent, and how many recv and send calls moved them
calls-automatic = automatic: { $summary }
calls-automatic-tip = The socket's thread makes these calls by itself (Automatic behaviour below)
calls-name = name
calls-name-taken = shown as { $name }: the name is taken
calls-to = to:
calls-use-address-tip = use this address for connect
inspector-nothing-received = Received: nothing yet (each recv's bytes will show here).
inspector-send = Send
inspector-kernel = Kernel
inspector-repeat-history = Repeat and history
inspector-name-mode-options = Name, mode and options
inspector-automatic = Automatic behaviour
inspector-empty-create = Create a socket on the left (New TCP socket), then perform its calls one at a time here and see what each did.
inspector-empty-select = Select a socket to show it here; "beside" on its card opens another inspector next to this one.

## The sockets panel (ui/sockets.rs)
sockets-close-all = Close all
sockets-close-all-tip = close() every open socket; calls still waiting in one are ended by the workbench
sockets-new-tcp = New TCP socket
sockets-new-udp = New UDP socket
sockets-stream = stream
sockets-datagram = datagram
sockets-new = New { $family } { $kind } socket
sockets-forgotten = { $count } closed sockets forgotten (the newest { $kept } closed ones are kept)
sockets-forgotten-explained = Closed sockets beyond the cap are forgotten, oldest first, so a server under steady connection churn does not grow; open sockets are always kept. Their cards, lanes and calls go (calls still listed for a moment are marked (forgotten)).
sockets-none-yet = No sockets yet.
sockets-closed-earlier-hide = closed earlier ({ $count }): hide
sockets-closed-earlier-show = closed earlier ({ $count }): show
sockets-closed-earlier-tip = the sockets closed so far: their cards, calls and data
sockets-select-tip = show this socket in the inspector
sockets-beside = beside
sockets-beside-shown-tip = shown already; open another inspector for it beside the others
sockets-beside-tip = open this socket in a new inspector beside the others
sockets-close = Close
sockets-close-tip = close() { $name }
sockets-unbound = (unbound)
sockets-reachable-tip = bound to every interface (or to one that is not loopback): other machines on the network can connect, unless a firewall stops them
sockets-children = { $count } accepted connections below, { $open } of them open
sockets-no-call-pending = no call pending

## Mode, options, automatic behaviour and the kernel (ui/settings.rs)
settings-mode = Mode:
settings-bad-timeout = '{ $text }' is not a number of milliseconds
settings-timeout-ms = timeout ms
settings-kernel-value = kernel: { $value }
settings-option-set-done = set
settings-get-failed = get: { $error }
settings-set-failed = set: { $error }
settings-set = set
settings-get = get
settings-bool-on = on (1)
settings-bool-off = off (0)
settings-read-only = read only
settings-option-value = { $option } value
settings-bad-whole-number = '{ $text }' is not a whole number
settings-linger-on = on
settings-linger-seconds = linger seconds
settings-bad-seconds = '{ $text }' is not a number of seconds
settings-linger-tip = on with 0 seconds: close() sends RST instead of FIN
settings-group = { $option } group
settings-interface = { $option } interface
settings-auto-accept = auto-accept
settings-auto-accept-tip = a listener accepts every connection as it arrives; each gets its own card
settings-auto-receive = auto-receive
settings-auto-receive-tip = receive in a loop whenever data arrives (accepted connections inherit this)
settings-responder = responder
settings-responder-none = none
settings-responder-tip = reply to each chunk received: echo, UPPERCASE echo, an HTTP page, the time (strftime format in), °C to °F, or nothing
settings-flood-rate = flood bytes/s (0 = max)
settings-flood-chunk = chunk bytes
settings-flood-to = to
settings-stop-flood = Stop flood
settings-start-flood = Start flood
settings-start-flood-tip = send generated bytes as fast as allowed, to measure throughput or fill buffers
settings-bad-rate = '{ $text }' is not a rate in bytes per second
settings-bad-chunk = '{ $text }' is not a chunk size (1 or more bytes)
settings-ask-kernel = Ask the kernel
settings-ask-kernel-tip = Ask the kernel what it holds for this socket now: queued bytes, buffer sizes, TCP state, accept queue.
settings-taken-ago = taken { $seconds } s ago

## The send composer (ui/composer.rs)
composer-mode-text = Text
composer-mode-hex = Hex
composer-mode-file = File
composer-mode-text-tip = Type text; escapes \r \n \t \0 \\ \xNN become those bytes
composer-mode-hex-tip = Type bytes as hex digits: 48 65 6c 6c 6f
composer-mode-file-tip = Send the contents of a file
composer-encoding = encoding
composer-encoding-tip = How the typed characters become bytes
composer-line-ending = line ending
composer-line-ending-tip = Added after the text
composer-send-text = send text
composer-send-text-hint = hello\r\n — empty sends b''
composer-send-hex = send hex
composer-file-path = file path
composer-file-path-hint = /path/to/file
composer-load = Load
composer-load-tip = Read the file into the payload
composer-loaded = loaded { $count ->
    [one] 1 byte
   *[other] { $count } bytes
} from { $path }
composer-preview = { $count ->
    [one] 1 byte
   *[other] { $count } bytes
}: { $bytes }
composer-too-big-for-udp = Over { $max } bytes: too big for one UDP datagram; the call will fail with EMSGSIZE.
composer-cannot-send = Cannot send: { $error }
composer-file-path-changed = the path changed since the file was loaded: press Load
composer-file-not-loaded = no file loaded yet: type its path and press Load
composer-file-no-path = type the path of the file to send first
composer-file-directory = { $path } is a directory, not a file
composer-file-too-big = { $path } is { $size }: the composer loads files up to { $max }
composer-destination = destination
composer-destination-hint = host:port
composer-destination-tip = host:port, [v6]:port, or Python's ('127.0.0.1', 9999). Until you change it, the socket this one last heard from, else another UDP socket of the workbench
composer-to = to:
composer-send-to-socket-tip = send to this socket
composer-destination-error = destination: { $error }
composer-no-destination = no destination yet: type host:port, or pick a socket after "to:" (create another UDP socket to have one)
composer-destination-invalid = the destination is not valid: { $error }
composer-payload-error = the payload has an error: { $error }
composer-not-sent = { $call }() not sent: { $reason }
composer-not-now = Not now: { $reason }
composer-repeat = Repeat
composer-repeat-call-tip = The call each repeat makes
composer-repeat-times = times
composer-repeat-times-tip = How many calls; empty or 0: until Stop
composer-repeat-every = every ms
composer-repeat-every-tip = Milliseconds between calls; 0: one each frame
composer-repeat-start = Start
composer-repeat-start-tip = Make the call now and then again, with the payload as it is now
composer-repeat-not-started = repeat not started: { $reason }
composer-repeat-error = Repeat: { $reason }
composer-repeat-progress = repeat { $done }/{ $total }
composer-repeat-progress-until-stop = repeat { $done } (until Stop)
composer-repeat-every-status = { $call }() every { $ms } ms
composer-repeat-waiting = · waiting for the previous call to return
composer-repeat-stop = Stop
composer-repeat-stop-tip = Stop repeating
composer-bad-times = '{ $text }' is not a valid number of times (a whole number)
composer-bad-interval = '{ $text }' is not a valid interval in ms (a whole number)
composer-repeat-needs-interval = to repeat until Stop, give an interval (a frame-by-frame flood is the automatic flood generator's job)
composer-repeat-stopped = repeat stopped after { $count ->
    [one] 1 { $call }() call
   *[other] { $count } { $call }() calls
}
composer-repeat-ended = repeat stopped after { $count ->
    [one] 1 call
   *[other] { $count } calls
}: { $reason }
composer-repeat-done = repeat done: { $count ->
    [one] 1 { $call }() call
   *[other] { $count } { $call }() calls
}
composer-history = History ({ $count })
composer-resend = re-send
composer-resend-tip = Load this payload and send it again with the same call
composer-history-load-tip = Load this payload into the composer

## The received data of a socket (ui/data.rs)
data-mode-text = as text
data-mode-hex = as hex
data-mode-both = text + hex
data-not-in-session = Socket { $socket } is not in this session.
data-received = Received
data-chunks = { $count ->
    [one] 1 chunk
   *[other] { $count } chunks
}, { $bytes }
data-chunks-shown-of = { $count ->
    [one] 1 chunk
   *[other] { $count } chunks
} ({ $bytes }) shown of { $received } received ({ $bytes_in })
data-dropped = · { $count ->
    [one] 1 oldest chunk
   *[other] { $count } oldest chunks
} dropped (memory cap)
data-dropped-tip = Received bytes kept in memory are capped; beyond the cap the oldest chunks are dropped and counted here. The byte counters stay exact.
data-cleared = · { $count } cleared
data-indexing = · indexing { $done } of { $total } chunks…
data-encoding-tip = The encoding the received bytes are shown (and searched) in
data-tools = Search, copy, save…
data-tools-tip = Show the search box and the buttons to copy the received data or save it to a file
data-clear = Clear
data-clear-tip = Forget the chunks received so far (the counters stay)
data-search = Search
data-search-text-hint = text, \r\n, \xNN
data-search-hex-hint = hex bytes: 0d 0a
data-search-tip = Finds these bytes within each chunk (a match split across two recv calls is not found). Enter: next match.
data-search-text = text
data-search-text-tip = Search for text (escapes allowed), in the chosen encoding
data-search-hex = hex
data-search-hex-tip = Search for hex bytes
data-no-match = no match
data-match-of = match { $current } of { $count }{ $more }
data-matches = { $count }{ $more } matches
data-previous = previous
data-previous-tip = previous match (Shift+Enter)
data-next = next
data-next-tip = next match (Enter)
data-copy = Copy
data-copy-tip = Copy all the rows shown (every retained chunk) to the clipboard
data-copied = Copied { $size } of text to the clipboard.
data-copied-limit = Copied the first { $size } of text to the clipboard (the limit).
data-save-to = Save to
data-save = Save
data-save-tip = Write the raw bytes of every retained chunk, oldest first, to this file
data-save-no-path = type a file path to save to first
data-saved = Saved { $count ->
    [one] 1 byte
   *[other] { $count } bytes
} ({ $chunks ->
    [one] 1 chunk
   *[other] { $chunks } chunks
}) to { $path }.
data-save-failed = Could not save: { $error }
data-search-error = Search: { $error }
data-header-at = at { $seconds } s
data-header-eof = EOF: recv returned b'' (the peer closed its side)
data-header-empty-datagram = 0 bytes: an empty datagram
data-header-auto = automatic receive: { $calls ->
    [one] 1 recv call
   *[other] { $calls } recv calls
}, { $bytes }
data-header-first = ; the first { $count ->
    [one] 1 byte
   *[other] { $count } bytes
}:
data-header-truncated = datagram of { $size } bytes truncated to { $count }

## The Python code view (ui/code_view.rs)
code-copy-all = Copy all
code-copy-all-tip = Copy the Python line of every call to the clipboard
code-copied = copied { $count ->
    [one] 1 line
   *[other] { $count } lines
}
code-follow-newest = Follow newest
code-export-path = export path
code-export = Export as Python
code-export-tip = Write a runnable Python 3 script that repeats this session (standard library only)
code-export-written = Wrote { $path } ({ $bytes } bytes); run it with: python3 { $path }
code-export-no-path = Export failed: type a file path first
code-export-failed = Could not write { $path }: { $error }
code-dropped = { $count } oldest calls dropped by the log cap are not shown
code-no-calls = # No calls yet: each call you make appears here as Python.

## Throughput (ui/throughput.rs)
throughput-heading = Bytes per second, last 60 s, in buckets of
throughput-all-sockets = all sockets
throughput-all-sockets-tip = Show every socket that moved data (the { $max } busiest when more did); otherwise the ones ticked
throughput-no-data = No data moved in the last minute.
throughput-busiest-shown = the { $max } busiest of { $count } sockets shown
throughput-choose = choose sockets ({ $count } moved data)
throughput-in = { $socket } in
throughput-out = { $socket } out
throughput-x-axis = seconds since start
throughput-y-axis = bytes per second

## Call table (ui/call_table.rs; exported files stay English)
table-column-time = time
table-column-socket = socket
table-column-call = call
table-column-arguments = arguments
table-column-result = result
table-column-duration = duration
table-column-bytes = bytes
table-column-origin = origin
table-origin-user = user
table-origin-script = script
table-origin-auto = auto
table-call-auto = auto
table-auto-recv = { $count } recv calls, { $bytes }
table-auto-send = { $count } send calls, { $bytes }
table-auto-errors = { $count ->
    [one] 1 error
   *[other] { $count } errors
}
table-auto-separator = { "; " }
table-filter = Filter
table-filter-hint = socket, call or result
table-filter-tip = Shows only the rows whose socket, call or result contains this text
table-socket = Socket
table-follow-newest = follow newest
table-follow-newest-tip = Keep the last row in view while rows arrive
table-top = Top
table-bottom = Bottom
table-rows = { $shown } rows
table-rows-of = { $shown } of { $total } rows
table-indexing = { " " }(indexing { $percent } %)
table-oldest-dropped = , { $count } oldest dropped (memory cap)
table-automatic-let-go = , { $count } older automatic entries let go (a socket keeps its newest { $kept })
table-export-to = Export to
table-export-csv = Export CSV
table-export-csv-tip = Write every row shown (filter and order kept) as CSV
table-export-json = Export JSON
table-export-json-tip = Write every row shown (filter and order kept) as a JSON array
table-exporting = Exporting: { $done } of { $total } rows ({ $percent } %)
table-exporting-choosing = Exporting: choosing the rows…
table-export-cancel = Cancel export
table-export-cancel-tip = Stop; the file is not written (an older one stays as it was)
table-export-written = Wrote { $rows } rows to { $path }
table-export-missing = { " " }({ $missing } rows were dropped by the memory cap before they could be written)
table-export-no-path = Enter the path of the file to write first.
table-export-writer-stopped = Could not write { $path }: the writer stopped
table-export-cancelled = Export cancelled; { $path } was not written
table-sort-tip = Sort by { $column } (click again to reverse)
table-row-dropped = (dropped by the memory cap)

## System sockets (ui/system_table.rs)
system-reading = Reading /proc/net ...
system-no-socket-with-ports = No socket of this machine has these ports now.
system-state = state
system-column-local = local
system-column-remote = remote
system-column-proto = proto
system-column-rx-queue = rx queue
system-column-tx-queue = tx queue
system-state-none = (none)
system-state-all = all
system-address-reachable = { $address } ({ $reachable })
system-address-reachable-tip = { $address }: every interface (or one that is not loopback): other machines on the network can connect, unless a firewall stops them
system-ours = ours
system-summary = { $total } sockets on this machine, { $shown } shown, { $ours } of them ours (highlighted); read in { $ms } ms
system-read-problems = { $count } problems reading /proc/net
system-port = port
system-port-any = any
system-port-tip = only sockets with this local or remote port
system-only-ours = only ours
system-only-ours-tip = sockets this program holds, and TIME_WAIT / not yet accepted ones on our addresses
system-pause = pause
system-pause-tip = stop reading the table every half second, to look at it
system-refresh = Refresh now
system-not-a-port = '{ $text }' is not a port number (0-65535)

## What the kernel holds for a socket (ui/kernel_view.rs)
kernel-not-available = The kernel view is not available on this operating system: the receive and send queue bytes (SIOCINQ / SIOCOUTQ), the TCP state and RTT (TCP_INFO) and a listener's accept queue are read on Linux only.
kernel-state-established = connected: data can flow both ways
kernel-state-syn-sent = connect() has sent SYN and waits for the peer's SYN-ACK
kernel-state-syn-recv = the peer's SYN came and our SYN-ACK went out; waiting for the last ACK of the handshake
kernel-state-fin-wait1 = we closed (sent FIN); waiting for the peer to acknowledge it
kernel-state-fin-wait2 = our FIN was acknowledged; waiting for the peer to close its side (it may still send)
kernel-state-time-wait = waits 2*MSL after our close so late segments die; the address stays in use meanwhile
kernel-state-close = closed: no connection
kernel-state-close-wait = the peer closed; we have not called close()
kernel-state-last-ack = the peer closed, then we closed; waiting for the ACK of our FIN
kernel-state-listen = waiting for connections: the kernel completes handshakes and queues them for accept()
kernel-state-closing = both sides closed at once; waiting for the ACK of our FIN
kernel-state-unix-listening = a Unix socket waiting for connections
kernel-state-unix-connected = a Unix socket connected to a peer
kernel-queue-of = { $used } of { $size } ({ $option })
kernel-accept-cells = accept queue cells, { $queued } filled of { $backlog }
kernel-accept-queue = accept queue
kernel-accept-queue-tip = connections the kernel has completed (handshake done) that wait for accept()
kernel-accept-count = { $queued } of { $backlog }
kernel-accept-full = full (Linux admits one more than the backlog): new clients' SYNs are dropped and their connect() retries
kernel-accept-at-backlog = at the backlog: one more is admitted, then new clients wait
kernel-accept-waiting = waiting for accept()
kernel-closed-short = closed
kernel-closed = The socket is closed: the kernel holds nothing for it any more (a TIME_WAIT entry it left, if any, is in the system table).
kernel-no-snapshot = No snapshot yet: ask the kernel.
kernel-snapshot-old = Taken { $seconds } s ago; the kernel may hold something else now.
kernel-next-datagram = next datagram
kernel-next-datagram-tip = bytes of the first datagram waiting for recv()
kernel-receive-queue = receive queue
kernel-receive-queue-tip = bytes that arrived and wait for recv(); SO_RCVBUF also counts the kernel's bookkeeping, so the queue is full before the bar is
kernel-send-queue = send queue
kernel-send-queue-tip = bytes send() has handed to the kernel that the peer has not acknowledged yet: sent and waiting for an ACK, or not sent at all
kernel-not-yet-sent = not yet sent
kernel-not-yet-sent-tip = bytes of the send queue not sent at all yet: the peer's window is closed (it does not read), or congestion control holds them back
kernel-buffer-used = buffer used
kernel-buffer-used-tip = receive buffer in use, counting the kernel's bookkeeping for every datagram: a 1-byte datagram takes hundreds of bytes, so few fit a small SO_RCVBUF
kernel-dropped = dropped
kernel-dropped-tip = packets the kernel threw away for this socket because its receive buffer was full; the sender was not told
kernel-packets = { $count ->
    [one] 1 packet
   *[other] { $count } packets
}
kernel-buffers = buffers
kernel-buffers-tip = no connection: nothing is queued; these are the sizes SO_RCVBUF and SO_SNDBUF give it
kernel-rtt-tip = the kernel's smoothed round-trip time to the peer
kernel-told-nothing = The kernel told nothing about this socket.

## The wire view (ui/wire_view.rs)
wire-export-written = Wrote { $segments } segments to { $path }; read it with: tcpdump -r { $path }
wire-export-nothing = Nothing to export: no segments captured yet
wire-capturing = Capturing the segments of these sockets on loopback
wire-private-network-note = in a private network namespace, where capture needs no privilege: these sockets reach only each other, not the machine's
wire-stop-capture = Stop capture
wire-stop-capture-tip = Stop reading the wire; what was captured stays
wire-capture = Capture the wire
wire-capture-tip = Show the TCP and UDP segments of the workbench's sockets on loopback, on the timeline and in this table (needs CAP_NET_RAW)
wire-off = The wire is off.
wire-new-sockets-private = New sockets are made in a private network namespace.
wire-leave-private-network = Back to the machine's network
wire-leave-private-network-tip = Stop this capture; sockets made from now on are in the machine's network (the private ones keep working among themselves)
wire-without-privilege = Or capture without privilege:
wire-use-private-network = Use a private network
wire-use-private-network-tip = Sockets made from now on live in a network namespace of their own, with its own loopback, where capture needs no privilege. They reach only each other, not the machine's other programs.
wire-use-private-network-disabled-tip = Only before the first socket: close every socket first (Close all)
wire-close-sockets-first = (close every socket first)
wire-pcap-path = pcap path
wire-export-pcap = Export pcap
wire-export-pcap-tip = Write the segments kept as a pcap file (tcpdump -r, Wireshark)
wire-kept = { $count } kept
wire-in-floods = { $count } more in floods, counted per interval (not kept one by one)
wire-frames-lost = { $count } frames lost: the capture's kernel queue was full
wire-oldest-dropped = { $count } oldest dropped by the cap
wire-no-segments-yet = No segments yet: connect, send or close, and each segment appears here.
wire-no-segments = No segments captured.
wire-column-from-to = from → to
wire-column-flags = flags
wire-column-seq = seq
wire-column-ack = ack
wire-column-window = win
wire-column-length = len
wire-icmp-port-unreachable = ICMP port unreachable
wire-flood = flood: { $count } segments in { $duration }
wire-summarised = (summarised)
wire-grant-with = grant with
wire-copy-command = Copy command
wire-copy-command-tip = Copy the command that lets this program capture, then run it in a terminal

## The timeline (ui/timeline.rs, ui/timeline/wire.rs)
timeline-resume = Resume
timeline-pause = Pause
timeline-pause-tip = Freeze the timeline at this moment (calls go on running)
timeline-follow-live = Follow live
timeline-follow-live-tip = Keep the newest calls in view: now while a call is blocked, else the last call
timeline-zoom-in = zoom in
timeline-zoom-in-tip = Show less time, in more detail (Ctrl + scroll)
timeline-zoom-out = zoom out
timeline-zoom-out-tip = Show more time (Ctrl + scroll)
timeline-fit = fit
timeline-fit-tip = Show the whole session, from its first call to its last
timeline-segments = Segments
timeline-segments-tip = Draw the wire's TCP and UDP segments between the lanes (switch the wire on in its view)
timeline-scale = { $duration } per 100 points
timeline-paused = paused
timeline-marks-only = { $count } calls in view: zoom in to see each one
timeline-forgotten = { $count } closed sockets forgotten: no lanes
timeline-diagram = timeline diagram
timeline-lane-accepted = { $name } (accepted)
timeline-lane = lane { $name }
timeline-no-sockets = No sockets yet: each socket gets a lane here, each call a bar.
timeline-now = now
timeline-arrow = arrow: { $bytes } bytes from call { $from } to call { $to }
timeline-dropped = dropped
timeline-dropped-tip = dropped: the datagram of call { $call } never arrived at { $socket }
timeline-dropped-tip-gone = dropped: the datagram of call { $call } never arrived at its socket
timeline-bar-tip = on { $socket }; click for details
timeline-auto = auto: { $recv_calls } recv ({ $recv_bytes }), { $send_calls } send ({ $send_bytes })
timeline-partial-send = { $sent } of { $total }
timeline-wire-band = { $count } segments { $arrow }
timeline-wire-to = to { $address }
timeline-wire-port-unreachable = port unreachable
timeline-wire-segment = segment { $segment } from { $from } to { $to }
timeline-wire-segment-numbers = seq { $seq } · ack { $ack } · window { $window } B · { $data } B of data
timeline-details = Call details
timeline-details-close = close details
timeline-details-socket = socket { $socket }
timeline-details-by-user = issued by you
timeline-details-by-script = issued by the script
timeline-details-by-auto = issued by automatic behaviour
timeline-details-started = started at { $seconds } s
timeline-details-errno = { $name } (errno { $code })
timeline-details-result = result: { $result }
timeline-details-fix = fix: { $fix }
timeline-details-took = took { $duration }
timeline-details-woken-by = woken by: { $what }
timeline-details-bytes-moved = bytes moved: { $count }
timeline-details-truncated = datagram of { $size } bytes truncated
timeline-details-data = data: { $data }
timeline-details-call-gone = a call no longer in the log
timeline-details-call-on = { $call }() on { $socket }
timeline-details-went-to = { $bytes } bytes went to { $other }
timeline-details-came-from = { $bytes } bytes came from { $other }
timeline-details-dropped = dropped: { $socket } received a later datagram but never this one

## The headless runner's lines (script/run.rs)
run-summary-ok = ok: { $calls ->
    [one] 1 call
   *[other] { $calls } calls
}, { $met ->
    [one] 1 expectation
   *[other] { $met } expectations
} met
run-summary-failed = FAILED: { $failed ->
    [one] 1 expectation
   *[other] { $failed } expectations
} not met, { $met ->
    [one] 1 expectation
   *[other] { $met } expectations
} met, { $calls ->
    [one] 1 call
   *[other] { $calls } calls
}
run-summary-stopped-at = ; stopped at line { $line }
run-private-network = capture needs CAP_NET_RAW here, so this script's sockets are made in a private network namespace, where it needs none (they reach only each other)
run-no-private-network = no private network for the capture: { $why }
run-end-cancelling = == end: { $call } (line { $line }) still pending: cancelling it
run-failed-expectations = failed expectations:
run-stopped = stopped: { $stop }
run-thread-failed-mark = thread failed
run-thread-failed = { $who }: the socket's thread failed: { $message }
run-wire-summary = [wire summary] { $segments } segments, { $bytes } bytes of payload in { $took }
run-wire-lost = wire lost { $frames } frames: the capture's kernel queue was full; counts may be short
run-wire-off = wire off
run-wire-on = wire on: the segments of these sockets on loopback are shown between the calls
run-wire-not-shown = wire not shown: { $why }
run-wire-goes-on = The script goes on; what wire() would check is said, not checked.
run-wire-no-answer = wire: the capture did not answer
run-wire-is-off = { $what }: the wire is off; say `wire on` first
run-wire-would-check-nothing = nothing
run-wire-not-captured = not captured: would have checked { $would }
run-wire-not-running = { $what }: the capture is not running
run-wire-stopped = { $what }: the capture stopped
run-wire-behind = { $what }: the capture did not catch up within { $ms } ms
run-no-socket-named = { $what }: no socket named '{ $name }' yet
run-wire-counts = { $segments ->
    [one] 1 segment
   *[other] { $segments } segments
}: { $syn } SYN, { $syn_ack } SYN-ACK, { $fin } FIN, { $rst } RST, { $data } with data ({ $bytes } B), { $zero_window } zero window
run-wire-port-unreachable = , { $count } ICMP port unreachable
run-since-step-began = since the step began
run-wire-expected = { $what }: expected { $expected }, got { $got } ({ $result })
run-wire-lost-in-step = ; the capture lost frames in this step, so counts may be short
run-auto-errors = , { $count } errors
run-auto-first-bytes = , first bytes { $bytes }
run-auto-over = over { $seconds } s
run-await-not-started = the '&' call this awaits did not start
run-staying = staying until interrupted (Ctrl-C)
run-system-could-not-start = system(): could not start reading: { $error }
run-system-not-read = { $what }: the system table was not read within { $ms } ms
run-system-row-to = { $row } to { $remote }
run-system-no-rows = no rows
run-system-rows = { $count ->
    [one] 1 row
   *[other] { $count } rows
}: { $rows }
run-system-more = ; and { $count } more
run-not-sent = not sent
run-started-in-background = started with &, runs on
run-gave-up = { $call } still waiting after { $ms } ms (timeout_ms): cancelled it
run-not-a-socket = '{ $name }' is not a socket
run-not-a-socket-yet = '{ $name }' is not a socket yet (the call that should name it has not returned one)
run-holds-no-bytes = '{ $name }' holds no bytes (its recv did not succeed)
run-holds-bytes = '{ $name }' holds bytes, not an address
run-no-value-yet = '{ $name }' has no value yet (the call that should set it has not returned one)
run-no-address-yet = '{ $name }' has no address yet: bind it first (or connect / send from it)
run-unnamed-unix = '{ $name }' has no name (an unbound Unix socket): nothing can be sent to it
run-expected-got = expected { $expected }, got { $got }
run-got-a-socket = a socket
run-still-pending = still pending
run-bytes-moved = { $count } bytes moved
run-bytes-dropped = { $count } bytes no longer retained (the session's memory cap dropped them)
run-not-truncated = { $got } (not truncated)
run-returned-at-once = returned at once ({ $took })
run-blocked = blocked { $took }
run-no-port = { $actual } (no port)
run-port-outside-ephemeral = port { $port }, outside the ephemeral range { $low }-{ $high }
run-no-sender = no sender ({ $got })
run-kernel-field-only = a kernel field (only after kernel())
run-nothing-to-compare = nothing to compare with: { $why }
run-blocked-woken-by = blocked { $took }, woken by: { $by }
run-kernel-not-available = not available on this system
run-kernel-call-result = a call result (kernel() returns a snapshot)
run-kernel-no-field = no { $field } (the kernel did not report it for this socket)
run-kernel-no-snapshot = no snapshot (kernel information is not available on this system)
run-kernel-a-number = { $got } (a number)
run-kernel-a-name = { $got } (a name)
run-unlink-refused = { $what }: refused: '{ $path }' is not a socket file (the workbench removes only socket files)
run-unlink-refused-short = refused: not a socket file
run-kernel-no-snapshot-within = { $name }.kernel(): no snapshot within { $ms } ms

run-fix = Fix: { $fix }

## Socket states on cards, headers and lanes (engine/event.rs)
state-created = created
state-bound = bound
state-listening = listening
state-connecting = connecting
state-connected = connected
state-write-shut = write-shut
state-peer-closed = peer-closed (EOF seen)
state-closed = closed
state-error = error

## Address families, modes, responders, automatic behaviour (engine/command.rs)
family-ipv4 = IPv4
family-ipv6 = IPv6
family-unix = Unix
mode-blocking = blocking
mode-non-blocking = non-blocking
mode-timeout = timeout { $ms } ms
responder-echo = echo
responder-uppercase-echo = uppercase echo
responder-http-hello = HTTP hello page
responder-time-server = time server
responder-celsius-to-fahrenheit = Celsius to Fahrenheit
responder-discard = discard
auto-accepts = accepts
auto-receives = receives
auto-replies = replies: { $responder }
auto-floods-fast = floods as fast as it can
auto-floods-rate = floods { $rate } bytes/s
auto-separator = { ", " }

## What each call does: the call buttons' tooltips (engine/call_kind.rs)
callkind-bind-tip = bind(address): give the socket its local address (port 0: the kernel picks a free port).
callkind-listen-tip = listen(backlog): make a bound stream socket a server; the kernel queues up to backlog finished connections for accept().
callkind-accept-tip = accept(): take the next connection from the accept queue (blocks while it is empty); returns a new socket for that client.
callkind-connect-tip = connect(address): TCP: the three-way handshake with a listening server. UDP: only sets the default peer.
callkind-send-tip = send(data): hand bytes to the kernel's send buffer; may take only part of them — the return value says how many.
callkind-sendall-tip = sendall(data): call send() until every byte is taken (blocks while the send buffer is full).
callkind-sendto-tip = sendto(data, address): send one datagram to that address; no connection needed.
callkind-recv-tip = recv(bufsize): take up to bufsize bytes that have arrived (blocks while none have); b'' means the peer closed.
callkind-recvfrom-tip = recvfrom(bufsize): like recv, and also tells who sent the data (for UDP, one whole datagram per call).
callkind-shutdown-tip = shutdown(how): end one direction of a connection; SHUT_WR sends FIN (the peer's recv returns b'') while we can still receive.
callkind-close-tip = close(): release the socket; a connected TCP socket sends FIN (or RST with SO_LINGER 0).
callkind-getsockname-tip = getsockname(): the socket's own address (shows the port the kernel picked).
callkind-getpeername-tip = getpeername(): the address of the connected peer.
callkind-setsockopt-tip = setsockopt(level, option, value): change a socket option.
callkind-getsockopt-tip = getsockopt(level, option): read an option as the kernel applied it.
callkind-setblocking-tip = setblocking(flag): True = calls wait; False = calls fail at once with EWOULDBLOCK instead of waiting.
callkind-settimeout-tip = settimeout(seconds): calls wait at most that long, then fail with a timeout.

## Segments and capture problems (engine/wire.rs)
segment-no-flags = none
segment-zero-window = { " · win 0" }
wire-problem-no-permission =
    Capturing the wire needs CAP_NET_RAW, which this program does not have. Grant it once with:
    {"    "}{ $command }
    or run the workbench as root. Everything else works without it, and the lessons that show the wire capture it in a private network of their own.
wire-problem-not-supported = The wire cannot be captured on this system: { $why }.
wire-problem-failed = Capturing the wire stopped: { $why }.

## The system socket table's problems (engine/proc_net.rs)
system-table-not-available = The system socket table is not available on this operating system (it is read from /proc/net, which only Linux has).
system-table-unreadable = could not read { $path }: { $error }
system-table-bad-line = { $path } line { $line }: { $problem }
system-table-too-few-fields = { $found } fields, expected at least { $expected }
system-table-not-slot = '{ $text }' is not a slot number
system-table-not-socket-number = '{ $text }' is not a socket number
system-table-not-hex = { $field } '{ $text }' is not hex
system-table-not-number = { $field } '{ $text }' is not a number
system-table-no-port = address '{ $text }' has no ':port'
system-table-address-length = address '{ $address }' is not { $digits } hex digits
system-table-unknown-tcp-state = unknown TCP state { $code }
system-table-not-queues = queues '{ $text }' are not tx:rx
system-table-not-inet = not an inet protocol

## Typed text and hex that are not bytes; line endings (codec.rs)
input-error-at = at character { $position }: { $problem }
input-error-not-in-encoding = '{ $ch }' cannot be written in { $encoding } (use UTF-8 or \xNN)
input-error-lone-backslash = a lone '\' at the end: write \\ for a backslash
input-error-short-hex-escape = \x needs two hex digits, e.g. \x0a
input-error-unknown-escape = unknown escape '{ $escape }' (known: \r \n \t \0 \\ \' \" \xNN)
input-error-odd-hex-digits = odd number of hex digits: a byte is two digits (e.g. 0a)
input-error-not-hex-digit = '{ $ch }' is not a hex digit (0-9, a-f)
line-ending-none = none

## A socket other machines can reach (ui/sockets.rs, ui/stage.rs, ui/system_table.rs)
address-reachable-from-network = reachable from the network

## What the engine could not do, and the notices that say so (engine/registry.rs, ui/mod.rs)
engine-error-no-such-socket = socket { $socket } does not exist (closed?)
engine-error-create = socket(): { $name }: { $explanation }
engine-error-thread = could not start a thread for the socket: { $why }
notice-socket-failed = socket() failed: { $error }
notice-failed-on-socket = { $what } on socket { $socket }: { $error }
notice-cancel = cancel
notice-automation = automatic behaviour
notice-kernel-snapshot = kernel snapshot

## Script and lesson files: what is wrong in a file (src/script/parse.rs, lex.rs, mod.rs). Call
## names, keywords, constants and Python literals stay as written.

lex-token-name = '{ $name }'
lex-token-number = { $value }
lex-token-string = the string '{ $text }'
lex-token-bytes = a bytes literal
lex-unexpected-character = unexpected character '{ $char }'
lex-not-a-number = not a valid number
lex-not-a-valid-number = '{ $digits }' is not a valid number
lex-number-too-large = the number { $digits } is too large
lex-string-not-closed = this string has no closing { $quote }
lex-bytes-not-closed = this bytes literal has no closing { $quote }
lex-hex-escape = \x needs two hex digits, e.g. \x41 or \xff
lex-hex-escape-short = \x needs two hex digits
lex-octal-escape-too-large = octal escape \{ $octal } is over \377
lex-unicode-escape = \{ $escape } needs { $width } hex digits of a character
lex-unknown-escape-string = unknown escape \{ $escape } in a string (known: \n \r \t \0 \xNN \\ \' \")
lex-unknown-escape-bytes = unknown escape \{ $escape } in a bytes literal (known: \n \r \t \0 \xNN \\ \' \")
lex-bytes-ascii-only = '{ $char }' in a bytes literal: bytes literals hold ASCII only; write '{ $char }'.encode() for text, or \xNN for a byte (inside a TOML "..." string write \\xNN, or use a TOML '...' string)
parse-text-expected = a string, or `en` and `zh` strings (say.en = "…", say.zh = "…")
parse-toml = { $message }
parse-toml-unknown-field = { $message } (a script has title, intro, timeout_ms, show, stage, own_network and [[step]] tables; a step has say, do, stage and key)
parse-timeout-not-positive = timeout_ms must be a positive number of milliseconds, not { $value }
parse-no-steps = the script has no steps: add [[step]] tables with do = [...]
parse-stage-not-a-socket = stage: '{ $name }' is not a socket of this script by this step (sockets: { $sockets })
parse-stage-one-socket = stage: '{ $view }' shows one socket: write '{ $view } NAME'
parse-stage-no-names = stage: '{ $view }' takes no socket names
parse-stage-unknown-view = stage: unknown view '{ $view }' (views: timeline [sockets], kernel SOCKET, received SOCKET, system, python, calls, wire)
parse-kind-socket = a socket
parse-kind-bytes = bytes (received by an earlier call)
parse-kind-address = an address
parse-value-integer = the integer { $value }
parse-value-number = the number { $value }
parse-value-bytes = a bytes value
parse-value-bool = { $value }
parse-value-none = None
parse-value-tuple = a tuple
parse-value-flags = a combination of flags
parse-value-call = { $name }(...)
parse-did-you-mean = { " " }(did you mean { $name }?)
parse-end-of-action = the end of the action
parse-expected = expected { $what }, found { $found }
parse-after = after { $what }
parse-expected-punct = expected '{ $punct }' { $context }, found { $found }
parse-unexpected-after = unexpected { $found } after { $after }
parse-empty-action = empty action
parse-sleep-needs-duration = sleep needs a duration, e.g. sleep 200ms
parse-after-duration = the duration
parse-after-wire-on-off = wire on / wire off
parse-after-expectation = the expectation
parse-wire-takes-names = wire() takes the names of one or two sockets: wire(client, server)
parse-wire-one-or-two = wire() takes one or two sockets: wire(client, server) counts the segments between them, wire(client) those to or from it
parse-system-one-address = system() takes one address: system(server), system(addr), system(('127.0.0.1', 8080))
parse-unlink-path = os.unlink takes the socket file's path: os.unlink('/tmp/demo.sock')
parse-unlink-one-path = os.unlink takes one path
parse-want-socket-name = a socket name
parse-want-code = { $code }
parse-expected-socket-socket = expected socket.socket(...)
parse-call-needs-socket = { $call }() needs a socket: write NAME.{ $call }(...), e.g. server.{ $call }(...)
parse-not-a-call = '{ $name }(...)' is not a call; write SOCKET.CALL(...), e.g. server.listen(5)
parse-after-socket-name = after the socket name '{ $name }'
parse-want-call-name = a call name such as recv
parse-unknown-call = unknown call '{ $call }'{ $hint }
parse-no-background = '&' runs a socket call in the background; { $call }() does not wait, so it takes no '&'
parse-no-value-to-assign = { $call }() gives no value to assign to a name
parse-takes-no-arguments = { $call }() takes no arguments
parse-want-name = a name
parse-name-socket = 'socket' is the function that creates sockets; pick another name
parse-name-constant = '{ $name }' looks like a constant; names are written in lower case
parse-name-is-call = '{ $name }' is a call's name; pick another name
parse-between-names = between names
parse-name-not-socket = '{ $name }' is { $kind }, not a socket
parse-create-it-first = { " " }(create it first: { $name } = socket(AF_INET, SOCK_STREAM))
parse-no-such-socket = no socket named '{ $name }'{ $hint }
parse-socket-no-background = socket() does not wait; it takes no '&'
parse-socket-needs-name = give the new socket a name: server = socket(AF_INET, SOCK_STREAM)
parse-socket-makes-one = socket() makes one socket: write name = socket(...)
parse-socket-no-such-argument = socket() has no argument '{ $name }' (family, type, proto)
parse-want-family = a family (AF_INET, AF_INET6, AF_UNIX)
parse-want-type = a type (SOCK_STREAM, SOCK_DGRAM)
parse-only-protocol-0 = only protocol 0 (the default) is supported
parse-socket-too-many-arguments = socket() takes at most 3 arguments
parse-want-await-name = a socket name after await
parse-want-await-call = a call name
parse-nothing-to-await = nothing started with '&' on '{ $name }' is left to await here (start it first: &{ $name }.{ $call }(...))
parse-nothing-to-await-call = nothing started with '&' on '{ $name }' { $call }() is left to await here (start it first: &{ $name }.{ $call }(...))
parse-no-value-to-keep = { $call }() gives no value to keep; only accept, recv, recvfrom, getsockname and getpeername results can be named
parse-gives-values = { $call }() gives { $count } value(s): { $shape }
parse-missing-close-paren = missing ')'
parse-expected-comma-or-close = expected ',' or ')', found { $found }
parse-product-too-large = the product is too large
parse-bad-star = '*' repeats bytes (b'x' * 100) or multiplies integers, not { $left } and { $right }
parse-nested-too-deep = values are nested more than { $limit } deep
parse-minus-before = '-' before { $value }
parse-want-value = a value
parse-to-close-paren = to close the '('
parse-string-only-encode = strings have only .encode() here, not .{ $method }()
parse-encode-takes-name = encode takes an encoding name, e.g. 'utf-8'
parse-cannot-encode = '{ $char }' cannot be encoded in { $encoding }
parse-encoding-not-available = encoding '{ $encoding }' is not available in scripts (use 'utf-8', 'ascii' or 'latin-1', or write the bytes as b'\xNN')
parse-number-not-constant = { $what } is a number, not { $name }{ $hint }
parse-number-not = { $what } is a number, not { $value }
parse-cannot-be-negative = { $what } cannot be negative
parse-over-byte-limit = { $what } { $value } is over the limit of { $limit } bytes
parse-send-takes-bytes = send takes bytes, not a str: write b'{ $text }' or '{ $text }'.encode()
parse-name-not-bytes = '{ $name }' is { $kind }, not bytes
parse-nothing-named = nothing named '{ $name }'{ $hint }
parse-want-bytes = bytes such as b'hello'
parse-port-not-number = a port is a number 0-65535, not { $value }
parse-port-negative = port { $port } is negative (ports are 0-65535)
parse-port-too-large = port { $port } is over 65535
parse-host-not-string = the host is a string such as '127.0.0.1', not { $value }
parse-not-ipv4 = '{ $host }' is not an IPv4 address: four numbers 0-255 separated by dots
parse-address-tuple = an address tuple is ('host', port)
parse-unix-address-path = an AF_UNIX address is a path such as '/tmp/demo.sock'
parse-name-not-address = '{ $name }' is { $kind }, not an address
parse-no-such-address = no socket or address named '{ $name }'{ $hint }
parse-not-an-address = an address is ('host', port), a path '/tmp/x.sock' or a socket's name, not { $value }
parse-unknown-flag = unknown flag { $name }{ $hint } (MSG_PEEK, MSG_WAITALL, MSG_DONTWAIT)
parse-flags-not = flags are MSG_PEEK | MSG_WAITALL | MSG_DONTWAIT, not { $value }
parse-no-send-flags = flags for send are not supported (only 0)
parse-want-option = an option name such as SO_REUSEADDR
parse-unknown-option-known = unknown option { $name }; known: { $known }
parse-unknown-option = unknown option { $name }{ $hint }
parse-want-level = a level such as { $level }
parse-unknown-level = unknown level { $level }{ $hint }
parse-wrong-level = { $option } is set at level { $level }, not { $given }
parse-option-takes-integer = { $option } takes an integer, not { $value }
parse-linger-usage = SO_LINGER takes struct.pack('ii', onoff, seconds) or linger(seconds) / linger(None)
parse-linger-negative = the linger time must be 0 or more seconds
parse-what-linger-time = the linger time
parse-inet-aton-string = inet_aton takes an address string
parse-want-address-string = an address string
parse-membership-usage = { $option } takes membership('group', 'interface'), ('group', 'interface') or 'group'
parse-arguments-without-names = write the arguments without names: { $usage }
parse-missing-argument = missing argument: { $usage }
parse-too-many-arguments = too many arguments: { $usage }
parse-option-write-only = { $option } can only be set, not read
parse-setblocking-takes = setblocking takes True or False, not { $value }
parse-settimeout-takes = settimeout takes seconds (0.5, 2) or None, not { $value }
parse-timeout-negative = a timeout cannot be negative (Python raises ValueError)
parse-timeout-too-large = this timeout is too large
parse-usage-sendto = sendto(data, address) or sendto(data, flags, address)
parse-what-backlog = the backlog
parse-backlog-too-large = the backlog is too large
parse-want-shutdown = SHUT_RD, SHUT_WR or SHUT_RDWR
parse-responder-not-name = a responder is a name, not { $value }
parse-unknown-responder = unknown responder '{ $name }'{ $hint }; responders: { $responders }
parse-auto-usage = auto() takes accept, receive, respond='echo', flood=BYTES_PER_SEC, to=ADDRESS, chunk=N, total=N, bufsize=N, or off
parse-unknown-automation = unknown automatic behaviour '{ $name }'{ $hint } (accept, receive, respond='NAME', flood=N, off)
parse-what-flood = flood (bytes per second, 0 = as fast as possible)
parse-auto-no-option = auto() has no option '{ $name }'{ $hint }
parse-flood-options = to=, chunk= and total= go with flood=BYTES_PER_SEC
parse-what-duration = a duration
parse-unknown-time-unit = unknown time unit '{ $unit }' (us, ms, s, min)
parse-add-time-unit = add a time unit to the number: 200ms, 1.5s, 2min
parse-duration-too-long = this duration is too long
parse-expectations-follow-arrow = { " " }(expectations follow '=>', e.g. => 5)
parse-unexpected-after-call = unexpected { $found } after the call{ $hint }
parse-no-result-to-check = cancel() and auto() have no result to check
parse-unlink-check = os.unlink() is checked with ok, None or an errno (ENOENT)
parse-expected-expectation = expected an expectation after '=>' or ','
parse-between-expectations = between expectations
parse-want-field = a field such as { $field }
parse-no-such-field = { $call }() has no field '{ $field }'{ $hint }; fields: { $fields }
parse-expected-count-comparison = expected a comparison: { $field } == 1
parse-expected-count = expected a count: { $field } == 1
parse-expected-comparison = expected a comparison after { $field }: { $field } == VALUE
parse-expected-number-or-name = expected a number or a name such as ESTABLISHED
parse-names-compare = names compare only with == and !=
parse-expected-duration = expected a duration: blocks >= 200ms
parse-addresses-compare = addresses compare only with == and !=
parse-expected-ephemeral = expected 'ephemeral' (port in ephemeral: the kernel's range for ports it picks, /proc/sys/net/ipv4/ip_local_port_range)
parse-hosts-compare = hosts compare only with == and !=
parse-expected-host-string = expected the host as a string: host == '127.0.0.1'
parse-not-an-ip = '{ $host }' is not an IP address (host == '127.0.0.1', '::1')
parse-unknown-expectation-field = unknown field '{ $field }' (after a call: value, len, blocks, from, peer, port, host; after kernel(): { $fields })
parse-unknown-errno = unknown errno name { $name }{ $hint }
parse-unknown-expectation = unknown expectation '{ $word }'{ $hint }; expected a number, b'bytes', an errno name (ECONNREFUSED), ok, None, timeout, cancelled, eof, truncated, blocks >= 100ms, from == ADDRESS, or an address
parse-unknown-expectation-for-call = unknown expectation '{ $word }'{ $hint } for { $call }(); expected a number, b'bytes', an errno name (ECONNREFUSED), ok, None, timeout, cancelled, eof, truncated, blocks >= 100ms, from == ADDRESS, or an address
parse-not-an-expectation = { $value } is not an expectation
parse-returns-no-bytes = { $call }() returns no bytes; b'...' and eof are for recv and recvfrom
parse-cannot-be-truncated = { $call }() cannot be truncated
parse-from-is-for-recvfrom = from == ... is for recvfrom, not { $call }()
parse-returns-no-address = { $call }() returns no address; addresses are checked after accept, getsockname and getpeername
parse-bytes-over-limit = { $total } bytes is over the limit of { $limit } bytes
script-file-cannot-read = cannot read: { $error }
script-file-invalid-utf8 = invalid UTF-8 (byte { $byte }); save the file as UTF-8

## An address typed in one field (engine/command.rs)
address-unix-is-path = a Unix socket address is a path, e.g. /tmp/demo.sock
address-missing-bracket = '{ $text }': missing ']' after the IPv6 address
address-expected-port-after-bracket = '{ $text }': expected ':port' after ']'
address-expected-host-port = '{ $text }': expected host:port (for IPv6 write [::1]:port)

## A teacher's file in one language (ui/presenting.rs)
script-other-language = (this file is written in one language only: shown as written)
script-other-language-tip = The file has no text in the language chosen; its words are shown in the language it was written in. A lesson file can carry both: title.en and title.zh, say.en and say.zh.

## Workspaces
workspace-table-malformed = the [workspace] table cannot be read: { $message }

## Framing
## Splitting a received byte stream into messages (messages/framing.rs)
framing-rule-line = lines (each ends at \n or \r\n)
framing-rule-delimiter = delimiter { $delimiter }
framing-rule-fixed = fixed size, { $size ->
        [one] 1 byte
       *[other] { $size } bytes
    } each
framing-rule-prefix = length prefix, { $width ->
        [one] 1 byte
       *[other] { $width } bytes
    }{ $order ->
        [big] , big-endian
        [little] , little-endian
       *[none] {""}
    }{ $itself ->
        [yes] , counting itself
       *[no] {""}
    }
framing-line-too-long = a line longer than { $cap ->
        [one] 1 byte
       *[other] { $cap } bytes
    }: skipped up to the next line ending
framing-delimited-too-long = more than { $cap ->
        [one] 1 byte
       *[other] { $cap } bytes
    } without the delimiter: skipped up to the next delimiter
framing-length-over-cap = the length prefix says { $length ->
        [one] 1 byte
       *[other] { $length } bytes
    }, over the limit of { $cap }: framing stopped (after a wrong length the message boundaries cannot be found again)
framing-length-shorter-than-prefix = the length prefix says { $length ->
        [one] 1 byte
       *[other] { $length } bytes
    }, less than the { $width }-byte prefix it counts: framing stopped (after a wrong length the message boundaries cannot be found again)
framing-message = message, { $size ->
        [one] 1 byte
       *[other] { $size } bytes
    }{ $chunks ->
        [1] {""}
       *[other] , arrived in { $chunks } recv chunks
    }
framing-skipped = skipped { $size ->
        [one] 1 byte
       *[other] { $size } bytes
    } (not split into messages)
framing-incomplete = the stream ended in the middle of a message: { $size ->
        [one] 1 byte
       *[other] { $size } bytes
    } left over
framing-error-empty-delimiter = the delimiter is empty: type at least one byte, such as \r\n or |
framing-error-delimiter-too-long = the delimiter is { $size } bytes long; at most { $max }
framing-error-fixed-size-zero = a fixed size is at least 1 byte
framing-error-fixed-size-over-cap = a fixed size of { $size } bytes is over the limit of { $cap } bytes
framing-error-payload-too-long = a { $width }-byte length prefix fits at most { $max } bytes here; this message is { $size } bytes
workspace-entry-malformed = { $entry } cannot be read: { $message }

## Saved messages: templates and checksums
template-unclosed = { "${" } is not closed: a placeholder ends with { "}" } (in text, write \x24{ "{" } for a literal { "${" })
template-unknown-placeholder = unknown placeholder { $placeholder } (known: { $known })
template-counter-form = { $placeholder }: unknown counter form '{ $argument }' (without one the counter is written in decimal; in binary: { $forms })
template-byte-order = { $placeholder }: unknown byte order '{ $argument }' (be: high byte first, le: low byte first; without one: { $default })
template-random-missing = { $placeholder } needs the number of bytes, from 1 to { $max }: { "${" }random:4{ "}" }
template-random-count = { $placeholder }: the number of random bytes must be from 1 to { $max }, not '{ $argument }'
template-no-argument = { $placeholder } takes no argument
template-time-format = { $placeholder }: '{ $format }' is not a time format (e.g. %H:%M:%S or %Y-%m-%d; write %% for a literal %)
template-no-local-address = { $placeholder }: this socket has no address of its own yet (bind or connect it first)
template-no-peer-address = { $placeholder }: this socket has no peer (connect it first)
template-not-in-encoding = { $placeholder }: '{ $ch }' in '{ $text }' cannot be written in { $encoding }
template-time-failed = { $placeholder }: the time could not be written in this format
trust-other-host = connects or sends to { $host }, another machine
trust-all-interfaces = binds { $host }: reachable from the network
trust-file-outside = uses the file { $path }, outside the file's folder
trust-multicast = joins the multicast group { $group }
trust-flood = floods: sends as fast as the socket can take
trust-line = line { $line }: { $what } — { $action }
trust-refused = { $file } would do what is listed below, beyond this machine's loopback and its own folder. It was not run. Run it anyway with --trust if you know what it does.

## Importing Packet Sender's packets
## Importing Packet Sender's packets.ini and JSON export as saved messages (messages/packet_sender.rs)
import-summary = imported { $imported ->
        [one] 1 packet
       *[other] { $imported } packets
    }{ $skipped ->
        [0] {""}
       *[other] , skipped { $skipped }
    }
import-skipped = { $name }: { $reason }
import-skip-not-stored = the list of names has it, but the file holds nothing under that name
import-skip-not-a-packet = this entry of the list is not a packet (a packet is an object with name, hexstring, toip, port, tcporudp)
import-skip-bad-hex = its hex data cannot be read: { $problem }
import-skip-kind = its kind is { $kind }; only TCP and UDP packets can be imported
import-skip-no-kind = it does not say whether it is TCP or UDP
import-skip-no-port = it has an address but no port
import-skip-bad-port = its port “{ $port }” is not a number from 1 to 65535
import-skip-bad-address = its address “{ $address }” is not a host name or an IP address
import-skip-repeat-not-a-number = its resend interval “{ $value }” is not a number of seconds
import-skip-repeat-too-long = its resend interval of { $value } seconds is longer than a day ({ $max } seconds)
import-error-too-large = the file is { $bytes } bytes; at most { $max } bytes (16 MiB) are read
import-error-too-many = the file holds more than { $max } packets
import-error-empty = the file is empty
import-error-json-syntax = this is not valid JSON here ({ $detail })
import-error-json-ends = the file ends in the middle of the JSON: a bracket or a quote is not closed
import-error-json-not-a-list = a Packet Sender export is a list of packets in square brackets [ ]; this file holds something else
import-error-ini-no-list = no list of packets: a Packet Sender packets.ini has a [NAMES] section with a size=… line
import-error-ini-bad-size = the number of packets, size=“{ $value }”, is not a number
import-error-ini-section-not-closed = this section name has no closing ]
import-error-ini-no-equals = this line is neither a [section] nor a key=value pair
import-error-ini-quote-not-closed = this quote is never closed
trust-binds-network = binds { $host }, an address on the network, not loopback
workspace-menu = Workspace
workspace-menu-tip = keep this setup in a file and open it again: the sockets and how they were set up, the composers, saved messages and reply rules
workspace-open = Open workspace…
workspace-save = Save workspace
workspace-save-tip = write the workspace to { $file } again
workspace-save-as = Save workspace as…
workspace-save-as-tip = write the workspace to a file you choose
workspace-restore-last = Open the last workspace at start
workspace-restore-last-tip = when the window opens, rebuild the sockets it had when it last closed
workspace-open-title = Open a workspace
workspace-save-title = Save the workspace
workspace-file = File:
workspace-browse = Browse…
workspace-browse-tip = choose the file in your desktop's file dialog
workspace-browsing = The file dialog is open (if none appears, type the path).
workspace-open-button = Open
workspace-save-button = Save
workspace-cancel = Cancel
workspace-no-file = Type a file's path, or choose one with Browse.
workspace-save-failed = { $file } could not be written: { $error }
workspace-saved = Saved to { $file }.
workspace-newer-version = This file was written by a newer Socket Workbench (workspace version { $version }): what this version knows was restored.
workspace-unknown-keys = Keys this version does not know were left out: { $keys }
workspace-composer-no-socket = The composer of { $name } has no socket of that name to go to.
workspace-composer-unreadable = The composer of { $name } could not be read: { $error }
workspace-setup-failed = { $name }: { $call } -> { $result }
workspace-restored-partly = Not everything could be rebuilt:
workspace-dismiss = OK
consent-title = This file reaches beyond this machine
consent-intro = { $file } was not written by this workbench (or changed since). Before it runs, this is what it would do beyond this machine's loopback and its own folder:
consent-question = Run it?
consent-run = Run it
consent-do-not-run = Don't run it
view-messages = Saved messages
view-messages-tip = named messages kept with the workspace: one click sends one to the selected socket (Ctrl+1 … Ctrl+9 the first nine); import Packet Sender's packets here
messages-none = there is no such saved message
messages-not-sent = { $name } was not sent: { $error }
messages-strip = Saved:
messages-preview = { $size } B: { $bytes }
messages-new = New message
messages-new-name = message { $number }
messages-send-to = Send goes to { $name }
messages-select-a-socket = Select a socket to send to
messages-copy-name = { $name } (copy)
messages-name = Name:
messages-send = Send
messages-send-tip = send it from the selected socket, with the call chosen below (placeholders filled in now)
messages-up = Up
messages-down = Down
messages-duplicate = Duplicate
messages-delete = Delete
messages-body = Body:
messages-body-tip = text with escapes (\n, \xNN) or hex digits; placeholders: ${"{"}counter{"}"}, ${"{"}time:%H:%M:%S{"}"}, ${"{"}random:4{"}"}, ${"{"}local{"}"}, ${"{"}peer{"}"}, checksums such as ${"{"}crc16_modbus{"}"} over the bytes before them
messages-destination = To:
messages-destination-tip = sendto's destination (127.0.0.1:9000); empty: the composer's
messages-file = Import or export file:
messages-import = Import
messages-import-tip = add the messages of a file: one exported here, or Packet Sender's packets.ini or JSON export
messages-export = Export
messages-imported = { $count } messages imported from { $file }.
messages-exported = { $count } messages written to { $file }.
messages-export-failed = { $file } could not be written: { $error }

## Reply rules
rules-responder = reply rules
rules-rule-label = rule { $rule }
rules-error-pattern = rule { $rule }: its pattern: { $problem }
rules-error-regex = rule { $rule }: its regular expression does not compile: { $message }
rules-error-no-message = rule { $rule }: it replies with '{ $name }', and no saved message has that name
rules-error-reply = rule { $rule }: its reply '{ $name }' cannot be used: { $problem }
rules-error-answer = rule { $rule } matched, but its reply '{ $name }' could not be made: { $problem }
rules-script-none = respond='rules' answers by the file's reply rules, and this file has none: add [[workspace.rule]] tables (match, pattern, format, reply) and the [[workspace.message]] tables they reply with
rules-script-unusable = respond='rules': the file's reply rules cannot be used: { $error }
rules-none-yet = there are no reply rules yet (add them in the Saved messages view)
rules-heading = Reply rules
rules-new = New rule
rules-apply = Apply
rules-apply-tip = sockets that answer by reply rules take the rules as they are now
rules-pattern = Pattern:
rules-reply = Reply:
rules-match-exact = is exactly
rules-match-prefix = starts with
rules-match-contains = contains
rules-match-regex = matches the regular expression
workspace-unknown-view = The view '{ $name }' is not one this version has.
script-file-too-large = { $size } bytes is too large for a script or workspace (at most { $max }): not read
workspace-new = New workspace
workspace-new-tip = close every socket and start with no saved messages or rules

## Received view: the stream split into messages (ui/framing_view.rs)
received-framing = Split into messages:
received-framing-tip = Split this socket's byte stream into messages by a rule and show them beside the recv chunks: three sends that arrived in one recv are three messages, one message that took two recvs is one
received-framing-none = no
received-framing-line = lines
received-framing-delimiter = delimiter
received-framing-fixed = fixed size
received-framing-prefix = length prefix
received-framing-delimiter-field = Delimiter:
received-framing-delimiter-hint = \r\n or |
received-framing-delimiter-tip = The bytes that end each message, as text with escapes (\r \n \t \xNN) in the view's encoding
received-framing-size-field = Bytes each:
received-framing-size-bad = '{ $text }' is not a whole number of bytes
received-framing-unusable = Cannot split into messages: { $error }
received-framing-prefix-width = Prefix:
received-framing-prefix-bytes = { $count ->
        [one] 1 byte
       *[other] { $count } bytes
    }
received-framing-prefix-order = Byte order:
received-framing-prefix-big = big-endian
received-framing-prefix-little = little-endian
received-framing-prefix-itself = counts itself
received-framing-prefix-itself-tip = The length counts the prefix's own bytes as well as the payload's
received-framing-count = { $count ->
        [one] 1 message
       *[other] { $count } messages
    } · { $rule }
received-framing-earlier = · { $count ->
        [one] 1 earlier message
       *[other] { $count } earlier messages
    } not shown
received-framing-restart = Split again from the next chunk
received-framing-restart-tip = After a wrong length the message boundaries cannot be found again by themselves: start afresh with the next recv chunk, taking it to begin a message
received-framing-none-yet = No whole message yet.
received-framing-chunks = Recv chunks, as they arrived
received-framing-at = at #{ $chunk }{ $offset ->
        [0] {""}
       *[other] {" "}+ { $offset }
    }
received-framing-shown-first = the first { $count } bytes shown
received-framing-gap = { $count ->
        [one] 1 recv chunk was
       *[other] { $count } recv chunks were
    } dropped (the memory cap, or Clear) before being split: the messages cannot be followed exactly here; splitting starts again at #{ $next }
received-framing-sampled = #{ $chunk }: the automatic receive kept only a sample of { $calls ->
        [one] 1 recv call
       *[other] { $calls } recv calls
    } ({ $bytes }): the messages cannot be followed exactly here; splitting starts again after it
received-framing-unfinished = ; the unfinished message they cut short ({ $size ->
        [one] 1 byte
       *[other] { $size } bytes
    }) is not shown
received-framing-restarted = splitting starts again at #{ $chunk }

## Composer: a length prefix before the payload; a repeat of a saved message
composer-prefix = add a length prefix
composer-prefix-tip = Put the payload's length in front of it (after the line ending is added), as the received view's length-prefix framing reads it
composer-repeat-saved-source = sending
composer-repeat-saved-own = this composer's payload
composer-repeat-saved-message = saved message { $name }
composer-repeat-saved-tip = Repeat this composer's payload, or a saved message: it is sent as it says (send, sendall or sendto), its placeholders filled in at each send, so ${"{"}counter{"}"} advances
composer-repeat-saved-gone = there is no saved message named '{ $name }' (any more)
workspace-received-unreadable = How { $name }'s received data is shown could not be read: { $error }
parse-script-bytes-over-limit = the script's data, all its actions together, is over the limit of { $limit } bytes
parse-integer-too-large = this number is too large
