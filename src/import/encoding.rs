//! What a spreadsheet program writes as "CSV" besides comma-separated
//! UTF-8: text in Windows-1252 ([`decode`]) and fields separated by `;` or
//! tabs ([`delimiter`]).

/// What to tell an owner whose sheet is not UTF-8.
pub(super) const SAVE_AS_UTF8: &str =
    "save the sheet as 'CSV UTF-8' (Excel: File → Save As → CSV UTF-8)";

/// The five bytes Windows-1252 leaves undefined (WHATWG's decoder, which
/// `encoding_rs` implements, maps them to C1 control characters; in a
/// sheet they mean the file is in another encoding).
const CP1252_UNDEFINED: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

/// A sheet's bytes as UTF-8: as they are when they are UTF-8, else read
/// as Windows-1252 (what Excel's plain "CSV" writes on Windows, where `£`
/// is the byte 0xA3) with a note saying so. The note and error name the
/// first line that is not UTF-8 (1-based).
///
/// # Errors
/// The message (without its place) when the bytes are neither: UTF-16
/// (a byte-order mark), an Excel workbook (`.xlsx`, a zip file), a file
/// with NUL bytes, or bytes Windows-1252 does not define. Each says how to
/// save the sheet as CSV UTF-8.
pub(super) fn decode(bytes: Vec<u8>) -> Result<(Vec<u8>, Option<String>), (u64, String)> {
    let valid = match std::str::from_utf8(&bytes) {
        Ok(_) => return Ok((bytes, None)),
        Err(e) => e.valid_up_to(),
    };
    let line = 1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count() as u64;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err((
            1,
            format!("the file is UTF-16 (\"Unicode text\"), not UTF-8; {SAVE_AS_UTF8}"),
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err((
            1,
            format!(
                "this is a workbook (.xlsx or .ods, a zip file), not a CSV file; give it its \
                 extension (`faq.xlsx`) to import it as a workbook, or {SAVE_AS_UTF8}"
            ),
        ));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err((
            1,
            format!(
                "this is an Excel 97-2003 workbook (.xls), not a CSV file; give it its \
                 extension (`faq.xls`) to import it as a workbook, or {SAVE_AS_UTF8}"
            ),
        ));
    }
    if bytes.contains(&0) {
        return Err((
            line,
            format!("the file is not text (it has NUL bytes); {SAVE_AS_UTF8}"),
        ));
    }
    if let Some(b) = bytes.iter().find(|b| CP1252_UNDEFINED.contains(b)) {
        return Err((
            line,
            format!("the file is not UTF-8 (byte 0x{b:02X}); {SAVE_AS_UTF8}"),
        ));
    }
    let text = encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(&bytes)
        .0
        .into_owned();
    let note = format!(
        "line {line} is not UTF-8: the sheet was read as Windows-1252 (what Excel's plain \
         'CSV' writes); check symbols and accents (£, €, é) with `faqbot intents`, or {SAVE_AS_UTF8}"
    );
    Ok((text.into_bytes(), Some(note)))
}

/// The field separator of a sheet, from its header line: `,`, or `;` or a
/// tab when the header has more of them than of commas (outside quotes),
/// as spreadsheet programs write "CSV" where the comma is the decimal sign.
pub(super) fn delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (1..3).fold(0, |best, i| if counts[i] > counts[best] { i } else { best });
    [b',', b';', b'\t'][best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_read_with_a_note() {
        let (text, note) =
            decode(b"question,answer\nPrice?,\xA335 \x96 \x80 caf\xE9\n".to_vec()).unwrap();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "question,answer\nPrice?,£35 – € café\n"
        );
        assert!(note.unwrap().starts_with("line 2 is not UTF-8"));
        let utf8 = "question,answer\nPrice?,£35\n".as_bytes().to_vec();
        assert_eq!(decode(utf8.clone()).unwrap(), (utf8, None));
        let (line, msg) = decode(b"q,a\nx,\x81\n".to_vec()).unwrap_err();
        assert_eq!(line, 2);
        assert!(msg.contains("CSV UTF-8"), "{msg}");
        let (_, msg) = decode(b"\xFF\xFEq\0".to_vec()).unwrap_err();
        assert!(msg.contains("UTF-16"), "{msg}");
    }

    #[test]
    fn the_separator_is_read_from_the_header() {
        assert_eq!(delimiter(b"question,answer\na;b;c;d,e\n"), b',');
        assert_eq!(delimiter(b"question;answer;alternate 1\r\nx,y;z\n"), b';');
        assert_eq!(delimiter(b"question\tanswer\n"), b'\t');
        assert_eq!(delimiter(b"\"q;x\",answer\n"), b',');
        assert_eq!(delimiter(b"question\n"), b',');
    }
}
