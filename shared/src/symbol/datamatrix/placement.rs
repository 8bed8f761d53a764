//! Module placement (ISO/IEC 16022 5.8 and Annex F): which codeword bit each module
//! shows, plus the finder and alignment patterns. The `datamatrix` crate's
//! [`MatrixMap`] does the placement, run once per size on codeword-bit slots and cached,
//! so drawing a symbol is one lookup per module.

use std::sync::OnceLock;

use datamatrix::placement::MatrixMap;

use super::sizes::{DmSize, SIZES};

/// What a module shows: light, dark, or bit `s - 2` of the codewords (most significant
/// bit of each codeword first). The crate's placement, run once per size on these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot(u16);

impl Slot {
    const LIGHT: Slot = Slot(0);
    const DARK: Slot = Slot(1);
}

impl datamatrix::placement::Bit for Slot {
    const LOW: Self = Slot::LIGHT;
    const HIGH: Self = Slot::DARK;
}

/// The module map of `size` (width, height, a slot per module, row-major), built once.
fn slots(size: DmSize) -> (usize, usize, &'static [Slot]) {
    static MAPS: [OnceLock<(usize, usize, Vec<Slot>)>; 30] = [const { OnceLock::new() }; 30];
    let index = SIZES
        .iter()
        .position(|s| s.crate_size == size.crate_size)
        .expect("a size of SIZES");
    let (w, h, slots) = MAPS[index].get_or_init(|| {
        let mut map = MatrixMap::<Slot>::new(size.crate_size);
        map.traverse_mut(|codeword, bits| {
            for (i, bit) in bits.into_iter().enumerate() {
                *bit = Slot((2 + codeword * 8 + i) as u16);
            }
        });
        map.write_padding();
        let bitmap = map.bitmap();
        (bitmap.width(), bitmap.height(), bitmap.bits().to_vec())
    });
    (*w, *h, slots)
}

/// The modules of a symbol of `size` whose data and error-correction codewords are `all`:
/// (width, height, row-major modules with `true` dark).
pub(super) fn place(size: DmSize, all: &[u8]) -> (usize, usize, Vec<bool>) {
    let (width, height, slots) = slots(size);
    let modules = slots
        .iter()
        .map(|&slot| match slot {
            Slot::LIGHT => false,
            Slot::DARK => true,
            Slot(s) => {
                let bit = usize::from(s - 2);
                all[bit / 8] >> (7 - bit % 8) & 1 == 1
            }
        })
        .collect();
    (width, height, modules)
}
