//! `gs1-codes`: the local server, its tooling, and the offline symbol commands.
//! See [`gs1_local::cli`] and `gs1-codes --help`.

use std::process::ExitCode;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    // A bug must still end in one line, not a trace: the message and where.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("gs1-codes: internal error: {info}");
    }));
    gs1_local::cli::main()
}
