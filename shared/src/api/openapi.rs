//! The OpenAPI 3.1 document of every route ([`document`]), built from the code that
//! serves them so the two cannot drift apart:
//!
//! - request bodies and GET queries come from the same field constants the handlers
//!   read with ([`barcode::MODULE_WIDTH`], [`qr::SIZE`]...): name, default, bounds and
//!   choices are those values, not copies of them, and a test checks that every body
//!   schema lists exactly the fields its reader accepts (`BODY_FIELDS`);
//! - paths come from the endpoint modules' path constants ([`ImageRequest::PATH`]);
//! - response bodies are `ToSchema` types here, checked against real responses by
//!   schemathesis in `make test` (`tests/schemathesis.sh`), and `ErrorOut` is the
//!   problem+json body [`super::problem`] writes, as the spec names it.
//!
//! Why builders and not `#[utoipa::path]` on each handler: the three image endpoints
//! share one generic handler per form ([`super::image`]), and the request bodies are
//! read field by field (see [`super::fields`]) rather than deserialised into structs, so
//! there is no struct to derive a request schema from; the field constants are the
//! source of truth, and these builders turn them into schemas.
//!
//! ```
//! let doc = shared::api::openapi::document();
//! assert!(doc.paths.paths.contains_key("/products/api/v1/barcode/"));
//! ```

use super::body::{MAX_BODY_BYTES, MAX_BULK_BODY_BYTES};
#[cfg(test)]
use super::digital_link;
use super::fields::{ChoiceField, FlagField, IntegerField, NumberField};
use super::image::ImageRequest;
use super::{barcode, captures, datamatrix, labels, qr, qr_bulk, signed_url};
use serde_json::{json, Value};
use utoipa::openapi::content::Content;
use utoipa::openapi::path::{
    HttpMethod, OperationBuilder, Parameter, ParameterBuilder, ParameterIn,
};
use utoipa::openapi::request_body::{RequestBody, RequestBodyBuilder};
use utoipa::openapi::response::{ResponseBuilder, Responses, ResponsesBuilder};
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, Components, ObjectBuilder, Schema, SchemaType, Type,
};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{InfoBuilder, OpenApi, Paths, RefOr, Required, Server};
use utoipa::{PartialSchema, ToSchema};

/// The security scheme of an API key in `X-API-Key` (or `Authorization: Bearer`).
pub const API_KEY: &str = "APIKeyHeaderAuth";
/// The security scheme of a scan session's `sessionid` cookie.
pub const SESSION: &str = "SessionAuth";

/// RFC 9457 Problem Details response.
///
/// All API errors are returned in this format with Content-Type:
/// application/problem+json.
#[derive(ToSchema)]
#[schema(examples(
    json!({"type": "https://closient.com/docs/errors/not_found", "title": "Not Found",
           "status": 404, "detail": "The requested resource was not found.",
           "error_code": "not_found", "retryable": false,
           "timestamp": "2026-03-31T12:00:00+00:00"}),
    json!({"type": "https://closient.com/docs/errors/validation_error",
           "title": "Validation Error", "status": 422, "detail": "Validation error.",
           "error_code": "validation_error", "retryable": false,
           "timestamp": "2026-03-31T12:00:00+00:00",
           "details": [{"loc": ["body", "gtin"], "msg": "Field required", "type": "missing"}]}),
    json!({"type": "https://closient.com/docs/errors/rate_limited", "title": "Rate Limited",
           "status": 429, "detail": "Rate limit exceeded. Please try again later.",
           "error_code": "rate_limited", "retryable": true, "retry_after": 31,
           "timestamp": "2026-03-31T12:00:00+00:00"})
))]
pub struct ErrorOut {
    /// URI reference identifying the error type.
    #[schema(rename = "type")]
    pub kind: String,
    /// Short human-readable summary of the error.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// Human-readable explanation of this specific occurrence.
    pub detail: String,
    /// Machine-readable error code (e.g. not_found, unauthorized).
    pub error_code: String,
    /// Whether retrying the same request can succeed.
    #[schema(default = false, required = false)]
    pub retryable: bool,
    /// ISO 8601 timestamp of when the error occurred.
    pub timestamp: String,
    /// Seconds to wait before retrying (when applicable).
    #[schema(required = false)]
    pub retry_after: Option<u64>,
    /// Whether the error requires account owner intervention.
    #[schema(required = false)]
    pub owner_action_required: Option<bool>,
    /// Additional context: one entry per failing field of a 422.
    #[schema(required = false)]
    pub details: Vec<FieldErrorOut>,
}

/// One failing input of a 422.
#[derive(ToSchema)]
pub struct FieldErrorOut {
    /// Path to the failing input: `["body", "ais", "17"]`, `["query", "dpi"]`,
    /// `["path", "gtin"]`, `["body", "items", 3, "lot"]`.
    #[schema(value_type = Vec<Value>)]
    pub loc: Vec<Value>,
    /// What failed, for people.
    pub msg: String,
    /// The rule that failed (`missing`, `enum`, `csum`, `cset82`...).
    #[schema(rename = "type")]
    pub kind: String,
}

/// A signed, cacheable GET URL for an image.
#[derive(ToSchema)]
pub struct SignedUrlOut {
    /// The path with its query and signature (`sig`, `expires`, `kid`).
    pub path: String,
    /// `path` made absolute with the request's host (null without a `Host` header).
    pub url: Option<String>,
    /// When the URL stops working, in Unix seconds.
    pub expires: u64,
}

/// Why valid GS1 data has no Digital Link URI.
#[derive(ToSchema)]
pub struct DlErrorOut {
    /// The rule (e.g. `no_primary_key`).
    pub rule: String,
    /// The AI concerned, if one is.
    pub ai: Option<String>,
    /// For people.
    pub message: String,
}

/// A parsed or built GS1 Digital Link.
#[derive(ToSchema)]
pub struct DigitalLinkOut {
    /// Every AI with its value, by AI.
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub ais: Value,
    /// The canonical URI on `stem`; null when the data has none (see `dl_error`).
    pub canonical_uri: Option<String>,
    /// Why there is no canonical URI, else null.
    pub dl_error: Option<DlErrorOut>,
    /// The bracketed element string, e.g. `(01)09501101020917(10)ABC`.
    pub element_string: String,
    /// AI (17), YYMMDD.
    pub expiry: Option<String>,
    /// A URI's query parameters that are not AIs: a string, or a list when repeated.
    #[schema(value_type = Object)]
    pub extra_params: Value,
    /// AI (01) as GTIN-14.
    pub gtin: Option<String>,
    /// The human-readable interpretation.
    pub hri: String,
    /// AI (10).
    pub lot: Option<String>,
    /// AI (21).
    pub serial: Option<String>,
}

