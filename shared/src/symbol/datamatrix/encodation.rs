//! Data encodation (ISO/IEC 16022 5.2): the fewest data codewords for the input over
//! ASCII (digit pairs, Upper Shift), C40, Text, X12, EDIFACT and Base 256, found as a
//! shortest path over (input position, encodation, partial triplet or quadruplet), with
//! the latch/unlatch and end-of-data rules; then the smallest size that fits, padded.

use super::sizes::{sizes, DmSize, SIZES};
use super::{DataChar, DataMatrixError, DmShape, Encoded};

/// Minimal data codewords for `chars` in the smallest symbol of `shape`, padded.
///
/// A leading [`DataChar::Fnc1`] is always ASCII codeword 232 (FNC1 in first position).
pub fn encode_data(chars: &[DataChar], shape: DmShape) -> Result<Encoded, DataMatrixError> {
    encode_in(chars, sizes(shape), shape)
}

/// Like [`encode_data`] but in the first of `candidates` (in increasing capacity) that
/// fits, e.g. one fixed size; `shape` only names the shape in a [`DataMatrixError::TooLong`].
pub fn encode_in(
    chars: &[DataChar],
    candidates: &[DmSize],
    shape: DmShape,
) -> Result<Encoded, DataMatrixError> {
    if chars.is_empty() {
        return Err(DataMatrixError::Empty);
    }
    let largest = candidates
        .iter()
        .copied()
        .max_by_key(|s| s.data_codewords)
        .unwrap_or(SIZES[0]);
    let too_long = |needed| DataMatrixError::TooLong {
        needed,
        capacity: largest.data_codewords,
        shape,
        rows: largest.rows,
        cols: largest.cols,
    };
    let (prefix, rest) = match chars[0] {
        DataChar::Fnc1 => (vec![232u8], &chars[1..]),
        DataChar::Byte(_) => (Vec::new(), chars),
    };
    // Every codeword carries at most two characters: refuse before the search's memory grows.
    let lower_bound = prefix.len() + rest.len().div_ceil(2);
    if lower_bound > largest.data_codewords {
        return Err(too_long(lower_bound));
    }
    let search = Search::run(rest, prefix.len() as u32);
    // Every end uses at least its node's codewords: skip the sizes below the cheapest.
    let cheapest = search.cheapest_end();
    for size in candidates.iter().filter(|s| s.data_codewords >= cheapest) {
        if let Some((state, tail, used)) = search.best_end(size.data_codewords) {
            let mut codewords = prefix.clone();
            search.emit(state, tail, size.data_codewords, &mut codewords);
            debug_assert!(codewords.len() <= used);
            pad(&mut codewords, size.data_codewords);
            return Ok(Encoded {
                size: *size,
                codewords,
            });
        }
    }
    Err(too_long(search.fewest()))
}

/// Pads to `capacity`: 129, then 253-state randomised pads (ISO/IEC 16022 5.2.3).
fn pad(codewords: &mut Vec<u8>, capacity: usize) {
    if codewords.len() < capacity {
        codewords.push(129);
    }
    while codewords.len() < capacity {
        let position = codewords.len() + 1;
        let pseudo = (149 * position) % 253 + 1;
        let v = 129 + pseudo;
        codewords.push(if v <= 254 { v } else { v - 254 } as u8);
    }
}

// ---------------------------------------------------------------------------------------
// Encodation values

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Ascii,
    C40,
    Text,
    X12,
    Edifact,
}

/// Up to four C40/Text/X12 values for one character.
#[derive(Debug, Clone, Copy)]
struct Values {
    v: [u8; 4],
    n: usize,
}

impl Values {
    fn push(&mut self, x: u8) {
        self.v[self.n] = x;
        self.n += 1;
    }
    fn as_slice(&self) -> &[u8] {
        &self.v[..self.n]
    }
}

/// Basic-set value in C40 (`text == false`) or Text.
fn basic_value(c: u8, text: bool) -> Option<u8> {
    match c {
        b' ' => Some(3),
        b'0'..=b'9' => Some(c - b'0' + 4),
        b'A'..=b'Z' if !text => Some(c - b'A' + 14),
        b'a'..=b'z' if text => Some(c - b'a' + 14),
        _ => None,
    }
}

