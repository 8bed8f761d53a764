//! The local side of gs1-codes: the whole API in one process with embedded storage,
//! mounted on the same paths and handlers as the Lambdas (`make run`), and the
//! key-minting command (`make key`). The end-to-end tests start it in-process.

mod objects;
mod routes;
mod server;
pub mod workers;

pub use routes::routes;
pub use server::serve;
pub use workers::Workers;

use shared::api::App;
use shared::store::local::LocalStore;
use shared::store::PutApiKey;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `$DATA_DIR`, default `./.data`.
pub fn data_dir() -> PathBuf {
    std::env::var_os("DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(".data"))
}

/// Opens the store under `dir` and builds the app; `true` when the store was new.
pub async fn open_app(dir: &Path) -> Result<(App<LocalStore>, bool), String> {
    let fresh = !LocalStore::file_path(dir).exists();
    let store = LocalStore::open(dir).map_err(|e| format!("cannot open {}: {e}", dir.display()))?;
    let app = App::new(store).await.map_err(|e| e.to_string())?;
    Ok((app, fresh))
}

/// Mints a key and stores its hash.
pub async fn new_key(app: &App<LocalStore>) -> Result<String, String> {
    let (key, record) = app.keys.mint(app.clock.now()).map_err(|e| e.to_string())?;
    app.store
        .put_api_key(&record)
        .await
        .map_err(|e| e.to_string())?;
    Ok(key)
}

pub async fn key_from_env() -> Result<String, String> {
    let (app, _) = open_app(&data_dir()).await?;
    new_key(&app).await
}

/// `make run`: opens `$DATA_DIR`, prints a key on first start, listens on `$PORT`.
pub async fn serve_from_env() -> Result<(), String> {
    let (app, fresh) = open_app(&data_dir()).await?;
    if fresh {
        let key = new_key(&app).await?;
        println!("Created an API key (shown once; `make key` makes more): {key}");
    }
    let port: u16 = match std::env::var("PORT") {
        Ok(p) => p
            .parse()
            .map_err(|_| format!("PORT={p:?} is not a port number"))?,
        Err(_) => 3000,
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let app = Arc::new(app);
    let mut workers = Workers::default();
    workers.spawn(workers::bundler(Arc::clone(&app)));
    serve(app, listener, workers).await
}