/// A bulk QR job, as accepted.
#[derive(ToSchema)]
pub struct BulkAcceptedOut {
    /// The task's id (UUID).
    pub task_id: String,
    /// Always `pending` on the 202.
    #[schema(value_type = String, pattern = "^(pending|running|completed|failed)$")]
    pub status: String,
    /// Number of QR codes the bundle will hold.
    #[schema(minimum = 1, maximum = 5000)]
    pub count: u32,
    /// Where to poll, relative to the host.
    pub poll_url: String,
}

/// A bulk QR job's progress.
#[derive(ToSchema)]
pub struct BulkStatusOut {
    /// The task's id.
    pub task_id: String,
    /// `pending`, `running`, `completed` or `failed`.
    #[schema(pattern = "^(pending|running|completed|failed)$")]
    pub status: String,
    /// Items in the job.
    pub count: u32,
    /// Items rendered so far.
    pub done: u32,
    /// ISO 8601.
    pub created: String,
    /// ISO 8601, once started.
    pub started: Option<String>,
    /// ISO 8601, once completed or failed.
    pub finished: Option<String>,
    /// Why the job failed.
    pub error: Option<String>,
    /// A temporary download URL of the ZIP, once completed.
    pub download_url: Option<String>,
    /// When `download_url` stops working (ISO 8601).
    pub expires_at: Option<String>,
}

/// A scan session.
#[derive(ToSchema)]
pub struct SessionOut {
    /// The session's slug (`ss_...`).
    pub public_id: String,
    /// `open` or `closed`.
    #[schema(pattern = "^(open|closed)$")]
    pub status: String,
    /// ISO 8601.
    pub created: String,
    /// ISO 8601, once closed.
    pub closed: Option<String>,
}

/// A product known to the store.
#[derive(ToSchema)]
pub struct ProductOut {
    /// The product's slug.
    pub public_id: String,
    /// GTIN-14.
    pub gtin: String,
    /// Name.
    pub name: String,
    /// Brand.
    pub brand: String,
}

/// A scan capture with its processing status and matched product.
#[derive(ToSchema)]
pub struct CaptureOut {
    /// Unique capture identifier.
    pub public_id: String,
    /// `PENDING`, `MATCHED`, `NOT_FOUND` or `ERROR`.
    #[schema(pattern = "^(PENDING|MATCHED|NOT_FOUND|ERROR)$")]
    pub status: String,
    /// `BARCODE`, `IMAGE` or `MANUAL`.
    pub capture_type: String,
    /// Raw value as detected.
    pub raw_value: String,
    /// Normalized GTIN-14 (empty when the scan has none).
    pub gtin: String,
    /// Why processing failed (status `ERROR`).
    pub error_message: Option<String>,
    /// ISO 8601 creation time.
    pub created: String,
    /// Application Identifiers from the scan, by AI.
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub gs1_dl_data: Value,
    /// Slug of the matched product.
    pub product_public_id: Option<String>,
    /// Name of the matched product.
    pub product_name: Option<String>,
    /// ISO 8601, when processing completed.
    pub processed_at: Option<String>,
    /// Where an IMAGE capture's photo is stored.
    pub uploaded_image_key: Option<String>,
}

/// The spec's pagination envelope.
#[derive(ToSchema)]
pub struct PaginationOut {
    /// This page, from 1.
    pub page: u64,
    /// Items per page.
    pub page_size: u64,
    /// Items in all pages.
    pub total_count: u64,
    /// Pages in all.
    pub total_pages: u64,
    /// Whether a next page exists.
    pub has_next: bool,
    /// Whether a previous page exists.
    pub has_previous: bool,
}

/// One page of a session's captures.
#[derive(ToSchema)]
pub struct CapturePageOut {
    /// The captures, oldest first.
    pub data: Vec<CaptureOut>,
    /// Where this page is.
    pub pagination: PaginationOut,
}

/// `GET /health`.
#[derive(ToSchema)]
pub struct HealthOut {
    /// Always `ok`.
    pub status: String,
}