/// C40 or Text values of one character (ISO/IEC 16022 Tables C.1, C.2).
fn c40_text_values(ch: DataChar, text: bool) -> Values {
    let mut out = Values { v: [0; 4], n: 0 };
    let b = match ch {
        DataChar::Fnc1 => {
            out.push(1);
            out.push(27);
            return out;
        }
        DataChar::Byte(b) => b,
    };
    let c = if b >= 128 {
        out.push(1); // Shift 2
        out.push(30); // Upper Shift
        b - 128
    } else {
        b
    };
    if let Some(v) = basic_value(c, text) {
        out.push(v);
    } else if c < 32 {
        out.push(0);
        out.push(c);
    } else if let Some(v) = match c {
        b'!'..=b'/' => Some(c - b'!'),
        b':'..=b'@' => Some(c - b':' + 15),
        b'['..=b'_' => Some(c - b'[' + 22),
        _ => None,
    } {
        out.push(1);
        out.push(v);
    } else {
        out.push(2);
        out.push(match c {
            b'A'..=b'Z' => c - b'A' + 1, // Text only; C40 has them in the basic set
            _ => c - 96,                 // '`', a-z (C40 only), '{' .. DEL
        });
    }
    out
}

/// X12 value (CR, '*', '>', space, digits, capitals); nothing else is encodable.
fn x12_value(ch: DataChar) -> Option<u8> {
    match ch {
        DataChar::Byte(13) => Some(0),
        DataChar::Byte(b'*') => Some(1),
        DataChar::Byte(b'>') => Some(2),
        DataChar::Byte(c) => basic_value(c, false),
        DataChar::Fnc1 => None,
    }
}

/// Values of `ch` in C40, Text or X12 (`None` when the mode cannot carry it).
fn triplet_values(mode: Mode, ch: DataChar) -> Option<Values> {
    match mode {
        Mode::C40 => Some(c40_text_values(ch, false)),
        Mode::Text => Some(c40_text_values(ch, true)),
        Mode::X12 => x12_value(ch).map(|v| Values {
            v: [v, 0, 0, 0],
            n: 1,
        }),
        _ => None,
    }
}

/// EDIFACT value: ASCII 32..=94, its low six bits.
fn edifact_value(ch: DataChar) -> Option<u8> {
    match ch {
        DataChar::Byte(c @ 32..=94) => Some(c & 0x3f),
        _ => None,
    }
}

fn is_digit(ch: DataChar) -> bool {
    matches!(ch, DataChar::Byte(b'0'..=b'9'))
}

/// ASCII codewords of one character (no digit pairing).
fn ascii_codewords(ch: DataChar, out: &mut Vec<u8>) {
    match ch {
        DataChar::Fnc1 => out.push(232),
        DataChar::Byte(b) if b < 128 => out.push(b + 1),
        DataChar::Byte(b) => {
            out.push(235); // Upper Shift
            out.push(b - 127);
        }
    }
}

/// ASCII codewords of a run, pairing digits.
fn ascii_run(chars: &[DataChar], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < chars.len() {
        if let (DataChar::Byte(a @ b'0'..=b'9'), Some(DataChar::Byte(b @ b'0'..=b'9'))) =
            (chars[i], chars.get(i + 1))
        {
            out.push(130 + (a - b'0') * 10 + (b - b'0'));
            i += 2;
        } else {
            ascii_codewords(chars[i], out);
            i += 1;
        }
    }
}

/// Codewords of [`ascii_run`], without writing them.
fn ascii_run_len(chars: &[DataChar]) -> usize {
    let mut len = 0;
    let mut i = 0;
    while i < chars.len() {
        if is_digit(chars[i]) && chars.get(i + 1).is_some_and(|&c| is_digit(c)) {
            i += 2;
            len += 1;
        } else {
            len += match chars[i] {
                DataChar::Byte(b) if b >= 128 => 2,
                _ => 1,
            };
            i += 1;
        }
    }
    len
}

