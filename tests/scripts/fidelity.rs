//! The differential suite: every scenario runs on real sockets through the workbench and,
//! independently, through CPython (python3), and must give the same result call by call —
//! value, errno, and whether the call blocked. See tests/differential/mod.rs.

use crate::differential;

use differential::assert_same;

/// One test per scenario: `name => [actions...]` in the workbench's script notation.
macro_rules! scenarios {
    ($($name:ident => [$($action:expr),* $(,)?];)*) => {
        $(
            #[test]
            fn $name() {
                assert_same(stringify!($name), &[$($action),*]);
            }
        )*
    };
}

scenarios! {
    tcp_exchange_blocking => [
        "srv = socket(AF_INET, SOCK_STREAM)",
        "srv.bind(('127.0.0.1', 0))",
        "srv.listen(5)",
        "&conn, addr = srv.accept()",
        "cli = socket(AF_INET, SOCK_STREAM)",
        "cli.connect(srv)",
        "await srv",
        "cli.send(b'hello')",
        "conn.recv(1024)",
        "conn.sendall(b'HELLO')",
        "cli.recv(2)",
        "cli.recv(1024)",
        "cli.getpeername()",
        "conn.getsockname()",
        "cli.close()",
        "conn.recv(1024)",
        "conn.recv(1024)",
        "conn.close()",
        "srv.close()",
    ];
}

