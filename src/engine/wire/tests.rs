//! Parser tests on frames recorded on this machine's loopback (python3, a packet socket on lo,
//! the arriving copy of each): a TCP connection's handshake, 5 bytes, both FINs; a reset by
//! SO_LINGER 0; a UDP datagram; an IPv6 handshake.

use super::*;

const SYN: &str = "00000000000000000000000008004500003cc6074000400676b27f0000017f000001aef2a335c80c940800000000a002ffd7fe3000000204ffd70402080a9c921c96000000000103030a";
const SYN_ACK: &str = "00000000000000000000000008004500003c0000400040063cba7f0000017f000001a335aef20a92139cc80c9409a012ffcbfe3000000204ffd70402080a64ea01e09c921c960103030a";
const ACK: &str = "000000000000000000000000080045000034c6084000400676b97f0000017f000001aef2a335c80c94090a92139d80100040fe2800000101080a9c921c9664ea01e0";
const DATA_HELLO: &str = "000000000000000000000000080045000039c6094000400676b37f0000017f000001aef2a335c80c94090a92139d80180040fe2d00000101080a9c921c9664ea01e068656c6c6f";
const ACK_OF_DATA: &str = "000000000000000000000000080045000034a061400040069c607f0000017f000001a335aef20a92139dc80c940e80100040fe2800000101080a64ea01e09c921c96";
const FIN_CLIENT: &str = "000000000000000000000000080045000034c60a4000400676b77f0000017f000001aef2a335c80c940e0a92139d80110040fe2800000101080a9c921cc964ea01e0";
const ACK_OF_FIN: &str = "000000000000000000000000080045000034a062400040069c5f7f0000017f000001a335aef20a92139dc80c940f80100040fe2800000101080a64ea023f9c921cc9";
const FIN_SERVER: &str = "000000000000000000000000080045000034a063400040069c5e7f0000017f000001a335aef20a92139dc80c940f80110040fe2800000101080a64ea02459c921cc9";
const LAST_ACK: &str = "0000000000000000000000000800450000340000400040063cc27f0000017f000001aef2a335c80c940f0a92139e801000408b4900000101080a9c921cfb64ea0245";
const SYN2: &str = "00000000000000000000000008004500003c67e740004006d4d27f0000017f000001af00a335e74e9fa100000000a002ffd7fe3000000204ffd70402080a82160e7e000000000103030a";
const RST: &str = "00000000000000000000000008004500003467e940004006d4d87f0000017f000001af00a335e74e9fa2c0bf4ac480140040fe2800000101080a82160e7eb36fa5c9";
/// The kernel's answer to a datagram from port 53793 to 127.0.0.1:1, and from [::1]:52440 to
/// [::1]:1 (recorded on this machine's lo).
const PORT_UNREACHABLE_V4: &str = "000000000000000000000000080045c0003df35a0000400188a37f0000017f00000103032cdb000000004500002155ce40004011e6fb7f0000017f000001d2210001000dfe2070696e6721";
const PORT_UNREACHABLE_V6: &str = "00000000000000000000000086dd600e9dd5003d3a40000000000000000000000000000000010000000000000000000000000000000101042a4e00000000600b9602000d11400000000000000000000000000000000100000000000000000000000000000001ccd80001000d002070696e6721";
const UDP_PING: &str = "000000000000000000000000080045000021655040004011d7797f0000017f000001b3599ef8000dfe2070696e6721";
const SYN_V6: &str = "00000000000000000000000086dd600bb167002806400000000000000000000000000000000100000000000000000000000000000001a7f0eb5b8bf8104400000000a002ffc4003000000204ffc40402080a261c6497000000000103030a";
const SYN_ACK_V6: &str = "00000000000000000000000086dd6007e79c002806400000000000000000000000000000000100000000000000000000000000000001eb5ba7f01870aff68bf81045a012ffb8003000000204ffc40402080a34e41363261c64970103030a";
const ACK_V6: &str = "00000000000000000000000086dd600bb167002006400000000000000000000000000000000100000000000000000000000000000001a7f0eb5b8bf810451870aff780100040002800000101080a261c649734e41363";

fn frame(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&hex[at..at + 2], 16).expect("recorded hex"))
        .collect()
}

fn parsed(hex: &str) -> ParsedFrame {
    let bytes = frame(hex);
    parse_frame(&bytes, bytes.len()).expect("a recorded TCP/UDP frame parses")
}

