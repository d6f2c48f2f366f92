//! Answers with a small Markdown subset: links, emphasis, lists, line
//! breaks and inline code.
//!
//! An intent's `answer` is written in this subset and kept as written in the
//! reply's `answer` and `text`. From it come:
//!
//! - `to_html`: HTML for the chat widget (the reply's `answer_html`; cargo
//!   feature `html`, on by default),
//!   parsed with `pulldown-cmark` and sanitised with `ammonia`: only `<p>`,
//!   `<br>`, `<em>`, `<strong>`, `<code>`, `<ul>`, `<ol>`, `<li>` and `<a>`
//!   survive; links only with an `http`, `https`, `mailto` or `tel` URL, and always
//!   with `rel="noopener"` and `target="_blank"`. A bare web or e-mail
//!   address typed in the text is a link too, and so is a phone number
//!   (9 to 15 digits, as `faqbot import` reads the handoff's number), as a
//!   `tel:` link a phone can call.
//! - `text_to_html`: the same HTML for plain text that is not Markdown
//!   (`bot.ron`'s handoff text: the reply's `handoff_html`), its
//!   addresses and phone numbers links too.
//! - [`to_plain`]: readable text for the terminal (REPL, pipe mode, `ask`):
//!   markers dropped, list items on their own lines, each link's URL in
//!   parentheses after its text.
//! - [`link_problems`]: malformed links, reported by `faqbot check` as
//!   `malformed-link`.
//!
//! Everything outside the subset reads as the text it is: a line starting
//! with `>` or `#` is not a quote or a heading, HTML tags are shown as
//! typed, and a single line break is a line break (not a space). So plain
//! FAQ text (quotes, `>` between menu names, `...`) renders exactly as
//! written:
//!
//! ```
//! use faqbot::markup::to_plain;
//!
//! let answer = r#"Select "Profile" (tab) > "Settings"."#;
//! assert_eq!(to_plain(answer), answer);
//! # #[cfg(feature = "html")]
//! assert_eq!(faqbot::markup::to_html(answer), r#"<p>Select "Profile" (tab) &gt; "Settings".</p>"#);
//!
//! let rich = "See **the guide**: [help page](https://example.com/help)\n\n1. Open the app\n2. Tap *Profile*";
//! assert_eq!(
//!     to_plain(rich),
//!     "See the guide: help page (https://example.com/help)\n\n1. Open the app\n2. Tap Profile"
//! );
//! # #[cfg(feature = "html")]
//! assert!(faqbot::markup::to_html(rich).contains(r#"<a href="https://example.com/help" target="_blank" rel="noopener">help page</a>"#));
//! ```

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
#[cfg(feature = "html")]
use std::collections::HashSet;
#[cfg(feature = "html")]
use std::sync::LazyLock;

/// At most this many problems are reported per answer.
pub const MAX_PROBLEMS: usize = 10;

/// URL schemes a link may use; any other link loses its `href`. `tel`
/// since trial 51: a local business's customers on a phone want to tap
/// the number, and `[01632 960517](tel:+441632960517)` lost its link.
pub const LINK_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Markdown inline and block syntax that the subset leaves out is read as
/// text: a `>` or `#` that starts a line is escaped before parsing.
fn escape_unsupported(markdown: &str) -> String {
    escape_tracked(markdown).0
}

/// [`escape_unsupported`], also returning where backslashes were added.
fn escape_tracked(markdown: &str) -> (String, Vec<usize>) {
    let mut added = Vec::new();
    let mut out = String::with_capacity(markdown.len() + 8);
    for (n, line) in markdown.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        if indent < 4 && (body.starts_with('>') || body.starts_with('#')) {
            out.push_str(&line[..indent]);
            added.push(out.len());
            out.push('\\');
            out.push_str(body);
        } else {
            out.push_str(line);
        }
    }
    (out, added)
}

