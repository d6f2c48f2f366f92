//! "Are you hiring swimming teachers?": a job seeker's question, answered
//! by an entry about the business's staff.
//!
//! Every business gets messages from people who want to work there, and
//! an FAQ sheet rarely has a row for them. The role they name is often a
//! word of a row about the staff, so the sentence model in particular
//! reads the two as one topic: on FAQ sheets of other businesses, "are you
//! hiring swimming teachers" got a swimming school's "Are your teachers
//! qualified?" at 0.94 (trial 54), "I want to become a driving instructor,
//! are you hiring" a driving school's "Are your instructors qualified?" at
//! 0.94, and "are you looking for teachers? I am native french speaker" a
//! language school's lessons for children at 0.71. The sheets' other
//! thirteen job seekers' questions were left unanswered already.
//!
//! A message is a job enquiry ([`job_enquiry`]) when its words (folded,
//! in order) have one of these frames:
//!
//! * "you" ("u", "ya"), perhaps "currently", "still", "now" or "also",
//!   then "hiring" or "recruiting", then nothing, a word of time or
//!   quantity ("at the moment", "for christmas", "any staff") or a word
//!   for people within three words ("hiring route setters"). "Are you
//!   hiring boats out today?" (hire as rent) names no people and is no
//!   job enquiry.
//! * "looking for" or "are you looking for" (or "take on", "taking on") and,
//!   within four words, a job word ("a saturday job", "a placement") or,
//!   after "you" or in "take on", a word for people ("are you looking for teachers", "do you take on apprentices");
//!   "looking for work" as the last words or before a stop word.
//! * "work for you", "apply for" with a job word within four words, "job
//!   you advertised", "job vacancies", "any jobs", "apprenticeships",
//!   "work experience".
//!
//! When the top of the ranking is an FAQ intent whose title and examples
//! have no job word (job, vacancy, hiring, recruit, career, apprentice,
//! employment, placement, "work experience") and do not speak of hiring
//! things out ("hire", "rent"), it is offered, not answered
//! (`Why::JobEnquiry`). A knowledge base with a row about jobs ("Are you
//! hiring?") keeps answering it, and a hire shop's rows are left alone,
//! unless the message hires people by name ("are you hiring staff for the
//! summer": nobody hires people out).

use super::phrasings::{any_phrasing, faq_top_and_words};
use super::unknown_thing::YOU;
use crate::kb::KnowledgeBase;
use crate::matcher::{Analysis, Scored};

/// Words that may stand between "you" and "hiring".
const BETWEEN: [&str; 5] = ["currently", "still", "now", "also", "ever"];
/// Verbs of taking people on.
const HIRING: [&str; 3] = ["hiring", "recruiting", "employing"];
/// Words of hiring out (renting): a top whose phrasings have one is left
/// alone, since "are you hiring scooters" may mean renting them.
const HIRE_OUT: [&str; 4] = ["hire", "hired", "rent", "rental"];
word_list! {
    /// The words at which [`job_enquiry`]'s frames are tested: a message
    /// without any of them is no job enquiry.
    OPENERS, opens_frame = [
        "hiring",
        "recruiting",
        "employing",
        "looking",
        "take",
        "taking",
        "takes",
        "work",
        "apply",
        "job",
        "jobs",
        "apprenticeship",
        "apprenticeships",
        "internship",
        "internships",
    ];
}
/// Words after "hiring" that make it about people, not renting: time,
/// quantity and "anyone".
const AFTER_HIRING: [&str; 13] = [
    "at",
    "for",
    "now",
    "currently",
    "this",
    "over",
    "right",
    "any",
    "anyone",
    "anybody",
    "more",
    "new",
    "in",
];
/// Words for people (besides the suffixes of [`is_people`]).
const PEOPLE: [&str; 16] = [
    "staff",
    "people",
    "help",
    "someone",
    "somebody",
    "apprentice",
    "apprentices",
    "nurse",
    "nurses",
    "students",
    "student",
    "assistant",
    "assistants",
    "chef",
    "chefs",
    "crew",
];
/// Words that name a job itself.
const JOB_WORDS: [&str; 16] = [
    "job",
    "jobs",
    "vacancy",
    "vacancies",
    "placement",
    "placements",
    "apprenticeship",
    "apprenticeships",
    "position",
    "positions",
    "role",
    "roles",
    "career",
    "careers",
    "employment",
    "internship",
];
/// Stop words after "work" in "looking for work at …" (so "work boots"
/// is not a job).
const AFTER_WORK: [&str; 8] = ["at", "in", "with", "here", "for", "and", "if", "please"];

/// Whether `w` is a word for people: one of [`PEOPLE`], or a plural of
/// an agent noun ("teachers", "setters", "instructors", "therapists",
/// "technicians"). Singular agent nouns are too often things ("a
/// charger", "a heater") to count.
fn is_people(w: &str) -> bool {
    PEOPLE.contains(&w)
        || ["ers", "ors", "ists", "ians", "ants"]
            .iter()
            .any(|suffix| w.len() > suffix.len() + 2 && w.ends_with(suffix))
}

