//! Cases every adapter of the scan stores must pass: sessions, captures, products.
//! Each is a plain async function over the traits only.

use shared::store::scan::{
    Capture, CaptureStatus, CloseSession, FinishCapture, GetCapture, GetProduct, GetSession,
    ListCaptures, Product, PutCapture, PutProduct, PutSession, ScanSession,
};
use shared::store::StoreError;

use super::unique;

/// An open session of owner "o".
pub fn session() -> ScanSession {
    ScanSession {
        public_id: unique("sess"),
        owner: "o".into(),
        cookie_hash: "ab".repeat(32),
        created: 1_000,
        closed: None,
    }
}

/// A processed capture of `session` made at `created`.
pub fn capture(session: &str, created: u64) -> Capture {
    Capture {
        public_id: unique("cap"),
        session_public_id: session.into(),
        owner: "o".into(),
        status: CaptureStatus::NotFound,
        capture_type: "BARCODE".into(),
        raw_value: "]C1010950110102091717270630\u{1d}10AB".into(),
        gtin: "09501101020917".into(),
        error_message: None,
        gs1_dl_data: vec![
            ("01".into(), "09501101020917".into()),
            ("17".into(), "270630".into()),
            ("10".into(), "AB".into()),
        ],
        product: None,
        uploaded_image_key: None,
        created,
        processed_at: Some(created),
    }
}

pub async fn session_put_get_close<S: PutSession + GetSession + CloseSession>(store: &S) {
    let s = session();
    store.put_session(&s).await.expect("put");
    assert!(matches!(
        store.put_session(&s).await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(
        store.get_session(&s.public_id).await.unwrap(),
        Some(s.clone())
    );
    // 0: first close applies, 1: second does not, 2: a missing session does not
    assert!(store.close_session(&s.public_id, 2_000).await.unwrap());
    assert!(!store.close_session(&s.public_id, 3_000).await.unwrap());
    assert!(!store.close_session("nope", 3_000).await.unwrap());
    let closed = store.get_session(&s.public_id).await.unwrap().unwrap();
    assert_eq!(closed.closed, Some(2_000));
    assert_eq!(store.get_session("nope").await.unwrap(), None);
}

pub async fn capture_put_get_keeps_every_field<S: PutCapture + GetCapture>(store: &S) {
    let mut c = capture("s1", 5);
    c.product = Some(("prod-1".into(), "Tea, 500 g".into()));
    c.uploaded_image_key = Some("captures/x.png".into());
    c.error_message = Some("why".into());
    store.put_capture(&c).await.expect("put");
    assert!(matches!(
        store.put_capture(&c).await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(store.get_capture(&c.public_id).await.unwrap(), Some(c));
    assert_eq!(store.get_capture("nope").await.unwrap(), None);
}

pub async fn captures_list_in_pages<S: PutCapture + ListCaptures>(store: &S) {
    let sess = unique("s");
    let mut made = Vec::new();
    for i in 0..7 {
        let c = capture(&sess, 100 + i);
        store.put_capture(&c).await.unwrap();
        made.push(c.public_id);
    }
    store
        .put_capture(&capture(&unique("other"), 1))
        .await
        .unwrap();
    let ids = |p: &shared::store::scan::Page<Capture>| {
        p.items
            .iter()
            .map(|c| c.public_id.clone())
            .collect::<Vec<_>>()
    };
    // 0: first page, oldest first; 1: last, partial; 2: past the end
    let p1 = store.list_captures(&sess, 1, 3).await.unwrap();
    assert_eq!((ids(&p1), p1.total), (made[0..3].to_vec(), 7));
    let p3 = store.list_captures(&sess, 3, 3).await.unwrap();
    assert_eq!(ids(&p3), made[6..7].to_vec());
    let p4 = store.list_captures(&sess, 4, 3).await.unwrap();
    assert!(p4.items.is_empty());
    assert_eq!(p4.total, 7);
}

pub async fn a_pending_capture_is_finished_once<S: PutCapture + GetCapture + FinishCapture>(
    store: &S,
) {
    let mut c = capture("s", 1);
    c.status = CaptureStatus::Pending;
    c.capture_type = "IMAGE".into();
    c.raw_value = String::new();
    c.gtin = String::new();
    c.gs1_dl_data = Vec::new();
    c.processed_at = None;
    store.put_capture(&c).await.unwrap();
    let mut done = capture("s", 1);
    done.public_id = c.public_id.clone();
    done.capture_type = "IMAGE".into();
    done.status = CaptureStatus::Matched;
    done.product = Some(("p".into(), "Tea".into()));
    done.processed_at = Some(9);
    assert!(store.finish_capture(&done).await.unwrap());
    // A second outcome does not overwrite the first.
    let mut again = done.clone();
    again.status = CaptureStatus::Error;
    assert!(!store.finish_capture(&again).await.unwrap());
    assert_eq!(store.get_capture(&c.public_id).await.unwrap(), Some(done));
}

pub async fn products_put_replace_get<S: PutProduct + GetProduct>(store: &S) {
    let gtin = "09501101020917".to_string();
    let mut p = Product {
        public_id: unique("prod"),
        gtin: gtin.clone(),
        name: "Tea".into(),
        brand: "Acme".into(),
    };
    store.put_product(&p).await.unwrap();
    assert_eq!(store.get_product(&gtin).await.unwrap(), Some(p.clone()));
    p.name = "Green tea".into();
    store.put_product(&p).await.unwrap();
    assert_eq!(store.get_product(&gtin).await.unwrap(), Some(p));
    assert_eq!(store.get_product("00000000000000").await.unwrap(), None);
}