/// The parser's events with everything outside the subset turned into
/// text: raw HTML is shown as typed, images become links, soft line
/// breaks are hard ones.
fn events(markdown: &str) -> Vec<Event<'static>> {
    let source = escape_unsupported(markdown);
    let events = Parser::new_ext(&source, Options::empty())
        .flat_map(|e| match e {
            // An HTML block comes one line at a time, each with its `\n`.
            Event::Html(s) => {
                let line = s.trim_end_matches('\n').to_string();
                let brk = s.ends_with('\n').then_some(Event::HardBreak);
                vec![Event::Text(line.into())].into_iter().chain(brk)
            }
            e => vec![e].into_iter().chain(None),
        })
        .map(|e| match e {
            Event::InlineHtml(s) => Event::Text(s),
            Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
            Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
            Event::SoftBreak => Event::HardBreak,
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }),
            Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
            Event::Start(Tag::Heading { .. }) | Event::Start(Tag::CodeBlock(_)) => {
                Event::Start(Tag::Paragraph)
            }
            Event::End(TagEnd::Heading(_)) | Event::End(TagEnd::CodeBlock) => {
                Event::End(TagEnd::Paragraph)
            }
            e => e,
        })
        .map(Event::into_static)
        .collect::<Vec<_>>();
    // A break that ends a paragraph (after an HTML block line) is dropped.
    let mut out: Vec<Event<'static>> = Vec::with_capacity(events.len());
    for e in events {
        if matches!(e, Event::End(TagEnd::Paragraph))
            && matches!(out.last(), Some(Event::HardBreak))
        {
            out.pop();
        }
        out.push(e);
    }
    out
}

#[cfg(feature = "html")]
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.tags(HashSet::from([
        "p", "br", "em", "strong", "code", "ul", "ol", "li", "a",
    ]))
    .add_tag_attributes("a", ["href"])
    .add_tag_attributes("ol", ["start"])
    .url_schemes(HashSet::from(LINK_SCHEMES))
    .url_relative(ammonia::UrlRelative::Deny)
    .link_rel(Some("noopener"))
    .set_tag_attribute_value("a", "target", "_blank");
    b
});

/// `events` with every bare web address (`https://…`, `http://…`) and
/// e-mail address in text outside a link made a link of its own
/// (spreadsheet answers type them plainly: "go to
/// https://passwordreset.example.com"). Found by the `linkify` crate, which
/// leaves trailing punctuation out of the address.
#[cfg(feature = "html")]
fn autolinked(events: Vec<Event<'static>>) -> Vec<Event<'static>> {
    static FINDER: LazyLock<linkify::LinkFinder> = LazyLock::new(|| {
        let mut f = linkify::LinkFinder::new();
        f.kinds(&[linkify::LinkKind::Url, linkify::LinkKind::Email]);
        f
    });
    let mut out = Vec::with_capacity(events.len());
    let mut in_link = 0usize;
    for e in events {
        match &e {
            Event::Start(Tag::Link { .. }) => in_link += 1,
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Text(t) if in_link == 0 && FINDER.links(t).next().is_some() => {
                for span in FINDER.spans(t) {
                    let text: CowStr<'static> = span.as_str().to_string().into();
                    let link_type = match span.kind() {
                        Some(linkify::LinkKind::Url) => LinkType::Autolink,
                        Some(linkify::LinkKind::Email) => LinkType::Email,
                        _ => {
                            push_phones(&mut out, &text);
                            continue;
                        }
                    };
                    push_link(&mut out, link_type, text.clone(), text);
                }
                continue;
            }
            Event::Text(t) if in_link == 0 => {
                push_phones(&mut out, t);
                continue;
            }
            _ => {}
        }
        out.push(e);
    }
    out
}

/// A link of `link_type` to `url` showing `text`, as events.
#[cfg(feature = "html")]
fn push_link(
    out: &mut Vec<Event<'static>>,
    link_type: LinkType,
    url: CowStr<'static>,
    text: CowStr<'static>,
) {
    out.push(Event::Start(Tag::Link {
        link_type,
        dest_url: url,
        title: "".into(),
        id: "".into(),
    }));
    out.push(Event::Text(text));
    out.push(Event::End(TagEnd::Link));
}

/// `text` as events, each phone number in it (9 to 15 digits, as
/// [`crate::normalize::contact`] reads one for the handoff) a `tel:` link
/// to its digits (and leading `+`): "call 01632 960517" →
/// `call <a href="tel:01632960517">01632 960517</a>`.
#[cfg(feature = "html")]
fn push_phones(out: &mut Vec<Event<'static>>, text: &str) {
    let mut at = 0;
    for m in crate::normalize::contact::PHONE.find_iter(text) {
        if !crate::normalize::contact::digits_ok(m.as_str()) {
            continue;
        }
        if m.start() > at {
            out.push(Event::Text(text[at..m.start()].to_string().into()));
        }
        let number = m.as_str();
        // "+44 (0)1632 …": the bracketed trunk 0 is not dialled after a
        // country code.
        let international = number.starts_with('+');
        let dial: String = (if international {
            number.replace("(0)", "")
        } else {
            number.to_string()
        })
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
        push_link(
            out,
            LinkType::Autolink,
            format!("tel:{dial}").into(),
            number.to_string().into(),
        );
        at = m.end();
    }
    if at < text.len() {
        out.push(Event::Text(text[at..].to_string().into()));
    }
}

/// The answer as sanitised HTML (see the [module docs](self) for what is
/// kept). Cost: linear in the answer's length; a few microseconds for a
/// typical answer. Only with the cargo feature `html` (on by default).
#[cfg(feature = "html")]
pub fn to_html(markdown: &str) -> String {
    let mut raw = String::with_capacity(markdown.len() + 16);
    pulldown_cmark::html::push_html(&mut raw, autolinked(events(markdown)).into_iter());
    SANITIZER.clean(raw.trim_end()).to_string()
}

/// Plain text (not Markdown: `bot.ron`'s `handoff`, which is shown
/// exactly as written) as sanitised HTML, as [`to_html`] makes it for an
/// answer: every character shown as typed (`**`, `<b>` and `#` stay text),
/// a line break a `<br>`, a blank line a new paragraph, and each web
/// address, e-mail address and phone number (9 to 15 digits) a link
/// (`https:`, `mailto:`, `tel:`): "call 01632 960412." →
/// `<p>call <a href="tel:01632960412" …>01632 960412</a>.</p>`. The
/// reply's `handoff_html` (the chat widget showed the handoff's number as
/// plain text while an answer's was a link a phone could call). Cost:
/// linear in the text's length. Only with the cargo feature `html`.
#[cfg(feature = "html")]
pub fn text_to_html(text: &str) -> String {
    let mut events = Vec::new();
    for para in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        events.push(Event::Start(Tag::Paragraph));
        for (n, line) in para.trim_matches('\n').split('\n').enumerate() {
            if n > 0 {
                events.push(Event::HardBreak);
            }
            events.push(Event::Text(line.to_string().into()));
        }
        events.push(Event::End(TagEnd::Paragraph));
    }
    let mut raw = String::with_capacity(text.len() + 16);
    pulldown_cmark::html::push_html(&mut raw, autolinked(events).into_iter());
    SANITIZER.clean(raw.trim_end()).to_string()
}

