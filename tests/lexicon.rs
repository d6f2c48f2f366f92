//! The bundled English lexicon: everyday words versus names, frequency
//! ranks and base forms, from the data files in `tests/lexicon/`.

use faqbot::lexicon::english;

fn rows(file: &str) -> Vec<Vec<String>> {
    let path = format!("{}/tests/lexicon/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn everyday_words_are_told_from_names() {
    let lex = english();
    let mut wrong = Vec::new();
    for r in rows("everyday.tsv") {
        let (word, want) = (&r[0], r[1].as_str());
        let got = match lex.info(word) {
            Some(i) if i.everyday => "everyday",
            Some(_) => "name",
            None => "unknown",
        };
        if got != want {
            wrong.push(format!("{word}: want {want}, got {got}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn ranks_follow_frequency() {
    let lex = english();
    let rank = |w: &str| lex.rank(w).unwrap_or_else(|| panic!("{w} not listed"));
    assert_eq!(rank("the"), 1);
    assert!(rank("car") < rank("parking"));
    assert!(rank("parking") < rank("lately"));
    assert!(rank("lately") < rank("blanked"));
    assert_eq!(lex.rank("asdfgh"), None);
}

#[test]
fn inflections_have_their_base_forms() {
    let lex = english();
    let path = format!("{}/tests/lexicon/bases.tsv", env!("CARGO_MANIFEST_DIR"));
    let mut wrong = Vec::new();
    for r in rows("bases.tsv") {
        let got: Vec<&str> = lex.base_forms(&r[0]).collect();
        let want: Vec<&str> = r[1].split(',').filter(|s| !s.is_empty()).collect();
        if got != want {
            wrong.push(format!("{}: want {want:?}, got {got:?}", r[0]));
        }
    }
    assert!(wrong.is_empty(), "{path}: {wrong:#?}");
}
