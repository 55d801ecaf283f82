//! The errno table: every error number a socket call (socket, bind, listen,
//! accept, connect, send, sendall, sendto, recv, recvfrom, shutdown, close,
//! setsockopt, getsockopt, fcntl) can report, explained for a student.
//!
//! Codes come from `libc::` so the table is correct on Linux and macOS.
//! Aliases that share a number on some platforms (EAGAIN/EWOULDBLOCK,
//! ENOTSUP/EOPNOTSUPP on Linux) appear once in the table; `by_name`
//! accepts every alias.
//!
//! The English sentences live in the table; every language's, English included, is also in
//! the catalogue as `errno-<NAME>` and `errno-<NAME>-fix` (read by [`explanation_in`] and
//! [`fix_in`]); a test keeps the two English texts the same.

use crate::i18n::{Lang, lookup};
use crate::t;

/// One errno described for a student.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrnoInfo {
    pub code: i32,
    pub name: &'static str,
    pub explanation: &'static str,
    pub fix: Option<&'static str>,
}

/// Name returned by [`name`] for a code not in the table.
const UNKNOWN_NAME: &str = "EUNKNOWN";

const fn e(
    code: i32,
    name: &'static str,
    explanation: &'static str,
    fix: &'static str,
) -> ErrnoInfo {
    ErrnoInfo {
        code,
        name,
        explanation,
        fix: Some(fix),
    }
}

