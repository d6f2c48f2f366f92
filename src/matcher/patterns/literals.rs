//! Required literals of a regex pattern: a set of strings one of which
//! every match contains, read from the pattern's parsed form (`Hir`).
//!
//! [`super::Patterns`] runs a pattern only on text that contains one of
//! its literals (an Aho-Corasick scan of the text finds them all at once),
//! so most patterns of a knowledge base never run on a given message. A
//! pattern without such a set (e.g. `\w+`) always runs.
//!
//! Soundness is all that matters: when the pattern matches a text, the
//! text contains one of the strings, compared with ASCII letters in
//! either case. The strings are ASCII-lower-cased; a class counts as a
//! literal character only when it is one ASCII character or the two cases
//! of one ASCII letter (`(?i)k` in Unicode mode also matches the Kelvin
//! sign, so it is no literal there and the analysis gives up on it).

use regex_syntax::hir::{Class, Hir, HirKind};

/// Most strings in one set (a product of alternations grows fast).
const MAX_SET: usize = 64;

/// A set of ASCII-lower-cased byte strings.
type Set = Vec<Vec<u8>>;

/// What is known of the strings a node of the pattern matches.
struct Info {
    /// Every string the node matches is one of these (`None`: unknown,
    /// or more than [`MAX_SET`]).
    exact: Option<Set>,
    /// Every string the node matches contains one of these (`None`:
    /// nothing known).
    required: Option<Set>,
}

/// The set one of whose strings every match of `hir` contains, or `None`
/// when the analysis finds none (the pattern must then always run). No
/// string in the set is empty.
pub fn required(hir: &Hir) -> Option<Set> {
    let i = info(hir);
    better(i.exact, i.required)
}

/// The length of the shortest string of `set`: longer literals occur in
/// fewer texts.
fn score(set: &Set) -> usize {
    set.iter().map(Vec::len).min().unwrap_or(0)
}

/// The more selective of two sets either of which would do; sets with an
/// empty string (which every text contains) count as none.
fn better(a: Option<Set>, b: Option<Set>) -> Option<Set> {
    let a = a.filter(|s| score(s) > 0);
    let b = b.filter(|s| score(s) > 0);
    match (a, b) {
        (Some(a), Some(b)) => {
            let (sa, sb) = (score(&a), score(&b));
            Some(if sb > sa || (sb == sa && b.len() < a.len()) {
                b
            } else {
                a
            })
        }
        (a, b) => a.or(b),
    }
}

fn sorted(mut v: Set) -> Set {
    v.sort_unstable();
    v.dedup();
    v
}

/// The one character a class matches, ASCII-lower-cased, or `None`.
fn class_char(c: &Class) -> Option<u8> {
    let mut one: Option<u8> = None;
    let mut add = |b: u32| -> Option<()> {
        let b = u8::try_from(b).ok().filter(u8::is_ascii)?;
        let b = b.to_ascii_lowercase();
        match one {
            Some(o) if o != b => None,
            _ => {
                one = Some(b);
                Some(())
            }
        }
    };
    match c {
        Class::Unicode(u) => {
            for r in u.ranges() {
                if u32::from(r.end()) - u32::from(r.start()) > 1 {
                    return None;
                }
                for ch in u32::from(r.start())..=u32::from(r.end()) {
                    add(ch)?;
                }
            }
        }
        Class::Bytes(b) => {
            for r in b.ranges() {
                if r.end() - r.start() > 1 {
                    return None;
                }
                for byte in r.start()..=r.end() {
                    add(u32::from(byte))?;
                }
            }
        }
    }
    one
}

/// Every concatenation of a string of `a` and one of `b`, or `None` when
/// there would be more than [`MAX_SET`].
fn product(a: &Set, b: &Set) -> Option<Set> {
    if a.len() * b.len() > MAX_SET {
        return None;
    }
    Some(sorted(
        a.iter()
            .flat_map(|x| b.iter().map(move |y| [x.as_slice(), y].concat()))
            .collect(),
    ))
}