/// Codewords of an EDIFACT unlatch after `k` pending values (the unlatch is value 31; the
/// rest of the last codeword is zero bits).
fn edifact_unlatch_cost(k: usize) -> u32 {
    ((k + 1) * 6).div_ceil(8) as u32
}

// ---------------------------------------------------------------------------------------
// The shortest-path search

/// Base 256 segments from this length on take a two-codeword length field.
const B256_LONG: usize = 250;
/// Search states per input position: ASCII, C40/Text/X12 with 0..=2 values pending,
/// EDIFACT with 0..=3 values pending. Base 256 needs no states of its own (see
/// [`Base256Window`]).
const STATES: usize = 1 + 3 + 3 + 3 + 4;
const INF: u32 = u32::MAX;

fn state(mode: Mode, sub: usize) -> usize {
    match mode {
        Mode::Ascii => 0,
        Mode::C40 => 1 + sub,
        Mode::Text => 4 + sub,
        Mode::X12 => 7 + sub,
        Mode::Edifact => 10 + sub,
    }
}

fn mode_of(s: usize) -> (Mode, usize) {
    match s {
        0 => (Mode::Ascii, 0),
        1..=3 => (Mode::C40, s - 1),
        4..=6 => (Mode::Text, s - 4),
        7..=9 => (Mode::X12, s - 7),
        _ => (Mode::Edifact, s - 10),
    }
}

/// How an edge moves: a latch/unlatch at the same position, or characters consumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Start,
    /// Latch from ASCII, or leave a mode for ASCII.
    Switch,
    /// One character in the target state's mode.
    Char,
    /// Two digits as one ASCII codeword.
    Pair,
    /// ASCII to ASCII through a whole Base 256 segment (latch, length, bytes): from the
    /// ASCII node at the segment's start to the one at its end.
    Base256,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    cost: u32,
    prev: u32,
    step: Step,
}

/// How the data ends in a symbol of a given capacity (ISO/IEC 16022 5.2 end-of-data rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tail {
    /// Nothing more (ASCII, Base 256, or a C40/Text/X12/EDIFACT symbol filled exactly).
    None,
    /// Unlatch to ASCII (254, or EDIFACT value 31), then pads.
    Unlatch,
    /// The last character (one pending C40/Text/X12 value) in ASCII; unlatch implied.
    AsciiLast,
    /// Unlatch, then the last character in ASCII.
    UnlatchAsciiLast,
    /// Two pending C40/Text values completed with Shift 1; symbol full.
    PadTriplet,
    /// Two pending C40/Text values completed with Shift 1, then unlatch.
    PadTripletUnlatch,
    /// The `k` pending EDIFACT characters in ASCII in the last one or two codewords.
    EdifactAscii,
}

/// The best Base 256 segment ending at each position, without a state per segment length.
///
/// A segment `j..i` (latched from the ASCII node at `j`, left for the ASCII node at `i`)
/// costs `A(j) + 2 + (i - j)`, plus one from length 250 on (two-codeword length field),
/// where `A(j)` is the final ASCII cost at `j`. So the best segment into `i` is the `j`
/// with the smallest `A(j) - j`: a sliding-window minimum over the last 249 starts (a
/// monotonic queue) and a running minimum over the older ones. Ties go to the latest start
/// (the shortest segment), which is the choice the former one-state-per-length search made
/// (it relaxed shorter lengths first, with strict `<`).
struct Base256Window {
    /// Candidate starts of short segments, increasing, with strictly increasing keys.
    queue: Vec<usize>,
    head: usize,
    /// Best start of a long (>= 250) segment.
    long: Option<usize>,
    /// First position the current run of bytes (no FNC1) starts at.
    run_start: usize,
}

impl Base256Window {
    fn new() -> Self {
        Base256Window {
            queue: Vec::new(),
            head: 0,
            long: None,
            run_start: 0,
        }
    }

    fn key(nodes: &[Node], j: usize) -> i64 {
        i64::from(nodes[j * STATES].cost) - j as i64
    }