/// Every described errno, one entry per distinct code.
static TABLE: &[ErrnoInfo] = &[
    // --- Addresses and ports -------------------------------------------
    e(
        libc::EADDRINUSE,
        "EADDRINUSE",
        "Another socket is already bound to that address and port (or, for AF_UNIX, a file already exists at that path).",
        "Set SO_REUSEADDR before bind (an earlier connection may still be in TIME_WAIT), stop the other program, or choose another port / port 0; for AF_UNIX remove the old socket file first.",
    ),
    e(
        libc::EADDRNOTAVAIL,
        "EADDRNOTAVAIL",
        "The address is not one this machine owns, or no free local (ephemeral) port was left to connect from.",
        "Bind to 0.0.0.0, 127.0.0.1 or an address shown by `ip addr`; if you opened very many connections, close some or wait for TIME_WAIT to expire.",
    ),
    e(
        libc::EAFNOSUPPORT,
        "EAFNOSUPPORT",
        "The address family does not match this socket, or this kernel does not support it (for example IPv6 disabled).",
        "Use an IPv4 address with an AF_INET socket and an IPv6 address with an AF_INET6 socket.",
    ),
    e(
        libc::EPFNOSUPPORT,
        "EPFNOSUPPORT",
        "The protocol family asked for is not supported by this system.",
        "Use AF_INET, AF_INET6 or AF_UNIX.",
    ),
    e(
        libc::EDESTADDRREQ,
        "EDESTADDRREQ",
        "The socket has no peer address, so the kernel does not know where to send the data.",
        "Use sendto() with a destination address, or connect() the socket first.",
    ),
    // --- Non-blocking and in-progress operations -----------------------
    e(
        libc::EWOULDBLOCK,
        "EWOULDBLOCK",
        "The socket is non-blocking (or its SO_RCVTIMEO/SO_SNDTIMEO timeout ran out) and the call could not finish right now: no data to read, no room in the send buffer, or no connection waiting to be accepted.",
        "Wait until the socket is ready with select()/poll(), then try the call again.",
    ),
    e(
        libc::EINPROGRESS,
        "EINPROGRESS",
        "A non-blocking connect() has started the handshake but it has not finished yet; this is normal, not a failure.",
        "Wait until the socket becomes writable with select()/poll(), then read SO_ERROR to learn whether the connection succeeded.",
    ),
    e(
        libc::EALREADY,
        "EALREADY",
        "A previous non-blocking connect() on this socket is still in progress.",
        "Do not call connect() again; wait for the socket to become writable and check SO_ERROR.",
    ),
    e(
        libc::EINTR,
        "EINTR",
        "A signal arrived while the call was blocked, so the kernel stopped the call before it finished.",
        "Simply retry the call (Python since 3.5 retries automatically).",
    ),
    // --- Connection state ----------------------------------------------
    e(
        libc::EISCONN,
        "EISCONN",
        "The socket is already connected, so it cannot be connected again or be given a different destination.",
        "Use send() on the connected socket, or create a new socket for a new connection.",
    ),
    e(
        libc::ENOTCONN,
        "ENOTCONN",
        "The socket is not connected, so there is no peer to send to, receive from or shut down.",
        "Call connect() first; on a server, use the new socket returned by accept(), not the listening socket.",
    ),
    e(
        libc::ECONNREFUSED,
        "ECONNREFUSED",
        "Nothing is listening on that address and port, so the other side answered the connection attempt with a reset.",
        "Start the server first, or check the address and port number.",
    ),
    e(
        libc::ECONNRESET,
        "ECONNRESET",
        "The peer reset the connection (it sent an RST), for example because it closed with unread data, closed with SO_LINGER 0, or its machine restarted and no longer knows the connection (a program that merely crashes is closed normally by its kernel on Linux).",
        "Treat the connection as gone: close this socket and reconnect if needed.",
    ),
    e(
        libc::ECONNABORTED,
        "ECONNABORTED",
        "The connection was aborted on this machine, typically because the client gave up before accept() picked it up.",
        "Ignore it and call accept() again for the next client.",
    ),
    e(
        libc::EPIPE,
        "EPIPE",
        "You wrote to a connection whose sending side is closed, either by your own shutdown() or because the peer has gone away.",
        "Stop sending and close the socket; pass MSG_NOSIGNAL (or ignore SIGPIPE) so the program is not killed by the signal.",
    ),
    e(
        libc::ESHUTDOWN,
        "ESHUTDOWN",
        "This direction of the socket was already shut down with shutdown(), so it cannot be used any more.",
        "Do not send after shutdown(SHUT_WR); open a new connection instead.",
    ),
    e(
        libc::ETIMEDOUT,
        "ETIMEDOUT",
        "The other side never answered: the connection attempt (or the retransmissions on an open connection) timed out.",
        "Check that the host is up and that no firewall silently drops the packets, then retry.",
    ),
    e(
        libc::ENETRESET,
        "ENETRESET",
        "The connection was dropped because the network reset it, for example a keepalive probe found the path broken.",
        "Close the socket and reconnect.",
    ),
    // --- Routing --------------------------------------------------------
    e(
        libc::ENETUNREACH,
        "ENETUNREACH",
        "This machine has no route to the destination network (for example no default gateway, or no IPv6 connectivity).",
        "Check the address and the network setup (`ip route`); use an address you can actually reach.",
    ),
    e(
        libc::EHOSTUNREACH,
        "EHOSTUNREACH",
        "The destination host cannot be reached: a router reported it unreachable, or nobody answered on the local network.",
        "Check that the host is up and the address is right, and that no firewall rejects the traffic.",
    ),
    e(
        libc::ENETDOWN,
        "ENETDOWN",
        "The network interface needed for this traffic is down.",
        "Bring the interface up or use another network, then retry.",
    ),
    e(
        libc::EHOSTDOWN,
        "EHOSTDOWN",
        "The destination host is down and does not answer on the local network.",
        "Check that the host is switched on and connected, then retry.",
    ),
    // --- Permissions ------------------------------------------------------
    e(
        libc::EACCES,
        "EACCES",
        "Permission denied: a privileged port, a broadcast send without SO_BROADCAST, a firewall rule, or an AF_UNIX path you may not access.",
        "Ports below 1024 need root or CAP_NET_BIND_SERVICE: use a port of 1024 or more; set SO_BROADCAST before sending to a broadcast address; check the permissions of an AF_UNIX path.",
    ),
    e(
        libc::EPERM,
        "EPERM",
        "The operation is not permitted: for example a raw socket or privileged option without root, or a local firewall rule blocked the packet.",
        "Run without needing privileges (use SOCK_STREAM/SOCK_DGRAM), grant the needed capability, or check the firewall rules.",
    ),
    // --- Bad arguments and wrong socket kinds ---------------------------
    e(
        libc::EINVAL,
        "EINVAL",
        "An argument is not valid in this state: for example bind() on an already bound socket, accept() on a socket that is not listening, or a wrong length or option value.",
        "Check the order of calls (socket, bind, listen, accept) and the arguments you passed.",
    ),
    e(
        libc::EBADF,
        "EBADF",
        "The file descriptor is not open, usually because the socket was already closed.",
        "Do not use a socket after close(), and close each socket only once.",
    ),
    e(
        libc::ENOTSOCK,
        "ENOTSOCK",
        "The file descriptor refers to something that is not a socket, such as a regular file or a pipe.",
        "Pass the descriptor returned by socket() or accept().",
    ),
    e(
        libc::EOPNOTSUPP,
        "EOPNOTSUPP",
        "This socket type does not support the operation, for example listen() or accept() on a UDP socket, or MSG_OOB on a datagram socket.",
        "Use SOCK_STREAM for listen()/accept(), or drop the unsupported flag.",
    ),
    // On Linux ENOTSUP is the same number as EOPNOTSUPP; elsewhere it differs.
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    e(
        libc::ENOTSUP,
        "ENOTSUP",
        "The operation or option is not supported by this socket or system.",
        "Use a different option or socket type that supports this operation.",
    ),
    e(
        libc::ENOPROTOOPT,
        "ENOPROTOOPT",
        "The option is unknown at the level you gave (for example a TCP option passed with SOL_SOCKET).",
        "Check the option name and level: SOL_SOCKET for SO_* options, IPPROTO_TCP for TCP_* options, IPPROTO_IP for IP_* options.",
    ),
    e(
        libc::EPROTONOSUPPORT,
        "EPROTONOSUPPORT",
        "The protocol is not supported for this family and type, for example IPPROTO_TCP with SOCK_DGRAM.",
        "Pass protocol 0 to let the kernel choose, or use IPPROTO_TCP with SOCK_STREAM and IPPROTO_UDP with SOCK_DGRAM.",
    ),
    e(
        libc::ESOCKTNOSUPPORT,
        "ESOCKTNOSUPPORT",
        "The socket type is not supported in this address family.",
        "Use SOCK_STREAM or SOCK_DGRAM.",
    ),
    e(
        libc::EPROTOTYPE,
        "EPROTOTYPE",
        "The socket type does not match the other end or the protocol, for example connecting a SOCK_STREAM socket to a SOCK_DGRAM AF_UNIX socket.",
        "Use the same socket type on both ends.",
    ),
    e(
        libc::EPROTO,
        "EPROTO",
        "A protocol error happened while the connection was being set up.",
        "Call accept() again for the next connection.",
    ),
    e(
        libc::EMSGSIZE,
        "EMSGSIZE",
        "The datagram is too large to be sent in one piece.",
        "A UDP datagram over IPv4 can carry at most 65,507 bytes of payload (and much less without fragmentation): send smaller messages.",
    ),
    e(
        libc::EDOM,
        "EDOM",
        "The option value is out of range, for example a timeout whose microseconds field is 1,000,000 or more.",
        "Pass a valid timeval: seconds plus microseconds below 1,000,000.",
    ),
    e(
        libc::EFAULT,
        "EFAULT",
        "A buffer or address pointer passed to the call points outside the program's memory.",
        "This is a bug in the calling program: check the buffer pointers and lengths.",
    ),
    // --- Resources --------------------------------------------------------
    e(
        libc::EMFILE,
        "EMFILE",
        "This process has reached its limit of open file descriptors (each socket uses one).",
        "Close sockets you no longer need, or raise the limit with `ulimit -n`.",
    ),
    e(
        libc::ENFILE,
        "ENFILE",
        "The whole system has reached its limit of open files.",
        "Close unused sockets and files, or raise the system limit (fs.file-max).",
    ),
    e(
        libc::ENOBUFS,
        "ENOBUFS",
        "The kernel ran out of buffer space for the socket, for example because data is being sent faster than it can leave.",
        "Send more slowly or in smaller pieces, close unused sockets, and retry.",
    ),
    e(
        libc::ENOMEM,
        "ENOMEM",
        "The kernel could not get enough memory to finish the call.",
        "Free memory or close unused sockets, then retry.",
    ),
    e(
        libc::ENOSPC,
        "ENOSPC",
        "The filesystem is full, so the AF_UNIX socket file cannot be created.",
        "Free disk space or put the socket path on another filesystem (such as /tmp).",
    ),
    e(
        libc::EIO,
        "EIO",
        "A low-level input/output error happened while creating or using the AF_UNIX socket file.",
        "Check the filesystem holding the socket path, or choose a path elsewhere.",
    ),
    // --- AF_UNIX paths ----------------------------------------------------
    e(
        libc::ENOENT,
        "ENOENT",
        "No socket file exists at that AF_UNIX path (or a directory in the path does not exist).",
        "Start the server first so it creates the socket file, and check the path spelling.",
    ),
    e(
        libc::ENOTDIR,
        "ENOTDIR",
        "Part of the AF_UNIX path that should be a directory is not a directory.",
        "Fix the path so every component before the last one is a directory.",
    ),
    e(
        libc::ENAMETOOLONG,
        "ENAMETOOLONG",
        "The AF_UNIX path is too long for sun_path (about 108 bytes on Linux, 104 on macOS).",
        "Use a shorter path, for example in /tmp.",
    ),
    e(
        libc::EROFS,
        "EROFS",
        "The AF_UNIX socket file would be created on a read-only filesystem.",
        "Bind to a path on a writable filesystem, such as /tmp.",
    ),
    e(
        libc::ELOOP,
        "ELOOP",
        "Too many symbolic links were followed while resolving the AF_UNIX path.",
        "Remove the symbolic link loop or use the real path.",
    ),
    e(
        libc::EEXIST,
        "EEXIST",
        "Something already exists at that name, such as an AF_UNIX socket file left over from an earlier run.",
        "Remove the old file (unlink it) before binding, or choose another path.",
    ),
    e(
        libc::ENODEV,
        "ENODEV",
        "No such network device: the interface named (SO_BINDTODEVICE, an IPv6 scope id) does not exist.",
        "Use an interface name shown by `ip link`, such as lo or eth0.",
    ),
    e(
        libc::ENXIO,
        "ENXIO",
        "No such device or address, typically because an AF_UNIX socket file was opened with open() as if it were a regular file.",
        "Use socket() and connect() to talk to an AF_UNIX socket, not open().",
    ),
];

