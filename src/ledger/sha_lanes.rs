//! SHA-256 compression of four independent messages side by side.
//!
//! The history chain (SPEC §6.6) is one SHA-256 after another, each
//! waiting for the one before. The x86 SHA instructions take several
//! cycles each but can start anew every cycle, so four chains — four
//! stretches of a ledger, each walked from a link the record keeps — are
//! compressed side by side in little more than the time of two alone.
//! Without those instructions the four are compressed one after another.

/// The eight words of a SHA-256 state.
pub type State = [u32; 8];

/// The SHA-256 initial state (FIPS 180-4 §5.3.3).
pub const IV: State = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// Lanes compressed at once.
pub const LANES: usize = 4;

/// Compresses `blocks[i]` into `states[i]`, for each of the four lanes.
pub fn compress4(states: &mut [State; LANES], blocks: [&[u8; 64]; LANES]) {
    #[cfg(target_arch = "x86_64")]
    if x86::available() {
        // SAFETY: the CPU has the SHA, SSSE3 and SSE4.1 instructions (checked just now).
        unsafe { x86::compress4(states, blocks) };
        return;
    }
    for (state, block) in states.iter_mut().zip(blocks) {
        sha2::block_api::compress256(state, std::slice::from_ref(block));
    }
}

/// Compresses `blocks` into one `state`, as `sha2` does.
pub fn compress(state: &mut State, blocks: &[[u8; 64]]) {
    sha2::block_api::compress256(state, blocks);
}

/// Writes `head ‖ tail`, padded as SHA-256 pads a message (FIPS 180-4
/// §5.1.1), into the first blocks of `blocks`: how many it fills, or
/// `None` when it needs more than `blocks` has.
pub fn pad(head: &[u8], tail: &[u8], blocks: &mut [[u8; 64]]) -> Option<usize> {
    let len = head.len() + tail.len();
    let n = (len + 9).div_ceil(64);
    if n > blocks.len() {
        return None;
    }
    let flat = blocks.as_flattened_mut();
    flat[..head.len()].copy_from_slice(head);
    flat[head.len()..len].copy_from_slice(tail);
    flat[len..n * 64 - 8].fill(0);
    flat[len] = 0x80;
    flat[n * 64 - 8..n * 64].copy_from_slice(&(len as u64 * 8).to_be_bytes());
    Some(n)
}

