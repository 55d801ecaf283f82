//! The checksums a saved message may append (PRODUCT part 15): the CRCs come from the `crc`
//! crate's catalogue, so their parameters are the published ones rather than a table typed
//! here; LRC, XOR-8 and SUM-8 are one line each.

use super::ByteOrder;
use crc::{CRC_16_IBM_3740, CRC_16_MODBUS, CRC_32_ISO_HDLC, Crc};
use serde::{Deserialize, Serialize};

const CRC16_MODBUS: Crc<u16> = Crc::<u16>::new(&CRC_16_MODBUS);
/// CRC-16/CCITT-FALSE is catalogued under its newer name, CRC-16/IBM-3740.
const CRC16_CCITT_FALSE: Crc<u16> = Crc::<u16>::new(&CRC_16_IBM_3740);
/// The CRC-32 of zip, Ethernet and PNG.
const CRC32: Crc<u32> = Crc::<u32>::new(&CRC_32_ISO_HDLC);

/// A checksum over a message's bytes, saved as its placeholder name (`crc16_modbus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Checksum {
    Crc16Modbus,
    Crc16CcittFalse,
    Crc32,
    /// Modbus ASCII's longitudinal redundancy check: the two's complement of the 8-bit sum.
    Lrc,
    Xor8,
    Sum8,
}

impl Checksum {
    pub const ALL: [Checksum; 6] = [
        Checksum::Crc16Modbus,
        Checksum::Crc16CcittFalse,
        Checksum::Crc32,
        Checksum::Lrc,
        Checksum::Xor8,
        Checksum::Sum8,
    ];

    /// Its name in a template: `${crc16_modbus}`.
    pub fn placeholder_name(self) -> &'static str {
        match self {
            Checksum::Crc16Modbus => "crc16_modbus",
            Checksum::Crc16CcittFalse => "crc16_ccitt_false",
            Checksum::Crc32 => "crc32",
            Checksum::Lrc => "lrc",
            Checksum::Xor8 => "xor8",
            Checksum::Sum8 => "sum8",
        }
    }

    /// The checksum a template names (exactly as [`Checksum::placeholder_name`] writes it).
    pub fn from_placeholder_name(name: &str) -> Option<Checksum> {
        Checksum::ALL
            .into_iter()
            .find(|checksum| checksum.placeholder_name() == name)
    }

    /// Its published name (the same in every language).
    pub fn label(self) -> &'static str {
        match self {
            Checksum::Crc16Modbus => "CRC-16/MODBUS",
            Checksum::Crc16CcittFalse => "CRC-16/CCITT-FALSE",
            Checksum::Crc32 => "CRC-32",
            Checksum::Lrc => "LRC",
            Checksum::Xor8 => "XOR-8",
            Checksum::Sum8 => "SUM-8",
        }
    }

    /// How many bytes it takes on the wire.
    pub fn width(self) -> usize {
        match self {
            Checksum::Crc16Modbus | Checksum::Crc16CcittFalse => 2,
            Checksum::Crc32 => 4,
            Checksum::Lrc | Checksum::Xor8 | Checksum::Sum8 => 1,
        }
    }

    /// The order its protocol sends it in: Modbus RTU sends its CRC low byte first, the
    /// others are written most significant byte first.
    pub fn default_order(self) -> ByteOrder {
        match self {
            Checksum::Crc16Modbus => ByteOrder::Little,
            _ => ByteOrder::Big,
        }
    }

    /// The checksum of `data` as a number (only the low [`Checksum::width`] bytes are used).
    pub fn compute(self, data: &[u8]) -> u32 {
        match self {
            Checksum::Crc16Modbus => u32::from(CRC16_MODBUS.checksum(data)),
            Checksum::Crc16CcittFalse => u32::from(CRC16_CCITT_FALSE.checksum(data)),
            Checksum::Crc32 => CRC32.checksum(data),
            Checksum::Lrc => u32::from(sum8(data).wrapping_neg()),
            Checksum::Xor8 => u32::from(data.iter().fold(0u8, |acc, byte| acc ^ byte)),
            Checksum::Sum8 => u32::from(sum8(data)),
        }
    }

    /// The checksum of `data` as it goes on the wire: [`Checksum::width`] bytes in `order`.
    pub fn bytes(self, data: &[u8], order: ByteOrder) -> Vec<u8> {
        let value = self.compute(data);
        let big = value.to_be_bytes();
        let mut out = big[big.len() - self.width()..].to_vec();
        if order == ByteOrder::Little {
            out.reverse();
        }
        out
    }
}