fn flags_of(hex: &str) -> TcpFlags {
    match parsed(hex).kind {
        ParsedKind::Tcp { flags, .. } => flags,
        ParsedKind::Udp { .. } | ParsedKind::PortUnreachable => panic!("expected TCP"),
    }
}

fn v4(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

#[test]
fn the_handshake_is_read_from_the_headers() {
    let syn = parsed(SYN);
    assert_eq!(syn.from, v4(44786));
    assert_eq!(syn.to, v4(41781));
    assert_eq!(
        syn.kind,
        ParsedKind::Tcp {
            flags: TcpFlags(TcpFlags::SYN),
            seq: 3_356_267_528,
            ack: 0,
            window: 65_495,
            window_scale: Some(10),
            payload_len: 0,
        }
    );
    assert_eq!(flags_of(SYN_ACK).names(), "SYN, ACK");
    assert_eq!(flags_of(ACK).names(), "ACK");
    assert_eq!(flags_of(DATA_HELLO).names(), "PSH, ACK");
    assert_eq!(flags_of(FIN_CLIENT).names(), "FIN, ACK");
    assert_eq!(flags_of(RST).names(), "RST, ACK");
}

#[test]
fn sequence_numbers_are_relative_and_windows_scaled() {
    let mut flows = FlowTable::new();
    let mut shown = Vec::new();
    for hex in [
        SYN,
        SYN_ACK,
        ACK,
        DATA_HELLO,
        ACK_OF_DATA,
        FIN_CLIENT,
        ACK_OF_FIN,
        FIN_SERVER,
        LAST_ACK,
    ] {
        match flows.relate(&parsed(hex)) {
            Transport::Tcp(tcp) => {
                shown.push((tcp.flags.names(), tcp.seq, tcp.ack, tcp.payload_len))
            }
            Transport::Udp { .. } | Transport::PortUnreachable => panic!("expected TCP"),
        }
    }
    let expected: Vec<(String, u32, u32, u32)> = [
        ("SYN", 0, 0, 0),
        ("SYN, ACK", 0, 1, 0),
        ("ACK", 1, 1, 0),
        ("PSH, ACK", 1, 1, 5),
        ("ACK", 1, 6, 0),
        ("FIN, ACK", 6, 1, 0),
        ("ACK", 1, 7, 0),
        ("FIN, ACK", 1, 7, 0),
        ("ACK", 7, 2, 0),
    ]
    .into_iter()
    .map(|(flags, seq, ack, len)| (flags.to_string(), seq, ack, len))
    .collect();
    assert_eq!(shown, expected);

    // Both SYNs said "scale 10": the ACK's 64 means 64 << 10 bytes; a SYN is never scaled.
    let mut flows = FlowTable::new();
    let Transport::Tcp(syn) = flows.relate(&parsed(SYN)) else {
        panic!("TCP")
    };
    assert_eq!(syn.window, 65_495);
    let _ = flows.relate(&parsed(SYN_ACK));
    let Transport::Tcp(ack) = flows.relate(&parsed(ACK)) else {
        panic!("TCP")
    };
    assert_eq!((ack.window_raw, ack.window), (64, 64 << 10));
}

#[test]
fn without_the_handshake_numbers_count_from_the_first_segment_seen() {
    let mut flows = FlowTable::new();
    let Transport::Tcp(data) = flows.relate(&parsed(DATA_HELLO)) else {
        panic!("TCP")
    };
    // As if it followed a SYN; the window is the header's value (the scale is unknown).
    assert_eq!((data.seq, data.payload_len, data.window), (1, 5, 64));
}

#[test]
fn a_new_syn_on_the_same_ports_starts_a_new_count() {
    let mut flows = FlowTable::new();
    for hex in [SYN, SYN_ACK, ACK, DATA_HELLO] {
        let _ = flows.relate(&parsed(hex));
    }
    let mut reused = parsed(SYN2);
    reused.from = parsed(SYN).from;
    let Transport::Tcp(syn) = flows.relate(&reused) else {
        panic!("TCP")
    };
    assert_eq!(syn.seq, 0);
}

#[test]
fn a_reset_a_datagram_and_ipv6_are_labelled() {
    let segment = |hex: &str| {
        let parsed = parsed(hex);
        let mut flows = FlowTable::new();
        Segment {
            at_us: 0,
            unix_us: 0,
            from: SocketAddress::inet(parsed.from.ip(), parsed.from.port()),
            to: SocketAddress::inet(parsed.to.ip(), parsed.to.port()),
            transport: flows.relate(&parsed),
            frame: frame(hex),
            frame_len: frame(hex).len() as u32,
        }
    };
    assert_eq!(segment(RST).label(), "RST, ACK");
    assert_eq!(segment(UDP_PING).label(), "UDP 5 B");
    assert_eq!(segment(DATA_HELLO).label(), "PSH, ACK 5 B");
    assert_eq!(segment(SYN_ACK).label(), "SYN, ACK");
    let v6 = parsed(SYN_V6);
    assert_eq!(v6.from.ip(), "::1".parse::<IpAddr>().expect("ip"));
    assert_eq!(flags_of(SYN_ACK_V6).names(), "SYN, ACK");
    assert_eq!(flags_of(ACK_V6).names(), "ACK");
}

#[test]
fn a_zero_window_is_said_in_the_label() {
    let mut zero = frame(ACK_OF_DATA);
    // The TCP header starts after 14 (Ethernet) + 20 (IPv4) bytes; its window is bytes 14-15.
    zero[14 + 20 + 14] = 0;
    zero[14 + 20 + 15] = 0;
    let parsed =
        parse_frame(&zero, zero.len()).expect("still parses (the checksum is not checked)");
    let segment = Segment {
        at_us: 0,
        unix_us: 0,
        from: SocketAddress::inet(parsed.from.ip(), parsed.from.port()),
        to: SocketAddress::inet(parsed.to.ip(), parsed.to.port()),
        transport: FlowTable::new().relate(&parsed),
        frame: zero.clone(),
        frame_len: zero.len() as u32,
    };
    assert_eq!(segment.label(), "ACK · win 0");
    assert_eq!(segment.label_in(Lang::Zh), "ACK · 窗口 0");
    let unreachable = Segment {
        transport: Transport::PortUnreachable,
        ..segment.clone()
    };
    assert_eq!(unreachable.label(), "ICMP port unreachable");
    assert_eq!(unreachable.label_in(Lang::Zh), "ICMP 端口不可达");
    assert_eq!(TcpFlags(0).names_in(Lang::En), "none");
}

#[test]
fn capture_problems_read_as_before_in_english() {
    assert_eq!(
        WireProblem::NoPermission.message(),
        format!(
            "Capturing the wire needs CAP_NET_RAW, which this program does not have. Grant it \
             once with:\n    {}\nor run the workbench as root. Everything else works without \
             it, and the lessons that show the wire capture it in a private network of their own.",
            grant_command()
        )
    );
    assert_eq!(
        WireProblem::NotSupported("no lo".into()).message(),
        "The wire cannot be captured on this system: no lo."
    );
    assert_eq!(
        WireProblem::Failed("EIO".into()).message(),
        "Capturing the wire stopped: EIO."
    );
    let chinese = WireProblem::NoPermission.message_in(Lang::Zh);
    assert!(
        chinese.contains("CAP_NET_RAW")
            && chinese.contains(&format!("\n    {}\n", grant_command())),
        "{chinese}"
    );
}

#[test]
fn a_port_unreachable_goes_from_the_closed_port_to_the_sender() {
    for (hex, host, sender_port) in [
        (PORT_UNREACHABLE_V4, "127.0.0.1", 53793),
        (PORT_UNREACHABLE_V6, "::1", 52440),
    ] {
        let parsed = parsed(hex);
        let ip: std::net::IpAddr = host.parse().expect("ip");
        assert_eq!(parsed.kind, ParsedKind::PortUnreachable, "{host}");
        assert_eq!(parsed.from, SocketAddr::new(ip, 1), "{host}");
        assert_eq!(parsed.to, SocketAddr::new(ip, sender_port), "{host}");
        let transport = FlowTable::new().relate(&parsed);
        assert_eq!(transport, Transport::PortUnreachable);
    }
    // Other ICMP (an echo request, type 8) is not a segment of ours.
    let mut echo = frame(PORT_UNREACHABLE_V4);
    echo[14 + 20] = 8;
    echo[14 + 20 + 1] = 0;
    assert_eq!(parse_frame(&echo, echo.len()), None);
    // A quoted datagram that is not UDP is not either.
    let mut quoted_tcp = frame(PORT_UNREACHABLE_V4);
    quoted_tcp[14 + 20 + 8 + 9] = 6;
    assert_eq!(parse_frame(&quoted_tcp, quoted_tcp.len()), None);
}

/// The capture reads only the first bytes of a frame; what was cut off is payload.
#[test]
fn a_frame_read_only_to_its_headers_keeps_its_payload_length() {
    let data = frame(DATA_HELLO);
    // Ethernet 14 + IPv4 20 + TCP 32 (timestamps): the 5 payload bytes cut off.
    let headers = 14 + 20 + 32;
    let ParsedKind::Tcp { payload_len, .. } = parse_frame(&data[..headers], data.len())
        .expect("whole headers parse")
        .kind
    else {
        panic!("TCP");
    };
    assert_eq!(payload_len, 5);
    let ping = frame(UDP_PING);
    let ParsedKind::Udp { payload_len } = parse_frame(&ping[..14 + 20 + 8], ping.len())
        .expect("whole headers parse")
        .kind
    else {
        panic!("UDP");
    };
    assert_eq!(payload_len, 5);
    // A UDP length that claims more than the frame has is not believed.
    let mut lying = ping.clone();
    lying[14 + 20 + 4] = 0xff;
    let ParsedKind::Udp { payload_len } = parse_frame(&lying, lying.len()).expect("parses").kind
    else {
        panic!("UDP");
    };
    assert_eq!(payload_len, 5);
}

#[test]
fn frames_that_are_not_tcp_or_udp_or_are_cut_short_are_skipped() {
    let syn = frame(SYN);
    // Cut inside the TCP header, inside the IP header, inside the Ethernet header.
    for cut in [14 + 20 + 10, 14 + 10, 6, 0] {
        assert_eq!(parse_frame(&syn[..cut], syn.len()), None, "cut at {cut}");
    }
    // An ARP frame (EtherType 0x0806).
    let mut arp = vec![0u8; 42];
    arp[12] = 0x08;
    arp[13] = 0x06;
    assert_eq!(parse_frame(&arp, arp.len()), None);
    // Garbage of every length up to a frame's never panics.
    let mut noise = 0x1234_5678_u32;
    for len in 0..200 {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                noise ^= noise << 13;
                noise ^= noise >> 17;
                noise ^= noise << 5;
                noise as u8
            })
            .collect();
        let _ = parse_frame(&bytes, bytes.len());
        let _ = parse_frame(&bytes, 70_000);
    }
}

