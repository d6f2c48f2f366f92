//! Text-format server logs with one line per event: a message that spans
//! several lines (a knowledge-base error with its `note:` lines) would
//! otherwise be split by line-based log shippers into events of their
//! own, the later ones without a time or level.
//!
//! [`OneLine`] wraps the writer of `tracing_subscriber::fmt`, which
//! formats each event into a buffer and writes it with one `write_all`:
//! inside each write, line breaks but the last become ` | ` and the
//! continuation's indentation is dropped. The JSON format needs none of
//! this (a line break in a message is `\n` inside the JSON string).

use std::io::{self, Write};
use tracing_subscriber::fmt::MakeWriter;

/// A [`MakeWriter`] whose writers put each write on one line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OneLine<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for OneLine<M> {
    type Writer = OneLineWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        OneLineWriter(self.0.make_writer())
    }
}

/// The writer of [`OneLine`].
#[derive(Debug)]
pub(crate) struct OneLineWriter<W>(W);

impl<W: Write> Write for OneLineWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match joined(buf) {
            Some(line) => self.0.write_all(&line)?,
            None => self.0.write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// `text` with its line breaks (but a final one) replaced by ` | ` and the
/// leading blanks of each continuation line dropped; `None` when it has
/// no inner line break (the common case: nothing is copied).
fn joined(text: &[u8]) -> Option<Vec<u8>> {
    let body = text.strip_suffix(b"\n").unwrap_or(text);
    let body = body.strip_suffix(b"\r").unwrap_or(body);
    if !body.contains(&b'\n') {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() + 16);
    for (i, line) in body.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if i > 0 {
            out.extend_from_slice(b" | ");
            let start = line
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t'))
                .unwrap_or(line.len());
            out.extend_from_slice(&line[start..]);
        } else {
            out.extend_from_slice(line);
        }
    }
    out.extend_from_slice(&text[body.len()..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::joined;

    #[test]
    fn inner_line_breaks_are_joined_and_the_last_kept() {
        let event = b"2026-12-05T09:00:00Z ERROR kb/b.ron:3:9: error[duplicate-id]: id `x` \
                      is defined twice\n  note: kb/a.ron:3:9: first defined here\n";
        assert_eq!(
            String::from_utf8(joined(event).unwrap()).unwrap(),
            "2026-12-05T09:00:00Z ERROR kb/b.ron:3:9: error[duplicate-id]: id `x` is defined \
             twice | note: kb/a.ron:3:9: first defined here\n"
        );
        assert_eq!(joined(b"one line\n"), None);
        assert_eq!(joined(b"no newline at all"), None);
        assert_eq!(joined(b"a\r\n\tb\r\n").unwrap(), b"a | b\r\n");
    }
}
