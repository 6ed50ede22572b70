//! Seeded, deterministic ids: the same seed gives the same UUIDs, user ids and legacy group ids,
//! so scenarios and seeded landscapes are reproducible.

/// A deterministic id source (SplitMix64; not for cryptography).
#[derive(Debug, Clone)]
pub struct IdGenerator {
    state: u64,
}

impl IdGenerator {
    /// A generator whose sequence is fixed by `seed`.
    pub fn seeded(seed: u64) -> Self {
        Self { state: seed }
    }

    /// A generator for one purpose (`label`) of a seeded landscape: generators with the same seed
    /// but different labels never share a stretch of their sequences.
    pub fn derived(seed: u64, label: &str) -> Self {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in label.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        let mut mixer = Self::seeded(seed ^ hash);
        Self::seeded(mixer.next_u64())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A version-4-shaped UUID, lower-case and hyphenated, as IAS v2 ids are.
    pub fn uuid(&mut self) -> String {
        let high = (self.next_u64() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
        let low = (self.next_u64() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            high >> 32,
            (high >> 16) & 0xFFFF,
            high & 0xFFFF,
            low >> 48,
            low & 0xFFFF_FFFF_FFFF
        )
    }

    /// A 24-character lower-case hex id, the shape of IAS's legacy group ids (`additionalId`).
    pub fn hex24(&mut self) -> String {
        format!("{:016x}{:08x}", self.next_u64(), self.next_u64() >> 32)
    }

    /// A secret of `len` characters from an unambiguous alphabet.
    pub fn secret(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        (0..len)
            .map(|_| ALPHABET[(self.next_u64() % ALPHABET.len() as u64) as usize] as char)
            .collect()
    }
}

/// The legacy IAS user id for the `n`-th user of a tenant: `P` + 6 digits (`P000001`).
pub fn p_user_id(n: u32) -> String {
    format!("P{n:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_ids() {
        let (mut a, mut b) = (IdGenerator::seeded(42), IdGenerator::seeded(42));
        assert_eq!(a.uuid(), b.uuid());
        assert_eq!(a.hex24(), b.hex24());
        assert_ne!(
            IdGenerator::seeded(43).uuid(),
            IdGenerator::seeded(42).uuid()
        );
    }

    #[test]
    fn derived_generators_do_not_overlap() {
        let a: Vec<String> = {
            let mut g = IdGenerator::derived(1, "admin");
            (0..50).map(|_| g.secret(8)).collect()
        };
        let b: Vec<String> = {
            let mut g = IdGenerator::derived(1, "ias");
            (0..50).map(|_| g.secret(8)).collect()
        };
        assert!(a.iter().all(|x| !b.contains(x)));
        assert_eq!(
            IdGenerator::derived(1, "ias").next_u64(),
            IdGenerator::derived(1, "ias").next_u64()
        );
    }

    #[test]
    fn uuids_have_the_version_4_shape() {
        let mut ids = IdGenerator::seeded(7);
        for _ in 0..1000 {
            let id = ids.uuid();
            let parts: Vec<&str> = id.split('-').collect();
            assert_eq!(
                parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12],
                "{id}"
            );
            assert!(parts[2].starts_with('4'), "{id}");
            assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{id}");
            assert!(
                id.chars()
                    .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            );
        }
    }

    #[test]
    fn legacy_ids_have_their_documented_shapes() {
        assert_eq!(p_user_id(858), "P000858");
        let hex = IdGenerator::seeded(1).hex24();
        assert_eq!(hex.len(), 24);
        assert!(hex.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(IdGenerator::seeded(1).secret(32).len(), 32);
    }
}