/// One field of a request, for its schema: its type, default, bounds or choices come
/// from the constant the handler reads it with.
#[derive(Clone)]
enum Field {
    Number(NumberField, &'static str),
    Integer(IntegerField, &'static str),
    Flag(FlagField, &'static str),
    Choice(&'static str, &'static str, Vec<&'static str>, &'static str),
    Text(&'static str, &'static str),
    Schema(&'static str, Box<Schema>),
}

impl Field {
    fn choice<T: Copy + PartialEq>(f: &ChoiceField<T>, doc: &'static str) -> Field {
        let names = f.options.iter().map(|(n, _)| *n).collect();
        Field::Choice(f.name, f.name_of(f.default), names, doc)
    }

    fn name(&self) -> &'static str {
        match self {
            Field::Number(f, _) => f.name,
            Field::Integer(f, _) => f.name,
            Field::Flag(f, _) => f.name,
            Field::Choice(n, ..) | Field::Text(n, _) | Field::Schema(n, _) => n,
        }
    }

    fn schema(&self) -> Schema {
        let s = match self {
            Field::Number(f, doc) => ObjectBuilder::new()
                .schema_type(Type::Number)
                .default(Some(json!(f.default)))
                .minimum(Some(f.min))
                .maximum(Some(f.max))
                .description(Some(*doc)),
            Field::Integer(f, doc) => ObjectBuilder::new()
                .schema_type(Type::Integer)
                .default(Some(json!(f.default)))
                .minimum(Some(f.min))
                .maximum(Some(f.max))
                .description(Some(*doc)),
            Field::Flag(f, doc) => ObjectBuilder::new()
                .schema_type(Type::Boolean)
                .default(Some(json!(f.default)))
                .description(Some(*doc)),
            Field::Choice(_, default, names, doc) => ObjectBuilder::new()
                .schema_type(Type::String)
                .default(Some(json!(default)))
                .enum_values(Some(names.clone()))
                .description(Some(*doc)),
            Field::Text(_, doc) => ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some(*doc)),
            Field::Schema(_, s) => return (**s).clone(),
        };
        obj(s)
    }

    /// As a GET query parameter (query values are strings that read as the type).
    fn parameter(&self) -> Parameter {
        ParameterBuilder::new()
            .name(self.name())
            .parameter_in(ParameterIn::Query)
            .required(Required::False)
            .schema(Some(self.schema()))
            .build()
    }
}

/// An object schema of `fields`, `required` among them; no other field is accepted
/// (the readers answer `extra_forbidden`).
fn object(doc: &str, fields: &[Field], required: &[&str], examples: Vec<Value>) -> Schema {
    let mut o = ObjectBuilder::new()
        .description(Some(doc))
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .examples(examples);
    for f in fields {
        o = o.property(f.name(), f.schema());
    }
    for r in required {
        o = o.required(*r);
    }
    obj(o)
}

fn obj(b: ObjectBuilder) -> Schema {
    Schema::Object(b.build())
}

fn arr(b: ArrayBuilder) -> Schema {
    Schema::Array(b.build())
}

fn response(description: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description)
}

fn string_or_null(doc: &str) -> Schema {
    obj(ObjectBuilder::new()
        .schema_type(SchemaType::Array(vec![Type::String, Type::Null]))
        .description(Some(doc)))
}

/// A field whose schema is written out here.
fn field(name: &'static str, schema: Schema) -> Field {
    Field::Schema(name, Box::new(schema))
}

fn gtin_field(doc: &'static str) -> Field {
    Field::Text("gtin", doc)
}

/// The GS1 data fields of DataMatrix and QR requests ([`super::gs1_fields`]).
fn gs1_data_fields() -> Vec<Field> {
    vec![
        gtin_field("GTIN (8/12/13/14 digits, normalized to GTIN-14)."),
        field(
            "lot",
            string_or_null("Optional GS1 AI(10) lot/batch (1-20 characters of GS1 CSET 82)."),
        ),
        field(
            "serial",
            string_or_null("Optional GS1 AI(21) serial (1-20 characters of GS1 CSET 82)."),
        ),
        field(
            "expiry",
            string_or_null("Optional GS1 AI(17) expiry as YYMMDD (e.g. '270630' for 2027-06-30)."),
        ),
        field(
            "ais",
            obj(
                ObjectBuilder::new().schema_type(SchemaType::Array(vec![
                    Type::Object,
                    Type::Null,
                ]))
                .additional_properties(Some(ObjectBuilder::new().schema_type(Type::String)))
                .description(Some(
                    "Extra AIs beyond the spec, AI -> value (e.g. {\"3103\": \"000500\"}). POST only.",
                )),
            ),
        ),
        field(
            "element_string",
            string_or_null("Extra AIs as an element string, bracketed ((3103)000500) or raw."),
        ),
    ]
}

fn format_field(formats: &[&'static str], default: &'static str) -> Field {
    Field::Choice(
        "format",
        default,
        formats.to_vec(),
        "Output image format: svg (vector), png (raster), eps (PostScript), pdf (vector PDF).",
    )
}

/// One image endpoint's request fields, in `BODY_FIELDS` order.
struct ImageKind {
    tag: &'static str,
    name: &'static str,
    path: &'static str,
    formats: &'static [&'static str],
    post_only: &'static [&'static str],
    fields: Vec<Field>,
    example: Value,
    summary: &'static str,
}

fn barcode_kind() -> ImageKind {
    use barcode::*;
    ImageKind {
        tag: "Codes",
        name: "BarcodePayload",
        path: BarcodeRequest::PATH,
        formats: BarcodeRequest::FORMATS,
        post_only: BarcodeRequest::POST_ONLY_FIELDS,
        fields: vec![
            gtin_field("GTIN (8/12/13/14 digits) or AI-bracketed string for GS1-128 (free text for Code 128/39)."),
            Field::choice(&BARCODE_TYPE, "Symbology. `auto` picks the right family from GTIN length."),
            format_field(BarcodeRequest::FORMATS, "svg"),
            Field::Number(MODULE_WIDTH, "Module (narrowest bar) width in millimeters. Default 0.33mm matches GS1 retail-scan recommendations."),
            Field::Number(MODULE_HEIGHT, "Symbol height in millimeters."),
            Field::Number(FONT_SIZE, "Human-readable text size in points."),
            Field::Number(QUIET_ZONE, "Quiet zone (left and right) in millimeters: 0 for none, else at least the symbology's minimum. Default 6.5mm, or the symbology's minimum if wider."),
            Field::Flag(WRITE_TEXT, "Render the human-readable text below the bars."),
            Field::Flag(EMBED_FONT, "SVG text as OCR-B outlines (else `<text>` elements)."),
            Field::Integer(DPI, "PNG resolution; module edges land on whole pixels."),
            Field::choice(&BEARER, "ITF-14 bearer bars: a frame, bars top and bottom, or none."),
            Field::Flag(CODE39_CHECK, "Append Code 39's mod-43 check character."),
        ],
        example: json!({"gtin": "09501101020917", "barcode_type": "auto", "format": "svg"}),
        summary: "a 1D barcode (EAN/UPC, ITF-14, GS1-128, Code 128/39)",
    }
}

fn datamatrix_kind() -> ImageKind {
    use datamatrix::*;
    let mut fields = gs1_data_fields();
    fields.extend([
        format_field(DataMatrixRequest::FORMATS, "svg"),
        Field::choice(
            &SHAPE,
            "Square (10x10 to 144x144) or rectangular (8x18 to 16x48) symbols.",
        ),
        Field::Number(MODULE_SIZE, "X-dimension in millimeters."),
        Field::Integer(
            QUIET_ZONE,
            "Quiet zone in modules: 0 for none, else at least 1 (ISO/IEC 16022).",
        ),
        Field::Flag(
            WRITE_TEXT,
            "Print the human-readable interpretation under the symbol.",
        ),
        Field::Number(FONT_SIZE, "Human-readable text size in points."),
        Field::Integer(DPI, "PNG resolution."),
    ]);
    ImageKind {
        tag: "Codes",
        name: "DataMatrixPayload",
        path: DataMatrixRequest::PATH,
        formats: DataMatrixRequest::FORMATS,
        post_only: DataMatrixRequest::POST_ONLY_FIELDS,
        fields,
        example: json!({"gtin": "09501101020917", "lot": "LOT-A001", "serial": "SN-0001", "expiry": "270630", "format": "svg"}),
        summary: "a GS1 DataMatrix",
    }
}