    /// Before the switches at `i`: forget starts before an FNC1, move the start that turns
    /// long, and return the best segment into `i` as (start, cost).
    fn best_into(&mut self, nodes: &[Node], chars: &[DataChar], i: usize) -> Option<(usize, u32)> {
        if i > 0 && chars[i - 1] == DataChar::Fnc1 {
            self.queue.clear();
            self.head = 0;
            self.long = None;
            self.run_start = i;
        }
        if i >= self.run_start + B256_LONG {
            let j = i - B256_LONG;
            if self.queue.get(self.head) == Some(&j) {
                self.head += 1;
            }
            if self
                .long
                .is_none_or(|l| Self::key(nodes, j) <= Self::key(nodes, l))
            {
                self.long = Some(j);
            }
        }
        let cost = |j: usize, extra: u32| nodes[j * STATES].cost + extra + (i - j) as u32;
        let short = self.queue.get(self.head).map(|&j| (j, cost(j, 2)));
        let long = self.long.map(|j| (j, cost(j, 3)));
        match (short, long) {
            (Some(s), Some(l)) => Some(if s.1 <= l.1 { s } else { l }),
            (s, l) => s.or(l),
        }
    }

    /// After the switches at `i`: `i` may start a segment.
    fn push(&mut self, nodes: &[Node], i: usize) {
        let key = Self::key(nodes, i);
        while self.queue.len() > self.head
            && Self::key(nodes, self.queue[self.queue.len() - 1]) >= key
        {
            self.queue.pop();
        }
        self.queue.push(i);
    }
}

struct Search<'a> {
    chars: &'a [DataChar],
    nodes: Vec<Node>,
}

impl<'a> Search<'a> {
    fn run(chars: &'a [DataChar], start_cost: u32) -> Self {
        let n = chars.len();
        let unset = Node {
            cost: INF,
            prev: u32::MAX,
            step: Step::Start,
        };
        let mut s = Search {
            chars,
            nodes: vec![unset; (n + 1) * STATES],
        };
        s.nodes[0].cost = start_cost;
        let mut b256 = Base256Window::new();
        for i in 0..=n {
            let segment = b256.best_into(&s.nodes, chars, i);
            s.switches(i, segment);
            if i < n {
                b256.push(&s.nodes, i);
                s.consume(i);
            }
        }
        s
    }

    #[inline]
    fn relax(&mut self, from: usize, to: usize, add: u32, step: Step) {
        let cost = self.nodes[from].cost + add;
        if cost < self.nodes[to].cost {
            self.nodes[to] = Node {
                cost,
                prev: from as u32,
                step,
            };
        }
    }

    /// Unlatches into ASCII (the best Base 256 segment into `i` last), then latches out of
    /// it, all at position `i`.
    fn switches(&mut self, i: usize, segment: Option<(usize, u32)>) {
        let ascii = i * STATES;
        for s in [
            state(Mode::C40, 0),
            state(Mode::Text, 0),
            state(Mode::X12, 0),
        ] {
            if self.nodes[ascii + s].cost != INF {
                self.relax(ascii + s, ascii, 1, Step::Switch);
            }
        }
        for k in 0..4 {
            let s = ascii + state(Mode::Edifact, k);
            if self.nodes[s].cost != INF {
                self.relax(s, ascii, edifact_unlatch_cost(k), Step::Switch);
            }
        }
        if let Some((j, cost)) = segment {
            if cost < self.nodes[ascii].cost {
                self.nodes[ascii] = Node {
                    cost,
                    prev: (j * STATES) as u32,
                    step: Step::Base256,
                };
            }
        }
        if self.nodes[ascii].cost == INF {
            return;
        }
        for mode in [Mode::C40, Mode::Text, Mode::X12, Mode::Edifact] {
            self.relax(ascii, ascii + state(mode, 0), 1, Step::Switch);
        }
    }