/// The digest a final state stands for (its words, big-endian).
pub fn digest(state: &State) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (o, w) in out.chunks_exact_mut(4).zip(state) {
        o.copy_from_slice(&w.to_be_bytes());
    }
    out
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{State, LANES};
    use std::arch::x86_64::*;

    /// The round constants (FIPS 180-4 §4.2.2).
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];

    pub fn available() -> bool {
        std::is_x86_feature_detected!("sha")
            && std::is_x86_feature_detected!("ssse3")
            && std::is_x86_feature_detected!("sse4.1")
    }

    /// The message words of a block, big-endian, four to a vector.
    #[inline(always)]
    unsafe fn load_block(block: &[u8; 64]) -> [__m128i; 4] {
        let p: *const __m128i = block.as_ptr().cast();
        let mask = _mm_set_epi64x(0x0C0D_0E0F_0809_0A0B, 0x0405_0607_0001_0203);
        std::array::from_fn(|i| _mm_shuffle_epi8(_mm_loadu_si128(p.add(i)), mask))
    }

    /// A state as the SHA instructions hold it: (ABEF, CDGH).
    #[inline(always)]
    unsafe fn load_state(state: &State) -> (__m128i, __m128i) {
        let p: *const __m128i = state.as_ptr().cast();
        let cdab = _mm_shuffle_epi32(_mm_loadu_si128(p), 0xB1);
        let efgh = _mm_shuffle_epi32(_mm_loadu_si128(p.add(1)), 0x1B);
        (_mm_alignr_epi8(cdab, efgh, 8), _mm_blend_epi16(efgh, cdab, 0xF0))
    }

    #[inline(always)]
    unsafe fn store_state(state: &mut State, abef: __m128i, cdgh: __m128i) {
        let feba = _mm_shuffle_epi32(abef, 0x1B);
        let dchg = _mm_shuffle_epi32(cdgh, 0xB1);
        let p: *mut __m128i = state.as_mut_ptr().cast();
        _mm_storeu_si128(p, _mm_blend_epi16(feba, dchg, 0xF0));
        _mm_storeu_si128(p.add(1), _mm_alignr_epi8(dchg, feba, 8));
    }

    /// The four compressions, each instruction of one beside the same
    /// instruction of the others, so that none waits for its own last.
    #[target_feature(enable = "sha,sse4.1,ssse3")]
    pub unsafe fn compress4(states: &mut [State; LANES], blocks: [&[u8; 64]; LANES]) {
        let mut abef = [_mm_setzero_si128(); LANES];
        let mut cdgh = [_mm_setzero_si128(); LANES];
        let mut w = [[_mm_setzero_si128(); 4]; LANES];
        for lane in 0..LANES {
            (abef[lane], cdgh[lane]) = load_state(&states[lane]);
            w[lane] = load_block(blocks[lane]);
        }
        let (abef0, cdgh0) = (abef, cdgh);
        for r in 0..16 {
            let i = r % 4;
            let k = _mm_loadu_si128(K.as_ptr().add(4 * r).cast());
            let mut t = [_mm_setzero_si128(); LANES];
            for lane in 0..LANES {
                let w = &mut w[lane];
                if r >= 4 {
                    let next = _mm_add_epi32(
                        _mm_sha256msg1_epu32(w[i], w[(i + 1) % 4]),
                        _mm_alignr_epi8(w[(i + 3) % 4], w[(i + 2) % 4], 4),
                    );
                    w[i] = _mm_sha256msg2_epu32(next, w[(i + 3) % 4]);
                }
                t[lane] = _mm_add_epi32(w[i], k);
            }
            for lane in 0..LANES {
                cdgh[lane] = _mm_sha256rnds2_epu32(cdgh[lane], abef[lane], t[lane]);
            }
            for lane in 0..LANES {
                abef[lane] = _mm_sha256rnds2_epu32(abef[lane], cdgh[lane], _mm_shuffle_epi32(t[lane], 0x0E));
            }
        }
        for lane in 0..LANES {
            let (a, c) = (_mm_add_epi32(abef[lane], abef0[lane]), _mm_add_epi32(cdgh[lane], cdgh0[lane]));
            store_state(&mut states[lane], a, c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Side by side or alone, every lane's state is what `sha2` makes of it.
        #[test]
        fn four_lanes_compress_as_sha2_does(seed in any::<[u32; 8]>(), bytes in proptest::collection::vec(any::<u8>(), 256)) {
            let mut states: [State; LANES] = std::array::from_fn(|i| seed.map(|w| w.rotate_left(i as u32)));
            let blocks: [[u8; 64]; LANES] = std::array::from_fn(|i| bytes[64 * i..64 * i + 64].try_into().unwrap());
            let mut alone = states;
            for (s, b) in alone.iter_mut().zip(&blocks) {
                sha2::block_api::compress256(s, std::slice::from_ref(b));
            }
            compress4(&mut states, std::array::from_fn(|i| &blocks[i]));
            prop_assert_eq!(states, alone);
        }
    }

    #[test]
    fn the_digest_of_abc() {
        let mut block = [0u8; 64];
        block[..3].copy_from_slice(b"abc");
        block[3] = 0x80;
        block[63] = 24;
        let mut states = [IV; LANES];
        compress4(&mut states, [&block; LANES]);
        let expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        for s in &states {
            let hex: String = digest(s).iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(hex, expected);
        }
    }
}
