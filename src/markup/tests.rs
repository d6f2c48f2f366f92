//! Tests of [`super`]: plain text, HTML, links and hostile input.
use super::*;

#[test]
fn plain_text_is_unchanged() {
    for s in [
        "Hello.",
        "\"Profile\" (tab) > \"Settings\" > \"Account data\"...",
        "Line one\nline two",
        "a & b < c",
        "> not a quote\n# not a heading",
        "<b>not html</b>",
        "<script>alert(1)</script>",
        "<div>\nblock\n</div>",
        "",
    ] {
        assert_eq!(to_plain(s), s, "{s:?}");
    }
}

#[cfg(feature = "html")]
#[test]
fn html_is_escaped_and_safe() {
    assert_eq!(
        to_html("<b>x</b> & y"),
        "<p>&lt;b&gt;x&lt;/b&gt; &amp; y</p>"
    );
    assert_eq!(to_html("a\nb"), "<p>a<br>\nb</p>");
    let h = to_html("[x](javascript:alert(1)) [y](/rel) ![i](https://e.com/i.png)");
    assert!(!h.contains("javascript"), "{h}");
    assert!(!h.contains("/rel"), "{h}");
    assert!(!h.contains("<img"), "{h}");
    assert!(to_html("<script>alert(1)</script>").starts_with("<p>&lt;script&gt;"));
}

#[test]
fn lists_links_and_emphasis() {
    let md = "Steps:\n\n- open **the app**\n- tap `Profile`\n\nMail [us](mailto:help@example.com) or <https://example.com>.";
    assert_eq!(
        to_plain(md),
        "Steps:\n\n- open the app\n- tap Profile\n\nMail us (help@example.com) or https://example.com."
    );
    assert_eq!(to_plain("3. three\n4. four"), "3. three\n4. four");
    #[cfg(feature = "html")]
    {
        let h = to_html(md);
        assert!(
            h.contains("<ul>\n<li>open <strong>the app</strong></li>"),
            "{h}"
        );
        assert!(h.contains("<code>Profile</code>"), "{h}");
        assert!(
            h.contains(
                r#"<a href="mailto:help@example.com" target="_blank" rel="noopener">us</a>"#
            ),
            "{h}"
        );
        assert!(to_html("3. three\n4. four").starts_with("<ol start=\"3\">"));
    }
}

/// Addresses typed plainly (as spreadsheet answers have them) are
/// links in the HTML, without the sentence's full stop; the plain
/// text is unchanged, and a link's own text is not linked twice.
#[cfg(feature = "html")]
#[test]
fn bare_addresses_become_links() {
    let md = "Reset it at https://reset.example.com/pw. Or mail it@example.com, please.";
    assert_eq!(to_plain(md), md);
    let h = to_html(md);
    assert_eq!(
        h,
        "<p>Reset it at <a href=\"https://reset.example.com/pw\" target=\"_blank\" rel=\"noopener\">https://reset.example.com/pw</a>. \
         Or mail <a href=\"mailto:it@example.com\" target=\"_blank\" rel=\"noopener\">it@example.com</a>, please.</p>"
    );
    let linked = to_html("[https://a.example.com](https://b.example.com)");
    assert_eq!(linked.matches("<a ").count(), 1, "{linked}");
    assert!(
        linked.contains("href=\"https://b.example.com\""),
        "{linked}"
    );
    // Not a link: no scheme, or a scheme the sanitiser refuses.
    assert!(!to_html("see www.example.com or javascript:alert(1)").contains("<a"));
}

