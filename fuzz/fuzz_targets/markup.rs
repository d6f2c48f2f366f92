//! Answer markup (the Markdown subset of `answer`, see `faqbot::markup`)
//! rendered as the widget (HTML), the terminal (plain text) and `faqbot
//! check` (link problems) read it.
//!
//! Checks: no panic; the HTML is sanitised: only the tags the module
//! documents (no `<script>`, no `<img>`), only the attributes its
//! sanitiser allows (no event handler), every link http, https, mailto or tel
//! (no `javascript:`).
#![no_main]

use faqbot::markup::{link_problems, to_html, to_plain};
use libfuzzer_sys::fuzz_target;

/// The tags `markup::to_html` keeps (its module documentation).
const TAGS: [&str; 9] = ["p", "br", "em", "strong", "code", "ul", "ol", "li", "a"];
/// The attributes it keeps: `href` on links, `start` on ordered lists,
/// the `target` and `rel` it sets, and ammonia's generic `title`, `lang`.
const ATTRIBUTES: [&str; 6] = ["href", "start", "target", "rel", "title", "lang"];

/// The name and attributes (name, value) of a tag's text (between `<`
/// and `>`), values unquoted.
fn parse_tag(tag: &str) -> (&str, Vec<(&str, &str)>) {
    let tag = tag.trim_start_matches('/');
    let (name, mut rest) = tag.split_at(tag.find([' ', '/']).unwrap_or(tag.len()));
    let mut attributes = Vec::new();
    loop {
        rest = rest.trim_start_matches([' ', '/']);
        if rest.is_empty() {
            break;
        }
        let end = rest.find(['=', ' ']).unwrap_or(rest.len());
        let (key, after) = rest.split_at(end);
        match after.strip_prefix("=\"") {
            Some(v) => {
                let close = v.find('"').expect("a quoted value is closed");
                attributes.push((key, &v[..close]));
                rest = &v[close + 1..];
            }
            None => {
                attributes.push((key, ""));
                rest = after.strip_prefix('=').unwrap_or(after);
            }
        }
    }
    (name, attributes)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let html = to_html(&text);
    // Text is escaped (`&lt;`, `&gt;`, `&quot;` in values), so every `<`
    // opens a tag of the sanitiser's and the next `>` closes it.
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        let (name, attributes) = parse_tag(tag);
        assert!(TAGS.contains(&name), "tag <{tag}> in {html}");
        for (key, value) in attributes {
            assert!(ATTRIBUTES.contains(&key), "attribute {key} in {html}");
            if key == "href" {
                let lower = value.to_ascii_lowercase();
                assert!(
                    ["http:", "https:", "mailto:", "tel:"]
                        .iter()
                        .any(|s| lower.starts_with(s)),
                    "a link that is not http, https, mailto or tel: {html}"
                );
            }
        }
    }
    let _ = to_plain(&text);
    let _ = link_problems(&text);
});