/// The answer as readable plain text: emphasis and code markers dropped,
/// lists one item a line (`1. `/`- `, nested items indented by two spaces),
/// paragraphs separated by a blank line, and every link's URL in
/// parentheses after its text (unless the text is the URL). Text without
/// Markdown comes back unchanged.
pub fn to_plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    // (next number of an ordered list, or None for bullets) per open list.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut links: Vec<(String, usize)> = Vec::new();
    let mut blocks = 0usize;
    for e in events(markdown) {
        match e {
            Event::Start(Tag::Paragraph) => {
                if lists.is_empty() {
                    if blocks > 0 {
                        out.push_str("\n\n");
                    }
                    blocks += 1;
                } else if !out.is_empty() && !out.ends_with(' ') && !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            Event::Start(Tag::List(start)) => {
                if lists.is_empty() {
                    if blocks > 0 {
                        out.push_str("\n\n");
                    }
                    blocks += 1;
                }
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                if !out.is_empty() && !out.ends_with("\n\n") && !out.ends_with('\n') {
                    out.push('\n');
                }
                let depth = lists.len().saturating_sub(1);
                out.push_str(&"  ".repeat(depth));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("- "),
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push((dest_url.to_string(), out.len()))
            }
            Event::End(TagEnd::Link) => {
                if let Some((url, at)) = links.pop() {
                    let text = &out[at..];
                    let shown = url
                        .strip_prefix("mailto:")
                        .or_else(|| url.strip_prefix("tel:"))
                        .unwrap_or(&url);
                    if !url.is_empty() && text != url && text != shown {
                        out.push_str(&format!(" ({shown})"));
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::HardBreak | Event::SoftBreak => {
                out.push('\n');
                if !lists.is_empty() {
                    out.push_str(&"  ".repeat(lists.len()));
                }
            }
            _ => {}
        }
    }
    out
}

/// One malformed link in an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkProblem {
    /// Byte offset in the answer where the link (or the text that looks
    /// like one) starts.
    pub offset: usize,
    /// The link's URL, or the text that looks like a broken link.
    pub link: String,
    /// What is wrong, in a few words.
    pub problem: &'static str,
}

/// Links that will not work in the widget: a URL whose scheme is not
/// http, https, mailto or tel (or that is relative or empty), an `http(s)` URL
/// without a host, a URL with spaces, and `[text](url` or `[text] (url)`
/// that Markdown does not read as a link at all.
pub fn link_problems(markdown: &str) -> Vec<LinkProblem> {
    let (source, added) = escape_tracked(markdown);
    let mut out = Vec::new();
    let mut text_spans = Vec::new();
    for (event, range) in Parser::new_ext(&source, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            })
            | Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => {
                if let Some(problem) = url_problem(link_type, &dest_url) {
                    out.push(LinkProblem {
                        offset: range.start,
                        link: dest_url.to_string(),
                        problem,
                    });
                }
            }
            Event::Text(_) => text_spans.push(range),
            _ => {}
        }
    }
    // Link syntax the parser left as text. Text events split at `[`, `]`
    // and `(`, so look at whole runs of consecutive text.
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for r in text_spans {
        match runs.last_mut() {
            Some(last) if last.end == r.start => last.end = r.end,
            _ => runs.push(r),
        }
    }
    for run in runs {
        let text = &source[run.clone()];
        let candidates = text
            .match_indices("](")
            .map(|(at, _)| (at, at + 2, true))
            .chain(text.match_indices("] (").map(|(at, _)| (at, at + 3, false)))
            .filter(|&(_, url, tight)| {
                // `[sic] (see below)` is prose; `[guide] (https://...)` a slip.
                let rest = text[url..].to_ascii_lowercase();
                tight
                    || ["http", "www.", "mailto:", "/"]
                        .iter()
                        .any(|p| rest.starts_with(p))
            });
        for (at, url, _) in candidates.take(MAX_PROBLEMS) {
            let start = text[..at].rfind('[').unwrap_or(at);
            let end = text[url..]
                .find(char::is_whitespace)
                .map_or(text.len(), |e| url + e);
            out.push(LinkProblem {
                offset: run.start + start,
                link: text[start..end].chars().take(80).collect(),
                problem: "not read as a link: write [text](url) with the closing parenthesis and no space before it",
            });
        }
    }
    out.sort_by_key(|p| p.offset);
    out.truncate(MAX_PROBLEMS);
    // Offsets are into the escaped source; map them back to the answer.
    for p in &mut out {
        let shift = added.iter().take_while(|&&a| a < p.offset).count();
        p.offset = (p.offset - shift).min(markdown.len());
    }
    out
}

