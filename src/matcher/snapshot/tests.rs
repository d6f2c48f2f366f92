use super::*;
use crate::kb::KnowledgeBase;

fn bundled() -> KnowledgeBase {
    KnowledgeBase::bundled().unwrap()
}

/// Every ranking of `texts` by `a` and `b`, in full (every field, every
/// contribution), is the same.
fn same_rankings(a: &Matcher, b: &Matcher, texts: &[&str]) {
    for t in texts {
        assert_eq!(
            format!("{:?}", a.rank(t, 10)),
            format!("{:?}", b.rank(t, 10)),
            "{t}"
        );
    }
}

const TEXTS: [&str; 6] = [
    "how do I reset my pin",
    "forgot pasword",
    "can i pay with apple pay on my watch",
    "what is the weather in paris",
    "refund",
    "the app crashes when I open the camera and my card was charged twice",
];

#[test]
fn a_snapshot_reads_back_as_the_same_matcher() {
    let kb = bundled();
    let dir = tempfile::tempdir().unwrap();
    let built = Matcher::with_calibration_cache(&kb, Some(dir.path()));
    let k = Key::of(&kb).unwrap();
    assert!(
        k.file_with(dir.path(), EXT).exists(),
        "written by the build"
    );
    let s = load(dir.path(), &k, kb.intents.len()).expect("the snapshot reads back");
    let read = s.into_matcher(KbPatterns::new(&kb, None), built.calibration.clone());
    same_rankings(&built, &read, &TEXTS);
    // And through the cache, as a warm start reads it.
    let warm = Matcher::with_calibration_cache(&kb, Some(dir.path()));
    same_rankings(&built, &warm, &TEXTS);
    // Another knowledge base's key, or another intent count: not read.
    let other = Key::with_program(&kb, "another program");
    std::fs::copy(
        k.file_with(dir.path(), EXT),
        other.file_with(dir.path(), EXT),
    )
    .unwrap();
    assert!(load(dir.path(), &other, kb.intents.len()).is_none());
    assert!(load(dir.path(), &k, kb.intents.len() + 1).is_none());
}

/// The parts of a snapshot file's bytes.
fn split(b: &[u8]) -> Vec<Vec<u8>> {
    let mut at = HEADER;
    let mut parts = Vec::new();
    while at < b.len() - 8 {
        let n = u64::from_le_bytes(b[at..at + 8].try_into().unwrap()) as usize;
        parts.push(b[at + 8..at + 8 + n].to_vec());
        at += 8 + n;
    }
    parts
}

/// A snapshot file with the header of `good` and `parts`, lengths and
/// hash made as the writer makes them.
fn rebuild(good: &[u8], parts: &[Vec<u8>]) -> Vec<u8> {
    let mut out = good[..HEADER].to_vec();
    let mut h = FxHasher::default();
    h.write(&out);
    for p in parts {
        let n = (p.len() as u64).to_le_bytes();
        h.write(&n);
        hash_part(&mut h, p);
        out.extend_from_slice(&n);
        out.extend_from_slice(p);
    }
    out.extend_from_slice(&h.finish().to_le_bytes());
    out
}

#[test]
fn damaged_snapshots_are_ignored_and_rebuilt() {
    let kb = bundled();
    let dir = tempfile::tempdir().unwrap();
    let built = Matcher::with_calibration_cache(&kb, Some(dir.path()));
    let k = Key::of(&kb).unwrap();
    let path = k.file_with(dir.path(), EXT);
    let good = std::fs::read(&path).unwrap();
    let n = kb.intents.len();
    assert!(parse(&good, &k, n).is_some());
    // Every truncation point in the header and the hash, and 50 of the
    // payload's (each parse decodes up to the damage: a few dozen keep the
    // debug-build test run short).
    let step = ((good.len() - HEADER) / 50).max(1);
    let cuts = (0..HEADER + 2)
        .chain((HEADER..good.len()).step_by(step))
        .chain(good.len() - 9..good.len());
    for cut in cuts {
        assert!(parse(&good[..cut], &k, n).is_none(), "cut at {cut}");
    }
    let mut long = good.clone();
    long.push(0);
    assert!(parse(&long, &k, n).is_none());
    // A flipped bit anywhere: header, payload (50 places spread over it)
    // or hash.
    let at = (0..HEADER)
        .chain((HEADER + step / 2..good.len()).step_by(step))
        .chain(good.len() - 8..good.len());
    for at in at {
        let mut bad = good.clone();
        bad[at] ^= 0x10;
        assert!(parse(&bad, &k, n).is_none(), "byte {at} flipped");
    }
    // Parts that decode but leave bytes over, or come in another order,
    // with valid lengths and hash.
    let parts = split(&good);
    assert_eq!(rebuild(&good, &parts), good);
    let mut extra = parts.clone();
    extra[3].push(0);
    assert!(parse(&rebuild(&good, &extra), &k, n).is_none());
    let mut swapped = parts.clone();
    swapped.swap(1, 2);
    assert!(parse(&rebuild(&good, &swapped), &k, n).is_none());
    // A damaged file in the cache: the start builds the matcher as
    // without it (same rankings) and writes a good file again.
    let mut bad = good.clone();
    let mid = HEADER + (good.len() - HEADER) / 2;
    bad[mid] ^= 0xff;
    std::fs::write(&path, &bad).unwrap();
    let rebuilt = Matcher::with_calibration_cache(&kb, Some(dir.path()));
    same_rankings(&built, &rebuilt, &TEXTS);
    assert_eq!(std::fs::read(&path).unwrap(), good, "rewritten");
    // Truncated in the cache: the same.
    std::fs::write(&path, &good[..good.len() / 3]).unwrap();
    let rebuilt = Matcher::with_calibration_cache(&kb, Some(dir.path()));
    same_rankings(&built, &rebuilt, &TEXTS);
    assert_eq!(std::fs::read(&path).unwrap(), good, "rewritten");
}

