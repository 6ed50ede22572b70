//! Lines and columns of many values at once: one pass over the text however many problems a
//! document has (calling `sapland_core::json::locate` per problem would be quadratic).

use std::collections::{HashMap, HashSet};

use sapland_core::json::{JsonPath, Segment};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Step {
    Key(String),
    Index(usize),
}

fn steps(path: &JsonPath) -> Vec<Step> {
    path.segments()
        .iter()
        .map(|segment| match segment {
            Segment::Key(key) => Step::Key(key.clone()),
            Segment::Index(index) => Step::Index(*index),
        })
        .collect()
}

/// The 1-based line and column where the value at each of `paths` starts in the JSON `text`
/// (`None` for a path that is not there).
pub(super) fn locate_all(text: &str, paths: &[JsonPath]) -> Vec<Option<(usize, usize)>> {
    let wanted: Vec<Vec<Step>> = paths.iter().map(steps).collect();
    let mut on_the_way: HashSet<Vec<Step>> = HashSet::new();
    let mut inner: HashSet<Vec<Step>> = HashSet::new();
    for path in &wanted {
        for end in 0..=path.len() {
            on_the_way.insert(path[..end].to_vec());
            if end < path.len() {
                inner.insert(path[..end].to_vec());
            }
        }
    }
    let wanted_set: HashSet<&Vec<Step>> = wanted.iter().collect();
    let mut walker = Walker {
        bytes: text.as_bytes(),
        pos: 0,
        on_the_way: &on_the_way,
        inner: &inner,
        wanted: &wanted_set,
        found: HashMap::new(),
    };
    walker.value(&mut Vec::new());
    let offsets = walker.found;
    let positions = line_columns(text, offsets.values().copied());
    wanted
        .iter()
        .map(|path| {
            offsets
                .get(path)
                .and_then(|offset| positions.get(offset).copied())
        })
        .collect()
}

/// Line and column of each byte offset, in one pass over the text.
fn line_columns(
    text: &str,
    offsets: impl Iterator<Item = usize>,
) -> HashMap<usize, (usize, usize)> {
    let mut sorted: Vec<usize> = offsets.collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = HashMap::with_capacity(sorted.len());
    let (mut line, mut column) = (1, 1);
    let mut next = sorted.into_iter().peekable();
    for (offset, ch) in text.char_indices() {
        while let Some(wanted) = next.next_if(|&wanted| wanted <= offset) {
            out.insert(wanted, (line, column));
        }
        if next.peek().is_none() {
            break;
        }
        if ch == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    for rest in next {
        out.insert(rest, (line, column));
    }
    out
}

struct Walker<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Every prefix of a wanted path, the paths themselves included.
    on_the_way: &'a HashSet<Vec<Step>>,
    /// The proper prefixes: values to descend into.
    inner: &'a HashSet<Vec<Step>>,
    wanted: &'a HashSet<&'a Vec<Step>>,
    found: HashMap<Vec<Step>, usize>,
}

impl Walker<'_> {
    /// Walks the value at `self.pos`; descends only where a wanted path continues, so the
    /// recursion is no deeper than the longest wanted path.
    fn value(&mut self, current: &mut Vec<Step>) -> Option<()> {
        self.skip_ws();
        if self.wanted.contains(current) {
            self.found.insert(current.clone(), self.pos);
        }
        let descend = self.inner.contains(current);
        match self.peek()? {
            b'{' if descend => {
                self.pos += 1;
                loop {
                    self.skip_ws();
                    match self.peek()? {
                        b'}' => {
                            self.pos += 1;
                            return Some(());
                        }
                        b',' => {
                            self.pos += 1;
                            continue;
                        }
                        _ => {}
                    }
                    let key = self.string()?;
                    self.skip_ws();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.pos += 1;
                    current.push(Step::Key(key));
                    let result = self.member(current);
                    current.pop();
                    result?;
                }
            }
            b'[' if descend => {
                self.pos += 1;
                let mut index = 0;
                loop {
                    self.skip_ws();
                    match self.peek()? {
                        b']' => {
                            self.pos += 1;
                            return Some(());
                        }
                        b',' => {
                            self.pos += 1;
                            continue;
                        }
                        _ => {}
                    }
                    current.push(Step::Index(index));
                    let result = self.member(current);
                    current.pop();
                    result?;
                    index += 1;
                }
            }
            _ => self.skip_value(),
        }
    }

    fn member(&mut self, current: &mut Vec<Step>) -> Option<()> {
        if self.on_the_way.contains(current) {
            self.value(current)
        } else {
            self.skip_ws();
            self.skip_value()
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        self.skip_string()?;
        serde_json::from_slice(self.bytes.get(start..self.pos)?).ok()
    }

    fn skip_string(&mut self) -> Option<()> {
        if self.peek()? != b'"' {
            return None;
        }
        self.pos += 1;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Skips one value without recursion.
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            self.skip_ws();
            match self.peek()? {
                b'"' => self.skip_string()?,
                b'{' | b'[' => {
                    depth += 1;
                    self.pos += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.pos += 1;
                }
                b',' | b':' if depth > 0 => self.pos += 1,
                _ => {
                    while !matches!(
                        self.peek(),
                        None | Some(b',' | b'}' | b']' | b':' | b' ' | b'\t' | b'\n' | b'\r')
                    ) {
                        self.pos += 1;
                    }
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sapland_core::json::locate;

    #[test]
    fn agrees_with_core_locate() {
        let text = "{\n  \"a\": [1, {\"b\": \"x\\\"y\"}],\n  \"c.d\": {\"e\": true, \"f\": [[], {}]},\n  \"é\": null\n}";
        let paths = [
            JsonPath::root(),
            JsonPath::root().key("a"),
            JsonPath::root().key("a").index(1).key("b"),
            JsonPath::root().key("c.d").key("e"),
            JsonPath::root().key("c.d").key("f").index(1),
            JsonPath::root().key("é"),
            JsonPath::root().key("missing"),
            JsonPath::root().key("a").index(7),
        ];
        let found = locate_all(text, &paths);
        for (path, position) in paths.iter().zip(found) {
            assert_eq!(position, locate(text, path), "{path}");
        }
    }
}
