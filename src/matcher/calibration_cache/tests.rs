use super::*;
use crate::matcher::Matcher;

fn bundled() -> KnowledgeBase {
    KnowledgeBase::bundled().unwrap()
}

fn fitted() -> Calibration {
    Calibration {
        coefficients: [0.25, 1.5, 0.0, 0.125, -2.0],
        in_scope: 300,
        out_of_scope: 215,
        typical_foreign: 0.0625,
        sparse: true,
    }
}

#[test]
fn a_stored_calibration_reads_back_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let key = Key::with_program(&bundled(), "test 1");
    let c = fitted();
    let path = store(dir.path(), &key, &c).unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().len(), SIZE as u64);
    let back = load(dir.path(), &key).unwrap();
    assert_eq!(back, c);
    assert_eq!(
        back.coefficients.map(f32::to_bits),
        c.coefficients.map(f32::to_bits)
    );
    // Another program, or an edited knowledge base, has another key.
    assert_ne!(Key::with_program(&bundled(), "test 2"), key);
    let mut edited = bundled();
    edited.intents[0]
        .examples
        .push("one more way to ask".into());
    assert_ne!(Key::with_program(&edited, "test 1"), key);
    assert_eq!(
        load(dir.path(), &Key::with_program(&edited, "test 1")),
        None
    );
}

#[test]
fn corrupt_or_foreign_files_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let key = Key::with_program(&bundled(), "test");
    let path = store(dir.path(), &key, &fitted()).unwrap();
    let good = std::fs::read(&path).unwrap();
    for cut in [0, 7, 8, 23, SIZE - 1] {
        std::fs::write(&path, &good[..cut]).unwrap();
        assert_eq!(load(dir.path(), &key), None, "cut at {cut}");
    }
    let mut long = good.clone();
    long.push(0);
    std::fs::write(&path, &long).unwrap();
    assert_eq!(load(dir.path(), &key), None);
    // Another magic, length or check: another file that got this name.
    for at in [0, 8, 16] {
        let mut bad = good.clone();
        bad[at] ^= 1;
        std::fs::write(&path, &bad).unwrap();
        assert_eq!(load(dir.path(), &key), None, "byte {at} flipped");
    }
    std::fs::write(&path, &good).unwrap();
    assert_eq!(load(dir.path(), &key), Some(fitted()));
}

#[test]
fn a_cached_calibration_equals_the_computed_one() {
    let kb = bundled();
    let computed = Matcher::new(&kb).calibration().clone();
    assert_ne!(computed, Calibration::default());
    let dir = tempfile::tempdir().unwrap();
    let key = Key::of(&kb).unwrap();
    // A miss fits and writes; the next start reads what was written.
    let first = Matcher::with_calibration_cache(&kb, Some(dir.path()));
    assert_eq!(first.calibration(), &computed);
    assert_eq!(load(dir.path(), &key).as_ref(), Some(&computed));
    let second = Matcher::with_calibration_cache(&kb, Some(dir.path()));
    assert_eq!(second.calibration(), &computed);
    // The cache is read: a file written for this key is what the matcher uses.
    store(dir.path(), &key, &fitted()).unwrap();
    let planted = Matcher::with_calibration_cache(&kb, Some(dir.path()));
    assert_eq!(planted.calibration(), &fitted());
    // A corrupt file is ignored and replaced by the computed calibration.
    std::fs::write(key.file(dir.path()), b"FQBTCAL1 not a calibration").unwrap();
    let again = Matcher::with_calibration_cache(&kb, Some(dir.path()));
    assert_eq!(again.calibration(), &computed);
    assert_eq!(load(dir.path(), &key).as_ref(), Some(&computed));
    // A directory that cannot be created is no error.
    let blocked = dir.path().join("file");
    std::fs::write(&blocked, b"").unwrap();
    let m = Matcher::with_calibration_cache(&kb, Some(&blocked.join("sub")));
    assert_eq!(m.calibration(), &computed);
}

#[test]
fn old_files_are_pruned() {
    let dir = tempfile::tempdir().unwrap();
    let kb = bundled();
    let mut last = PathBuf::new();
    for k in 0..KEEP + 3 {
        last = store(
            dir.path(),
            &Key::with_program(&kb, &k.to_string()),
            &fitted(),
        )
        .unwrap();
    }
    let n = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(n, KEEP);
    assert!(last.is_file());
}
