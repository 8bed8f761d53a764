//! `gs1-codes key`: API keys of the local store. `gs1-codes key` alone creates one and
//! prints it, with nothing else on stdout (`KEY=$(make -s key)`).

use super::Failure;
use clap::{Args, Subcommand};

/// `gs1-codes key [COMMAND]`.
#[derive(Args, Debug, Clone)]
#[command(args_conflicts_with_subcommands = true)]
pub struct KeyArgs {
    #[command(subcommand)]
    pub command: Option<KeyCommand>,
}

/// What to do with keys; none given is `create`.
#[derive(Subcommand, Debug, Clone)]
pub enum KeyCommand {
    /// Create a new API key and print it (stdout: the key only); the default
    Create(CreateArgs),
}

/// `gs1-codes key create`.
#[derive(Args, Debug, Clone, Default)]
pub struct CreateArgs {}

/// Runs the key command on `$DATA_DIR`'s store.
pub async fn run(args: KeyArgs) -> Result<(), Failure> {
    match args
        .command
        .unwrap_or(KeyCommand::Create(CreateArgs::default()))
    {
        KeyCommand::Create(CreateArgs {}) => {
            let key = crate::key_from_env().await.map_err(Failure::msg)?;
            println!("{key}");
            Ok(())
        }
    }
}
