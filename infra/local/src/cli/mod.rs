//! The `gs1-codes` command line (clap): the local server and its tooling, and the
//! offline symbol commands on the API's own request types.
//!
//! | subcommand        | does                                                             |
//! |-------------------|------------------------------------------------------------------|
//! | `serve` (default) | the whole API on `127.0.0.1:$PORT` (`make run`)                  |
//! | [`key`]           | API keys of the local store (`make key`)                         |
//! | `import-products` | products for scan matching (`make seed`)                         |
//! | [`render`]        | one symbol, the bytes the API answers for the same options       |
//! | [`batch`]         | one symbol per input row, on every core, as the bulk job names them |
//! | [`validate`]      | GS1 data (bracketed, Digital Link, scan data) read and checked   |
//! | `completions`     | shell completions (clap_complete)                                |
//!
//! Errors are one line on stderr, `gs1-codes: ...`, and the exit code says what kind:
//! see [`Failure`].

pub mod batch;
pub mod key;
pub mod render;
pub mod symbol;
pub mod validate;

use clap::{CommandFactory, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// GS1 barcodes offline and the local API server.
#[derive(Parser, Debug)]
#[command(
    name = "gs1-codes",
    version,
    about = "GS1 barcodes: the local API server, and rendering, batch and validation offline",
    after_help = "Exit codes: 0 done; 1 error (invalid data, I/O); 2 bad usage; \
                  3 batch: some rows failed (see the errors file).\n\
                  Data: serve, key and import-products keep theirs in $DATA_DIR (default ./.data)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands; none is `serve`.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the whole API on http://127.0.0.1:$PORT (default 3000), data in $DATA_DIR
    Serve,
    /// API keys of the local store; alone, create one and print it (stdout: the key only)
    Key(key::KeyArgs),
    /// Import products (CSV with a header naming gtin, name, brand) for scan matching
    ImportProducts {
        /// The CSV file
        file: PathBuf,
    },
    /// Render one symbol to a file or stdout: the bytes the API answers for the same options
    #[command(
        after_help = "Examples:\n  gs1-codes render --type ean13 --gtin 9501101020917 -o ean13.svg\n  \
                            gs1-codes render --type qr --gtin 09501101020917 --lot ABC --size 600 -o qr.png\n  \
                            gs1-codes render --type datamatrix --gtin 09501101020917 --expiry 270630 --format png -o - > dm.png"
    )]
    Render(render::RenderArgs),
    /// Render one symbol per input row (CSV with a header, or JSON Lines) into a ZIP or a directory
    #[command(
        after_help = "Rows name the endpoint fields (gtin, lot, serial, expiry, element_string, \
                            or any option); flags give every row's defaults.\n\
                            Example:\n  gs1-codes batch --type qr --format png -i items.csv -o out.zip"
    )]
    Batch(batch::BatchArgs),
    /// Check GS1 data: bracketed element strings, a Digital Link URI or raw scan data (]d2..., GS separators)
    Validate(validate::ValidateArgs),
    /// Print shell completions, e.g. `gs1-codes completions bash > /etc/bash_completion.d/gs1-codes`
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// A command that failed: the one line for stderr and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// The exit code: 1 error, 2 usage, 3 some batch rows failed.
    pub code: u8,
    /// What went wrong, one line (empty: already reported).
    pub message: String,
}

impl Failure {
    /// An error (exit 1).
    pub fn msg(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            message: message.into(),
        }
    }

    /// Bad usage (exit 2, as clap's own).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    /// Data that fails an endpoint rule (exit 1), fields named by `name`.
    pub fn invalid(e: &symbol::Invalid, name: impl Fn(&str) -> String) -> Failure {
        Failure::msg(e.line(name))
    }

    /// An I/O error on `what` (exit 1).
    pub fn io(what: &str, e: &std::io::Error) -> Failure {
        Failure::msg(format!("{what}: {e}"))
    }
}

/// Parses the command line and runs it; errors as one line on stderr.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(), // --help, --version
        Err(e) => {
            // clap's first line, without its usage block: one line, as every error here.
            let text = e.to_string();
            let first = text.lines().next().unwrap_or_default();
            let first = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("gs1-codes: {first} (see --help)");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            with_runtime(|| async { crate::serve_from_env().await.map_err(Failure::msg) })
        }
        Command::Key(args) => with_runtime(|| key::run(args)),
        Command::ImportProducts { file } => with_runtime(|| async move {
            let n = crate::import_products_from_env(&file)
                .await
                .map_err(Failure::msg)?;
            eprintln!("imported {n} products");
            Ok(())
        }),
        Command::Render(args) => render::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "gs1-codes",
                &mut std::io::stdout(),
            );
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                eprintln!("gs1-codes: {}", f.message);
            }
            ExitCode::from(f.code)
        }
    }
}

/// Runs async work (the server, the store) on a multi-threaded tokio runtime; the
/// offline commands need none.
fn with_runtime<F, Fut>(f: F) -> Result<(), Failure>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(), Failure>>,
{
    tokio::runtime::Runtime::new()
        .map_err(|e| Failure::msg(format!("cannot start the runtime: {e}")))?
        .block_on(f())
}
