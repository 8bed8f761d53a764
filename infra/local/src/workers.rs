//! Background work of the local process: what SQS-triggered Lambdas do on AWS runs
//! here as tokio tasks beside the HTTP server, started by `serve` and stopped with it.

use shared::api::App;
use shared::bulk::{handle_message, DEAD_LETTER_AFTER};
use shared::store::local::LocalStore;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinSet;

/// How long a received message stays hidden while a bundler works it, in seconds.
const VISIBILITY: u64 = 900;
/// How long a failed message waits before it is tried again, in seconds.
const RETRY_AFTER: u64 = 2;
/// How often an idle bundler looks for work.
const POLL: Duration = Duration::from_millis(50);

/// The local bundler: works the durable queue table as the `qr-bundler` Lambda works
/// SQS, one message at a time (each job renders on every core). Messages left hidden by
/// a process that was killed are made visible at start.
pub async fn bundler(app: Arc<App<LocalStore>>) {
    if let Err(e) = app.store.requeue_all().await {
        tracing::error!(error = %e, "cannot requeue messages");
    }
    loop {
        let now = app.clock.now();
        let message = match app.store.receive_message(now, VISIBILITY).await {
            Ok(Some(m)) => m,
            Ok(None) => {
                tokio::time::sleep(POLL).await;
                continue;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot read the queue");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        match handle_message(
            &app.store,
            app.clock.as_ref(),
            &message.body,
            message.receives,
        )
        .await
        {
            Ok(_) => {
                let _ = app.store.delete_message(message.id).await;
            }
            Err(e) if message.receives >= DEAD_LETTER_AFTER => {
                // Even the receive that fails the task failed (the store is down): the
                // dead letter, as SQS's redrive policy would.
                tracing::error!(error = %e, id = message.id, "message dead-lettered");
                let _ = app.store.delete_message(message.id).await;
            }
            Err(e) => {
                tracing::warn!(error = %e, receives = message.receives, "bundling failed; will retry");
                let _ = app
                    .store
                    .release_message(message.id, now + RETRY_AFTER)
                    .await;
            }
        }
    }
}

/// The background tasks of one local server.
#[derive(Default)]
pub struct Workers {
    tasks: JoinSet<()>,
}

impl Workers {
    /// Starts `work` in the background; it runs until it returns or the server stops.
    pub fn spawn(&mut self, work: impl Future<Output = ()> + Send + 'static) {
        self.tasks.spawn(work);
    }

    /// Stops every worker (each must leave its work resumable: it may be cut off at
    /// any await point, as `kill -9` would).
    pub async fn stop(mut self) {
        self.tasks.shutdown().await;
    }
}
