//! Background work of the local process: what SQS-triggered Lambdas do on AWS runs
//! here as tokio tasks beside the HTTP server, started by `serve` and stopped with it.

use std::future::Future;
use tokio::task::JoinSet;

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

    /// How many workers are running.
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Whether no worker runs.
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// Stops every worker (each must leave its work resumable: it may be cut off at
    /// any await point, as `kill -9` would).
    pub async fn stop(mut self) {
        self.tasks.shutdown().await;
    }
}
