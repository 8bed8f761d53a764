//! The local side of gs1-codes: the whole API in one process with embedded storage,
//! mounted on the same paths and handlers as the Lambdas (`make run`), and the
//! key-minting command (`make key`). The end-to-end tests start it in-process.

pub mod cli;
pub mod keys;
mod objects;
mod routes;
mod server;
pub mod workers;

pub use routes::routes;
pub use server::serve;
pub use workers::Workers;

use shared::api::App;
use shared::store::local::LocalStore;
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
    let store = LocalStore::open(dir).map_err(|e| {
        // The adapter's own words (SQLite's, the OS's) after ours: "read-only file
        // system", "database or disk is full".
        let cause = std::error::Error::source(&e)
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        format!("cannot open DATA_DIR {}: {e}{cause}", dir.display())
    })?;
    let app = App::new(store).await.map_err(|e| e.to_string())?;
    Ok((app, fresh))
}

/// Mints a key in the default tier and stores its hash.
pub async fn new_key(app: &App<LocalStore>) -> Result<String, String> {
    let key = keys::create(app, shared::store::DEFAULT_TIER).await?;
    Ok(key.trim_end().to_owned())
}

/// `make seed` / `gs1-codes import-products FILE`: imports into `$DATA_DIR`.
pub async fn import_products_from_env(path: &Path) -> Result<usize, String> {
    let (app, _) = open_app(&data_dir()).await?;
    import_products(&app, path).await
}

/// Imports products from a CSV file with a header naming `gtin`, `name`, `brand` (and
/// optionally `public_id`): each GTIN (8/12/13/14 digits) is stored as GTIN-14, replacing
/// any product with that GTIN, so an import can be run again. Returns how many rows.
pub async fn import_products(app: &App<LocalStore>, path: &Path) -> Result<usize, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    import_products_from(app, file, &path.display().to_string()).await
}

/// The demo products a fresh `make run` starts with (`infra/local/seed/products.csv`).
pub const SEED_PRODUCTS: &str = include_str!("../seed/products.csv");

/// [`import_products`] from any reader; `name` labels errors.
pub async fn import_products_from(
    app: &App<LocalStore>,
    csv_data: impl std::io::Read,
    name: &str,
) -> Result<usize, String> {
    use shared::store::{Product, PutProduct};
    let mut reader = csv::Reader::from_reader(csv_data);
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(g), Some(n)) = (col("gtin"), col("name")) else {
        return Err(format!("{}: the header must name gtin and name", name));
    };
    let (b, id) = (col("brand"), col("public_id"));
    let mut count = 0;
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| format!("{}: row {}: {e}", name, i + 2))?;
        let gtin: shared::gs1::Gtin14 = row[g]
            .trim()
            .parse()
            .map_err(|e| format!("{}: row {}: gtin: {e}", name, i + 2))?;
        let product = Product {
            public_id: id
                .map(|c| row[c].trim().to_string())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| format!("prod_{}", gtin.as_str())),
            gtin: gtin.as_str().to_string(),
            name: row[n].trim().to_string(),
            brand: b.map(|c| row[c].trim().to_string()).unwrap_or_default(),
        };
        app.store
            .put_product(&product)
            .await
            .map_err(|e| e.to_string())?;
        count += 1;
    }
    Ok(count)
}

/// `make run`: opens `$DATA_DIR`, prints a key on first start, listens on `$PORT`.
pub async fn serve_from_env() -> Result<(), String> {
    let (app, fresh) = open_app(&data_dir()).await?;
    if fresh {
        let key = new_key(&app).await?;
        println!("Created an API key (shown once; `make key` makes more): {key}");
        let n = import_products_from(&app, SEED_PRODUCTS.as_bytes(), "seed products").await?;
        println!("Imported {n} demo products (`make seed` imports them again)");
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