    /// Edges that consume the character at `i` (two digits for an ASCII pair).
    fn consume(&mut self, i: usize) {
        let ch = self.chars[i];
        let base = i * STATES;
        let next = base + STATES;
        if self.nodes[base].cost != INF {
            let n = if matches!(ch, DataChar::Byte(b) if b >= 128) {
                2
            } else {
                1
            };
            self.relax(base, next, n, Step::Char);
            if is_digit(ch) && self.chars.get(i + 1).is_some_and(|&c| is_digit(c)) {
                self.relax(base, next + STATES, 1, Step::Pair);
            }
        }
        for mode in [Mode::C40, Mode::Text, Mode::X12] {
            let first = state(mode, 0);
            if (0..3).all(|p| self.nodes[base + first + p].cost == INF) {
                continue;
            }
            let Some(v) = triplet_values(mode, ch) else {
                continue;
            };
            for p in 0..3 {
                if self.nodes[base + first + p].cost != INF {
                    let total = p + v.n;
                    let add = (total / 3 * 2) as u32;
                    self.relax(base + first + p, next + first + total % 3, add, Step::Char);
                }
            }
        }
        if edifact_value(ch).is_some() {
            for k in 0..4 {
                let s = base + state(Mode::Edifact, k);
                if self.nodes[s].cost != INF {
                    let (k2, add) = if k == 3 { (0, 3) } else { (k + 1, 0) };
                    self.relax(s, next + state(Mode::Edifact, k2), add, Step::Char);
                }
            }
        }
    }

    /// The end states and how each could end in a symbol of `capacity` codewords, with the
    /// codewords used; the one using fewest.
    ///
    /// A path ending inside a Base 256 segment is never needed: leaving the segment is free,
    /// so the ASCII end node is as cheap and ends the same way.
    fn best_end(&self, capacity: usize) -> Option<(usize, Tail, usize)> {
        let n = self.chars.len();
        let mut best: Option<(usize, Tail, usize)> = None;
        for s in 0..STATES {
            let node = self.nodes[n * STATES + s];
            if node.cost == INF {
                continue;
            }
            if let Some((tail, used)) = self.tail(s, node.cost as usize, capacity) {
                if best.is_none_or(|(_, _, u)| used < u) {
                    best = Some((n * STATES + s, tail, used));
                }
            }
        }
        best
    }

    /// The lowest cost of any end node (a lower bound of every way to end).
    fn cheapest_end(&self) -> usize {
        let n = self.chars.len();
        let ends = &self.nodes[n * STATES..];
        ends.iter().map(|node| node.cost).min().unwrap_or(INF) as usize
    }

    /// Fewest codewords of any encodation, whatever the symbol.
    fn fewest(&self) -> usize {
        self.best_end(usize::MAX / 2)
            .map_or(usize::MAX, |(_, _, used)| used)
    }

    /// How state `s` with `b` codewords written ends within `cap`, and the codewords used.
    fn tail(&self, s: usize, b: usize, cap: usize) -> Option<(Tail, usize)> {
        let n = self.chars.len();
        let (mode, sub) = mode_of(s);
        match (mode, sub) {
            (Mode::Ascii, _) => (b <= cap).then_some((Tail::None, b)),
            (Mode::C40 | Mode::Text | Mode::X12, 0) => match b {
                // Full, or one codeword left that a decoder reads as ASCII (unlatch implied).
                _ if b + 1 >= cap => (b <= cap).then_some((Tail::None, b)),
                _ => Some((Tail::Unlatch, b + 1)),
            },
            (Mode::C40 | Mode::Text | Mode::X12, 1) => {
                // Only when that one value is the whole last character.
                let single =
                    n > 0 && triplet_values(mode, self.chars[n - 1]).is_some_and(|v| v.n == 1);
                match b {
                    _ if !single => None,
                    _ if b + 1 == cap => Some((Tail::AsciiLast, b + 1)),
                    _ if b + 2 <= cap => Some((Tail::UnlatchAsciiLast, b + 2)),
                    _ => None,
                }
            }
            (Mode::C40 | Mode::Text, _) => match b {
                _ if b + 2 == cap => Some((Tail::PadTriplet, b + 2)),
                _ if b + 3 <= cap => Some((Tail::PadTripletUnlatch, b + 3)),
                _ => None,
            },
            (Mode::X12, _) => None,
            (Mode::Edifact, k) => {
                let left = cap.checked_sub(b)?;
                if left <= 2 {
                    // A decoder reads the last one or two codewords after a complete EDIFACT
                    // group as ASCII: no unlatch fits there, the pending characters go in ASCII.
                    let ascii = ascii_run_len(&self.chars[n - k..]);
                    return (ascii <= left).then_some((Tail::EdifactAscii, b + ascii));
                }
                Some((Tail::Unlatch, b + edifact_unlatch_cost(k) as usize))
            }
        }
    }

