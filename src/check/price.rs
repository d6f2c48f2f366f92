//! `price-question`: a customer's price question gets an entry whose
//! answer states no price, while other entries' answers state one.
//!
//! Trial 50's boarding kennels had the alternate "How much exercise do
//! the dogs get?" on its walks row; from then on "how much?" got the
//! walks answer at 0.92, and "how much for a dog per night?" at 0.73,
//! although three other answers gave the prices. Every example still
//! reached its own row, so no other lint could see it: this rule asks the
//! bot a customer's price questions ([`PROBES`]), each as the first turn
//! of a fresh conversation through the whole pipeline
//! ([`crate::Engine::respond`]; three replies, a few milliseconds).
//!
//! A probe answered (reply kind `answer`) with an FAQ entry whose answer
//! states no price (`dialogue::property::states_a_price`: "£12", "15
//! euros") is a warning, one per entry, when at least one other FAQ
//! entry's answer states a price: at the entry's phrasing that says "how
//! much" (usually the cause), with the entries that state prices. An
//! English knowledge base only: the probes are English.

use super::locate::SourceIndex;
use super::{reach, Finding, Witness};
use crate::dialogue::property::states_a_price;
use crate::error::Diagnostic;
use crate::reply::ReplyKind;
use crate::schema::IntentKind;
use crate::{Engine, Session};

/// The price questions played: what a customer types first to ask what
/// something costs, naming nothing.
pub const PROBES: [&str; 3] = ["how much?", "how much is it?", "how much does it cost?"];
/// How many of the entries that state a price a finding names.
const SHOWN: usize = 3;

/// Runs the rule.
pub fn run(engine: &Engine, index: &SourceIndex<'_>) -> Vec<Finding> {
    let kb = engine.knowledge_base();
    let norm = engine.matcher().normalizer();
    if !norm.is_english() {
        return Vec::new();
    }
    let priced: Vec<usize> = (0..kb.intents.len())
        .filter(|&i| kb.intents[i].kind == IntentKind::Faq && states_a_price(&kb.intents[i].answer))
        .collect();
    if priced.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Finding> = Vec::new();
    let mut warned: Vec<usize> = Vec::new();
    for text in PROBES {
        let reply = engine.respond(&mut Session::new(), text);
        let Some(i) = reply.intent.as_deref().and_then(|id| kb.index_of(id)) else {
            continue;
        };
        let d = &kb.intents[i];
        if reply.kind != ReplyKind::Answer
            || d.kind != IntentKind::Faq
            || priced.contains(&i)
            || warned.contains(&i)
        {
            continue;
        }
        warned.push(i);
        // The entry's phrasing that says "much" (an imported row's
        // question is its title and first example: looked at once).
        let much = std::iter::once(&d.title)
            .chain(&d.examples)
            .find(|t| norm.tokens(t).iter().any(|t| t.word == "much"));
        let spot = match much {
            Some(p) if *p != d.title => index.value(i, "examples", p),
            _ => index.intent(i),
        };
        let names: Vec<String> = priced
            .iter()
            .take(SHOWN)
            .map(|&p| format!("`{}`", kb.intents[p].id))
            .collect();
        let mut diag = Diagnostic::warning(
            "price-question",
            format!(
                "{text:?} is answered with `{}` ({:.2}), whose answer states no price, while {} \
                 FAQ entr{} state{} one ({}{}): a customer asking what something costs gets this \
                 entry",
                d.id,
                reply.confidence,
                priced.len(),
                if priced.len() == 1 {
                    "y's answer"
                } else {
                    "ies' answers"
                },
                if priced.len() == 1 { "s" } else { "" },
                names.join(", "),
                if priced.len() > SHOWN { ", ..." } else { "" },
            ),
        )
        .at(spot.location)
        .hint(match much {
            Some(p) => format!(
                "its phrasing {p:?} says \"how much\" of something other than a price: reword it \
                 without \"how much\", or add {text:?} as an example of the entry with the \
                 prices; `faqbot explain {text:?}` shows what each word adds"
            ),
            None => format!(
                "add {text:?} as an example of the entry with the prices; `faqbot explain \
                 {text:?}` shows what each word adds"
            ),
        });
        diag.len = spot.len;
        out.push(Finding {
            diagnostic: diag,
            witness: Some(Witness::PriceQuestion {
                intent: d.id.clone(),
                priced: priced.iter().map(|&p| kb.intents[p].id.clone()).collect(),
                phrasing: much.cloned(),
                outcome: reach::probe(engine, text, i),
            }),
        });
    }
    out
}