#[test]
fn endpoints_own_their_address_and_a_wildcard_its_port() {
    let mut endpoints = Endpoints::default();
    endpoints.add(&SocketAddress::inet(v4(41781).ip(), 41781));
    endpoints.add(&SocketAddress::inet("::".parse().expect("ip"), 5000));
    endpoints.add(&SocketAddress::inet(
        "::ffff:127.0.0.1".parse().expect("ip"),
        6000,
    ));
    assert!(endpoints.owns(&v4(41781)));
    assert!(!endpoints.owns(&v4(41782)));
    assert!(endpoints.owns(&SocketAddr::from(([127, 0, 0, 2], 5000))));
    assert!(
        endpoints.owns(&v4(6000)),
        "a mapped address is its IPv4 form"
    );
    assert!(endpoints.either_end(&parsed(SYN)), "the SYN goes to 41781");
}

#[test]
fn a_flood_beyond_the_window_is_counted_per_flow() {
    let mut summary = None;
    let parsed = parsed(DATA_HELLO);
    let mut flows = FlowTable::new();
    for n in 0..1_000u64 {
        let segment = make_segment(&mut flows, &parsed, n, n, Vec::new(), 71);
        count_into(&mut summary, &segment);
    }
    let summary = summary.expect("counted");
    assert_eq!((summary.segments, summary.payload_bytes), (1_000, 5_000));
    assert_eq!(summary.flows.len(), 1);
    assert_eq!((summary.from_us, summary.to_us), (0, 999));
}

#[test]
fn pcap_has_the_classic_header_and_one_record_per_segment() {
    let parsed = parsed(SYN);
    let mut flows = FlowTable::new();
    let bytes = frame(SYN);
    let segment = make_segment(
        &mut flows,
        &parsed,
        5,
        1_700_000_000_123_456,
        bytes.clone(),
        bytes.len(),
    );
    let pcap = pcap_bytes([&segment, &segment]);
    assert_eq!(&pcap[..4], &[0xd4, 0xc3, 0xb2, 0xa1]);
    assert_eq!(
        u32::from_le_bytes([pcap[20], pcap[21], pcap[22], pcap[23]]),
        1
    );
    assert_eq!(pcap.len(), 24 + 2 * (16 + bytes.len()));
    let record = &pcap[24..];
    assert_eq!(
        u32::from_le_bytes([record[0], record[1], record[2], record[3]]),
        1_700_000_000
    );
    assert_eq!(
        u32::from_le_bytes([record[4], record[5], record[6], record[7]]),
        123_456
    );
    assert_eq!(&record[16..16 + bytes.len()], &bytes[..]);
}