fn sum8(data: &[u8]) -> u8 {
    data.iter().fold(0u8, |acc, byte| acc.wrapping_add(*byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECK: &[u8] = b"123456789";

    #[test]
    fn every_checksum_gives_its_published_check_value() {
        assert_eq!(Checksum::Crc16Modbus.compute(CHECK), 0x4B37);
        assert_eq!(Checksum::Crc16CcittFalse.compute(CHECK), 0x29B1);
        assert_eq!(Checksum::Crc32.compute(CHECK), 0xCBF4_3926);
        // Pinned with python3: sum(b"123456789") = 0x1DD.
        assert_eq!(Checksum::Sum8.compute(CHECK), 0xDD);
        assert_eq!(Checksum::Lrc.compute(CHECK), 0x23);
        assert_eq!(Checksum::Xor8.compute(CHECK), 0x31);
    }

    #[test]
    fn bytes_follow_the_order_asked_for() {
        assert_eq!(
            Checksum::Crc16Modbus.bytes(CHECK, ByteOrder::Big),
            [0x4B, 0x37]
        );
        assert_eq!(
            Checksum::Crc16Modbus.bytes(CHECK, ByteOrder::Little),
            [0x37, 0x4B]
        );
        assert_eq!(
            Checksum::Crc32.bytes(CHECK, ByteOrder::Big),
            [0xCB, 0xF4, 0x39, 0x26]
        );
        assert_eq!(
            Checksum::Crc32.bytes(CHECK, ByteOrder::Little),
            [0x26, 0x39, 0xF4, 0xCB]
        );
        for order in [ByteOrder::Big, ByteOrder::Little] {
            assert_eq!(Checksum::Lrc.bytes(CHECK, order), [0x23]);
        }
        for checksum in Checksum::ALL {
            assert_eq!(
                checksum.bytes(CHECK, ByteOrder::Big).len(),
                checksum.width()
            );
        }
    }

    #[test]
    fn empty_input_gives_each_checksums_initial_value() {
        assert_eq!(Checksum::Crc16Modbus.compute(b""), 0xFFFF);
        assert_eq!(Checksum::Crc16CcittFalse.compute(b""), 0xFFFF);
        assert_eq!(Checksum::Crc32.compute(b""), 0);
        for checksum in [Checksum::Lrc, Checksum::Xor8, Checksum::Sum8] {
            assert_eq!(checksum.compute(b""), 0);
            assert_eq!(checksum.bytes(b"", ByteOrder::Big), [0]);
        }
    }

    #[test]
    fn a_modbus_frame_gets_its_crc_low_byte_first() {
        // Read 10 holding registers from address 0 of unit 1: the frame on the wire ends C5 CD.
        let frame = [0x01, 0x03, 0x00, 0x00, 0x00, 0x0A];
        let checksum = Checksum::Crc16Modbus;
        assert_eq!(checksum.compute(&frame), 0xCDC5);
        assert_eq!(
            checksum.bytes(&frame, checksum.default_order()),
            [0xC5, 0xCD]
        );
        // Modbus ASCII's LRC of the same request for one register: 0xFB.
        assert_eq!(
            Checksum::Lrc.compute(&[0x01, 0x03, 0x00, 0x00, 0x00, 0x01]),
            0xFB
        );
    }

    #[test]
    fn names_go_both_ways() {
        for checksum in Checksum::ALL {
            assert_eq!(
                Checksum::from_placeholder_name(checksum.placeholder_name()),
                Some(checksum)
            );
            assert!(!checksum.label().is_empty());
        }
        assert_eq!(Checksum::from_placeholder_name("CRC32"), None);
        assert_eq!(Checksum::from_placeholder_name("crc16"), None);
        assert_eq!(Checksum::Crc16Modbus.default_order(), ByteOrder::Little);
        assert_eq!(Checksum::Crc32.default_order(), ByteOrder::Big);
    }

    #[test]
    fn saved_as_the_placeholder_name() {
        for checksum in Checksum::ALL {
            let saved = serde_json::to_string(&checksum).unwrap();
            assert_eq!(saved, format!("\"{}\"", checksum.placeholder_name()));
            assert_eq!(serde_json::from_str::<Checksum>(&saved).unwrap(), checksum);
        }
    }
}