/// Other names for codes whose table entry uses a different name.
/// Checked after the table, so on platforms where the alias has its own
/// entry the entry wins (same code either way).
static ALIASES: &[(&str, i32)] = &[("EAGAIN", libc::EAGAIN), ("ENOTSUP", libc::ENOTSUP)];

/// The full description of `code`, if the table has it.
pub fn info(code: i32) -> Option<ErrnoInfo> {
    TABLE.iter().find(|entry| entry.code == code).copied()
}

/// The symbolic name of `code`, e.g. "EADDRINUSE"; "EUNKNOWN" if not in the table.
/// EAGAIN and EWOULDBLOCK share a code and are reported as "EWOULDBLOCK".
pub fn name(code: i32) -> &'static str {
    info(code).map_or(UNKNOWN_NAME, |entry| entry.name)
}

/// The code for a symbolic name, case-insensitive; accepts aliases such as
/// "EAGAIN" (same code as "EWOULDBLOCK") and "ENOTSUP".
pub fn by_name(name: &str) -> Option<i32> {
    let name = name.trim();
    TABLE
        .iter()
        .find(|entry| entry.name.eq_ignore_ascii_case(name))
        .map(|entry| entry.code)
        .or_else(|| {
            ALIASES
                .iter()
                .find(|(alias, _)| alias.eq_ignore_ascii_case(name))
                .map(|&(_, code)| code)
        })
}

