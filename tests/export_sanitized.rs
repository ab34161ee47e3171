//! The sanitized export: no listed secret survives, across the corpus, the HAR suite and a
//! synthetic capture full of credentials.
use std::io::Read;
use switchboard::ingest::{ingest_path, Limits, LoadState};
use switchboard::session::Session;

fn load(paths: &[&str]) -> Session {
    let mut s = Session::new();
    let mut st = LoadState::default();
    for p in paths {
        ingest_path(std::path::Path::new(p), &Limits::default(), &mut st, &mut s);
    }
    s.finish();
    s
}

fn unzip_all(bytes: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut all = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("member");
        f.read_to_string(&mut all).expect("text");
        all.push('\n');
    }
    all
}

#[test]
fn no_listed_secret_survives() {
    let dir = std::env::temp_dir().join(format!("sb-export-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let har = dir.join("desktop.har");
    std::fs::write(
        &har,
        r#"{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[
      {"startedDateTime":"2026-03-12T14:00:00.000Z","time":12,
       "request":{"method":"POST","url":"https://fin.example.test:8445/http-bind/","httpVersion":"HTTP/1.1",
         "headers":[{"name":"Authorization","value":"Basic Z3JhY2U6czNjcmV0UGFzcw=="},{"name":"Cookie","value":"JSESSIONID=9F8E7D6C5B4A; sso=tokentoken"}],
         "cookies":[{"name":"JSESSIONID","value":"9F8E7D6C5B4A"}],"queryString":[],
         "postData":{"mimeType":"text/xml","text":"<body rid='100' sid='abc' xmlns='http://jabber.org/protocol/httpbind'/>"},"headersSize":-1,"bodySize":70},
       "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1",
         "headers":[{"name":"Set-Cookie","value":"JSESSIONID=1122334455AA; Path=/; Secure"}],"cookies":[{"name":"JSESSIONID","value":"1122334455AA"}],
         "content":{"size":20,"mimeType":"application/json","text":"{\"pageAccessToken\":\"EAAJpagetoken123\",\"password\":\"pw-Secret-9\"}"},
         "redirectURL":"","headersSize":-1,"bodySize":20},
       "cache":{},"timings":{"send":0,"wait":10,"receive":2}}]}}"#,
    )
    .expect("write");
    let log = dir.join("gateway.log");
    std::fs::write(&log, "2026-03-12 10:00:00.001 - debug: verificationToken=VERIFY-abc-777 pageAccessToken=EAAJlogtoken456\n2026-03-12 10:00:00.002 - debug: customer ssn 123-45-6789\n").expect("write");
    // The corpus folders (not MANIFEST.md, whose prose quotes the credential on purpose).
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
    let mut paths: Vec<String> =
        std::fs::read_dir(corpus).expect("corpus").filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).map(|p| p.display().to_string()).collect();
    paths.sort();
    paths.push(har.display().to_string());
    paths.push(log.display().to_string());
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    let s = load(&refs);
    let extra = switchboard::export::compile_patterns(&[r"ssn (\d{3}-\d{2}-\d{4})".to_string()]).expect("pattern");
    let (zip, hits) = switchboard::export::sanitized_zip(&s, &extra).expect("export");
    let all = unzip_all(&zip);
    for secret in [
        "MjAwMToyMDAx", // corpus: Basic 2001:2001 inside a gadget proxy URL
        "Z3JhY2U6czNjcmV0UGFzcw==",
        "9F8E7D6C5B4A",
        "tokentoken",
        "1122334455AA",
        "EAAJpagetoken123",
        "pw-Secret-9",
        "VERIFY-abc-777",
        "EAAJlogtoken456",
        "123-45-6789",
    ] {
        assert!(!all.contains(secret), "{secret} survived the export");
    }
    assert!(hits.len() >= 9, "{} hits", hits.len());
    assert!(hits.iter().all(|h| !h.preview.contains("pw-Secret-9") && !h.preview.contains("MjAwMToyMDAx")));
    // Everything else is still there: the export is the logs, not a summary of them.
    assert!(all.contains("MEDIA_LOGIN_REQ") && all.contains("values masked"));
    assert!(all.contains("PRESENCE DRIVEN LOGOUT"));
    let _ = std::fs::remove_dir_all(&dir);
}
