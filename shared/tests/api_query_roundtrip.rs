//! The cacheable GET URL written for a request reads back as that request, for every
//! image endpoint: a drift between the POST reader and the GET writer would silently
//! change cached and signed URLs. And the GET reader never panics, whatever the path
//! and query.
#![cfg(feature = "http")]

use proptest::prelude::*;
use shared::api::barcode::BarcodeRequest;
use shared::api::barcode_type::BarcodeType;
use shared::api::datamatrix::DataMatrixRequest;
use shared::api::gs1_fields::Gs1Fields;
use shared::api::image::{read_get, ImageRequest};
use shared::api::qr::QrRequest;
use shared::render::Format;
use shared::symbol::datamatrix::DmShape;
use shared::symbol::qr::EcLevel;
use shared::symbol::Bearer;

/// Any text no field refuses outright: the characters of `shared::unicode::refused`
/// (NUL, bidi and zero-width controls, separators, noncharacters) are a 422 in every
/// field, so they cannot round-trip and are not drawn.
fn text() -> impl Strategy<Value = String> {
    any::<String>().prop_filter("a character every field refuses", |s| {
        shared::unicode::first_refused(s).is_none()
    })
}

fn format(formats: &'static [&'static str]) -> impl Strategy<Value = Format> {
    prop::sample::select(formats).prop_map(|f| f.parse().unwrap())
}

fn barcode() -> impl Strategy<Value = BarcodeRequest> {
    (
        (
            text(),
            prop::sample::select(BarcodeType::ALL.map(|(_, t)| t).to_vec()),
            format(BarcodeRequest::FORMATS),
            0.1f64..=2.0,
            1.0f64..=100.0,
            4.0f64..=24.0,
        ),
        (
            prop::option::of(0.0f64..=20.0),
            any::<bool>(),
            any::<bool>(),
            72u32..=2400,
            prop::sample::select(vec![Bearer::Frame, Bearer::Bars, Bearer::None]),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (gtin, barcode_type, format, module_width, module_height, font_size),
                (quiet_zone, write_text, embed_font, dpi, bearer, code39_check),
            )| BarcodeRequest {
                gtin,
                barcode_type,
                format,
                module_width,
                module_height,
                font_size,
                quiet_zone,
                write_text,
                embed_font,
                dpi,
                bearer,
                code39_check,
            },
        )
}

fn datamatrix() -> impl Strategy<Value = DataMatrixRequest> {
    let extra = prop::collection::vec(
        prop::sample::select(vec![
            ("3103", "000750"),
            ("11", "260101"),
            ("240", "ABC-1(2)"),
            ("91", "x%y&z=1"),
        ]),
        0..3,
    )
    .prop_map(|v| {
        v.into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    });
    (
        (
            text(),
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
            extra,
            format(DataMatrixRequest::FORMATS),
        ),
        (
            prop::sample::select(vec![DmShape::Square, DmShape::Rectangle]),
            0.1f64..=5.0,
            1u32..=20,
            any::<bool>(),
            4.0f64..=24.0,
            72u32..=2400,
        ),
    )
        .prop_map(
            |(
                (gtin, lot, serial, expiry, extra, format),
                (shape, module_size, quiet_zone, write_text, font_size, dpi),
            )| DataMatrixRequest {
                data: Gs1Fields {
                    gtin,
                    lot,
                    serial,
                    expiry,
                    extra,
                    from_ais_object: Vec::new(),
                },
                format,
                shape,
                module_size,
                quiet_zone,
                write_text,
                font_size,
                dpi,
            },
        )
}

fn qr() -> impl Strategy<Value = QrRequest> {
    (
        text(),
        prop::option::of("[A-Z0-9/-]{1,20}"),
        prop::option::of(text()),
        format(QrRequest::FORMATS),
        prop::sample::select(vec![EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H]),
        50u32..=2000,
        0.1f64..=5.0,
    )
        .prop_map(
            |(gtin, lot, serial, format, ec_level, size, module_size)| QrRequest {
                data: Gs1Fields {
                    gtin,
                    lot,
                    serial,
                    expiry: None,
                    extra: vec![],
                    from_ais_object: Vec::new(),
                },
                format,
                ec_level,
                size,
                module_size,
            },
        )
}

fn round_trip<R: ImageRequest + PartialEq + std::fmt::Debug>(request: R) {
    let query = request.query();
    let back: R = read_get(&request.path(), Some(&query))
        .unwrap_or_else(|p| panic!("{query}: {:?}", p.details));
    assert_eq!(back, request, "query {query}");
}

proptest! {
    #[test]
    fn barcode_get_url_reads_back_as_the_request(request in barcode()) {
        round_trip(request);
    }

    #[test]
    fn datamatrix_get_url_reads_back_as_the_request(request in datamatrix()) {
        round_trip(request);
    }

    #[test]
    fn qr_get_url_reads_back_as_the_request(request in qr()) {
        round_trip(request);
    }

    #[test]
    fn get_reader_never_panics(
        path in "(/products/api/v1/(barcode|datamatrix)/)?[^?]{0,40}",
        query in prop::option::of("[a-z_=&%0-9A-F+.(),-]{0,60}"),
    ) {
        let _ = read_get::<BarcodeRequest>(&path, query.as_deref());
        let _ = read_get::<DataMatrixRequest>(&path, query.as_deref());
        let _ = read_get::<QrRequest>(&path, query.as_deref());
    }
}
