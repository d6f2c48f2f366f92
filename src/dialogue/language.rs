//! Rule 6b, a message in another language: the fallback says the bot
//! answers in English.
//!
//! A knowledge base in English (`bot.ron`'s `language`) cannot answer
//! "wie kann ich mein auto laden"; a plain "Sorry, I don't have an answer
//! for that" leaves a German customer rephrasing in German. When most of
//! a message's words are neither the knowledge base's, nor English words
//! ([`crate::lexicon`]: a WordNet lemma or an English function word), nor
//! typos the bot corrected, its fallback leads with `texts.english_only`
//! instead of `bot.ron`'s `fallback` text (the suggestions are the same).
//! Names do not count against a message: "reset my Strava PIN" has one
//! foreign word of three.

use crate::matcher::Analysis;

/// The share (0.0..=1.0) of a message's words that must be foreign for
/// it to count as another language. Measured on the MINI development
/// questions and the shared corpora's test lines (English, with typos and
/// product names: none reaches it) and on sentences in German, French,
/// Spanish, Italian and Dutch (11 of the 15 fallbacks among 17 sentences;
/// none of 4,000 English lines of the development sets, corpora, customer
/// trials and spreadsheets; cases in tests/conversations/dialogue.ron).
/// With [`FOREIGN_SHARE_SEVERAL`] and [`CHARS_PER_WORD`]: 23 of 30
/// questions in eleven languages, none of 14,164 English lines.
pub const FOREIGN_SHARE: f32 = 0.6;

/// The share of foreign words that suffices when the message has at
/// least [`SEVERAL_FUNCTION_WORDS`] of another language's little words:
/// "¿Cómo puedo cambiar el PIN de la aplicación?" has the knowledge
/// base's "pin" and words that are also English ("la", "de"), but "como"
/// and "puedo" are Spanish. Measured like [`FOREIGN_SHARE`]: no English
/// line of 14,164 (the development sets, the corpora's train and test
/// lines, the spreadsheets' questions) reaches it.
pub const FOREIGN_SHARE_SEVERAL: f32 = 0.4;

/// Little words of another language that make [`FOREIGN_SHARE_SEVERAL`]
/// enough.
pub const SEVERAL_FUNCTION_WORDS: usize = 2;

/// Fewest words a message needs before its language is judged ("hola",
/// "merci" are also names, greetings or typos).
pub const MIN_WORDS: usize = 3;

/// Letters of a word in another script that count as one word: Chinese
/// and Japanese have no spaces ("给狗美容多少钱" is one token of 7 letters,
/// 4 words here), and their words are one to three letters long.
pub const CHARS_PER_WORD: usize = 2;

/// Fewest [`FUNCTION_WORDS`] (or words not in Latin letters) a message
/// needs: foreign names ("from olympia einkaufszentrum to hauptbahnhof", "installing
/// EPSON L355 on Ubuntu") are not a language; its little words are.
pub const MIN_FUNCTION_WORDS: usize = 1;

/// Frequent function words (pronouns, articles, auxiliaries, question
/// words, prepositions) of German, French, Spanish, Italian, Dutch and
/// Portuguese, folded (no accents), that are not English words; listed
/// by hand for faqbot. A word of the list that is also English ("die",
/// "come", "son") never counts.
#[rustfmt::skip]
pub const FUNCTION_WORDS: &[&str] = &[
    // German
    "ich", "du", "wir", "ihr", "mein", "meine", "meinen", "meinem", "dein", "deine", "nicht",
    "kein", "keine", "ist", "sind", "und", "oder", "wie", "warum", "wo", "wann", "was", "kann",
    "konnen", "habe", "haben", "hat", "der", "das", "dem", "des", "ein", "eine", "einen", "mit",
    "von", "auf", "fur", "bei", "zu", "auch", "noch", "mich", "mir", "sich", "uber", "wieso",
    // French
    "je", "nous", "vous", "mon", "ma", "mes", "ton", "le", "les", "une", "est", "sont", "et", "ou",
    "pas", "ne", "que", "qui", "quoi", "comment", "pourquoi", "avec", "dans", "sur", "mais",
    "peux", "suis", "ai", "avez", "puis", "votre", "notre",
    // Spanish
    "yo", "mis", "el", "los", "las", "del", "al", "es", "y", "como", "por", "para", "puedo",
    "puede", "tengo", "esta", "hay", "porque", "donde", "cuando", "mio", "desde", "cual",
    "mi", "tu", "su", "se", "un", "muy", "pero", "cuanto", "cuanta", "cuantos", "quiero",
    "necesito", "hola", "gracias", "ayuda", "funciona", "aparece", "dice", "veo",
    // Italian
    "io", "il", "lo", "gli", "della", "di", "che", "non", "sono", "ho", "posso", "perche", "mia",
    "una", "uno", "nel",
    // Dutch
    "ik", "jij", "mijn", "het", "een", "niet", "en", "hoe", "waarom", "waar", "kan", "kunnen",
    "heb", "met", "van", "voor", "op", "de", "werkt",
    // Portuguese
    "eu", "meu", "minha", "nao", "com", "um", "os", "da", "dos", "onde", "voce", "faco",
    "consigo", "obrigado", "pelo",
];

/// Whether `a`, a message read on its own (no context words), reads as
/// another language than English (see the module doc).
pub(crate) fn not_english(a: &Analysis) -> bool {
    let lex = crate::lexicon::english();
    let (mut n, mut foreign, mut little) = (0usize, 0usize, 0usize);
    for t in &a.tokens {
        let word = t.corrected_from.as_deref().unwrap_or(&t.token.word);
        if !word.chars().any(char::is_alphabetic) {
            continue;
        }
        // Not in Latin letters (Cyrillic, Greek, Arabic, CJK...): foreign
        // and a language's own little words alike. Scripts written without
        // spaces (Chinese, Japanese) make a sentence one token: it counts
        // as one word per [`CHARS_PER_WORD`] letters.
        let latin = word.chars().all(|c| c.is_ascii_alphanumeric());
        let weight = if latin {
            1
        } else {
            word.chars()
                .filter(|c| c.is_alphabetic())
                .count()
                .div_ceil(CHARS_PER_WORD)
        };
        n += weight;
        let english = t.token.stop || lex.is_everyday(word);
        // A corrected word is judged as typed: "coche" is no typo of "cache".
        let known = t.known && t.corrected_from.is_none() && latin;
        foreign += weight * usize::from(!english && !known && !t.fills_slot());
        little += weight * usize::from(!english && (!latin || FUNCTION_WORDS.contains(&word)));
    }
    let share = foreign as f32 / n.max(1) as f32;
    n >= MIN_WORDS
        && ((share >= FOREIGN_SHARE && little >= MIN_FUNCTION_WORDS)
            || (share >= FOREIGN_SHARE_SEVERAL && little >= SEVERAL_FUNCTION_WORDS))
}