fn qr_kind() -> ImageKind {
    use qr::*;
    let mut fields = gs1_data_fields();
    fields.extend([
        format_field(QrRequest::FORMATS, "svg"),
        Field::choice(&EC_LEVEL, "Error correction level (ISO/IEC 18004 6.5.1)."),
        Field::Integer(
            SIZE,
            "The PNG's side in pixels (ignored by vector formats).",
        ),
        Field::Number(
            MODULE_SIZE,
            "X-dimension of SVG, EPS and PDF output, in millimeters.",
        ),
    ]);
    ImageKind {
        tag: "QR",
        name: "QrPayload",
        path: QrRequest::PATH,
        formats: QrRequest::FORMATS,
        post_only: QrRequest::POST_ONLY_FIELDS,
        fields,
        example: json!({"gtin": "09501101020917", "lot": "ABC", "expiry": "270630", "format": "png", "size": 300}),
        summary: "a QR Code of the GS1 Digital Link URI",
    }
}

fn expires_in() -> Field {
    Field::Integer(
        IntegerField {
            name: "expires_in",
            default: signed_url::EXPIRES_DEFAULT,
            min: signed_url::EXPIRES_MIN,
            max: signed_url::EXPIRES_MAX,
        },
        "Seconds the signed URL stays valid.",
    )
}

fn json_content(schema: impl Into<RefOr<Schema>>) -> Content {
    Content::new(Some(schema))
}

fn schema_ref(name: &str) -> RefOr<Schema> {
    RefOr::Ref(utoipa::openapi::Ref::from_schema_name(name))
}

fn ok_json(status: &str, doc: &str, schema: &str) -> (String, ResponseBuilder) {
    (
        status.to_string(),
        response(doc).content("application/json", json_content(schema_ref(schema))),
    )
}

/// The error answers every operation may give, as problem+json.
fn errors(extra: &[(&str, &str)]) -> Vec<(String, ResponseBuilder)> {
    let problem = || json_content(schema_ref("ErrorOut"));
    let mut v: Vec<(String, ResponseBuilder)> = extra
        .iter()
        .map(|(s, d)| {
            (
                s.to_string(),
                response(d).content("application/problem+json", problem()),
            )
        })
        .collect();
    v.push((
        "default".into(),
        response(
            "Any other error (401 no key, 405, 413, 415, 429 rate limited, 500), as RFC 9457 problem+json",
        )
        .content("application/problem+json", problem()),
    ));
    v
}

fn responses(list: Vec<(String, ResponseBuilder)>) -> Responses {
    let mut r = ResponsesBuilder::new();
    for (status, resp) in list {
        r = r.response(status, resp.build());
    }
    r.build()
}

fn key_security() -> Vec<SecurityRequirement> {
    vec![SecurityRequirement::new(API_KEY, Vec::<String>::new())]
}

fn key_or_cookie_security() -> Vec<SecurityRequirement> {
    vec![
        SecurityRequirement::new(API_KEY, Vec::<String>::new()),
        SecurityRequirement::new(SESSION, Vec::<String>::new()),
    ]
}

fn json_body(schema: &str, limit: usize) -> Option<RequestBody> {
    Some(
        RequestBodyBuilder::new()
            .description(Some(format!(
                "JSON, at most {} MiB ({limit} bytes; more is a 413, answered before the \
                 body is read when Content-Length says so). A JSON body sent with another \
                 type is read as JSON; a body that is not JSON, sent as another type, is a \
                 415 (captures also take multipart/form-data). Every string is \
                 checked for characters no field accepts (NUL, bidirectional and other \
                 invisible format characters, U+2028/U+2029, noncharacters): a 422 \
                 `forbidden_character` naming the character and its position.",
                limit / (1024 * 1024)
            )))
            .required(Some(Required::True))
            .content("application/json", json_content(schema_ref(schema)))
            .build(),
    )
}

/// The answers of an operation with a JSON body of at most `limit` bytes: 413 and 415.
fn body_errors(limit: usize) -> Vec<(String, ResponseBuilder)> {
    let problem = || json_content(schema_ref("ErrorOut"));
    vec![
        (
            "413".into(),
            response(&format!(
                "Payload Too Large: the body is over {} MiB ({limit} bytes)",
                limit / (1024 * 1024)
            ))
            .content("application/problem+json", problem()),
        ),
        (
            "415".into(),
            response("Unsupported Media Type: a body that is not JSON, sent as another type")
                .content("application/problem+json", problem()),
        ),
    ]
}

fn path_param(name: &str, doc: &str, schema: Schema) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(doc))
        .schema(Some(schema))
        .build()
}

fn image_response(formats: &[&str]) -> ResponseBuilder {
    let mut r = response("The image; `ETag` over its bytes, `Cache-Control: public`");
    for f in formats {
        let ct = f
            .parse::<crate::render::Format>()
            .map_or("", |f| f.content_type());
        let schema = ObjectBuilder::new()
            .schema_type(Type::String)
            .content_media_type(ct);
        r = r.content(ct, Content::new(Some(obj(schema))));
    }
    r
}

