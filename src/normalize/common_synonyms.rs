//! Synonym groups every English knowledge base gets: words that small
//! businesses' customers and FAQ sheets use for the same thing ("pets"
//! for the row "Can I bring my dog?", "internet" for "How fast is the
//! wifi?", "money back" for "What is your refund policy?").
//!
//! With `bot.ron`'s `common_synonyms: true` (off by default) they are
//! merged into `bot.ron`'s own groups when the knowledge base is compiled
//! ([`merged`]): a common group that shares an entry with one of the
//! author's is added to it (the author's first entry stays the canonical
//! word), the others come after the author's. Inflected forms need no entry
//! ([`super::synonyms`]: "bookings" is read as "booking").
//!
//! The list is written by hand from the topics small-business FAQ sheets
//! share (prices, opening hours, booking, refunds, pets, children,
//! parking, access, vouchers, delivery), not from any test question. A
//! word with a second common sense that would join unrelated rows stays
//! out: "charge" (a battery's), "rate" ("pass rate"), "hours" (a
//! duration: "how many hours does it take"), "address" (an e-mail
//! address: "email address" and "web address" are read as "email" and
//! "website" instead, so that "whats your address" is not the e-mail
//! row's; trial 67), "cat" (a vet's cats and dogs rows), "open" ("open the app",
//! "opening a new room"), "park" (a holiday park). Measured group by group
//! in docs/lexicon.md ("Common synonym groups"): three groups tried there
//! ("open" with "opening hours", "cancel" with "cancellation", "parking"
//! with "park" and "car park") are not in the list.

/// The common groups, each a list of entries (words or phrases), the
/// first the group's canonical word.
pub const COMMON_GROUPS: &[&[&str]] = &[
    &["price", "cost", "fee", "pricing"],
    &["book", "booking", "reserve", "reservation"],
    &["refund", "money back"],
    &["pet", "dog", "animal"],
    &["child", "kid"],
    &["wifi", "wi fi", "internet", "wireless"],
    &["wheelchair", "disabled", "accessible", "accessibility"],
    &["voucher", "gift card", "gift voucher", "gift certificate"],
    &["delivery", "deliver", "shipping", "postage"],
    &[
        "discount",
        "coupon",
        "promo code",
        "discount code",
        "money off",
        "special offer",
    ],
    &["photo", "picture", "pic"],
    &["guarantee", "warranty"],
    &["hire", "rent", "rental"],
    &["birthday", "bday"],
    &["glasses", "spectacles", "specs"],
    &["shoes", "footwear"],
    &["class", "lesson"],
    &["barbecue", "bbq"],
    &["tutor", "teacher"],
    &["enrol", "enroll", "register", "sign up"],
    &["quote", "quotation", "estimate"],
    &["woman", "lady"],
    &["email", "email address", "e mail", "e mail address"],
    &["website", "web site", "web address"],
    &["allergy", "allergic"],
    &["vaccination", "vaccinate", "vaccine", "jab"],
    &[
        "dbs",
        "police check",
        "background check",
        "criminal record check",
    ],
    &["age", "how old"],
    &["qualified", "certified", "accredited"],
    &["vegetarian", "veggie"],
    &["power cut", "blackout", "outage", "power outage"],
];

/// `own` (bot.ron's groups) with the [`COMMON_GROUPS`] merged in: a
/// common group sharing an entry (compared in lower case) with one of
/// `own` adds its other entries to that group; the others follow `own`
/// in order. `own` unchanged when `common` is false.
pub fn merged(own: &[Vec<String>], common: bool) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = own.to_vec();
    if !common {
        return out;
    }
    let n_own = out.len();
    for group in COMMON_GROUPS {
        let shared = out[..n_own].iter().position(|g| {
            g.iter()
                .any(|e| group.iter().any(|c| e.trim().eq_ignore_ascii_case(c)))
        });
        match shared {
            Some(i) => {
                for c in group.iter() {
                    if !out[i].iter().any(|e| e.trim().eq_ignore_ascii_case(c)) {
                        out[i].push((*c).to_string());
                    }
                }
            }
            None => out.push(group.iter().map(|c| (*c).to_string()).collect()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_common_group_joins_the_authors_group_that_shares_an_entry() {
        let own = vec![vec!["warranty".to_string(), "cover".to_string()]];
        let all = merged(&own, true);
        assert_eq!(all[0], ["warranty", "cover", "guarantee"]);
        assert_eq!(all.len(), COMMON_GROUPS.len());
        assert!(all
            .iter()
            .skip(1)
            .all(|g| !g.contains(&"warranty".to_string())));
        assert_eq!(merged(&own, false), own);
    }

    #[test]
    fn entries_are_lower_case_and_in_one_group_each() {
        let mut seen = std::collections::HashSet::new();
        for g in COMMON_GROUPS {
            for e in g.iter() {
                assert_eq!(*e, e.to_lowercase());
                assert!(seen.insert(*e), "{e} is in two groups");
            }
        }
    }
}
