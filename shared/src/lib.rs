//! # gs1-codes shared library
//!
//! Everything the Lambdas and the local server have in common, layered so that data
//! flows one way:
//!
//! | module   | holds                                                        | needs        |
//! |----------|--------------------------------------------------------------|--------------|
//! | [`gs1`]    | Application Identifiers, GTINs, element strings, Digital Link | nothing      |
//! | [`symbol`] | encoders: GS1 data in, a [`symbol::Symbol`] (modules) out      | `gs1`        |
//! | [`render`] | `Symbol` + options -> `Scene` (mm) -> SVG / PNG / EPS / PDF     | `symbol`     |
//! | [`unicode`] | the characters no field accepts; how messages name a character | nothing      |
//! | `api`    | HTTP handlers, RFC 9457 problems, API keys (feature `http`)  | `store`      |
//! | `store`  | one small trait per storage operation, local and AWS adapters | feature      |
//!
//! A plain `cargo build -p shared` builds only the pure, synchronous core (no tokio,
//! no AWS, no HTTP), which is how we prove the core stays free of I/O.
//!
//! ```
//! use shared::gs1::gtin::Gtin14;
//! let gtin: Gtin14 = "9501101020917".parse().unwrap();
//! assert_eq!(gtin.as_str(), "09501101020917");
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod gs1;
pub mod render;
pub mod symbol;
pub mod unicode;

#[cfg(feature = "http")]
pub mod api;
#[cfg(feature = "http")]
pub mod bulk;
#[cfg(feature = "http")]
pub mod store;
