//! `gs1-codes`: the local server and its small CLI.
//!
//! ```text
//! gs1-codes [serve]   serve the whole API on 127.0.0.1:$PORT (default 3000)
//! gs1-codes key       print a new API key (works while a server runs)
//! gs1-codes key create|list|revoke|tier|suspend|reinstate [--store local|aws]
//! gs1-codes import-products FILE.csv   products (gtin,name,brand) for scan matching
//! ```
//! Both keep their data in `$DATA_DIR` (default `./.data`), in one SQLite file.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cmd = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    let result = match cmd.as_str() {
        "serve" => gs1_local::serve_from_env().await,
        "key" => {
            use clap::Parser;
            /// `gs1-codes key`: API keys (`gs1-codes key --help`).
            #[derive(Parser)]
            #[command(name = "gs1-codes key")]
            struct Key {
                #[command(flatten)]
                args: gs1_local::keys::KeyArgs,
            }
            match Key::try_parse_from(std::env::args().skip(1)) {
                Ok(k) => gs1_local::keys::run(k.args)
                    .await
                    .map(|out| print!("{out}")),
                Err(e) => e.exit(),
            }
        }
        "import-products" => match std::env::args().nth(2) {
            Some(file) => gs1_local::import_products_from_env(std::path::Path::new(&file))
                .await
                .map(|n| eprintln!("imported {n} products")),
            None => Err("usage: gs1-codes import-products FILE.csv".into()),
        },
        _ => Err(format!(
            "unknown command {cmd:?}; use `serve`, `key` or `import-products FILE.csv`"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gs1-codes: {e}");
            ExitCode::FAILURE
        }
    }
}