#[cfg(feature = "html")]
#[test]
fn phone_numbers_are_links_a_phone_can_call() {
    // A written tel: link keeps its href (trial 51: it was dropped).
    assert_eq!(
        to_html("[Call us](tel:+441632960517)"),
        r#"<p><a href="tel:+441632960517" target="_blank" rel="noopener">Call us</a></p>"#
    );
    // A number typed in the text becomes one, to its digits.
    assert_eq!(
        to_html("Ring 01632 960517 or +44 (0)1632 960518, 9am-5pm."),
        "<p>Ring <a href=\"tel:01632960517\" target=\"_blank\" rel=\"noopener\">01632 960517</a> \
         or <a href=\"tel:+441632960518\" target=\"_blank\" rel=\"noopener\">+44 (0)1632 960518</a>, 9am-5pm.</p>"
    );
    // Prices, times, dates and short numbers are not phone numbers.
    for text in [
        "From £12.50, 10:30 to 17:00",
        "Closed 24-26 December 2026",
        "Order 12345",
    ] {
        assert!(!to_html(text).contains("tel:"), "{text}");
    }
    // Inside a link, nothing more is linked.
    assert!(!to_html("[01632 960517](https://example.com)").contains("tel:"));
    // Plain text shows the number once.
    assert_eq!(
        to_plain("[Call us](tel:+441632960517)"),
        "Call us (+441632960517)"
    );
}

#[test]
fn finds_malformed_links() {
    let probs = |s: &str| -> Vec<&'static str> {
        link_problems(s).into_iter().map(|p| p.problem).collect()
    };
    assert!(probs("[ok](https://example.com/a?b=1) <https://x.org> [m](mailto:a@b.c)").is_empty());
    assert!(probs("\"Profile\" (tab) > \"Settings\" [sic] (not a link)").is_empty());
    assert_eq!(probs("the [guide] (https://example.com)").len(), 1);
    assert_eq!(probs("[x](javascript:alert(1))").len(), 1);
    assert_eq!(probs("[x](www.example.com)").len(), 1);
    assert_eq!(probs("[x](https:/example.com)").len(), 1);
    assert_eq!(probs("[x](https://example.com").len(), 1);
    assert_eq!(probs("[x]()").len(), 1);
    assert!(probs("[call us](tel:+441632960517)").is_empty());
    assert_eq!(
        probs("[call us](tel:reception)"),
        ["a tel link needs a phone number: tel:+441632960517"]
    );
    let p = &link_problems("> menu\nsee [x](ftp://a.b)")[0];
    assert_eq!(p.offset, "> menu\nsee ".len());
    assert_eq!(p.link, "ftp://a.b");
}

#[test]
fn hostile_input_is_bounded() {
    let deep = "[".repeat(10_000) + &"](x)".repeat(10_000);
    #[cfg(feature = "html")]
    let _ = to_html(&deep);
    let _ = to_plain(&deep);
    let _ = link_problems(&deep);
    let nested = "- ".repeat(2_000) + "x";
    let _ = to_plain(&nested);
    #[cfg(feature = "html")]
    let _ = to_html(&nested);
}

/// The handoff text is plain text: its phone number, e-mail and web
/// address are links in the widget as an answer's are, and nothing else
/// in it is read as Markdown or HTML.
#[cfg(feature = "html")]
#[test]
fn plain_text_gets_its_contact_details_as_links() {
    let h = text_to_html(
        "A member of our team can help: call 01632 960412 or +44 (0)1632 960 413,\nmail help@example.com or see https://example.com/contact.",
    );
    assert_eq!(
        h,
        "<p>A member of our team can help: call \
         <a href=\"tel:01632960412\" target=\"_blank\" rel=\"noopener\">01632 960412</a> or \
         <a href=\"tel:+441632960413\" target=\"_blank\" rel=\"noopener\">+44 (0)1632 960 413</a>,<br>\n\
         mail <a href=\"mailto:help@example.com\" target=\"_blank\" rel=\"noopener\">help@example.com</a> or see \
         <a href=\"https://example.com/contact\" target=\"_blank\" rel=\"noopener\">https://example.com/contact</a>.</p>"
    );
    assert_eq!(
        text_to_html("call **0800 123 456** <b>now</b>\n\n# open 9-5"),
        "<p>call **<a href=\"tel:0800123456\" target=\"_blank\" rel=\"noopener\">0800 123 456</a>** \
         &lt;b&gt;now&lt;/b&gt;</p>\n<p># open 9-5</p>"
    );
    assert_eq!(text_to_html(""), "");
}