    /// Writes the codewords of the path ending at node `end`, finished by `tail`.
    fn emit(&self, end: usize, tail: Tail, cap: usize, out: &mut Vec<u8>) {
        let mut path = Vec::new();
        let mut at = end;
        while self.nodes[at].step != Step::Start {
            path.push(at);
            at = self.nodes[at].prev as usize;
        }
        path.reverse();

        let mut values: Vec<u8> = Vec::new(); // pending C40/Text/X12 or EDIFACT values
        let mut mode = Mode::Ascii;
        for &to in &path {
            let node = self.nodes[to];
            let from = node.prev as usize;
            let i = from / STATES;
            let (to_mode, _) = mode_of(to % STATES);
            match node.step {
                Step::Start => {}
                Step::Base256 => {
                    out.push(231);
                    let start = out.len();
                    out.extend(self.chars[i..to / STATES].iter().map(|&ch| match ch {
                        DataChar::Byte(b) => b,
                        DataChar::Fnc1 => unreachable!("Base 256 has no FNC1"),
                    }));
                    finish_base256(out, start);
                }
                Step::Switch if to_mode == Mode::Ascii => {
                    match mode {
                        Mode::C40 | Mode::Text | Mode::X12 => out.push(254),
                        // With at most two codewords left after a complete group, a decoder
                        // is back in ASCII already: an unlatch there would read as data.
                        Mode::Edifact if values.is_empty() && cap - out.len() <= 2 => {}
                        Mode::Edifact => {
                            values.push(31);
                            pack_edifact(&mut values, out, true);
                        }
                        Mode::Ascii => unreachable!("ASCII does not unlatch"),
                    }
                    mode = Mode::Ascii;
                }
                Step::Switch => {
                    out.push(match to_mode {
                        Mode::C40 => 230,
                        Mode::X12 => 238,
                        Mode::Text => 239,
                        Mode::Edifact => 240,
                        Mode::Ascii => unreachable!(),
                    });
                    mode = to_mode;
                }
                Step::Pair => ascii_run(&self.chars[i..i + 2], out),
                Step::Char => {
                    let ch = self.chars[i];
                    match mode {
                        Mode::Ascii => ascii_codewords(ch, out),
                        Mode::C40 | Mode::Text | Mode::X12 => {
                            let v = triplet_values(mode, ch).expect("path uses encodable chars");
                            values.extend_from_slice(v.as_slice());
                            pack_triplets(&mut values, out);
                        }
                        Mode::Edifact => {
                            values.push(edifact_value(ch).expect("path uses encodable chars"));
                            pack_edifact(&mut values, out, false);
                        }
                    }
                }
            }
        }
        let n = self.chars.len();
        match tail {
            Tail::None => {}
            Tail::Unlatch if mode == Mode::Edifact => {
                values.push(31);
                pack_edifact(&mut values, out, true);
            }
            Tail::Unlatch => out.push(254),
            Tail::AsciiLast => ascii_codewords(self.chars[n - 1], out),
            Tail::UnlatchAsciiLast => {
                out.push(254);
                ascii_codewords(self.chars[n - 1], out);
            }
            Tail::PadTriplet | Tail::PadTripletUnlatch => {
                values.push(0);
                pack_triplets(&mut values, out);
                if tail == Tail::PadTripletUnlatch {
                    out.push(254);
                }
            }
            Tail::EdifactAscii => {
                let k = values.len();
                ascii_run(&self.chars[n - k..], out);
            }
        }
    }
}

/// Packs complete C40/Text/X12 triplets: 1600 v1 + 40 v2 + v3 + 1 as two codewords.
fn pack_triplets(values: &mut Vec<u8>, out: &mut Vec<u8>) {
    while values.len() >= 3 {
        let v: u32 =
            1600 * u32::from(values[0]) + 40 * u32::from(values[1]) + u32::from(values[2]) + 1;
        out.push((v >> 8) as u8);
        out.push((v & 0xff) as u8);
        values.drain(..3);
    }
}

