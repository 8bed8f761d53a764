//! A deliberately tiny HTTP/1.1 client for the end-to-end tests (one request per
//! connection, `Connection: close`), plus a server started on a free port with a
//! fresh data directory. Tests talk to the real hyper server over TCP, as curl would.

use rxing::common::HybridBinarizer;
use rxing::{
    BinaryBitmap, DecodeHints, Luma8LuminanceSource, MultiFormatReader, RXingResultMetadataType,
    RXingResultMetadataValue, Reader,
};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub struct Reply {
    pub status: u16,
    /// Lower-cased header names; repeated headers joined with ", ".
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// Panics with the body when the status is not `status`.
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(
            self.status,
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        self
    }

    /// A 422's first detail as (`loc` joined with '.', rule `type`, `msg`).
    pub fn first_error(&self) -> (String, String, String) {
        self.expect(422);
        let v = self.json();
        let d = &v["details"][0];
        let loc: Vec<String> = d["loc"]
            .as_array()
            .unwrap_or_else(|| panic!("no details[0].loc in {v}"))
            .iter()
            .map(|x| match x {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
        (loc.join("."), text("type"), text("msg"))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// A local server on `127.0.0.1:<free port>` with its own data directory.
pub struct Server {
    pub addr: std::net::SocketAddr,
    pub key: String,
    pub data_dir: PathBuf,
}

impl Server {
    pub async fn start() -> Server {
        Self::start_with(|_| {}).await
    }

    /// Starts a server after `adjust` has changed the app (e.g. tighter rate limits).
    pub async fn start_with(
        adjust: impl FnOnce(&mut shared::api::App<shared::store::local::LocalStore>),
    ) -> Server {
        let data_dir = std::env::temp_dir().join(format!(
            "gs1codes-e2e-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        let (mut app, fresh) = gs1_local::open_app(&data_dir).await.unwrap();
        adjust(&mut app);
        assert!(fresh, "a new data dir is a fresh store");
        let key = gs1_local::new_key(&app).await.unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // The same background workers as `make run` (the bulk bundler).
        let app = Arc::new(app);
        let mut workers = gs1_local::Workers::default();
        workers.spawn(gs1_local::workers::bundler(Arc::clone(&app)));
        tokio::spawn(gs1_local::serve(app, listener, workers));
        Server {
            addr,
            key,
            data_dir,
        }
    }

    /// Polls an async job's `poll_url` until it is `completed` or `failed`
    /// (bounded: 120 s), returning its last status body.
    pub async fn wait_for_task(&self, poll_url: &str) -> serde_json::Value {
        for _ in 0..1200 {
            let v = self.call("GET", poll_url, None).await.expect(200).json();
            if matches!(v["status"].as_str(), Some("completed" | "failed")) {
                return v;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("task did not end in 120 s");
    }

    /// GETs a download URL of this server (a signed URL: no key, the signature is it).
    pub async fn download(&self, url: &str) -> Reply {
        let path = url
            .split_once("//")
            .map_or(url, |(_, rest)| &rest[rest.find('/').unwrap()..]);
        self.raw("GET", path, &[], None).await
    }

    /// Submits the async job `body` to `path` (bulk QR, labels), checks the 202's
    /// `poll_url` is `<path><task_id>/`, waits until the task is `completed` and
    /// downloads what it made: (the download, its final status).
    pub async fn run_job(&self, path: &str, body: &str) -> (Reply, serde_json::Value) {
        let r = self.call("POST", path, Some(body)).await;
        r.expect(202);
        let v = r.json();
        let poll_url = v["poll_url"].as_str().unwrap().to_string();
        assert_eq!(
            poll_url,
            format!("{path}{}/", v["task_id"].as_str().unwrap())
        );
        let done = self.wait_for_task(&poll_url).await;
        assert_eq!(done["status"], "completed", "{done}");
        let file = self.download(done["download_url"].as_str().unwrap()).await;
        file.expect(200);
        (file, done)
    }

    /// A request with this server's API key.
    pub async fn call(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        let key = self.key.clone();
        self.raw(
            method,
            path,
            &[("x-api-key", &key), ("content-type", "application/json")],
            body,
        )
        .await
    }

    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Reply {
        self.raw_bytes(method, path, headers, body.unwrap_or("").as_bytes())
            .await
    }

    /// [`Server::raw`] with a body of any bytes (a multipart form with a PNG).
    pub async fn raw_bytes(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        let mut stream = TcpStream::connect(self.addr).await.unwrap();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n",
            self.addr
        );
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
        stream.write_all(req.as_bytes()).await.unwrap();
        // A server may answer (a 413) and close before the body is all sent: the write
        // then fails, and the answer is still there to read.
        let _ = stream.write_all(body).await;
        let mut raw = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) => break,
                Ok(n) => raw.extend_from_slice(&buf[..n]),
                // A reset after the answer (the server closed with body unread).
                Err(_) if !raw.is_empty() => break,
                Err(e) => panic!("no answer: {e}"),
            }
        }
        parse(&raw)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// A raw HTTP/1.1 response (head and body, chunked or not) as a [`Reply`].
pub fn parse(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete HTTP response head");
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for line in lines {
        let (k, v) = line.split_once(':').unwrap();
        let k = k.trim().to_ascii_lowercase();
        let v = v.trim().to_string();
        headers
            .entry(k)
            .and_modify(|old| {
                old.push_str(", ");
                old.push_str(&v);
            })
            .or_insert(v);
    }
    let mut body = raw[split + 4..].to_vec();
    if headers
        .get("transfer-encoding")
        .is_some_and(|t| t == "chunked")
    {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..eol]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 4 + size..];
    }
}

/// Decodes a grey PNG (as served) with rxing: (text, symbology identifier).
pub fn scan(png_bytes: &[u8]) -> (String, String) {
    // 1-bit PNGs (no anti-aliased text) are expanded to 8-bit grey.
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    buf.truncate(info.buffer_size());
    scan_luma(buf, info.width, info.height)
        .unwrap_or_else(|| panic!("no symbol found in the {}x{} PNG", info.width, info.height))
}

/// Decodes an 8-bit grey raster (`width` x `height`, row-major): (text, symbology
/// identifier), or `None` when no symbol is found.
pub fn scan_luma(luma: Vec<u8>, width: u32, height: u32) -> Option<(String, String)> {
    let source = Luma8LuminanceSource::new(luma, width, height).ok()?;
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let hints = DecodeHints {
        TryHarder: Some(true),
        ..Default::default()
    };
    let result = MultiFormatReader::default()
        .decode_with_hints(&mut bitmap, &hints)
        .ok()?;
    let id = match result
        .getRXingResultMetadata()
        .get(&RXingResultMetadataType::SYMBOLOGY_IDENTIFIER)
    {
        Some(RXingResultMetadataValue::SymbologyIdentifier(id)) => id.clone(),
        _ => String::new(),
    };
    Some((result.getText().to_string(), id))
}