// A TCP server `srv` listening on 127.0.0.1 and a connected client `cli`; `conn` is the
// server's side. Written out in each scenario so that each reads on its own.
scenarios! {
    recv_zero_returns_empty_bytes_in_every_mode => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "cli.recv(0)",
        "cli.settimeout(0.3)", "cli.recv(0)",
        "cli.setblocking(False)", "cli.recv(0)",
        "conn.send(b'data')", "sleep 50ms", "cli.recv(0)", "cli.recv(10)",
    ];
    connect_refused_then_again_when_listening_blocking => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))",
        "cli = socket(AF_INET, SOCK_STREAM)",
        "cli.connect(srv)",
        "srv.listen(1)",
        "cli.connect(srv)",
        "cli.send(b'x')",
        "cli.connect(srv)",
    ];
    connect_refused_then_again_timeout_mode => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.settimeout(2)",
        "cli.connect(srv)",
        "srv.listen(1)",
        "cli.connect(srv)",
        "cli.connect(srv)",
        "cli.connect(srv)",
    ];
    connect_refused_non_blocking => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.setblocking(False)",
        "cli.connect(srv)",
        "sleep 50ms",
        "cli.getsockopt(SOL_SOCKET, SO_ERROR)",
        "cli.connect(srv)",
        "srv.listen(1)",
        "cli.connect(srv)",
        "sleep 50ms",
        "cli.connect(srv)",
        "cli.connect(srv)",
    ];
    second_connect_on_a_connected_socket_blocking => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)",
        "cli.connect(srv)",
        "cli.connect(srv)",
        "cli.connect(('127.0.0.1', 9))",
    ];
    second_connect_on_a_connected_socket_timeout_mode => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.settimeout(1)",
        "cli.connect(srv)",
        "cli.connect(srv)",
        "cli.connect(srv)",
    ];
    connect_non_blocking_in_progress_then_connected => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.setblocking(False)",
        "cli.connect(srv)",
        "sleep 50ms",
        "cli.connect(srv)",
        "cli.connect(srv)",
        "cli.getpeername()",
    ];
    accept_in_each_mode => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(2)",
        "srv.setblocking(False)", "srv.accept()",
        "srv.settimeout(0.2)", "srv.accept()",
        "srv.setblocking(True)", "&srv.accept()",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)",
        "await srv",
        "two = socket(AF_INET, SOCK_STREAM)", "two.connect(srv)",
        "srv.accept()",
    ];
    recv_in_each_mode => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "cli.setblocking(False)", "cli.recv(10)",
        "cli.settimeout(0.2)", "cli.recv(10)",
        "cli.settimeout(None)", "&cli.recv(10)",
        "conn.send(b'abc')",
        "await cli",
        "conn.send(b'defgh')", "sleep 50ms",
        "cli.recv(3)", "cli.recv(10)",
    ];
    recv_waitall_blocking_waits_for_all => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "conn.send(b'abc')", "sleep 50ms",
        "&cli.recv(10, MSG_WAITALL)",
        "conn.send(b'defg')",
        "sleep 50ms",
        "conn.send(b'hijklm')",
        "await cli",
        "cli.recv(10)",
    ];
    recv_waitall_timeout_mode_returns_what_is_queued => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "cli.settimeout(1)",
        "conn.send(b'abc')", "sleep 50ms",
        "cli.recv(10, MSG_WAITALL)",
        "&cli.recv(10, MSG_WAITALL)",
        "conn.send(b'de')",
        "await cli",
        "cli.settimeout(0.2)",
        "cli.recv(10, MSG_WAITALL)",
    ];
    recv_waitall_non_blocking => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "cli.setblocking(False)",
        "cli.recv(10, MSG_WAITALL)",
        "conn.send(b'abc')", "sleep 50ms",
        "cli.recv(10, MSG_WAITALL)",
    ];
    recv_waitall_ends_at_eof => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "&cli.recv(10, MSG_WAITALL)",
        "conn.send(b'abc')",
        "conn.close()",
        "await cli",
        "cli.recv(10, MSG_WAITALL)",
    ];
    recv_peek_and_dontwait => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "cli.recv(10, MSG_DONTWAIT)",
        "conn.send(b'hello')", "sleep 50ms",
        "cli.recv(3, MSG_PEEK)",
        "cli.recv(10, MSG_PEEK)",
        "cli.recv(2)",
        "cli.recv(10, MSG_PEEK | MSG_DONTWAIT)",
        "cli.recv(10)",
        "cli.recv(10, MSG_DONTWAIT)",
    ];
    eof_then_send_to_a_closed_peer => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "conn.close()",
        "cli.recv(10)",
        "cli.recv(10)",
        "cli.send(b'one')",
        "sleep 50ms",
        "cli.send(b'two')",
        "cli.send(b'three')",
        "cli.recv(10)",
    ];
    reset_by_linger_zero => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "conn.setsockopt(SOL_SOCKET, SO_LINGER, linger(0))",
        "conn.getsockopt(SOL_SOCKET, SO_LINGER)",
        "conn.close()",
        "sleep 50ms",
        "cli.recv(10)",
        "cli.recv(10)",
        "cli.send(b'x')",
        "cli.getpeername()",
    ];
    reset_by_unread_data_then_send_first => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "conn.send(b'unread')",
        "sleep 50ms",
        "cli.close()",
        "sleep 50ms",
        "conn.send(b'x')",
        "conn.send(b'x')",
        "conn.recv(10)",
    ];
    ipv6_only_fresh_and_after_binding_loopback => [
        "a = socket(AF_INET6, SOCK_STREAM)",
        "a.getsockopt(IPPROTO_IPV6, IPV6_V6ONLY)",
        "a.bind(('::1', 0))",
        "a.getsockopt(IPPROTO_IPV6, IPV6_V6ONLY)",
        "b = socket(AF_INET6, SOCK_STREAM)",
        "b.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1)",
        "b.bind(('::ffff:127.0.0.1', 0))",
    ];
    dual_stack_listener_accepts_an_ipv4_client => [
        "srv = socket(AF_INET6, SOCK_STREAM)",
        "srv.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 0)",
        "srv.bind(('::ffff:127.0.0.1', 0))",
        "srv.listen(5)",
        "srv.getsockname()",
        "cli = socket(AF_INET, SOCK_STREAM)",
        "cli.connect(srv)",
        "conn, addr = srv.accept()",
        "cli.getpeername()",
        "conn.getsockname()",
        "conn.send(b'mapped')",
        "cli.recv(10)",
    ];
    udp_port_unreachable_reaches_only_a_connected_socket => [
        "u = socket(AF_INET, SOCK_DGRAM)",
        "u.sendto(b'anyone?', ('127.0.0.1', 1))",
        "sleep 50ms",
        "u.recv(100, MSG_DONTWAIT)",
        "u.connect(('127.0.0.1', 1))",
        "u.send(b'anyone?')",
        "sleep 50ms",
        "u.recv(100)",
        "u.recv(100, MSG_DONTWAIT)",
    ];
    reuseaddr_shares_a_port_only_without_a_listener => [
        "a = socket(AF_INET, SOCK_STREAM)",
        "a.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)",
        "a.bind(('127.0.0.1', 0))",
        "b = socket(AF_INET, SOCK_STREAM)",
        "b.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)",
        "b.bind(a)",
        "a.listen(5)",
        "b.listen(5)",
        "c = socket(AF_INET, SOCK_STREAM)",
        "c.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)",
        "c.bind(a)",
        "p = socket(AF_INET, SOCK_STREAM)",
        "p.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1)",
        "p.bind(('127.0.0.1', 0))",
        "p.listen(5)",
        "q = socket(AF_INET, SOCK_STREAM)",
        "q.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1)",
        "q.bind(p)",
        "q.listen(5)",
    ];
    reset_wakes_a_blocked_recv => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "conn.setsockopt(SOL_SOCKET, SO_LINGER, linger(0))",
        "&cli.recv(10)",
        "conn.close()",
        "await cli",
    ];
    shutdown_write_half_close => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "cli.send(b'request')",
        "cli.shutdown(SHUT_WR)",
        "conn.recv(100)",
        "conn.recv(100)",
        "conn.sendall(b'reply')",
        "cli.recv(100)",
        "cli.send(b'more')",
        "cli.shutdown(SHUT_WR)",
        "conn.close()",
        "cli.recv(100)",
    ];
    shutdown_read_then_recv => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "cli.shutdown(SHUT_RD)",
        "cli.recv(10)",
        "cli.setblocking(False)",
        "cli.recv(10)",
        "cli.send(b'still')",
        "conn.recv(10)",
    ];
    shutdown_both_and_blocked_recv => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "&cli.recv(10)",
        "cli.shutdown(SHUT_RDWR)",
        "await cli",
        "cli.send(b'x')",
        "conn.recv(10)",
    ];
    calls_on_an_unconnected_tcp_socket => [
        "s = socket(AF_INET, SOCK_STREAM)",
        "s.getsockname()",
        "s.getpeername()",
        "s.recv(10)",
        "s.send(b'x')",
        "s.sendall(b'x')",
        "s.shutdown(SHUT_WR)",
        "s.accept()",
        "s.listen(1)",
        "s.getsockname()",
        "s.connect(('127.0.0.1', 9))",
    ];
    bind_errors => [
        "a = socket(AF_INET, SOCK_STREAM)", "a.bind(('127.0.0.1', 0))", "a.listen(1)",
        "a.bind(('127.0.0.1', 0))",
        "b = socket(AF_INET, SOCK_STREAM)",
        "b.bind(a)",
        "b.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)",
        "b.bind(a)",
        "b.bind(('192.0.2.1', 0))",
        "b.bind(('127.0.0.1', 0))",
    ];
    listen_twice_and_after_connect => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))",
        "srv.listen(1)", "srv.listen(3)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)",
        "cli.listen(1)",
        "srv.connect(cli)",
    ];
    close_twice_and_calls_after_close => [
        "s = socket(AF_INET, SOCK_STREAM)", "s.bind(('127.0.0.1', 0))",
        "s.close()",
        "s.close()",
        "s.getsockname()",
        "s.listen(1)",
        "s.recv(10)",
        "s.setblocking(False)",
    ];
    close_while_recv_is_blocked_blocking => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "&conn.recv(10)",
        "conn.close()",
        "cli.send(b'late')",
        "await conn",
        "cli.recv(10)",
    ];
    close_while_accept_is_blocked => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "&srv.accept()",
        "srv.close()",
        "cli = socket(AF_INET, SOCK_STREAM)",
        "cli.connect(srv)",
        "await srv",
    ];
    socket_options_applied_values => [
        "s = socket(AF_INET, SOCK_STREAM)",
        "s.getsockopt(SOL_SOCKET, SO_REUSEADDR)",
        "s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)",
        "s.getsockopt(SOL_SOCKET, SO_REUSEADDR)",
        "s.setsockopt(SOL_SOCKET, SO_RCVBUF, 8192)",
        "s.getsockopt(SOL_SOCKET, SO_RCVBUF)",
        "s.setsockopt(SOL_SOCKET, SO_SNDBUF, 4096)",
        "s.getsockopt(SOL_SOCKET, SO_SNDBUF)",
        "s.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1)",
        "s.getsockopt(SOL_SOCKET, SO_KEEPALIVE)",
        "s.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1)",
        "s.getsockopt(IPPROTO_TCP, TCP_NODELAY)",
        "s.setsockopt(IPPROTO_IP, IP_TTL, 7)",
        "s.getsockopt(IPPROTO_IP, IP_TTL)",
        "s.getsockopt(SOL_SOCKET, SO_LINGER)",
        "s.setsockopt(SOL_SOCKET, SO_LINGER, linger(5))",
        "s.getsockopt(SOL_SOCKET, SO_LINGER)",
        "s.getsockopt(SOL_SOCKET, SO_ERROR)",
        "s.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1)",
        "s.getsockopt(SOL_SOCKET, SO_REUSEPORT)",
        "s.setsockopt(IPPROTO_IP, IP_TTL, 0)",
        "s.setsockopt(IPPROTO_IP, IP_TTL, 256)",
    ];
    sendall_blocks_until_the_peer_reads => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)",
        "cli.setsockopt(SOL_SOCKET, SO_SNDBUF, 65536)",
        "cli.connect(srv)", "conn, addr = srv.accept()",
        "conn.setsockopt(SOL_SOCKET, SO_RCVBUF, 65536)",
        "&cli.sendall(b'x' * 2000000)",
        "conn.recv(2000000, MSG_WAITALL)",
        "await cli",
    ];
    recvfrom_on_a_stream_socket => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "conn.send(b'stream')", "sleep 50ms",
        "cli.recvfrom(3)",
        "cli.recvfrom(10, MSG_PEEK)",
        "cli.recvfrom(10)",
        "cli.settimeout(0.2)",
        "cli.recvfrom(10)",
    ];
    close_while_recv_is_pending_timeout_mode => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "conn.settimeout(2)",
        "&conn.recv(10)",
        "conn.close()",
        "cli.send(b'late')",
        "await conn",
        "srv.settimeout(0.4)",
        "&srv.accept()",
        "srv.close()",
        "await srv",
    ];
    send_empty_bytes => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "cli.send(b'')",
        "cli.sendall(b'')",
        "conn.settimeout(0.2)",
        "conn.recv(10)",
    ];
}