/// The three operations of one image kind, and its two body schemas.
fn image_paths(kind: ImageKind, paths: &mut Paths, components: &mut Components) {
    let signed_name = kind.name.replace("Payload", "SignedUrlPayload");
    components.schemas.insert(
        kind.name.to_string(),
        RefOr::T(object(
            &format!("Request body: {}.", kind.summary),
            &kind.fields,
            &["gtin"],
            vec![kind.example.clone()],
        )),
    );
    let mut signed_fields = kind.fields.clone();
    signed_fields.push(expires_in());
    components.schemas.insert(
        signed_name.clone(),
        RefOr::T(object(
            "The image's fields, and how long its signed URL is valid.",
            &signed_fields,
            &["gtin"],
            vec![kind.example.clone()],
        )),
    );
    let op = |summary: String, id: String| {
        OperationBuilder::new()
            .tag(kind.tag)
            .summary(Some(summary))
            .operation_id(Some(id))
    };
    let stem = kind.name.trim_end_matches("Payload").to_lowercase();
    paths.add_path_operation(
        kind.path,
        vec![HttpMethod::Post],
        op(format!("Generate {}", kind.summary), format!("post_{stem}"))
            .request_body(json_body(kind.name, MAX_BODY_BYTES))
            .responses(responses({
                let mut v = vec![
                    ("200".to_string(), image_response(kind.formats)),
                    ("304".to_string(), response("Not Modified (If-None-Match)")),
                ];
                v.extend(body_errors(MAX_BODY_BYTES));
                v.extend(errors(&[("422", "Unprocessable Content")]));
                v
            }))
            .securities(Some(key_security())),
    );
    paths.add_path_operation(
        format!("{}signed-url/", kind.path),
        vec![HttpMethod::Post],
        op(
            format!("A signed, cacheable GET URL for {}", kind.summary),
            format!("sign_{stem}"),
        )
        .request_body(json_body(&signed_name, MAX_BODY_BYTES))
        .responses(responses({
            let mut v = vec![ok_json("200", "The signed URL", "SignedUrlOut")];
            v.extend(body_errors(MAX_BODY_BYTES));
            v.extend(errors(&[("422", "Unprocessable Content")]));
            v
        }))
        .securities(Some(key_security())),
    );
    let exts = kind.formats.join("|");
    let mut get = op(
        format!("Get {} by URL (cacheable)", kind.summary),
        format!("get_{stem}"),
    )
    .description(Some(
        "The same image and ETag as the POST form: the GTIN and format in the path \
         (`{gtin}.{ext}`, percent-encoded), every other field as a query parameter. \
         Called with an API key, or without one through a signed URL (`sig`, `expires`, `kid`).",
    ))
    .parameter(path_param(
        "file",
        &format!("`{{gtin}}.{{{exts}}}`"),
        obj(ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(format!(r"^.+\.({exts})$")))),
    ));
    for f in &kind.fields {
        let name = f.name();
        if name == "gtin" || name == "format" || kind.post_only.contains(&name) {
            continue;
        }
        get = get.parameter(f.parameter());
    }
    for (name, doc) in [
        ("sig", "A signed URL's signature"),
        ("expires", "A signed URL's expiry (Unix seconds)"),
        ("kid", "A signed URL's key id"),
    ] {
        get = get.parameter(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(doc))
                .schema(Some(obj(ObjectBuilder::new().schema_type(Type::String)))),
        );
    }
    let mut security = key_security();
    security.push(SecurityRequirement::default());
    paths.add_path_operation(
        format!("{}{{file}}", kind.path),
        vec![HttpMethod::Get],
        get.responses(responses({
            let mut v = vec![
                ("200".to_string(), image_response(kind.formats)),
                ("304".to_string(), response("Not Modified (If-None-Match)")),
            ];
            v.extend(errors(&[
                ("403", "A signed URL that is wrong or expired"),
                ("422", "Unprocessable Content"),
            ]));
            v
        }))
        .securities(Some(security)),
    );
}

/// The OpenAPI 3.1 document of the whole API, as the local server serves it at
/// `/openapi.json`.
pub fn document() -> OpenApi {
    let mut paths = Paths::new();
    let mut components = Components::new();
    for (name, schema) in [
        ("ErrorOut", ErrorOut::schema()),
        ("FieldErrorOut", FieldErrorOut::schema()),
        ("SignedUrlOut", SignedUrlOut::schema()),
        ("DlErrorOut", DlErrorOut::schema()),
        ("DigitalLinkOut", DigitalLinkOut::schema()),
        ("BulkAcceptedOut", BulkAcceptedOut::schema()),
        ("BulkStatusOut", BulkStatusOut::schema()),
        ("SessionOut", SessionOut::schema()),
        ("ProductOut", ProductOut::schema()),
        ("CaptureOut", CaptureOut::schema()),
        ("PaginationOut", PaginationOut::schema()),
        ("CapturePageOut", CapturePageOut::schema()),
        ("HealthOut", HealthOut::schema()),
    ] {
        components.schemas.insert(name.to_string(), schema);
    }
    components.security_schemes.insert(
        API_KEY.into(),
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "X-API-Key",
            "`make -s key` locally; `Authorization: Bearer <key>` works too",
        )))
        .into(),
    );
    components.security_schemes.insert(
        SESSION.into(),
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            "sessionid",
            "Set by POST /scanner/api/v1/sessions; opens that session and its captures",
        )))
        .into(),
    );

    for kind in [barcode_kind(), datamatrix_kind(), qr_kind()] {
        image_paths(kind, &mut paths, &mut components);
    }
    digital_link_paths(&mut paths, &mut components);
    bulk_paths(&mut paths, &mut components);
    labels_paths(&mut paths, &mut components);
    scanner_paths(&mut paths, &mut components);

    paths.add_path_operation(
        "/health",
        vec![HttpMethod::Get],
        OperationBuilder::new()
            .tag("Health")
            .summary(Some("Liveness"))
            .operation_id(Some("health"))
            .responses(responses(vec![ok_json("200", "Up", "HealthOut")])),
    );

    let mut doc = OpenApi::new(
        InfoBuilder::new()
            .title("gs1-codes")
            .version(env!("CARGO_PKG_VERSION"))
            .description(Some(
                "GS1 barcodes, DataMatrix, QR Codes of GS1 Digital Links, bulk QR bundles and \
                 scan captures. Every error is RFC 9457 problem+json (`ErrorOut`).",
            ))
            .build(),
        paths,
    );
    doc.components = Some(components);
    doc.servers = Some(vec![Server::new("/")]);
    doc.tags = Some(
        [
            ("Codes", "GS1 DataMatrix and 1D barcodes"),
            ("QR", "QR Codes of GS1 Digital Link URIs, one or in bulk"),
            ("Digital Link", "Parse and build GS1 Digital Link URIs"),
            ("Scanner", "Scan sessions, captures and product lookup"),
            ("Health", "Liveness"),
        ]
        .into_iter()
        .map(|(n, d)| TagBuilder::new().name(n).description(Some(d)).build())
        .collect(),
    );
    doc
}

fn digital_link_fields() -> Vec<Field> {
    vec![
        field("uri", string_or_null("A GS1 Digital Link URI to parse.")),
        field(
            "ais",
            obj(ObjectBuilder::new()
                .schema_type(SchemaType::Array(vec![Type::Object, Type::Null]))
                .additional_properties(Some(ObjectBuilder::new().schema_type(Type::String)))
                .description(Some("AIs to build a URI from, AI -> value."))),
        ),
        field(
            "element_string",
            string_or_null("An element string, bracketed or raw (`]C1`, `]d2`, `]Q3` and GS)."),
        ),
        field(
            "stem",
            string_or_null("The canonical URI's stem (default https://id.gs1.org)."),
        ),
    ]
}

