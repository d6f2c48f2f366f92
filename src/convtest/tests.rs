use super::similar_ids;
use crate::normalize::Normalizer;

/// A test file saved by Notepad starts with a byte order mark; it is
/// read like the knowledge base's files (review of session 21).
#[test]
fn a_test_file_with_a_byte_order_mark_loads() {
    let dir = std::env::temp_dir().join(format!("faqbot-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bom.ron");
    let text = "\u{feff}[\n    (user: \"hi\", kind: answer),\n]\n";
    std::fs::write(&path, text).unwrap();
    let file = super::load_file(&path);
    let _ = std::fs::remove_dir_all(&dir);
    let file = file.expect("a BOM is dropped before parsing");
    assert_eq!(file.cases.len(), 1);
    assert_eq!(file.lines, vec![Some(2)]);
}

/// Imported ids are long; a test names them short (trial 20, finding 9).
#[test]
fn similar_ids_by_spelling_words_in_a_row_and_shared_words() {
    let ids = [
        "what_are_your_opening_hours",
        "do_you_need_my_dog_s_vaccination_records",
        "how_much_does_a_groom_cost",
        "wifi",
        "opening_hours_on_holidays",
    ];
    let norm = Normalizer::new("english", &[]);
    let similar = |id: &str| similar_ids(id, ids.iter().copied(), &norm);
    assert_eq!(
        similar("opening_hours"),
        ["opening_hours_on_holidays", "what_are_your_opening_hours"]
    );
    assert_eq!(similar("wiif"), ["wifi"]);
    assert_eq!(
        similar("dog_vaccination"),
        ["do_you_need_my_dog_s_vaccination_records"]
    );
    assert_eq!(similar("groom_price_cost"), ["how_much_does_a_groom_cost"]);
    assert!(similar("parking").is_empty());
    // "hours" alone is a word of both, in a row.
    assert_eq!(similar("hours").len(), 2);
}

/// A test's id may inflect a word of the id it means: `areas_covered`
/// for `what_areas_do_you_cover` said only "unknown intent" (trial 27).
#[test]
fn similar_ids_compare_words_by_their_stems() {
    let ids = [
        "what_areas_do_you_cover",
        "how_do_i_book_a_visit",
        "do_you_give_free_quotes",
    ];
    let norm = Normalizer::new("english", &[]);
    let similar = |id: &str| similar_ids(id, ids.iter().copied(), &norm);
    assert_eq!(similar("areas_covered"), ["what_areas_do_you_cover"]);
    assert_eq!(similar("booking_visits"), ["how_do_i_book_a_visit"]);
    assert_eq!(similar("free_quote"), ["do_you_give_free_quotes"]);
}