scenarios! {
    udp_boundaries_and_truncation => [
        "a = socket(AF_INET, SOCK_DGRAM)", "a.bind(('127.0.0.1', 0))",
        "b = socket(AF_INET, SOCK_DGRAM)", "b.bind(('127.0.0.1', 0))",
        "b.sendto(b'one', a)", "b.sendto(b'two', a)", "b.sendto(b'0123456789', a)",
        "sleep 50ms",
        "a.recvfrom(100)",
        "a.recv(100)",
        "a.recvfrom(4)",
        "a.setblocking(False)",
        "a.recv(100)",
    ];
    udp_recv_in_each_mode => [
        "a = socket(AF_INET, SOCK_DGRAM)", "a.bind(('127.0.0.1', 0))",
        "b = socket(AF_INET, SOCK_DGRAM)",
        "a.setblocking(False)", "a.recvfrom(10)",
        "a.settimeout(0.2)", "a.recvfrom(10)",
        "a.settimeout(None)", "&a.recvfrom(10)",
        "b.sendto(b'ping', a)",
        "await a",
        "b.getsockname()",
    ];
    udp_recv_zero_discards_a_datagram => [
        "a = socket(AF_INET, SOCK_DGRAM)", "a.bind(('127.0.0.1', 0))",
        "b = socket(AF_INET, SOCK_DGRAM)",
        "b.sendto(b'first', a)", "b.sendto(b'second', a)", "sleep 50ms",
        "a.recv(0)",
        "a.recv(100)",
        "a.settimeout(0.2)",
        "a.recv(0)",
    ];
    udp_empty_datagram => [
        "a = socket(AF_INET, SOCK_DGRAM)", "a.bind(('127.0.0.1', 0))",
        "b = socket(AF_INET, SOCK_DGRAM)",
        "b.sendto(b'', a)", "sleep 50ms",
        "a.recvfrom(100)",
    ];
    udp_message_size_limit => [
        "a = socket(AF_INET, SOCK_DGRAM)", "a.bind(('127.0.0.1', 0))",
        "b = socket(AF_INET, SOCK_DGRAM)",
        "b.sendto(b'x' * 65508, a)",
        "b.sendto(b'x' * 65507, a)",
        "sleep 50ms",
        "a.recv(70000)",
    ];
    udp_connected_refused => [
        "gone = socket(AF_INET, SOCK_DGRAM)", "gone.bind(('127.0.0.1', 0))",
        "b = socket(AF_INET, SOCK_DGRAM)",
        "b.connect(gone)",
        "gone.close()",
        "b.send(b'anyone?')",
        "sleep 50ms",
        "b.recv(100)",
        "b.send(b'again')",
        "sleep 50ms",
        "b.settimeout(0.2)",
        "b.recv(100)",
    ];
    udp_unconnected_does_not_see_refusals => [
        "gone = socket(AF_INET, SOCK_DGRAM)", "gone.bind(('127.0.0.1', 0))",
        "b = socket(AF_INET, SOCK_DGRAM)",
        "b.sendto(b'anyone?', gone)",
        "gone.close()",
        "b.sendto(b'anyone?', ('127.0.0.1', 9))",
        "sleep 50ms",
        "b.settimeout(0.2)",
        "b.recvfrom(100)",
    ];
    udp_calls_that_need_a_connection => [
        "u = socket(AF_INET, SOCK_DGRAM)",
        "u.getpeername()",
        "u.send(b'x')",
        "u.getsockname()",
        "u.listen(1)",
        "u.accept()",
        "u.shutdown(SHUT_RDWR)",
        "u.setblocking(False)",
        "u.recv(10)",
    ];
    udp_connect_filters_senders => [
        "a = socket(AF_INET, SOCK_DGRAM)", "a.bind(('127.0.0.1', 0))",
        "b = socket(AF_INET, SOCK_DGRAM)", "b.bind(('127.0.0.1', 0))",
        "c = socket(AF_INET, SOCK_DGRAM)", "c.bind(('127.0.0.1', 0))",
        "a.connect(b)",
        "c.sendto(b'from c', a)",
        "b.sendto(b'from b', a)",
        "sleep 50ms",
        "a.recvfrom(100)",
        "a.setblocking(False)",
        "a.recvfrom(100)",
        "a.sendto(b'to c', c)",
        "sleep 50ms",
        "c.recvfrom(100)",
    ];
    udp_broadcast_needs_the_option => [
        "u = socket(AF_INET, SOCK_DGRAM)",
        "u.sendto(b'all', ('255.255.255.255', 9))",
        "u.getsockopt(SOL_SOCKET, SO_BROADCAST)",
        "u.setsockopt(SOL_SOCKET, SO_BROADCAST, 1)",
        "u.getsockopt(SOL_SOCKET, SO_BROADCAST)",
    ];
}