fn digital_link_paths(paths: &mut Paths, components: &mut Components) {
    components.schemas.insert(
        "DigitalLinkPayload".into(),
        RefOr::T(object(
            "Exactly one of uri, ais or element_string; optional stem.",
            &digital_link_fields(),
            &[],
            vec![
                json!({"uri": "https://id.gs1.org/01/09501101020917/10/ABC?17=270630"}),
                json!({"ais": {"01": "09501101020917", "10": "ABC"}}),
            ],
        )),
    );
    paths.add_path_operation(
        "/products/api/v1/digital-link/",
        vec![HttpMethod::Post],
        OperationBuilder::new()
            .tag("Digital Link")
            .summary(Some("Parse or build a GS1 Digital Link"))
            .operation_id(Some("digital_link"))
            .request_body(json_body("DigitalLinkPayload", MAX_BODY_BYTES))
            .responses(responses({
                let mut v = vec![ok_json("200", "The link's parts", "DigitalLinkOut")];
                v.extend(body_errors(MAX_BODY_BYTES));
                v.extend(errors(&[("422", "Not valid GS1 data")]));
                v
            }))
            .securities(Some(key_security())),
    );
}

fn bulk_fields() -> Vec<Field> {
    let item = ObjectBuilder::new()
        .property("lot", string_or_null("AI (10)"))
        .property("serial", string_or_null("AI (21)"))
        .property("expiry", string_or_null("AI (17), YYMMDD"))
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    vec![
        field(
            "gtin",
            obj(ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(8))
                .max_length(Some(17))
                .pattern(Some(r"^[\d\s\-]{8,17}$"))
                .description(Some(
                    "GTIN shared by every item (8, 12, 13 or 14 digits, separators allowed).",
                ))),
        ),
        field(
            "items",
            arr(ArrayBuilder::new()
                .items(item)
                .min_items(Some(1))
                .max_items(Some(qr_bulk::BULK_MAX_ITEMS))
                .description(Some("One QR per item; only lot, serial and expiry vary."))),
        ),
        Field::Choice(
            "format",
            "png",
            vec!["svg", "png"],
            "Output format of every QR in the bundle.",
        ),
        Field::Integer(qr_bulk::SIZE, "PNG side in pixels (ignored for SVG)."),
    ]
}

fn bulk_paths(paths: &mut Paths, components: &mut Components) {
    components.schemas.insert(
        "QrBulkPayload".into(),
        RefOr::T(object(
            "A bulk QR job: one GTIN, many items.",
            &bulk_fields(),
            &["gtin", "items"],
            vec![json!({"gtin": "09501101020917", "items": [{"lot": "A1"}, {"lot": "A2", "expiry": "270630"}], "format": "png"})],
        )),
    );
    task_operations(
        paths,
        qr_bulk::PATH,
        "QR",
        "QrBulkPayload",
        "qr_bulk",
        "bulk QR job",
    );
}

/// An async job's two operations: `POST path` submits (202 with the task) and
/// `GET path{task_id}/` polls (the bulk status). Bulk QR and label jobs share them.
fn task_operations(
    paths: &mut Paths,
    path: &str,
    tag: &str,
    payload: &str,
    operation: &str,
    noun: &str,
) {
    paths.add_path_operation(
        path,
        vec![HttpMethod::Post],
        OperationBuilder::new()
            .tag(tag)
            .summary(Some(format!("Submit a {noun}")))
            .operation_id(Some(format!("{operation}_submit")))
            .request_body(json_body(payload, MAX_BULK_BODY_BYTES))
            .responses(responses({
                let mut v = vec![ok_json("202", "Accepted", "BulkAcceptedOut")];
                v.extend(body_errors(MAX_BULK_BODY_BYTES));
                v.extend(errors(&[("422", "Unprocessable Content")]));
                v
            }))
            .securities(Some(key_security())),
    );
    paths.add_path_operation(
        format!("{path}{{task_id}}/"),
        vec![HttpMethod::Get],
        OperationBuilder::new()
            .tag(tag)
            .summary(Some(format!("A {noun}'s status and download URL")))
            .operation_id(Some(format!("{operation}_status")))
            .parameter(path_param(
                "task_id",
                "The task's id",
                obj(ObjectBuilder::new().schema_type(Type::String)),
            ))
            .responses(responses({
                let mut v = vec![ok_json("200", "The job", "BulkStatusOut")];
                v.extend(errors(&[("404", "No such task of this key")]));
                v
            }))
            .securities(Some(key_security())),
    );
}

fn labels_fields() -> Vec<Field> {
    let text = |doc: &str| string_or_null(doc);
    let item = ObjectBuilder::new()
        .property(
            "gtin",
            obj(ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some("The item's GTIN (8, 12, 13 or 14 digits)"))),
        )
        .property("lot", text("AI (10)"))
        .property("serial", text("AI (21)"))
        .property("expiry", text("AI (17), YYMMDD"))
        .property("text", text("A text line printed on the label (sheets)"))
        .property(
            "ais",
            obj(ObjectBuilder::new()
                .schema_type(Type::Object)
                .additional_properties(Some(obj(ObjectBuilder::new().schema_type(Type::String))))
                .description(Some(
                    "Extra AIs, AI -> value (GS1-128, DataMatrix, QR only)",
                ))),
        )
        .required("gtin")
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    let free_object = |doc: &str| {
        obj(ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(doc.to_owned())))
    };
    vec![
        field(
            "items",
            arr(ArrayBuilder::new()
                .items(item)
                .min_items(Some(1))
                .max_items(Some(qr_bulk::BULK_MAX_ITEMS))
                .description(Some("One label per item."))),
        ),
        field(
            "symbol",
            free_object("The symbol recipe: `type` (any 1D type of the barcode endpoint, `datamatrix` or `qr`) with that endpoint's options."),
        ),
        Field::Choice("output", "zip", vec!["zip", "sheet"], "A ZIP of files, or one sheet PDF."),
        Field::Choice("format", "png", vec!["svg", "png", "eps", "pdf"], "File format in a ZIP (zip output only)."),
        field(
            "layout",
            obj(ObjectBuilder::new().description(Some(
                "Sheet layout: a stock name (L7160, L7163, 5160) or {columns, rows, label_width_mm, label_height_mm, margin_top_mm, margin_left_mm, gap_x_mm, gap_y_mm}.",
            ))),
        ),
        field(
            "page",
            obj(ObjectBuilder::new().description(Some(
                "Sheet page: A4, Letter, or {width_mm, height_mm}.",
            ))),
        ),
        field(
            "crop_marks",
            obj(ObjectBuilder::new().schema_type(Type::Boolean).default(Some(json!(false))).description(Some("Draw crop marks (sheet only)."))),
        ),
        field(
            "start_position",
            obj(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).default(Some(json!(1))).description(Some("First label slot to use, 1-based (sheet only)."))),
        ),
    ]
}

