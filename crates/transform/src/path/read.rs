//! Reading: which values of a document a path selects.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::syntax::{Function, Path, PathSyntax, Selector};
use crate::condition::evaluate::{Ctx, test};

/// How far a deep scan (`..`) descends before it stops (a guard for pathological documents).
const MAX_SCAN_DEPTH: usize = 512;

/// One step from a value to a child, borrowed from the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StepRef<'d> {
    Key(&'d str),
    Index(usize),
}

impl Path {
    /// All values the path selects, in document order. Values are borrowed from `root`, except
    /// computed ones: a member-list projection (`$.emails[*].['value','primary']` gives objects
    /// with just those members, as Jayway does) and a tail function (`length()`). A filter whose
    /// regex exceeds the backtracking limit counts as not matching.
    pub fn read<'a>(&self, root: &'a Value) -> Vec<Cow<'a, Value>> {
        let ctx = Ctx::new(root, &());
        read_syntax(&self.syntax, root, &ctx)
    }
}

/// Reads `path` starting at `start` (the document for `$`, the current value for `@`).
pub(crate) fn read_syntax<'d>(
    path: &PathSyntax,
    start: &'d Value,
    ctx: &Ctx<'d>,
) -> Vec<Cow<'d, Value>> {
    let projection = path.ends_in_projection();
    let steps = if projection {
        &path.segments[..path.segments.len() - 1]
    } else {
        &path.segments[..]
    };
    let mut nodes = vec![start];
    for segment in steps {
        let mut next = Vec::new();
        for node in nodes {
            if segment.descendant {
                descend(
                    &segment.selector,
                    node,
                    ctx,
                    &mut Vec::new(),
                    0,
                    &mut |_, v| next.push(v),
                );
            } else {
                select(&segment.selector, node, ctx, &mut |_, v| next.push(v));
            }
        }
        nodes = next;
        if nodes.is_empty() {
            break;
        }
    }
    let mut results: Vec<Cow<'d, Value>> = match path.segments.last() {
        Some(last) if projection => {
            let Selector::Keys(keys) = &last.selector else {
                return Vec::new();
            };
            nodes
                .into_iter()
                .filter_map(Value::as_object)
                .map(|object| Cow::Owned(Value::Object(project(object, keys))))
                .collect()
        }
        _ => nodes.into_iter().map(Cow::Borrowed).collect(),
    };
    if let Some(Function::Length) = path.function {
        let subject = if path.steps_are_definite() {
            results.into_iter().next()
        } else {
            Some(Cow::Owned(Value::Array(
                results.into_iter().map(Cow::into_owned).collect(),
            )))
        };
        results = subject
            .and_then(|v| match v.as_ref() {
                Value::Array(a) => Some(a.len()),
                Value::Object(o) => Some(o.len()),
                _ => None,
            })
            .map(|n| Cow::Owned(Value::from(n)))
            .into_iter()
            .collect();
    }
    results
}

fn project(object: &Map<String, Value>, keys: &[String]) -> Map<String, Value> {
    keys.iter()
        .filter_map(|k| object.get(k).map(|v| (k.clone(), v.clone())))
        .collect()
}

/// Resolves a possibly negative index against a length.
pub(crate) fn resolve_index(index: i64, len: usize) -> Option<usize> {
    if index >= 0 {
        usize::try_from(index).ok().filter(|&i| i < len)
    } else {
        let back = usize::try_from(index.unsigned_abs()).ok()?;
        len.checked_sub(back)
    }
}

fn slice_bound(bound: i64, len: usize) -> usize {
    if bound >= 0 {
        usize::try_from(bound).map_or(len, |b| b.min(len))
    } else {
        usize::try_from(bound.unsigned_abs()).map_or(0, |back| len.saturating_sub(back))
    }
}

