use super::*;

/// `line_text` gives what `String::from_utf8_lossy` gives, borrowed
/// or not, on valid and invalid UTF-8.
#[test]
fn line_text_is_from_utf8_lossy() {
    let pieces: [&[u8]; 10] = [
        b"a",
        b" ",
        "é".as_bytes(),
        "😀".as_bytes(),
        b"\xff",
        b"\xc3",
        b"\xe2\x82",
        b"\xed\xa0\x80",
        b"\x00",
        b"\x7f",
    ];
    let mut rng = crate::testing::XorShift(0x853c_49e6_748f_ea9b);
    for len in 0..=40 {
        for _ in 0..200 {
            let line: Vec<u8> = (0..len)
                .flat_map(|_| pieces[(rng.next() % pieces.len() as u64) as usize].to_vec())
                .collect();
            let (a, b) = (line_text(&line), String::from_utf8_lossy(&line));
            assert_eq!(a, b, "{line:?}");
            assert_eq!(
                matches!(a, std::borrow::Cow::Borrowed(_)),
                matches!(b, std::borrow::Cow::Borrowed(_))
            );
        }
    }
}

#[test]
fn caps_long_lines_and_keeps_the_next() {
    let data = format!("{}\nnext\r\n\nlast", "x".repeat(100));
    let mut r = std::io::Cursor::new(data.into_bytes());
    assert_eq!(read_line_capped(&mut r, 10).unwrap().unwrap().len(), 10);
    assert_eq!(read_line_capped(&mut r, 10).unwrap().unwrap(), b"next");
    assert_eq!(read_line_capped(&mut r, 10).unwrap().unwrap(), b"");
    assert_eq!(read_line_capped(&mut r, 10).unwrap().unwrap(), b"last");
    assert_eq!(read_line_capped(&mut r, 10).unwrap(), None);
}

/// One buffer reused for every line reads the lines a new one does.
#[test]
fn a_reused_line_buffer_reads_the_same_lines() {
    let pieces: [&[u8]; 6] = [b"a", b"long line ", b"\n", b"\r\n", b"\r", "é".as_bytes()];
    let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..2_000 {
        let n = rng.next() % 30;
        let data: Vec<u8> = (0..n)
            .flat_map(|_| {
                pieces[(rng.next() % pieces.len() as u64) as usize]
                    .iter()
                    .copied()
            })
            .collect();
        let cap = 1 + (rng.next() % 8) as usize;
        let max = 1 + (rng.next() % 20) as usize;
        let mut a = std::io::BufReader::with_capacity(cap, &data[..]);
        let mut b = std::io::BufReader::with_capacity(cap, &data[..]);
        let mut line = Vec::new();
        loop {
            let fresh = read_line_capped(&mut a, max).unwrap();
            let more = read_line_into(&mut b, max, &mut line).unwrap();
            assert_eq!(fresh.as_deref(), more.then_some(&line[..]), "{data:?}");
            if !more {
                break;
            }
        }
    }
}
