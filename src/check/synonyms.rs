//! `synonym-in-two-groups`: one word or phrase listed in two of
//! `bot.ron`'s synonym groups.
//!
//! An entry is read as the first group's word only (see
//! [`crate::normalize::synonyms`]): with `["nails", "claws"]` and
//! `["claws", "paws"]`, "claws" is read as "nails" and "paws" as "claws",
//! so "claws" and "paws" are no synonyms of each other, although the
//! second group says they are.

use super::Finding;
use crate::error::{Diagnostic, Location};
use crate::kb::{location, scan, KnowledgeBase, SETTINGS_FILE};
use crate::normalize::Normalizer;
use std::collections::HashMap;

/// Finds the entries listed in two groups: one finding per later group
/// an entry is listed in, at that place, naming the first.
pub fn run(kb: &KnowledgeBase, norm: &Normalizer) -> Vec<Finding> {
    let groups = &kb.settings.synonyms;
    let places = places(kb, groups);
    // Entries as the synonyms read them: folded, spaces removed.
    let key = |e: &str| norm.fold(e).split(' ').collect::<String>();
    let canonical = |g: &[String]| {
        g.iter()
            .map(|e| key(e))
            .find(|k| !k.is_empty())
            .unwrap_or_default()
    };
    // Entry → (its first group, its place in it).
    let mut first: HashMap<String, (usize, usize)> = HashMap::new();
    let mut out = Vec::new();
    for (gi, group) in groups.iter().enumerate() {
        let mut seen_here: Vec<String> = Vec::new();
        for (ei, entry) in group.iter().enumerate() {
            let k = key(entry);
            if k.is_empty() || seen_here.contains(&k) {
                continue;
            }
            seen_here.push(k.clone());
            let Some(&(fg, fe)) = first.get(&k) else {
                first.insert(k, (gi, ei));
                continue;
            };
            let read_as = canonical(&groups[fg]);
            let shown = |g: &[String]| format!("{g:?}");
            let mut merged: Vec<&String> = groups[fg].iter().collect();
            for e in group {
                if !merged.iter().any(|m| key(m) == key(e)) {
                    merged.push(e);
                }
            }
            let others: Vec<String> = group
                .iter()
                .filter(|e| key(e) != k && !key(e).is_empty())
                .map(|e| format!("{e:?}"))
                .collect();
            let mut d = Diagnostic::warning(
                "synonym-in-two-groups",
                format!(
                    "synonym {entry:?} is in two groups, {} and {}: it is read as {read_as:?} \
                     (its first group){}",
                    shown(&groups[fg]),
                    shown(group),
                    if others.is_empty() {
                        String::new()
                    } else {
                        format!(
                            ", and {} as {:?}, so {} of {entry:?}",
                            others.join(", "),
                            canonical(group),
                            if others.len() == 1 {
                                "it is no synonym"
                            } else {
                                "they are no synonyms"
                            }
                        )
                    }
                ),
            )
            .hint(format!(
                "merge the two groups into one ({merged:?}) if all mean the same, or remove \
                 {entry:?} from one of them"
            ));
            if let Some((at, len)) = places.get(&(gi, ei)) {
                d = d.at(Some(at.clone()));
                d.len = Some(*len);
            }
            if let Some((at, _)) = places.get(&(fg, fe)) {
                d.related
                    .push((at.clone(), format!("{entry:?} is first listed here")));
            }
            out.push(d.into());
        }
    }
    out
}

/// Where each entry of each group is written in `bot.ron`: (group,
/// entry) → its location and length in characters (quotes included).
/// Empty when the settings have no file of their own or the file's groups
/// do not line up with the loaded ones.
fn places(
    kb: &KnowledgeBase,
    groups: &[Vec<String>],
) -> HashMap<(usize, usize), (Location, usize)> {
    let mut out = HashMap::new();
    let Some((path, text)) = kb
        .sources
        .iter()
        .find(|(p, _)| p.file_name().is_some_and(|n| n == SETTINGS_FILE))
    else {
        return out;
    };
    let Some((_, value)) = scan::field(text, 0..text.len(), "synonyms") else {
        return out;
    };
    let written = scan::entries(text, value);
    if written.len() != groups.len() {
        return out;
    }
    for (gi, range) in written.into_iter().enumerate() {
        let strings: Vec<_> = scan::strings(text, range).collect();
        if strings.len() != groups[gi].len() {
            continue;
        }
        for (ei, (r, _)) in strings.into_iter().enumerate() {
            let len = text[r.clone()].chars().count();
            out.insert((gi, ei), (location(path, text, r.start), len));
        }
    }
    out
}