/// The words of the frame that make `words` (folded, lower case, in
/// order) a job enquiry ("you hiring", "looking for a saturday job"),
/// or `None` (module doc).
pub fn job_enquiry(words: &[&str]) -> Option<String> {
    let at = |k: usize| words.get(k).copied();
    let phrase = |from: usize, to: usize| words[from..=to.min(words.len() - 1)].join(" ");
    for (k, &w) in words.iter().enumerate() {
        // "you [currently] hiring …"
        if let Some(you) = you_hiring(words, k) {
            let people = match at(k + 1) {
                None => true,
                Some(next) if AFTER_HIRING.contains(&next) => true,
                Some(_) => people_follow(words, k),
            };
            // A second clause ("are you hiring? looking for saturday
            // work") is read by the frames below.
            if people || at(k + 1) == Some("looking") {
                return Some(phrase(you, k));
            }
        }
        // "looking for / take on …"
        let takes = matches!(w, "take" | "taking" | "takes");
        let seeking =
            (w == "looking" && at(k + 1) == Some("for")) || (takes && at(k + 1) == Some("on"));
        if seeking {
            let start = k + 2;
            let window = start..(start + 4).min(words.len());
            if let Some(n) = window.clone().find(|&n| JOB_WORDS.contains(&words[n])) {
                return Some(phrase(k, n));
            }
            if let Some(n) = seeks_people(words, k) {
                return Some(phrase(k, n));
            }
            if let Some(n) = window.clone().find(|&n| words[n] == "work") {
                if at(n + 1).is_none_or(|next| AFTER_WORK.contains(&next) || next == "experience") {
                    return Some(phrase(k, n));
                }
            }
        }
        // "work for you", "work experience", "(like) to work as a …"
        if w == "work" {
            if k >= 1
                && words[k - 1] == "to"
                && at(k + 1) == Some("as")
                && matches!(at(k + 2), Some("a" | "an"))
            {
                return Some(phrase(k - 1, k + 2));
            }
            if at(k + 1) == Some("for") && at(k + 2).is_some_and(|y| YOU.contains(&y)) {
                return Some(phrase(k, k + 2));
            }
            if at(k + 1) == Some("experience") {
                return Some(phrase(k, k + 1));
            }
        }
        // "apply for … job", "job you advertised", "job vacancies",
        // "any jobs", "apprenticeships"
        if w == "apply" {
            let window = k + 1..(k + 6).min(words.len());
            if let Some(n) = window.clone().find(|&n| JOB_WORDS.contains(&words[n])) {
                return Some(phrase(k, n));
            }
        }
        let job = w == "job" || w == "jobs";
        let job_noun = matches!(
            at(k + 1),
            Some("vacancies" | "vacancy" | "openings" | "opening" | "advert" | "advertised")
        );
        let advertised =
            at(k + 1).is_some_and(|y| YOU.contains(&y)) && at(k + 2) == Some("advertised");
        let any_jobs = w == "jobs" && k > 0 && words[k - 1] == "any";
        if job && (job_noun || advertised || any_jobs) {
            return Some(phrase(k.saturating_sub(1), k + 1));
        }
        if matches!(
            w,
            "apprenticeship" | "apprenticeships" | "internship" | "internships"
        ) {
            return Some(w.to_string());
        }
    }
    None
}

/// Whether `words` (folded, in order) hire people by name: "you
/// [currently] hiring / recruiting / employing" with a word for people
/// ([`is_people`]) within the next three words ("are you hiring staff
/// for the summer"), "are you looking for" or "take on" with one
/// ([`seeks_people`]: "are you looking for staff"), or "to work as a …"
/// ("i'd like to work as an usher"). People are not hired out, so such a
/// message is a job enquiry even where the top's phrasings speak of
/// hiring things out (trial 48's cinema, whose screen hire row the
/// sentence model raised for "are you looking for staff? i'd like to work
/// as an usher").
fn hires_people(words: &[&str]) -> bool {
    (0..words.len()).any(|k| {
        (you_hiring(words, k).is_some() && people_follow(words, k))
            || seeks_people(words, k).is_some()
            || (words[k] == "work"
                && k >= 1
                && words[k - 1] == "to"
                && words.get(k + 1) == Some(&"as")
                && matches!(words.get(k + 2), Some(&("a" | "an"))))
    })
}

/// The index of a word for people ([`is_people`]) within four words after
/// "looking for" (said of the business: "you" one or two words before
/// "looking") or "take on" / "taking on" at `words[k]`; `None` otherwise.
fn seeks_people(words: &[&str], k: usize) -> Option<usize> {
    let w = words[k];
    let next = words.get(k + 1).copied();
    let takes = matches!(w, "take" | "taking" | "takes") && next == Some("on");
    let looking = w == "looking" && next == Some("for");
    let asks_business =
        k >= 1 && (YOU.contains(&words[k - 1]) || (k >= 2 && YOU.contains(&words[k - 2])));
    if !(takes || (looking && asks_business)) {
        return None;
    }
    (k + 2..(k + 6).min(words.len())).find(|&n| is_people(words[n]))
}

