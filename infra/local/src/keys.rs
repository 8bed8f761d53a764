//! `gs1-codes key ...`: create, list, revoke, re-tier, suspend and reinstate API
//! keys, on the local store or, with `--store aws`, on the deployed DynamoDB
//! tables (the usual AWS environment: region, credentials, `API_KEYS_TABLE`,
//! `SECRETS_TABLE`, ...; see `shared::store::aws`).
//!
//! A key is named by the full key, by the display prefix `key list` shows
//! (`csb_AbCd1234`), or by the start of its SHA-256 (8 hex digits or more). Only
//! the hash is stored, so a key is printed once, by `create`.

use clap::{Args, Subcommand, ValueEnum};
use shared::api::auth::hash_key;
use shared::api::rate_limit::parse_tier;
use shared::api::App;
use shared::store::{
    ApiKeyRecord, GetApiKey, GetOrCreateSecret, KeyChange, ListApiKeys, PutApiKey, UpdateApiKey,
    DEFAULT_TIER,
};

/// `gs1-codes key [COMMAND]`: with no command, creates a key (what `make key` runs).
#[derive(Debug, Clone, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct KeyArgs {
    /// What to do; `create` when left out.
    #[command(subcommand)]
    pub command: Option<KeyCommand>,
    /// With no command: the new key's rate-limit tier (see `key create --help`).
    #[arg(long, value_name = "TIER")]
    pub tier: Option<String>,
    /// Which store holds the keys.
    #[arg(long, value_enum, default_value_t = StoreKind::Local, global = true)]
    pub store: StoreKind,
}

/// Where the keys are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreKind {
    /// The SQLite file under `$DATA_DIR` (default `./.data`), as `make run` uses.
    Local,
    /// DynamoDB, from the AWS environment (`AWS_REGION`, credentials, `API_KEYS_TABLE`, `SECRETS_TABLE`, `AWS_ENDPOINT_URL`).
    Aws,
}

/// The key subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum KeyCommand {
    /// Create a key and print it (stdout: the key only; it is shown this once).
    Create {
        /// Rate-limit tier: `default` (300/min, 10,000/day), `unlimited` (not counted;
        /// for load tests and trusted internal callers), or windows in the
        /// RateLimit-Policy syntax, e.g. "1000;w=60, 50000;w=86400".
        #[arg(long, value_name = "TIER", default_value = DEFAULT_TIER)]
        tier: String,
    },
    /// List every key: display prefix, creation time (UTC), tier, state. Never the key.
    List,
    /// Revoke a key for good: its next request is a 401.
    Revoke {
        /// The key, its display prefix, or the start of its SHA-256.
        key: String,
    },
    /// Set a key's rate-limit tier (takes effect on its next request).
    Tier {
        /// The key, its display prefix, or the start of its SHA-256.
        key: String,
        /// `default`, `unlimited`, or windows like "1000;w=60, 50000;w=86400".
        tier: String,
    },
    /// Suspend a key's account: its requests get a 403 with `owner_action_required`.
    Suspend {
        /// The key, its display prefix, or the start of its SHA-256.
        key: String,
    },
    /// Lift a suspension.
    Reinstate {
        /// The key, its display prefix, or the start of its SHA-256.
        key: String,
    },
}

/// The store operations the key tools use.
pub trait KeyStore: PutApiKey + GetApiKey + ListApiKeys + UpdateApiKey + GetOrCreateSecret {}

impl<S: PutApiKey + GetApiKey + ListApiKeys + UpdateApiKey + GetOrCreateSecret> KeyStore for S {}

/// Runs `args` on the store it names; returns what to print on stdout.
///
/// Errors: one line for stderr (unknown or ambiguous key, bad tier, store error).
pub async fn run(args: KeyArgs) -> Result<String, String> {
    let command = args.command.unwrap_or(KeyCommand::Create {
        tier: args.tier.unwrap_or_else(|| DEFAULT_TIER.to_owned()),
    });
    match args.store {
        StoreKind::Local => {
            let (app, _) = crate::open_app(&crate::data_dir()).await?;
            run_on(&app, command).await
        }
        StoreKind::Aws => {
            let store = shared::store::aws::AwsStore::from_env().await;
            let app = App::new(store)
                .await
                .map_err(|e| format!("cannot reach the AWS store: {e}"))?;
            run_on(&app, command).await
        }
    }
}