fn labels_paths(paths: &mut Paths, components: &mut Components) {
    components.schemas.insert(
        "LabelsPayload".into(),
        RefOr::T(object(
            "A label-export job: items, a symbol recipe, and an output.",
            &labels_fields(),
            &["items", "symbol"],
            vec![json!({"items": [{"gtin": "09501101020917", "lot": "A1"}], "symbol": {"type": "datamatrix"}, "output": "sheet", "layout": "L7160"})],
        )),
    );
    task_operations(
        paths,
        labels::PATH,
        "Labels",
        "LabelsPayload",
        "labels",
        "label-export job",
    );
}

fn capture_fields() -> Vec<Field> {
    vec![
        Field::Text("session_public_id", "Slug of the active scan session."),
        Field::Choice(
            "capture_type",
            "BARCODE",
            vec!["BARCODE", "IMAGE", "MANUAL"],
            "Type of capture.",
        ),
        field(
            "raw_value",
            obj(ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(500))
                .description(Some(
                    "Raw barcode or QR code value (optional for an IMAGE capture with its image).",
                ))),
        ),
        field(
            "gtin",
            obj(ObjectBuilder::new()
                .schema_type(Type::String)
                .default(Some(json!("")))
                .max_length(Some(14))
                .description(Some("Normalized GTIN-14, if applicable."))),
        ),
        field(
            "gs1_dl_data",
            obj(ObjectBuilder::new()
                .schema_type(SchemaType::Array(vec![Type::Object, Type::Null]))
                .additional_properties(Some(ObjectBuilder::new().schema_type(Type::String)))
                .description(Some(
                    "Application Identifiers from a GS1 Digital Link QR code.",
                ))),
        ),
        field(
            "image_base64",
            string_or_null(
                "An IMAGE capture's photo, PNG or JPEG, base64 (at most 5 MiB decoded).",
            ),
        ),
    ]
}

fn scanner_paths(paths: &mut Paths, components: &mut Components) {
    components.schemas.insert(
        "CaptureIn".into(),
        RefOr::T(object(
            "A barcode or QR code scan.",
            &capture_fields(),
            &["session_public_id", "capture_type"],
            vec![json!({"session_public_id": "ss_abc", "capture_type": "BARCODE", "raw_value": "]E09501101020917"})],
        )),
    );
    let id = |doc: &str| {
        path_param(
            "public_id",
            doc,
            obj(ObjectBuilder::new().schema_type(Type::String)),
        )
    };
    let op = |summary: &str, opid: &str| {
        OperationBuilder::new()
            .tag("Scanner")
            .summary(Some(summary))
            .operation_id(Some(opid))
    };
    paths.add_path_operation(
        "/scanner/api/v1/sessions",
        vec![HttpMethod::Post],
        op(
            "Open a scan session (sets its sessionid cookie)",
            "open_session",
        )
        .responses(responses({
            let mut v = vec![ok_json("201", "Created", "SessionOut")];
            v.extend(errors(&[("403", "Sessions are opened with an API key")]));
            v
        }))
        .securities(Some(key_security())),
    );
    paths.add_path_operation(
        "/scanner/api/v1/sessions/{public_id}",
        vec![HttpMethod::Get],
        op("A scan session", "get_session")
            .parameter(id("The session's slug"))
            .responses(responses({
                let mut v = vec![ok_json("200", "The session", "SessionOut")];
                v.extend(errors(&[("404", "No such session for this caller")]));
                v
            }))
            .securities(Some(key_or_cookie_security())),
    );
    paths.add_path_operation(
        "/scanner/api/v1/sessions/{public_id}/close",
        vec![HttpMethod::Post],
        op("Close a scan session", "close_session")
            .parameter(id("The session's slug"))
            .responses(responses({
                let mut v = vec![ok_json("200", "The closed session", "SessionOut")];
                v.extend(errors(&[
                    ("404", "No such session for this caller"),
                    ("409", "Already closed"),
                ]));
                v
            }))
            .securities(Some(key_or_cookie_security())),
    );
    paths.add_path_operation(
        "/scanner/api/v1/captures",
        vec![HttpMethod::Post],
        op("Submit a barcode or QR scan", "create_capture")
            .request_body(json_body("CaptureIn", captures::MAX_CAPTURE_BODY_BYTES))
            .responses(responses({
                let mut v = vec![ok_json("201", "Created", "CaptureOut")];
                v.extend(body_errors(captures::MAX_CAPTURE_BODY_BYTES));
                v.extend(errors(&[
                    ("404", "No such session for this caller"),
                    ("409", "The session is closed"),
                    ("422", "Unprocessable Content"),
                ]));
                v
            }))
            .securities(Some(key_or_cookie_security())),
    );
    paths.add_path_operation(
        "/scanner/api/v1/captures/{public_id}",
        vec![HttpMethod::Get],
        op("A capture", "get_capture")
            .parameter(id("The capture's id"))
            .responses(responses({
                let mut v = vec![ok_json("200", "The capture", "CaptureOut")];
                v.extend(errors(&[("404", "No such capture for this caller")]));
                v
            }))
            .securities(Some(key_or_cookie_security())),
    );
    paths.add_path_operation(
        "/scanner/api/v1/sessions/{public_id}/captures",
        vec![HttpMethod::Get],
        op("A session's captures, in pages", "list_captures")
            .parameter(id("The session's slug"))
            .parameter(Field::Integer(captures::PAGE, "Page number, from 1.").parameter())
            .parameter(Field::Integer(captures::PAGE_SIZE, "Items per page.").parameter())
            .responses(responses({
                let mut v = vec![ok_json("200", "One page", "CapturePageOut")];
                v.extend(errors(&[
                    ("404", "No such session for this caller"),
                    ("422", "Unprocessable Content"),
                ]));
                v
            }))
            .securities(Some(key_or_cookie_security())),
    );
    paths.add_path_operation(
        "/products/api/v1/products/{gtin}/",
        vec![HttpMethod::Get],
        op("A product by GTIN", "get_product")
            .parameter(path_param(
                "gtin",
                "GTIN-8, 12, 13 or 14",
                obj(ObjectBuilder::new().schema_type(Type::String)),
            ))
            .responses(responses({
                let mut v = vec![ok_json("200", "The product", "ProductOut")];
                v.extend(errors(&[
                    ("404", "Unknown product"),
                    ("422", "Not a valid GTIN"),
                ]));
                v
            }))
            .securities(Some(key_security())),
    );
}

