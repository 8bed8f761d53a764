//! `gs1-codes key`: API keys on the local store or, with `--store aws`, on the
//! deployed tables. `gs1-codes key` alone creates one and prints it, with nothing
//! else on stdout (`KEY=$(make -s key)`). The commands are [`crate::keys`].

use super::Failure;

pub use crate::keys::KeyArgs;

/// Runs the key command and prints its output.
pub async fn run(args: KeyArgs) -> Result<(), Failure> {
    let out = crate::keys::run(args).await.map_err(Failure::msg)?;
    print!("{out}");
    Ok(())
}