/// Applies one selector to `node`, calling `out` with each selected child and the step to it
/// (`None` when a filter applied to an object selects the object itself, as Jayway does).
pub(crate) fn select<'d>(
    selector: &Selector,
    node: &'d Value,
    ctx: &Ctx<'d>,
    out: &mut dyn FnMut(Option<StepRef<'d>>, &'d Value),
) {
    match (selector, node) {
        (Selector::Key(key), Value::Object(object)) => {
            if let Some((k, v)) = object.get_key_value(key) {
                out(Some(StepRef::Key(k)), v);
            }
        }
        (Selector::Keys(keys), Value::Object(object)) => {
            for key in keys {
                if let Some((k, v)) = object.get_key_value(key) {
                    out(Some(StepRef::Key(k)), v);
                }
            }
        }
        (Selector::Index(index), Value::Array(items)) => {
            if let Some(i) = resolve_index(*index, items.len()) {
                out(Some(StepRef::Index(i)), &items[i]);
            }
        }
        (Selector::Indices(indices), Value::Array(items)) => {
            for index in indices {
                if let Some(i) = resolve_index(*index, items.len()) {
                    out(Some(StepRef::Index(i)), &items[i]);
                }
            }
        }
        (Selector::Slice { start, end }, Value::Array(items)) => {
            let len = items.len();
            let from = start.map_or(0, |b| slice_bound(b, len));
            let to = end.map_or(len, |b| slice_bound(b, len));
            for (i, item) in items.iter().enumerate().take(to).skip(from) {
                out(Some(StepRef::Index(i)), item);
            }
        }
        (Selector::Wildcard, Value::Object(object)) => {
            for (k, v) in object {
                out(Some(StepRef::Key(k)), v);
            }
        }
        (Selector::Wildcard, Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                out(Some(StepRef::Index(i)), item);
            }
        }
        (Selector::Filter(expr), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if test(expr, ctx, item) {
                    out(Some(StepRef::Index(i)), item);
                }
            }
        }
        (Selector::Filter(expr), Value::Object(_)) if test(expr, ctx, node) => {
            out(None, node);
        }
        _ => {}
    }
}

/// Applies a selector to `node` and every value below it, pre-order, calling `out` with the steps
/// from `node` to each selected value.
pub(crate) fn descend<'d>(
    selector: &Selector,
    node: &'d Value,
    ctx: &Ctx<'d>,
    trail: &mut Vec<StepRef<'d>>,
    level: usize,
    out: &mut dyn FnMut(&[StepRef<'d>], &'d Value),
) {
    if level > MAX_SCAN_DEPTH {
        return;
    }
    let mut matches = Vec::new();
    select(selector, node, ctx, &mut |step, v| matches.push((step, v)));
    for (step, v) in matches {
        match step {
            Some(step) => {
                trail.push(step);
                out(trail, v);
                trail.pop();
            }
            None => out(trail, v),
        }
    }
    match node {
        Value::Object(object) => {
            for (k, v) in object {
                trail.push(StepRef::Key(k));
                descend(selector, v, ctx, trail, level + 1, out);
                trail.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                trail.push(StepRef::Index(i));
                descend(selector, v, ctx, trail, level + 1, out);
                trail.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(path: &str, doc: &Value) -> Vec<Value> {
        Path::parse(path)
            .unwrap()
            .read(doc)
            .into_iter()
            .map(Cow::into_owned)
            .collect()
    }

    #[test]
    fn negative_indices_and_slices() {
        let doc = json!({"a": [1, 2, 3, 4]});
        assert_eq!(read("$.a[-1]", &doc), vec![json!(4)]);
        assert_eq!(read("$.a[-5]", &doc), Vec::<Value>::new());
        assert_eq!(read("$.a[1:3]", &doc), vec![json!(2), json!(3)]);
        assert_eq!(read("$.a[-2:]", &doc), vec![json!(3), json!(4)]);
        assert_eq!(read("$.a[:-3]", &doc), vec![json!(1)]);
        assert_eq!(read("$.a[3:1]", &doc), Vec::<Value>::new());
        assert_eq!(read("$.a[0,2,9]", &doc), vec![json!(1), json!(3)]);
    }

    #[test]
    fn deep_scan_is_pre_order() {
        let doc = json!({"a": {"v": 1, "b": {"v": 2}}, "c": [{"v": 3}]});
        assert_eq!(read("$..v", &doc), vec![json!(1), json!(2), json!(3)]);
        assert_eq!(read("$..[0].v", &doc), vec![json!(3)]);
    }

    #[test]
    fn filter_on_an_object_tests_the_object() {
        let doc = json!({"a": {"type": "work"}});
        assert_eq!(
            read("$.a[?(@.type == 'work')]", &doc),
            vec![json!({"type": "work"})]
        );
        assert!(read("$.a[?(@.type == 'home')]", &doc).is_empty());
    }

    #[test]
    fn resolve_index_edges() {
        assert_eq!(resolve_index(i64::MIN, 3), None);
        assert_eq!(resolve_index(i64::MAX, 3), None);
        assert_eq!(resolve_index(-3, 3), Some(0));
        assert_eq!(slice_bound(i64::MIN, 3), 0);
        assert_eq!(slice_bound(i64::MAX, 3), 3);
    }
}