/// Packs EDIFACT values, four into three codewords; with `flush`, also a last partial
/// group padded with zero bits to a whole codeword.
fn pack_edifact(values: &mut Vec<u8>, out: &mut Vec<u8>, flush: bool) {
    while values.len() >= 4 || (flush && !values.is_empty()) {
        let take = values.len().min(4);
        let mut bits: u32 = 0;
        for (j, &v) in values[..take].iter().enumerate() {
            bits |= u32::from(v) << (18 - 6 * j);
        }
        let bytes = (take * 6).div_ceil(8);
        for j in 0..bytes {
            out.push((bits >> (16 - 8 * j)) as u8);
        }
        values.drain(..take);
    }
}

/// Inserts the Base 256 length field before the segment starting at `start` and applies
/// the 255-state randomisation to length and data (ISO/IEC 16022 5.2.9 and Annex B).
fn finish_base256(out: &mut Vec<u8>, start: usize) {
    let len = out.len() - start;
    let field: Vec<u8> = if len <= 249 {
        vec![len as u8]
    } else {
        vec![(len / 250 + 249) as u8, (len % 250) as u8]
    };
    out.splice(start..start, field);
    for (idx, cw) in out.iter_mut().enumerate().skip(start) {
        let position = idx + 1;
        let pseudo = (149 * position) % 255 + 1;
        let v = usize::from(*cw) + pseudo;
        *cw = if v <= 255 { v } else { v - 256 } as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(s: &str) -> Vec<DataChar> {
        s.bytes().map(DataChar::Byte).collect()
    }

    #[test]
    fn c40_values_of_each_set() {
        // (char, C40 values, Text values)
        let rows: &[(DataChar, &[u8], &[u8])] = &[
            /* 0 */ (DataChar::Byte(b'A'), &[14], &[2, 1]),
            /* 1 */ (DataChar::Byte(b'a'), &[2, 1], &[14]),
            /* 2 */ (DataChar::Byte(b'-'), &[1, 12], &[1, 12]),
            /* 3 */ (DataChar::Fnc1, &[1, 27], &[1, 27]),
            /* 4 */ (DataChar::Byte(b'_'), &[1, 26], &[1, 26]),
            /* 5 */ (DataChar::Byte(0x1d), &[0, 29], &[0, 29]),
            /* 6 */ (DataChar::Byte(0xc1), &[1, 30, 14], &[1, 30, 2, 1]),
            /* 7 */ (DataChar::Byte(b'~'), &[2, 30], &[2, 30]),
        ];
        for (i, (ch, c40, text)) in rows.iter().enumerate() {
            assert_eq!(c40_text_values(*ch, false).as_slice(), *c40, "row {i} C40");
            assert_eq!(c40_text_values(*ch, true).as_slice(), *text, "row {i} Text");
        }
    }

    #[test]
    fn every_end_state_and_rule_decodes() {
        // GIVEN texts ending in each encodation, with 0..3 values pending
        let texts = [
            "ABCDEFGHIJKL",
            "ABCDEFGHIJKLM",
            "ABCDEFGHIJKLMN",
            "ABCDEFGHIJK-",  // the last character split over two triplets
            "ABCDEFGHIJKL-", // a shifted character pending
            "abcdefghijklm",
            "abcdefghijklmn",
            "AB*CD>EF*GH>IJ*KL>M",
            "AB*CD>EF*GH>IJ*KL>MN",
            "A.B.C.D.E.F.G.H.I.J.",
            "A.B.C.D.E.F.G.H.I.J",
            "A.B.C.D.E.F.G.H.I.",
            "A.B.C.D.E.F.G.H.I",
            "A.B.C.D.E.F.G.H.12",
            "\u{e9}\u{e8}\u{ea}\u{eb}\u{e0}",
        ];
        let mut seen = Vec::new();
        for text in texts {
            let chars: Vec<DataChar> = text
                .chars()
                .map(|c| DataChar::Byte(c as u32 as u8))
                .collect();
            let search = Search::run(&chars, 0);
            let n = chars.len();
            // WHEN every reachable end state is finished by every rule that fits a capacity
            for s in 0..STATES {
                let b = search.nodes[n * STATES + s].cost;
                if b == INF {
                    continue;
                }
                for cap in 1..48 {
                    let Some((tail, used)) = search.tail(s, b as usize, cap) else {
                        continue;
                    };
                    let mut out = Vec::new();
                    search.emit(n * STATES + s, tail, cap, &mut out);
                    assert!(out.len() <= used, "{text:?} {:?} {tail:?}", mode_of(s));
                    pad(&mut out, cap);
                    // THEN the datamatrix crate's decoder reads the text back
                    let decoded = datamatrix::data::decode_data(&out).unwrap_or_else(|e| {
                        panic!("{text:?} {:?} {tail:?} {out:?}: {e:?}", mode_of(s))
                    });
                    let expected: Vec<u8> = chars
                        .iter()
                        .map(|c| match c {
                            DataChar::Byte(b) => *b,
                            DataChar::Fnc1 => 29,
                        })
                        .collect();
                    assert_eq!(
                        decoded,
                        expected,
                        "{text:?} {:?} {tail:?} {out:?}",
                        mode_of(s)
                    );
                    if !seen.contains(&tail) {
                        seen.push(tail);
                    }
                }
            }
        }
        // AND every rule of ISO/IEC 16022 5.2 was exercised
        assert_eq!(seen.len(), 7, "{seen:?}");
        // AND an EDIFACT unlatch never lands in the last two codewords, mid-path either
        let chars = bytes("A.B.C.D.E.F.G.H.I.J.K.a");
        for cap in 1..40 {
            let mut out = Vec::new();
            let search = Search::run(&chars, 0);
            if let Some((end, tail, _)) = search.best_end(cap) {
                search.emit(end, tail, cap, &mut out);
                pad(&mut out, cap);
                assert_eq!(
                    datamatrix::data::decode_data(&out).unwrap(),
                    b"A.B.C.D.E.F.G.H.I.J.K.a",
                    "{out:?}"
                );
            }
        }
    }

    #[test]
    fn a_split_last_character_is_not_finished_in_ascii() {
        // "ABCDEFGHIJK-": 11 values, then '-' as Shift 2 + 12 splits over two triplets
        let chars = bytes("ABCDEFGHIJK-");
        let search = Search::run(&chars, 0);
        let s = state(Mode::C40, 1);
        let b = search.nodes[chars.len() * STATES + s].cost as usize;
        assert_eq!(search.tail(s, b, b + 1), None);
        // while a whole pending character may end in ASCII with the unlatch implied
        let chars = bytes("ABCDEFGHIJKLM");
        let search = Search::run(&chars, 0);
        let b = search.nodes[chars.len() * STATES + s].cost as usize;
        assert_eq!(search.tail(s, b, b + 1), Some((Tail::AsciiLast, b + 1)));
        assert_eq!(
            search.tail(s, b, b + 2),
            Some((Tail::UnlatchAsciiLast, b + 2))
        );
    }

    #[test]
    fn base256_length_and_randomisation() {
        // GIVEN a Base 256 segment of 2 bytes right after a latch at codeword 1
        let mut out = vec![231, 0xab, 0xcd];
        finish_base256(&mut out, 1);
        // THEN the length 2 and the data are randomised by position (2, 3, 4)
        let r = |v: usize, p: usize| {
            let t = v + (149 * p) % 255 + 1;
            (if t <= 255 { t } else { t - 256 }) as u8
        };
        assert_eq!(out, vec![231, r(2, 2), r(0xab, 3), r(0xcd, 4)]);
    }

    #[test]
    fn upper_shift_bytes_pick_base256_when_shorter() {
        // 6 bytes >= 128: ASCII needs 12 codewords, Base 256 needs 1 + 1 + 6.
        let data: Vec<DataChar> = (0..6).map(|i| DataChar::Byte(0xc0 + i)).collect();
        let enc = encode_data(&data, DmShape::Square).unwrap();
        assert_eq!(enc.codewords[0], 231);
        assert_eq!(enc.size.data_codewords, 8);
    }
}