fn info(h: &Hir) -> Info {
    match h.kind() {
        // Zero-width: matches only the empty string.
        HirKind::Empty | HirKind::Look(_) => Info {
            exact: Some(vec![Vec::new()]),
            required: None,
        },
        HirKind::Literal(l) => {
            let s = l.0.to_ascii_lowercase();
            Info {
                exact: Some(vec![s.clone()]),
                required: Some(vec![s]),
            }
        }
        HirKind::Class(c) => {
            let set = class_char(c).map(|b| vec![vec![b]]);
            Info {
                exact: set.clone(),
                required: set,
            }
        }
        HirKind::Capture(c) => info(&c.sub),
        HirKind::Repetition(r) => {
            let sub = info(&r.sub);
            if r.min == 0 {
                // `x?` is exactly x's strings or the empty one; other
                // optional repetitions require nothing.
                let exact = match (r.max, sub.exact) {
                    (Some(1), Some(mut e)) => {
                        e.push(Vec::new());
                        Some(sorted(e))
                    }
                    _ => None,
                };
                Info {
                    exact,
                    required: None,
                }
            } else {
                let once = r.min == 1 && r.max == Some(1);
                let exact = if once { sub.exact.clone() } else { None };
                Info {
                    exact,
                    required: better(sub.exact, sub.required),
                }
            }
        }
        HirKind::Alternation(subs) => {
            let infos: Vec<Info> = subs.iter().map(info).collect();
            let exact = infos
                .iter()
                .try_fold(Vec::new(), |mut acc, i| {
                    acc.extend(i.exact.iter().flatten().cloned());
                    (i.exact.is_some() && acc.len() <= MAX_SET).then_some(acc)
                })
                .map(sorted);
            // Each branch must require something; the union is required.
            let required = infos
                .into_iter()
                .try_fold(Vec::new(), |mut acc, i| {
                    acc.extend(better(i.exact, i.required)?);
                    Some(acc)
                })
                .map(sorted);
            Info { exact, required }
        }
        HirKind::Concat(subs) => {
            // Runs of exactly known pieces concatenate into longer
            // literals; any piece's requirement is one of the whole's.
            let mut best: Option<Set> = None;
            let mut run: Option<Set> = Some(vec![Vec::new()]);
            let mut all_exact = true;
            for s in subs {
                let i = info(s);
                best = better(best, i.required);
                match (run.take(), i.exact) {
                    (Some(r), Some(e)) => match product(&r, &e) {
                        Some(p) => run = Some(p),
                        None => {
                            best = better(best, Some(r));
                            run = Some(e);
                            all_exact = false;
                        }
                    },
                    (None, Some(e)) => run = Some(e),
                    (r, None) => {
                        best = better(best, r);
                        all_exact = false;
                    }
                }
            }
            let exact = if all_exact { run.clone() } else { None };
            Info {
                exact,
                required: better(best, run),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::util::syntax;

    fn req(p: &str, unicode: bool) -> Option<Vec<String>> {
        let config = syntax::Config::new().unicode(unicode).utf8(unicode);
        let hir = syntax::parse_with(p, &config).unwrap();
        required(&hir).map(|s| {
            s.into_iter()
                .map(|b| String::from_utf8(b).unwrap())
                .collect()
        })
    }

    #[test]
    fn literals_of_typical_patterns() {
        assert_eq!(req(r"(?i:\bpin\b)", false).unwrap(), ["pin"]);
        assert_eq!(
            req(r"(?i:\b(face|touch)\s*id\b)", false).unwrap(),
            ["face", "touch"]
        );
        assert_eq!(
            req(r"(?i:\bdoors?\b.*\bup)", false).unwrap(),
            ["door", "doors"]
        );
        assert_eq!(
            req(r"(?i:\bunits?\b|\bmiles\b)", false).unwrap(),
            ["miles", "unit", "units"]
        );
        // Case-sensitive literals are found in either case too.
        assert_eq!(req(r"Alexa", true).unwrap(), ["alexa"]);
    }

    #[test]
    fn nothing_required_means_none() {
        assert_eq!(req(r"(?i:\w+)", false), None);
        assert_eq!(req(r"(?i:(pin)?\s)", false), None);
        assert_eq!(req(r"(?i:pin|\d+)", false), None);
        assert_eq!(req(r"", false), None);
        // Unicode case folding: `k` also matches the Kelvin sign.
        assert_eq!(req(r"(?i:k)", true), None);
        assert_eq!(req(r"(?i:kit)", true).unwrap(), ["it"]);
    }
}
