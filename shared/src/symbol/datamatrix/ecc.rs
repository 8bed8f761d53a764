//! Reed-Solomon error correction of ECC 200 (ISO/IEC 16022 5.7): GF(256) with the prime
//! polynomial 301, one generator polynomial per block size, interleaved blocks.

use std::sync::OnceLock;

use super::sizes::{ecc_blocks, DmSize};

/// GF(256) with the DataMatrix polynomial 301: the full product table (64 KiB, built once),
/// so a Reed-Solomon step is one lookup per generator coefficient.
fn gf_mul_table() -> &'static [[u8; 256]; 256] {
    static TABLE: OnceLock<Box<[[u8; 256]; 256]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut exp = [0u8; 255];
        let mut log = [0usize; 256];
        let mut x: u16 = 1;
        for (i, e) in exp.iter_mut().enumerate() {
            *e = x as u8;
            log[x as usize] = i;
            x <<= 1;
            if x & 0x100 != 0 {
                x ^= 301;
            }
        }
        let mut t = Box::new([[0u8; 256]; 256]);
        for a in 1..256 {
            for b in 1..256 {
                t[a][b] = exp[(log[a] + log[b]) % 255];
            }
        }
        t
    })
}

/// The generator polynomial of degree `k`, (x - a^1)...(x - a^k), coefficients from x^k
/// down; built once per degree.
fn generator(k: usize) -> &'static [u8] {
    const DEGREES: [usize; 16] = [5, 7, 10, 11, 12, 14, 18, 20, 24, 28, 36, 42, 48, 56, 62, 68];
    static POLYS: [OnceLock<Vec<u8>>; 16] = [const { OnceLock::new() }; 16];
    let slot = DEGREES
        .iter()
        .position(|&d| d == k)
        .expect("an ISO/IEC 16022 block size");
    POLYS[slot].get_or_init(|| {
        let mul = gf_mul_table();
        let mut g = vec![0u8; k + 1];
        g[0] = 1;
        let mut root = 1u8;
        for degree in 1..=k {
            root = mul[usize::from(root)][2];
            // g(x) * (x + root), the new lowest coefficient at `degree`
            for j in (1..=degree).rev() {
                g[j] ^= mul[usize::from(g[j - 1])][usize::from(root)];
            }
        }
        g
    })
}

/// Appends the interleaved Reed-Solomon codewords of `size` to its data codewords.
pub(super) fn reed_solomon(all: &mut Vec<u8>, size: DmSize) {
    let (blocks, k) = ecc_blocks(size);
    let data_len = all.len();
    debug_assert_eq!(data_len, size.data_codewords);
    let g = generator(k);
    let mul = gf_mul_table();
    all.resize(data_len + blocks * k, 0);
    let mut ecc = [0u8; 69];
    for block in 0..blocks {
        ecc[..=k].fill(0);
        for i in (block..data_len).step_by(blocks) {
            let row = &mul[usize::from(ecc[0] ^ all[i])];
            for j in 0..k {
                ecc[j] = ecc[j + 1] ^ row[usize::from(g[j + 1])];
            }
        }
        for (j, &e) in ecc[..k].iter().enumerate() {
            all[data_len + block + j * blocks] = e;
        }
    }
}
