//! Verification codes and certificate ids as people type and scan them.
//!
//! Codes are Crockford base32 (`0-9 A-Z` without I, L, O, U), printed `XXXX-XXXX`. People
//! type them in lower case, without the hyphen, with spaces, and read O for 0 and I or L for
//! 1; [`normalize`] maps all of that to one form, and the verification page does the same.

/// A verification code in its comparable form: upper case, no hyphens or white space, O read
/// as 0 and I or L as 1 (the letters Crockford base32 leaves out for that reason).
pub fn normalize(code: &str) -> String {
    code.chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

/// Whether a typed code is the code a certificate carries.
pub fn matches(typed: &str, issued: &str) -> bool {
    let typed = normalize(typed);
    !typed.is_empty() && typed == normalize(issued)
}

/// The QR text of a certificate revision: `https://…#id=<id>-r<n>&code=<code>` when the
/// provider names its verification site (a fragment, so the code never reaches the web
/// server's logs), else `ceu:v1:<id>-r<n>:<code>` as before.
pub fn qr_payload(verify_url: Option<&str>, cert_id: &str, revision: u32, code: &str) -> String {
    match verify_url {
        Some(base) => format!("{base}#id={cert_id}-r{revision}&code={code}"),
        None => format!("ceu:v1:{cert_id}-r{revision}:{code}"),
    }
}

/// The site's URL as printed on a certificate: without `https://` and a trailing slash.
pub fn short_url(verify_url: &str) -> &str {
    let url = verify_url
        .strip_prefix("https://")
        .or_else(|| verify_url.strip_prefix("http://"))
        .unwrap_or(verify_url);
    url.strip_suffix('/').unwrap_or(url)
}

/// The certificate reference and code in a verification-page URL
/// (`https://host/path/#id=<id>&code=<code>`), or `None` when `text` is not one.
pub fn from_url(text: &str) -> Option<(String, Option<String>)> {
    if !(text.starts_with("https://") || text.starts_with("http://")) {
        return None;
    }
    let (_, fragment) = text.split_once('#')?;
    let mut id = None;
    let mut code = None;
    for pair in fragment.split('&') {
        match pair.split_once('=') {
            Some(("id", value)) if !value.is_empty() => id = Some(value.to_string()),
            Some(("code", value)) if !value.is_empty() => code = Some(value.to_string()),
            _ => {}
        }
    }
    Some((id?, code))
}

/// Checks a configured verification-site URL: https (or http on localhost, for trying a site
/// locally), no fragment or query (ceu adds the fragment), no spaces.
pub fn check_verify_url(url: &str) -> Result<(), String> {
    let local = ["http://localhost", "http://127.0.0.1"]
        .iter()
        .any(|p| url.starts_with(p));
    if !url.starts_with("https://") && !local {
        return Err(format!(
            "verify_url {url:?} must start with https:// (the page needs a secure context)"
        ));
    }
    if url.contains(['#', '?']) || url.chars().any(char::is_whitespace) {
        return Err(format!(
            "verify_url {url:?} must be the page's address without #, ? or spaces, e.g. \"https://ce.example.org/verify/\""
        ));
    }
    let host = url.split_once("://").map_or("", |(_, rest)| rest);
    if host.is_empty() || host.starts_with('/') {
        return Err(format!("verify_url {url:?} names no host"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_as_people_type_them() {
        for typed in ["K7QF-3MZP", "k7qf3mzp", "k7qf 3mzp", " K7QF-3MZP "] {
            assert!(matches(typed, "K7QF-3MZP"), "{typed}");
        }
        assert!(matches("1o0l-ab2c", "1001-AB2C"));
        assert!(matches("I00L-AB2C", "1001-AB2C"));
        assert!(!matches("K7QF-3MZQ", "K7QF-3MZP"));
        assert!(!matches("", "K7QF-3MZP"));
        assert!(!matches("-", "K7QF-3MZP"));
    }

    #[test]
    fn qr_payload_without_a_url_is_unchanged() {
        assert_eq!(
            qr_payload(None, "SER2-2025-03-CAL-7K3F9Q2M", 1, "K7QF-3MZP"),
            "ceu:v1:SER2-2025-03-CAL-7K3F9Q2M-r1:K7QF-3MZP"
        );
        let url = qr_payload(
            Some("https://ce.example.org/verify/"),
            "SER2-2025-03-CAL-7K3F9Q2M",
            2,
            "K7QF-3MZP",
        );
        assert_eq!(
            url,
            "https://ce.example.org/verify/#id=SER2-2025-03-CAL-7K3F9Q2M-r2&code=K7QF-3MZP"
        );
        assert_eq!(
            from_url(&url),
            Some((
                "SER2-2025-03-CAL-7K3F9Q2M-r2".into(),
                Some("K7QF-3MZP".into())
            ))
        );
        assert_eq!(
            short_url("https://ce.example.org/verify/"),
            "ce.example.org/verify"
        );
    }

    #[test]
    fn configured_urls_are_checked() {
        assert!(check_verify_url("https://ce.example.org/verify/").is_ok());
        assert!(check_verify_url("http://127.0.0.1:8000/").is_ok());
        assert!(check_verify_url("http://ce.example.org/").is_err());
        assert!(check_verify_url("https://ce.example.org/#x").is_err());
        assert!(check_verify_url("https://").is_err());
    }
}