/// One plain sentence explaining `code` in `lang` (catalogue id `errno-<NAME>`); a generic
/// sentence for unknown codes.
pub fn explanation_in(lang: Lang, code: i32) -> String {
    match info(code) {
        Some(entry) => lookup(lang, &format!("errno-{}", entry.name))
            .unwrap_or_else(|| entry.explanation.to_string()),
        None => t!(lang, "errno-unknown"),
    }
}

/// The usual fix for `code` in `lang` (catalogue id `errno-<NAME>-fix`), if there is one.
pub fn fix_in(lang: Lang, code: i32) -> Option<String> {
    let entry = info(code)?;
    let english = entry.fix?;
    Some(lookup(lang, &format!("errno-{}-fix", entry.name)).unwrap_or_else(|| english.to_string()))
}

/// Every described errno, one entry per distinct code.
pub fn all() -> &'static [ErrnoInfo] {
    TABLE
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// A code no platform uses for an errno.
    const UNKNOWN_CODE: i32 = 99_999;

    #[test]
    fn entries_are_complete() {
        for entry in all() {
            assert!(!entry.name.is_empty(), "empty name for {}", entry.code);
            assert!(entry.name.starts_with('E'), "odd name {}", entry.name);
            assert!(
                !entry.explanation.trim().is_empty(),
                "empty explanation for {}",
                entry.name
            );
            if let Some(f) = entry.fix {
                assert!(!f.trim().is_empty(), "empty fix for {}", entry.name);
            }
            assert!(entry.code > 0, "bad code for {}", entry.name);
        }
    }

    #[test]
    fn names_are_unique() {
        let mut seen = HashSet::new();
        for entry in all() {
            assert!(seen.insert(entry.name), "duplicate name {}", entry.name);
        }
    }

    #[test]
    fn codes_are_unique() {
        let mut seen = HashSet::new();
        for entry in all() {
            assert!(
                seen.insert(entry.code),
                "duplicate code {} ({})",
                entry.code,
                entry.name
            );
        }
    }

    #[test]
    fn by_name_round_trips() {
        for entry in all() {
            assert_eq!(name(entry.code), entry.name);
            assert_eq!(by_name(entry.name), Some(entry.code));
            assert_eq!(by_name(&entry.name.to_ascii_lowercase()), Some(entry.code));
            assert_eq!(info(entry.code), Some(*entry));
            assert_eq!(explanation_in(Lang::En, entry.code), entry.explanation);
            assert_eq!(fix_in(Lang::En, entry.code).as_deref(), entry.fix);
        }
    }

    #[test]
    fn wouldblock_and_eagain() {
        assert_eq!(by_name("EWOULDBLOCK"), Some(libc::EWOULDBLOCK));
        assert_eq!(by_name("EAGAIN"), Some(libc::EAGAIN));
        assert_eq!(by_name("eagain"), Some(libc::EAGAIN));
        assert_eq!(name(libc::EWOULDBLOCK), "EWOULDBLOCK");
        assert_eq!(name(libc::EAGAIN), "EWOULDBLOCK");
    }

    #[test]
    fn opnotsupp_aliases() {
        assert_eq!(by_name("EOPNOTSUPP"), Some(libc::EOPNOTSUPP));
        assert_eq!(by_name("ENOTSUP"), Some(libc::ENOTSUP));
        assert_eq!(name(libc::EOPNOTSUPP), "EOPNOTSUPP");
        assert_ne!(name(libc::ENOTSUP), UNKNOWN_NAME);
    }

    #[test]
    fn required_names_present() {
        let required = [
            "EADDRINUSE",
            "EADDRNOTAVAIL",
            "EAFNOSUPPORT",
            "EAGAIN",
            "EWOULDBLOCK",
            "EINPROGRESS",
            "EALREADY",
            "EISCONN",
            "ENOTCONN",
            "ECONNREFUSED",
            "ECONNRESET",
            "ECONNABORTED",
            "EPIPE",
            "EMSGSIZE",
            "EACCES",
            "EPERM",
            "ETIMEDOUT",
            "ENETUNREACH",
            "EHOSTUNREACH",
            "ENETDOWN",
            "EHOSTDOWN",
            "EINVAL",
            "EBADF",
            "ENOTSOCK",
            "EOPNOTSUPP",
            "ENOPROTOOPT",
            "EPROTONOSUPPORT",
            "EPROTOTYPE",
            "EDESTADDRREQ",
            "EMFILE",
            "ENFILE",
            "ENOBUFS",
            "ENOMEM",
            "EINTR",
            "ESHUTDOWN",
            "ENOENT",
            "ENOTDIR",
            "ENAMETOOLONG",
            "EROFS",
            "ELOOP",
            "EFAULT",
            "EEXIST",
            "ENODEV",
            "ENXIO",
        ];
        for n in required {
            let code = by_name(n);
            assert!(code.is_some(), "{n} missing");
            if let Some(code) = code {
                assert!(info(code).is_some(), "{n} has no entry");
            }
        }
    }

    #[test]
    fn known_codes_match_libc() {
        assert_eq!(by_name("ECONNREFUSED"), Some(libc::ECONNREFUSED));
        assert_eq!(name(libc::EADDRINUSE), "EADDRINUSE");
        assert_eq!(by_name(" etimedout "), Some(libc::ETIMEDOUT));
        assert!(fix_in(Lang::En, libc::EADDRINUSE).is_some_and(|f| f.contains("SO_REUSEADDR")));
    }

    #[test]
    fn the_catalogue_says_in_english_what_the_table_says() {
        for entry in all() {
            // The catalogue itself, not the table's words as a fallback.
            assert_eq!(
                lookup(Lang::En, &format!("errno-{}", entry.name)).as_deref(),
                Some(entry.explanation)
            );
            assert_eq!(
                lookup(Lang::En, &format!("errno-{}-fix", entry.name)).as_deref(),
                entry.fix
            );
            assert_eq!(
                explanation_in(Lang::En, entry.code),
                entry.explanation,
                "{}",
                entry.name
            );
            assert_eq!(
                fix_in(Lang::En, entry.code).as_deref(),
                entry.fix,
                "{}",
                entry.name
            );
        }
        assert_eq!(fix_in(Lang::En, UNKNOWN_CODE), None);
    }

    #[test]
    fn every_errno_is_explained_in_chinese() {
        for entry in all() {
            let chinese = explanation_in(Lang::Zh, entry.code);
            assert_ne!(chinese, entry.explanation, "{}", entry.name);
            assert!(chinese.contains('。'), "{}: {chinese}", entry.name);
            assert_eq!(
                fix_in(Lang::Zh, entry.code).is_some(),
                entry.fix.is_some(),
                "{}",
                entry.name
            );
        }
        let reset = explanation_in(Lang::Zh, libc::ECONNRESET);
        assert!(
            reset.contains("连接被重置") && reset.contains("RST"),
            "{reset}"
        );
        let in_use = fix_in(Lang::Zh, libc::EADDRINUSE).unwrap_or_default();
        assert!(in_use.contains("SO_REUSEADDR"), "{in_use}");
        assert!(explanation_in(Lang::Zh, UNKNOWN_CODE).contains("man errno"));
    }

    #[test]
    fn unknown_code_is_generic() {
        assert!(info(UNKNOWN_CODE).is_none());
        assert_eq!(name(UNKNOWN_CODE), "EUNKNOWN");
        assert_eq!(
            explanation_in(Lang::En, UNKNOWN_CODE),
            "The operating system reported an error number that this workbench does not \
             describe; look it up with `man errno`."
        );
        assert_eq!(fix_in(Lang::En, UNKNOWN_CODE), None);
        assert_eq!(by_name("EUNKNOWN"), None);
        assert_eq!(by_name("ENOSUCHTHING"), None);
        assert_eq!(by_name(""), None);
    }
}