/// The index of "you" when `words[k]` is a verb of [`HIRING`] after "you"
/// ("u", "ya") and perhaps words of [`BETWEEN`] ("are you currently
/// hiring"); `None` otherwise.
fn you_hiring(words: &[&str], k: usize) -> Option<usize> {
    if !HIRING.contains(words.get(k)?) {
        return None;
    }
    let mut j = k;
    while j > 0 && BETWEEN.contains(&words[j - 1]) {
        j -= 1;
    }
    (j > 0 && YOU.contains(&words[j - 1])).then(|| j - 1)
}

/// Whether a word for people ([`is_people`]) is among the three words
/// after `words[k]` ("hiring route setters").
fn people_follow(words: &[&str], k: usize) -> bool {
    (k + 1..(k + 4).min(words.len())).any(|n| is_people(words[n]))
}

/// Whether intent `i`'s title or examples speak of jobs (a row for job
/// seekers: "Are you hiring?", "Do you offer apprenticeships?") or, when
/// `hire_out` holds, of hiring things out ([`HIRE_OUT`]).
fn speaks_of_jobs(kb: &KnowledgeBase, i: usize, hire_out: bool) -> bool {
    any_phrasing(
        kb,
        i,
        |_| false,
        |words| {
            words.iter().any(|w| {
                JOB_WORDS.contains(w)
                    || HIRING.contains(w)
                    || (hire_out && HIRE_OUT.contains(w))
                    || w.starts_with("recruit")
                    || w.starts_with("employ")
            }) || words.windows(2).any(|p| p == ["work", "experience"])
                || job_enquiry(words).is_some()
        },
    )
}

/// The frame's words when the message is a job enquiry and the top of
/// `ranking`, an FAQ intent, does not speak of jobs (module doc); `None`
/// otherwise.
pub(crate) fn asks_for_a_job(
    kb: &KnowledgeBase,
    analysis: &Analysis,
    ranking: &[Scored],
) -> Option<String> {
    let (top, words) = faq_top_and_words(kb, analysis, ranking, opens_frame)?;
    let frame = job_enquiry(&words)?;
    (!speaks_of_jobs(kb, top.intent, !hires_people(&words))).then_some(frame)
}

#[cfg(test)]
mod tests {
    use super::{hires_people, job_enquiry, OPENERS};

    fn of(text: &str) -> Option<String> {
        let words: Vec<&str> = text.split(' ').collect();
        job_enquiry(&words)
    }

    #[test]
    fn job_seekers_frames_are_read() {
        assert_eq!(of("are you hiring").as_deref(), Some("you hiring"));
        assert_eq!(
            of("r u currently hiring barbers").as_deref(),
            Some("u currently hiring")
        );
        for text in [
            "are you hiring at the moment",
            "are you recruiting any kitchen staff for the summer",
            "are you hiring plumbers",
            "are you looking for instructors i have ten years experience",
            "im looking for a part time job do you need anyone",
            "my daughter is looking for work experience",
            "i would love to work for you",
            "how do i apply for the receptionist job",
            "do you take on apprentices",
            "are you taking on apprentices",
            "is the shop taking on staff for the summer",
            "any jobs going",
            "do you offer apprenticeships",
            "summer internships",
            "i would like to work as an usher",
        ] {
            assert!(of(text).is_some(), "{text}");
            // `asks_for_a_job` tests the frames only when a word opens one.
            assert!(
                text.split(' ').any(|w| OPENERS.contains(&w)),
                "{text}: no word of OPENERS"
            );
        }
    }

    #[test]
    fn hiring_people_by_name_is_told_from_hiring_things_out() {
        let words = |t: &'static str| t.split(' ').collect::<Vec<_>>();
        assert!(hires_people(&words("are you hiring staff for the summer")));
        assert!(hires_people(&words(
            "r u currently recruiting delivery drivers"
        )));
        assert!(hires_people(&words(
            "are you looking for staff i would like to work as an usher"
        )));
        assert!(hires_people(&words("do you take on apprentices")));
        assert!(hires_people(&words("i would love to work as a guide")));
        assert!(!hires_people(&words(
            "i am looking for a present for my mum"
        )));
        assert!(!hires_people(&words("are you hiring for the summer")));
        assert!(!hires_people(&words("are you hiring boats out today")));
        assert!(!hires_people(&words("can i hire a strimmer")));
    }

    #[test]
    fn renting_buying_and_other_jobs_are_not_job_enquiries() {
        assert_eq!(of("are you hiring boats out today"), None);
        assert_eq!(of("can i hire a kayak for the day"), None);
        assert_eq!(of("how long does the job take"), None);
        assert_eq!(of("not happy with the job you did on my boiler"), None);
        assert_eq!(of("im looking for work boots in size 10"), None);
        assert_eq!(of("do you have any vacancies next weekend"), None);
        assert_eq!(
            of("i need it for a new job interview can you do it fast"),
            None
        );
        assert_eq!(of("looking for a present for my mum"), None);
        assert_eq!(of("is the boat taking on water"), None);
        assert_eq!(of("what are your opening hours"), None);
        assert_eq!(of("i work as a nurse do you do an nhs discount"), None);
        assert_eq!(of("does it work as a charger too"), None);
    }
}