/// Runs one key command on `app`'s store.
pub async fn run_on<S: KeyStore>(app: &App<S>, command: KeyCommand) -> Result<String, String> {
    let store_error = |e: shared::store::StoreError| e.to_string();
    match command {
        KeyCommand::Create { tier } => create(app, &tier).await,
        KeyCommand::List => {
            let keys = app.store.list_api_keys().await.map_err(store_error)?;
            Ok(keys.iter().map(list_line).collect())
        }
        KeyCommand::Revoke { key } => change(app, &key, KeyChange::Revoke, "revoked").await,
        KeyCommand::Tier { key, tier } => {
            parse_tier(&tier).map_err(|e| e.to_string())?;
            let done = format!("tier {}", tier.trim());
            change(app, &key, KeyChange::Tier(tier.trim().to_owned()), &done).await
        }
        KeyCommand::Suspend { key } => {
            change(app, &key, KeyChange::Suspend(true), "suspended").await
        }
        KeyCommand::Reinstate { key } => {
            change(app, &key, KeyChange::Suspend(false), "reinstated").await
        }
    }
}

/// Mints a key in `tier` and stores its hash; returns the key and a newline.
pub async fn create<S: PutApiKey>(app: &App<S>, tier: &str) -> Result<String, String> {
    parse_tier(tier).map_err(|e| e.to_string())?;
    let (key, mut record) = app.keys.mint(app.clock.now()).map_err(|e| e.to_string())?;
    record.tier = tier.trim().to_owned();
    if record.tier.is_empty() {
        record.tier = DEFAULT_TIER.to_owned();
    }
    app.store
        .put_api_key(&record)
        .await
        .map_err(|e| e.to_string())?;
    Ok(format!("{key}\n"))
}

async fn change<S: KeyStore>(
    app: &App<S>,
    key: &str,
    change: KeyChange,
    done: &str,
) -> Result<String, String> {
    let rec = find(app, key).await?;
    if !app
        .store
        .update_api_key(&rec.key_hash, &change)
        .await
        .map_err(|e| e.to_string())?
    {
        return Err(format!(
            "key {} vanished before it could be changed",
            rec.prefix
        ));
    }
    Ok(format!("{} {done}\n", rec.prefix))
}

/// The one stored key `name` names (full key, display prefix, or hash start).
async fn find<S: KeyStore>(app: &App<S>, name: &str) -> Result<ApiKeyRecord, String> {
    let name = name.trim();
    if app.keys.check_format(name).is_ok() {
        return app
            .store
            .get_api_key(&hash_key(name))
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| "no such key in this store".to_owned());
    }
    let is_hash = name.len() >= 8 && name.bytes().all(|b| b.is_ascii_hexdigit());
    if !is_hash && !name.starts_with("csb_") {
        return Err(format!(
            "{name:?} is not a key, a display prefix (csb_...) nor a hash start (8+ hex digits)"
        ));
    }
    let all = app.store.list_api_keys().await.map_err(|e| e.to_string())?;
    let mut matches: Vec<ApiKeyRecord> = all
        .into_iter()
        .filter(|r| r.prefix == name || (is_hash && r.key_hash.starts_with(&name.to_lowercase())))
        .collect();
    match matches.len() {
        1 => Ok(matches.remove(0)),
        0 => Err(format!(
            "no key matches {name:?} (see `gs1-codes key list`)"
        )),
        n => Err(format!(
            "{n} keys match {name:?}; name it by the full key or more hash digits"
        )),
    }
}

/// `csb_AbCd1234  2026-12-01T05:00:00Z  default  active`.
fn list_line(r: &ApiKeyRecord) -> String {
    let state = if r.revoked {
        "revoked"
    } else if r.suspended {
        "suspended"
    } else {
        "active"
    };
    format!(
        "{:<14} {}  {:<9} {}  {}\n",
        r.prefix,
        shared::api::clock::iso8601(r.created_at).replace("+00:00", "Z"),
        state,
        &r.key_hash[..12.min(r.key_hash.len())],
        r.tier
    )
}