/// The document as JSON text.
pub fn json() -> String {
    document()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        serde_json::from_str(&json()).unwrap()
    }

    /// Each body schema lists exactly the fields its handler reads: a field added to
    /// a reader without its schema (or the reverse) fails here.
    #[test]
    fn body_schemas_list_exactly_the_fields_read() {
        let doc = doc();
        let mut signed = barcode::BODY_FIELDS.to_vec();
        signed.push("expires_in");
        let rows: [(&str, Vec<&str>); 8] = [
            // 0..8: schema, the fields its reader accepts
            ("BarcodePayload", barcode::BODY_FIELDS.to_vec()),
            ("BarcodeSignedUrlPayload", signed),
            ("DataMatrixPayload", datamatrix::BODY_FIELDS.to_vec()),
            ("QrPayload", qr::BODY_FIELDS.to_vec()),
            ("DigitalLinkPayload", digital_link::FIELDS.to_vec()),
            ("QrBulkPayload", qr_bulk::FIELDS.to_vec()),
            ("LabelsPayload", labels::FIELDS.to_vec()),
            ("CaptureIn", captures::FIELDS.to_vec()),
        ];
        for (i, (name, fields)) in rows.into_iter().enumerate() {
            let props = doc["components"]["schemas"][name]["properties"]
                .as_object()
                .unwrap_or_else(|| panic!("row {i}: no schema {name}"));
            let mut got: Vec<&str> = props.keys().map(String::as_str).collect();
            let mut want = fields;
            got.sort();
            want.sort();
            assert_eq!(got, want, "row {i}: {name}");
            assert_eq!(
                doc["components"]["schemas"][name]["additionalProperties"], false,
                "row {i}"
            );
        }
    }

    /// Bounds and defaults are the readers' constants, as the spec gives them.
    #[test]
    fn bounds_and_defaults_match_the_spec() {
        let doc = doc();
        let s = &doc["components"]["schemas"];
        let rows = [
            // 0..: schema, field, key, value from the spec's excerpt
            ("BarcodePayload", "module_width", "minimum", json!(0.1)),
            ("BarcodePayload", "module_width", "maximum", json!(2.0)),
            ("BarcodePayload", "module_width", "default", json!(0.33)),
            ("BarcodePayload", "module_height", "default", json!(25.0)),
            ("BarcodePayload", "font_size", "minimum", json!(4.0)),
            ("BarcodePayload", "quiet_zone", "maximum", json!(20.0)),
            ("BarcodePayload", "barcode_type", "default", json!("auto")),
            ("BarcodePayload", "format", "default", json!("svg")),
            ("BarcodePayload", "write_text", "default", json!(true)),
            (
                "DataMatrixPayload",
                "format",
                "enum",
                json!(["svg", "png", "pdf"]),
            ),
            ("QrBulkPayload", "size", "minimum", json!(50)),
            ("QrBulkPayload", "size", "maximum", json!(2000)),
            ("QrBulkPayload", "items", "maxItems", json!(5000)),
            ("CaptureIn", "raw_value", "maxLength", json!(500)),
            ("CaptureIn", "gtin", "maxLength", json!(14)),
        ];
        for (i, (schema, field, key, want)) in rows.into_iter().enumerate() {
            let got = &s[schema]["properties"][field][key];
            // Numbers compare by value: the document writes 2.0 as 2.
            if want.is_number() {
                assert_eq!(got.as_f64(), want.as_f64(), "row {i}");
            } else {
                assert_eq!(*got, want, "row {i}");
            }
        }
        let required: Vec<&str> = [
            "type",
            "title",
            "status",
            "detail",
            "error_code",
            "timestamp",
        ]
        .to_vec();
        assert_eq!(s["ErrorOut"]["required"], json!(required));
        assert_eq!(doc["openapi"], "3.1.0");
    }

    /// Every HTTP route of `template.yaml` is in the document, and the document has
    /// no path the template lacks (but `/health`, which every function serves).
    #[test]
    fn every_operation_with_a_body_states_its_limit_and_its_413_and_415() {
        let doc = doc();
        let mut seen = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let Some(body) = op.get("requestBody") else {
                    continue;
                };
                seen += 1;
                let bulk = path.ends_with("/bulk/")
                    || path.ends_with("/labels/")
                    || path.ends_with("/captures");
                let mib = if bulk { "10 MiB" } else { "1 MiB" };
                let description = body["description"].as_str().unwrap_or_default();
                assert!(description.contains(mib), "{method} {path}: {description}");
                let r413 = op["responses"]["413"]["description"]
                    .as_str()
                    .unwrap_or_default();
                assert!(r413.contains(mib), "{method} {path}: {r413}");
                assert!(op["responses"]["415"].is_object(), "{method} {path}");
            }
        }
        assert!(seen >= 10, "{seen} operations with a body");
    }

    #[test]
    fn paths_are_those_of_the_template() {
        let template = include_str!("../../../template.yaml");
        let mut from_template: Vec<(String, String)> = Vec::new();
        let lines: Vec<&str> = template.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if let Some(m) = line.trim().strip_prefix("Method: ") {
                let path = lines[i + 1].trim().strip_prefix("Path: ").unwrap();
                from_template.push((m.to_lowercase(), path.to_string()));
            }
        }
        let doc = doc();
        let mut from_doc: Vec<(String, String)> = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                if ["get", "post"].contains(&method.as_str()) && path != "/health" {
                    from_doc.push((method.clone(), path.clone()));
                }
            }
        }
        from_template.sort();
        from_doc.sort();
        assert_eq!(from_doc, from_template);
    }
}
