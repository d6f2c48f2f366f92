use crate::cli::{Cli, Command};
use clap::Parser;

fn serve_args(argv: &[&str]) -> super::Args {
    let cli = Cli::try_parse_from(argv).unwrap_or_else(|e| panic!("{argv:?}: {e}"));
    match cli.command {
        Some(Command::Serve(args)) => args,
        other => panic!("not serve: {other:?}"),
    }
}

/// `--addr` takes a host name as well as an address (trial 23: only an
/// IP address was accepted); a missing port is still an error.
#[test]
fn the_listen_address_may_name_a_host() {
    let args = serve_args(&["faqbot", "serve", "--addr", "localhost:8123"]);
    assert!(args.addr.ip().is_loopback(), "{}", args.addr);
    assert_eq!(args.addr.port(), 8123);
    let args = serve_args(&["faqbot", "serve", "--addr", "[::1]:8124"]);
    assert_eq!(args.addr.to_string(), "[::1]:8124");
    assert!(super::listen_address("localhost").is_err());
    assert!(super::listen_address("127.0.0.1").is_err());
}

/// What `deploy/faqbot.service` expands to with `FAQBOT_ARGS` that
/// repeat its flags: the last value wins instead of a usage error.
#[test]
fn a_repeated_flag_takes_its_last_value() {
    let args = serve_args(&[
        "faqbot",
        "--intents",
        "kb",
        "serve",
        "--addr",
        "127.0.0.1:8080",
        "--log-format",
        "json",
        "--rate-limit",
        "60",
        "--explain",
        // FAQBOT_ARGS:
        "--addr",
        "0.0.0.0:8186",
        "--log-format",
        "text",
        "--rate-limit",
        "30",
        "--explain",
        "--cors-origin",
        "https://a.example",
        "--cors-origin",
        "https://b.example",
    ]);
    assert_eq!(args.addr.to_string(), "0.0.0.0:8186");
    assert_eq!(args.log_format, super::LogFormat::Text);
    assert_eq!(args.rate_limit, Some(30));
    assert!(args.explain);
    // Repeatable flags still collect every value.
    assert_eq!(
        args.cors_origins,
        ["https://a.example", "https://b.example"]
    );
    let cli = Cli::try_parse_from(["faqbot", "--intents", "a", "serve", "--intents", "b"]);
    assert_eq!(cli.unwrap().intents.unwrap().to_str(), Some("b"));
}

/// `--rate-limit N` with and without a burst; 0 is off.
#[test]
fn rate_limit_flags() {
    // The flags, and the rate and burst they give.
    type Case = (&'static [&'static str], Option<(u32, u32)>);
    let cases: &[Case] = &[
        (&[], None),
        (&["--rate-limit", "0"], None),
        (&["--rate-limit", "0", "--rate-limit-burst", "5"], None),
        (&["--rate-limit", "60"], Some((60, 10))),
        (&["--rate-limit", "1"], Some((1, 1))),
        (
            &["--rate-limit", "60", "--rate-limit-burst", "5"],
            Some((60, 5)),
        ),
        (&["--rate-limit", "60", "--rate-limit", "0"], None),
    ];
    for (flags, want) in cases {
        let argv = [&["faqbot", "serve"][..], flags].concat();
        let got = super::rate_limit(&serve_args(&argv)).map(|r| (r.per_minute, r.burst));
        assert_eq!(got, *want, "{flags:?}");
    }
    let zero = Cli::try_parse_from([
        "faqbot",
        "serve",
        "--rate-limit",
        "6",
        "--rate-limit-burst",
        "0",
    ]);
    assert!(zero.unwrap_err().to_string().contains("--rate-limit-burst"));
}