scenarios! {
    ipv6_exchange => [
        "srv = socket(AF_INET6, SOCK_STREAM)", "srv.bind(('::1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET6, SOCK_STREAM)", "cli.connect(srv)", "conn, addr = srv.accept()",
        "cli.send(b'six')", "conn.recv(10)",
        "conn.getpeername()", "cli.getsockname()",
    ];
    ipv6_v6only_and_mapped_addresses => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(2)",
        "port = srv.getsockname()",
        "a = socket(AF_INET6, SOCK_STREAM)",
        "a.getsockopt(IPPROTO_IPV6, IPV6_V6ONLY)",
        "b = socket(AF_INET6, SOCK_STREAM)",
        "b.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1)",
        "b.getsockopt(IPPROTO_IPV6, IPV6_V6ONLY)",
        "u = socket(AF_INET6, SOCK_DGRAM)",
        "u.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1)",
        "u.sendto(b'x', ('::ffff:127.0.0.1', 9))",
    ];
    ipv6_udp => [
        "a = socket(AF_INET6, SOCK_DGRAM)", "a.bind(('::1', 0))",
        "b = socket(AF_INET6, SOCK_DGRAM)",
        "b.sendto(b'hi6', a)", "sleep 50ms",
        "a.recvfrom(10)",
        "b.connect(('::1', 9))",
        "b.getpeername()",
    ];
}