fn url_problem(link_type: LinkType, url: &CowStr<'_>) -> Option<&'static str> {
    if matches!(link_type, LinkType::Email) {
        return None;
    }
    let url = url.trim();
    if url.is_empty() {
        return Some("the link has no URL");
    }
    if url.contains(char::is_whitespace) {
        return Some("the URL contains a space");
    }
    let Some((scheme, rest)) = url.split_once(':') else {
        return Some("relative URL: only http, https, mailto and tel links are shown");
    };
    let scheme = scheme.to_ascii_lowercase();
    if !LINK_SCHEMES.contains(&scheme.as_str()) {
        return Some("only http, https, mailto and tel links are shown");
    }
    if scheme.starts_with("http") {
        let host = rest.strip_prefix("//").unwrap_or("");
        let host = host.split(['/', '?', '#']).next().unwrap_or("");
        if host.is_empty() || !host.contains('.') && host != "localhost" {
            return Some("the URL has no host name");
        }
    } else if scheme == "tel" {
        let digits = rest.bytes().filter(u8::is_ascii_digit).count();
        let dialable = rest
            .chars()
            .all(|c| c.is_ascii_digit() || "+-.()".contains(c));
        if digits < 3 || !dialable {
            return Some("a tel link needs a phone number: tel:+441632960517");
        }
    } else if !rest.contains('@') {
        return Some("a mailto link needs an e-mail address");
    }
    None
}

#[cfg(test)]
mod tests;
