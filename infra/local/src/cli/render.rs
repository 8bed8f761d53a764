//! `gs1-codes render`: one symbol to a file or stdout, the bytes the API would answer.

use super::symbol::{flag_name, SymbolArgs};
use super::Failure;
use clap::{Args, ValueEnum};
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;

/// An output format, named by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// SVG, sizes in mm
    Svg,
    /// PNG at --dpi (qr: --size pixels)
    Png,
    /// Encapsulated PostScript (not datamatrix)
    Eps,
    /// PDF, one page the size of the symbol
    Pdf,
}

impl FormatArg {
    /// The endpoint's `format` value.
    pub fn name(self) -> &'static str {
        match self {
            FormatArg::Svg => "svg",
            FormatArg::Png => "png",
            FormatArg::Eps => "eps",
            FormatArg::Pdf => "pdf",
        }
    }
}

/// `gs1-codes render`.
#[derive(Args, Debug, Clone)]
pub struct RenderArgs {
    /// Output file, or - for stdout; the format defaults from its extension
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// Output format (default: from the output file's extension, else svg)
    #[arg(short = 'f', long, value_enum)]
    pub format: Option<FormatArg>,
    #[command(flatten)]
    pub symbol: SymbolArgs,
}

/// The format: `--format`, else the output's extension, else svg.
///
/// Errors: an extension that is no format, with no `--format`.
pub fn format_of(format: Option<FormatArg>, output: &std::path::Path) -> Result<String, Failure> {
    if let Some(f) = format {
        return Ok(f.name().to_string());
    }
    if output.as_os_str() == "-" {
        return Ok("svg".into());
    }
    let ext = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some(e @ ("svg" | "png" | "eps" | "pdf")) => Ok(e.to_string()),
        _ => Err(Failure::usage(format!(
            "cannot tell the format of {}: give --format svg|png|eps|pdf",
            output.display()
        ))),
    }
}

/// Renders and writes the symbol.
pub fn run(args: RenderArgs) -> Result<(), Failure> {
    let format = format_of(args.format, &args.output)?;
    let mut body = args
        .symbol
        .body()
        .map_err(|e| Failure::invalid(&e, flag_name))?;
    body.insert("format".into(), Value::String(format));
    let request = args
        .symbol
        .request(body)
        .map_err(|e| Failure::invalid(&e, flag_name))?;
    let bytes = request
        .render()
        .map_err(|e| Failure::invalid(&e, flag_name))?;
    if args.output.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes)
            .and_then(|()| out.flush())
            .map_err(|e| Failure::io("stdout", &e))
    } else {
        std::fs::write(&args.output, &bytes)
            .map_err(|e| Failure::io(&args.output.display().to_string(), &e))
    }
}
