//! Properties over generated valid messages: every writer's output reads back to
//! the same value (bracketed, raw, Digital Link).

use proptest::prelude::*;
use shared::gs1::check_digit::mod10;
use shared::gs1::{DigitalLink, ElementString};

const CSET82: &str =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

fn gtin() -> impl Strategy<Value = String> {
    "[0-9]{13}".prop_map(|d| {
        let c = mod10(&d).unwrap();
        format!("{d}{c}")
    })
}

fn x(max: usize) -> impl Strategy<Value = String> {
    let chars: Vec<char> = CSET82.chars().collect();
    proptest::collection::vec(proptest::sample::select(chars), 1..=max)
        .prop_map(|v| v.into_iter().collect())
}

fn date() -> impl Strategy<Value = String> {
    (0u32..100, 1u32..=12, 0u32..=28).prop_map(|(y, m, d)| format!("{y:02}{m:02}{d:02}"))
}

/// A valid message built around a GTIN: (01) plus any of (22), (10), (21), (17),
/// (3103), (99), in generated order.
fn message() -> impl Strategy<Value = ElementString> {
    (
        gtin(),
        proptest::option::of(x(20)),
        proptest::option::of(x(20)),
        proptest::option::of(x(20)),
        proptest::option::of(date()),
        proptest::option::of("[0-9]{6}"),
        proptest::option::of(x(90)),
        any::<bool>(),
    )
        .prop_map(|(g, cpv, lot, ser, exp, wt, internal, gtin_last)| {
            let mut es = ElementString::new();
            if !gtin_last {
                es.push("01", g.clone());
            }
            let opts = [
                ("22", cpv),
                ("10", lot),
                ("21", ser),
                ("17", exp),
                ("3103", wt),
                ("99", internal),
            ];
            for (ai, v) in opts {
                if let Some(v) = v {
                    es.push(ai, v);
                }
            }
            if gtin_last {
                es.push("01", g);
            }
            es
        })
}

proptest! {
    #[test]
    fn generated_messages_are_valid(es in message()) {
        prop_assert_eq!(es.validate(), Ok(()));
    }

    #[test]
    fn bracketed_roundtrip(es in message()) {
        prop_assert_eq!(ElementString::parse_bracketed(&es.to_bracketed()).unwrap(), es);
    }

    #[test]
    fn raw_roundtrip(es in message()) {
        prop_assert_eq!(ElementString::parse_raw(&es.to_raw()).unwrap(), es);
    }

    #[test]
    fn digital_link_roundtrip(es in message(), custom in any::<bool>()) {
        let stem = custom.then_some("https://example.com/some/prefix");
        let dl = DigitalLink::from_element_string(&es, stem).unwrap();
        let parsed = DigitalLink::parse(&dl.to_string()).unwrap();
        prop_assert_eq!(&parsed, &dl);
        // The same AIs survive, whatever the order.
        let mut a = parsed.to_element_string().ais;
        let mut b = es.ais.clone();
        a.sort();
        b.sort();
        prop_assert_eq!(a, b);
    }
}