scenarios! {
    unix_stream_exchange => [
        "srv = socket(AF_UNIX, SOCK_STREAM)", "srv.bind('{tmp}/s.sock')", "srv.listen(1)",
        "srv.getsockname()",
        "cli = socket(AF_UNIX, SOCK_STREAM)",
        "cli.getsockname()",
        "cli.connect('{tmp}/s.sock')",
        "conn, addr = srv.accept()",
        "cli.send(b'local')", "conn.recv(10)",
        "conn.getpeername()", "cli.getpeername()", "conn.getsockname()",
        "conn.close()", "cli.recv(10)", "cli.send(b'x')",
    ];
    unix_stream_errors => [
        "cli = socket(AF_UNIX, SOCK_STREAM)",
        "cli.connect('{tmp}/nobody.sock')",
        "srv = socket(AF_UNIX, SOCK_STREAM)", "srv.bind('{tmp}/s.sock')",
        "cli.connect('{tmp}/s.sock')",
        "srv.close()",
        "again = socket(AF_UNIX, SOCK_STREAM)",
        "again.bind('{tmp}/s.sock')",
        "again.bind('{tmp}/missing-dir/s.sock')",
    ];
    unix_datagram_corners => [
        "a = socket(AF_UNIX, SOCK_DGRAM)", "a.bind('{tmp}/a.sock')",
        "b = socket(AF_UNIX, SOCK_DGRAM)",
        "b.sendto(b'unnamed sender', '{tmp}/a.sock')",
        "a.recvfrom(100)",
        "b.sendto(b'x', '{tmp}/nobody.sock')",
        "b.bind('{tmp}/b.sock')",
        "b.sendto(b'named sender', '{tmp}/a.sock')",
        "a.recvfrom(4)",
        "a.close()",
        "b.sendto(b'x', '{tmp}/a.sock')",
        "c = socket(AF_UNIX, SOCK_DGRAM)",
        "c.connect('{tmp}/b.sock')",
        "c.send(b'connected')",
        "b.recvfrom(100)",
    ];
}

