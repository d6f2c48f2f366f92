use super::*;
use crate::kb::KnowledgeBase;
use crate::matcher::Matcher;

fn bundled() -> KnowledgeBase {
    KnowledgeBase::bundled().unwrap()
}

fn key(program: &str) -> Key {
    Key::with_program(&bundled(), program)
}

/// Small weights: 3 features, 4 intents (one feature without weights).
fn small() -> Weights {
    Weights {
        weights: vec![vec![(0, 0.5), (3, -0.25)], vec![], vec![(1, 1e-7)]],
        word_scale: 0.375,
    }
}

fn same(a: &Weights, b: &Weights) -> bool {
    let bits = |w: &Weights| -> Vec<Vec<(u32, u32)>> {
        w.weights
            .iter()
            .map(|l| l.iter().map(|&(i, v)| (i, v.to_bits())).collect())
            .collect()
    };
    bits(a) == bits(b) && a.word_scale.to_bits() == b.word_scale.to_bits()
}

#[test]
fn stored_weights_read_back_bit_for_bit_only_for_their_matcher() {
    let dir = tempfile::tempdir().unwrap();
    let k = key("test 1");
    let path = store(dir.path(), &k, 4, &small()).unwrap();
    assert_eq!(path.extension().unwrap(), EXT);
    assert!(same(&load(dir.path(), &k, 3, 4).unwrap(), &small()));
    // Another shape of matcher, another program: not read.
    assert!(load(dir.path(), &k, 4, 4).is_none());
    assert!(load(dir.path(), &k, 3, 5).is_none());
    assert!(load(dir.path(), &key("test 2"), 3, 4).is_none());
    // Intents out of range for the matcher being built: not read.
    let wide = Weights {
        weights: vec![vec![(7, 1.0)], vec![], vec![]],
        word_scale: 0.5,
    };
    store(dir.path(), &k, 4, &wide).unwrap();
    assert!(load(dir.path(), &k, 3, 4).is_none());
    // Intents not ascending: not read.
    let unsorted = Weights {
        weights: vec![vec![(2, 1.0), (1, 1.0)], vec![], vec![]],
        word_scale: 0.5,
    };
    store(dir.path(), &k, 4, &unsorted).unwrap();
    assert!(load(dir.path(), &k, 3, 4).is_none());
}

#[test]
fn damaged_files_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let k = key("test");
    let path = store(dir.path(), &k, 4, &small()).unwrap();
    let good = std::fs::read(&path).unwrap();
    for cut in [0, 7, 8, HEADER, HEADER + 5, good.len() - 9, good.len() - 1] {
        std::fs::write(&path, &good[..cut]).unwrap();
        assert!(load(dir.path(), &k, 3, 4).is_none(), "cut at {cut}");
    }
    let mut long = good.clone();
    long.push(0);
    std::fs::write(&path, &long).unwrap();
    assert!(load(dir.path(), &k, 3, 4).is_none());
    // Any flipped bit: a header field, a count, a weight or the hash.
    for at in 0..good.len() {
        let mut bad = good.clone();
        bad[at] ^= 0x10;
        std::fs::write(&path, &bad).unwrap();
        assert!(load(dir.path(), &k, 3, 4).is_none(), "byte {at} flipped");
    }
    std::fs::write(&path, &good).unwrap();
    assert!(same(&load(dir.path(), &k, 3, 4).unwrap(), &small()));
}

#[test]
fn cached_weights_equal_the_learned_ones() {
    let kb = bundled();
    let computed = Matcher::new(&kb);
    let dir = tempfile::tempdir().unwrap();
    let k = Key::of(&kb).unwrap();
    let (n_features, n_intents) = (computed.ix.space.len(), computed.ix.n_intents);
    // A first start learns and writes; the next reads what was written.
    let first = Matcher::with_calibration_cache(&kb, Some(dir.path()));
    assert!(same(&first.weights, &computed.weights));
    let stored = load(dir.path(), &k, n_features, n_intents).unwrap();
    assert!(same(&stored, &computed.weights));
    let second = Matcher::with_calibration_cache(&kb, Some(dir.path()));
    assert!(same(&second.weights, &computed.weights));
    assert_eq!(second.calibration(), computed.calibration());
    // The cache is read: weights planted for this key are what the
    // matcher uses.
    let mut planted = Weights {
        weights: computed.weights.weights.clone(),
        word_scale: 0.25,
    };
    planted.weights[0] = vec![(0, 2.0)];
    store(dir.path(), &k, n_intents, &planted).unwrap();
    // (Without the built matcher's snapshot, which a start reads first.)
    let snapshot = k.file_with(dir.path(), "mat");
    std::fs::remove_file(&snapshot).unwrap();
    let read = Matcher::with_calibration_cache(&kb, Some(dir.path()));
    assert!(same(&read.weights, &planted));
    // A corrupt file is ignored and replaced by the learned weights, with
    // the calibration read from its cache or not.
    std::fs::write(k.file_with(dir.path(), EXT), b"FQBTWTS1 not weights").unwrap();
    std::fs::remove_file(&snapshot).unwrap();
    let again = Matcher::with_calibration_cache(&kb, Some(dir.path()));
    assert!(same(&again.weights, &computed.weights));
    assert!(same(
        &load(dir.path(), &k, n_features, n_intents).unwrap(),
        &computed.weights
    ));
    std::fs::remove_file(k.file(dir.path())).unwrap();
    std::fs::write(k.file_with(dir.path(), EXT), b"").unwrap();
    let cold = Matcher::with_calibration_cache(&kb, Some(dir.path()));
    assert!(same(&cold.weights, &computed.weights));
    assert_eq!(cold.calibration(), computed.calibration());
}

#[test]
fn old_weight_files_are_pruned_apart_from_calibrations() {
    let dir = tempfile::tempdir().unwrap();
    let kb = bundled();
    let cal = crate::matcher::calibrate::Calibration::default();
    let mut last = PathBuf::new();
    for n in 0..KEEP + 3 {
        let k = Key::with_program(&kb, &n.to_string());
        super::super::calibration_cache::store(dir.path(), &k, &cal).unwrap();
        last = store(dir.path(), &k, 4, &small()).unwrap();
    }
    let count = |ext: &str| {
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().extension().unwrap() == ext)
            .count()
    };
    assert_eq!(count(EXT), KEEP);
    assert_eq!(count("cal"), KEEP + 3);
    assert!(last.is_file());
}