#[test]
fn parts_that_do_not_fit_are_rejected() {
    let kb = bundled();
    let dir = tempfile::tempdir().unwrap();
    let _ = Matcher::with_calibration_cache(&kb, Some(dir.path()));
    let k = Key::of(&kb).unwrap();
    let n = kb.intents.len();
    let good = std::fs::read(k.file_with(dir.path(), EXT)).unwrap();
    let decode = || -> Snapshot { read_parts(&mut &good[..], good.len(), &k).unwrap() };
    assert!(decode().fits(n));
    let mut s = decode();
    s.index.idf.pop();
    assert!(!s.fits(n));
    let mut s = decode();
    s.index.ex_intent[0] = n as u32;
    assert!(!s.fits(n));
    let mut s = decode();
    s.weights.weights.push(Vec::new());
    assert!(!s.fits(n));
    let mut s = decode();
    s.required.pop();
    assert!(!s.fits(n));
    let mut s = decode();
    s.examples = Examples::new(&s.index, &[vec![(u32::MAX - 1, 1.0)]][..0]);
    assert!(s.fits(n), "no postings at all still fit");
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Arrays {
    #[serde(with = "packed::array")]
    pairs: Vec<(u32, f32)>,
    #[serde(with = "packed::array")]
    triples: Vec<(u32, u32, u32)>,
    #[serde(with = "packed::lists")]
    lists: Vec<Vec<(u32, f32)>>,
    #[serde(with = "packed::lists")]
    ids: Vec<Vec<u32>>,
}

#[test]
fn packed_arrays_read_back_bit_for_bit_and_reject_damage() {
    let odd = [
        0.0,
        -0.0,
        f32::MIN_POSITIVE / 4.0,
        f32::from_bits(0x7fc0_1234),
        f32::INFINITY,
        f32::MAX,
        -1.5,
    ];
    let pairs: Vec<(u32, f32)> = odd
        .iter()
        .enumerate()
        .map(|(i, &x)| (i as u32 * 1_000_003, x))
        .collect();
    let a = Arrays {
        triples: vec![(0, u32::MAX, 7), (1 << 31, 2, 3)],
        lists: vec![pairs.clone(), vec![], pairs[2..4].to_vec(), vec![]],
        ids: vec![vec![], vec![u32::MAX], vec![1, 2, 3]],
        pairs,
    };
    let bytes = postcard::to_stdvec(&a).unwrap();
    let b: Arrays = postcard::from_bytes(&bytes).unwrap();
    let bits = |v: &[(u32, f32)]| -> Vec<(u32, u32)> {
        v.iter().map(|&(i, x)| (i, x.to_bits())).collect()
    };
    assert_eq!(bits(&a.pairs), bits(&b.pairs));
    assert_eq!(a.triples, b.triples);
    assert_eq!(a.ids, b.ids);
    assert_eq!(a.lists.len(), b.lists.len());
    for (x, y) in a.lists.iter().zip(&b.lists) {
        assert_eq!(bits(x), bits(y));
    }
    // Any truncation is an error, never a panic or a shorter array.
    for cut in 0..bytes.len() {
        assert!(
            postcard::from_bytes::<Arrays>(&bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    // An array whose byte length is not a whole number of elements, and
    // list lengths that do not add up to the elements: errors.
    let mut short = postcard::to_stdvec(&(
        vec![0u8; 7],
        vec![0u8; 0],
        (vec![0u8; 0], vec![0u8; 0]),
        (vec![0u8; 0], vec![0u8; 0]),
    ))
    .unwrap();
    assert!(postcard::from_bytes::<Arrays>(&short).is_err());
    short = postcard::to_stdvec(&(
        vec![0u8; 8],
        vec![0u8; 12],
        (1u32.to_le_bytes().to_vec(), vec![0u8; 16]),
        (vec![0u8; 0], vec![0u8; 0]),
    ))
    .unwrap();
    assert!(postcard::from_bytes::<Arrays>(&short).is_err());
}