scenarios! {
    sendall_with_a_full_buffer_timeout_and_non_blocking => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(1)",
        "cli = socket(AF_INET, SOCK_STREAM)",
        "cli.setsockopt(SOL_SOCKET, SO_SNDBUF, 4096)",
        "cli.connect(srv)", "conn, addr = srv.accept()",
        "conn.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)",
        "cli.settimeout(0.3)",
        "cli.sendall(b'x' * 20000000)",
        "cli.setblocking(False)",
        "cli.sendall(b'x' * 20000000)",
        "cli.send(b'x' * 1000)",
    ];
    connect_already_in_progress_to_a_full_backlog => [
        "srv = socket(AF_INET, SOCK_STREAM)", "srv.bind(('127.0.0.1', 0))", "srv.listen(0)",
        "a = socket(AF_INET, SOCK_STREAM)", "a.connect(srv)",
        "b = socket(AF_INET, SOCK_STREAM)", "b.setblocking(False)",
        "b.connect(srv)",
        "sleep 50ms",
        "b.connect(srv)",
        "b.getpeername()",
        "srv.accept()",
    ];
    udp_sendto_in_each_mode => [
        "a = socket(AF_INET, SOCK_DGRAM)", "a.bind(('127.0.0.1', 0))",
        "b = socket(AF_INET, SOCK_DGRAM)",
        "b.setblocking(False)", "b.sendto(b'nb', a)",
        "b.settimeout(0.2)", "b.sendto(b'to', a)",
        "b.settimeout(None)", "b.sendto(b'bl', a)",
        "sleep 50ms",
        "a.recv(10)", "a.recv(10)", "a.recv(10)",
        "b.sendto(b'x', ('127.0.0.1', 0))",
    ];
    options_on_a_udp_socket => [
        "u = socket(AF_INET, SOCK_DGRAM)",
        "u.setsockopt(IPPROTO_IP, IP_MULTICAST_TTL, 4)",
        "u.getsockopt(IPPROTO_IP, IP_MULTICAST_TTL)",
        "u.getsockopt(IPPROTO_IP, IP_MULTICAST_LOOP)",
        "u.setsockopt(IPPROTO_IP, IP_MULTICAST_LOOP, 0)",
        "u.getsockopt(IPPROTO_IP, IP_MULTICAST_LOOP)",
        "u.setsockopt(SOL_SOCKET, SO_RCVBUF, 100000)",
        "u.getsockopt(SOL_SOCKET, SO_RCVBUF)",
        "u.getsockopt(SOL_SOCKET, SO_ERROR)",
    ];
}
