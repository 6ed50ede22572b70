//! Writing, removing and renaming at a path (IPS target paths, `remove` and `rename` mappings).

use sapland_core::json::kind;
use serde_json::{Map, Value};

use super::error::PathError;
use super::read::{StepRef, descend, select};
use super::scan::{SyntaxError, char_offset};
use super::syntax::{Path, PathSyntax, Root, Segment, Selector};
use crate::condition::evaluate::Ctx;
use crate::condition::syntax::{Expr, Operand};

/// How many missing elements a write through `[n]` may add to an array (`null`-padded) — a guard
/// against `$.a[999999999]` exhausting memory (**proposed**).
pub(crate) const MAX_PADDING: usize = 1000;

/// One step of a concrete location.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

impl From<StepRef<'_>> for Step {
    fn from(step: StepRef<'_>) -> Self {
        match step {
            StepRef::Key(k) => Step::Key(k.to_string()),
            StepRef::Index(i) => Step::Index(i),
        }
    }
}

/// A location a write reaches: its steps and the value there now, if any.
struct Slot<'d> {
    steps: Vec<Step>,
    existing: Option<&'d Value>,
}

fn extended(steps: &[Step], more: impl IntoIterator<Item = Step>) -> Vec<Step> {
    let mut out = steps.to_vec();
    out.extend(more);
    out
}

/// The member name of a final `[?(@.name)]`: IPS's array-of-objects target.
fn wrap_key(path: &PathSyntax) -> Option<&str> {
    let Segment {
        descendant: false,
        selector: Selector::Filter(expr),
        ..
    } = path.segments.last()?
    else {
        return None;
    };
    let Expr::Test(Operand::Path(inner)) = expr.as_ref() else {
        return None;
    };
    match (inner.root, inner.function, inner.segments.as_slice()) {
        (
            Root::Current,
            None,
            [
                Segment {
                    descendant: false,
                    selector: Selector::Key(key),
                    ..
                },
            ],
        ) => Some(key),
        _ => None,
    }
}

/// Writes `value` at `path`, creating what is missing. The rules (IPS documents them only by
/// example, so they are **proposed** where marked):
///
/// - `$` replaces the whole document.
/// - `.name` / `['name']` set a member; a missing or `null` parent becomes an object.
/// - `[n]` sets element `n`; a missing or `null` parent becomes an array and a short array is
///   padded with `null` up to `n` (at most 1000 padded elements). `[-n]` counts from the end
///   and needs the element to exist.
/// - `['a','b']` and `[n,m]` write each member / element.
/// - `[*]`, slices, `..` and filters select among **existing** values and write into each
///   (nothing is written when nothing matches).
/// - A final `[?(@.name)]` — a filter that only tests a member — appends to the array there (created
///   when missing) one object `{"name": item}` per item of `value` (a non-array value is one
///   item; `null` items are skipped). Appending, not replacing, is what lets the IAS default
///   transformation's two `$.members[?(@.value)]` mappings (users, then groups) both land.
/// - Writing into a string, number or boolean, or through a path ending in a function, is an
///   error; nothing is changed then.
pub fn write(root: &mut Value, path: &Path, value: Value) -> Result<(), PathError> {
    let syntax = &path.syntax;
    if syntax.function.is_some() {
        let at = path.as_str().rfind(".length").unwrap_or(0);
        return Err(PathError {
            position: char_offset(path.as_str(), at),
            message: "a path ending in a function cannot be written".to_string(),
        });
    }
    let append = wrap_key(syntax);
    let segments = match append {
        Some(_) => &syntax.segments[..syntax.segments.len() - 1],
        None => &syntax.segments[..],
    };
    let locations: Vec<Vec<Step>> = {
        let ctx = Ctx::new(root, &());
        let slots = resolve_for_write(segments, root, &ctx)
            .map_err(|err| PathError::from_syntax(path.as_str(), err))?;
        if append.is_some() {
            let pos = syntax.segments.last().map_or(0, |s| s.pos);
            for slot in &slots {
                if let Some(existing) = slot.existing
                    && !matches!(existing, Value::Null | Value::Array(_))
                {
                    return Err(PathError::from_syntax(
                        path.as_str(),
                        SyntaxError::new(
                            pos,
                            format!("cannot append objects to {}", kind(existing)),
                        ),
                    ));
                }
            }
        }
        slots.into_iter().map(|slot| slot.steps).collect()
    };
    match append {
        Some(key) => {
            let items: Vec<Value> = match value {
                Value::Array(items) => items,
                other => vec![other],
            };
            let wrapped: Vec<Value> = items
                .into_iter()
                .filter(|item| !item.is_null())
                .map(|item| {
                    let mut object = Map::new();
                    object.insert(key.to_string(), item);
                    Value::Object(object)
                })
                .collect();
            for steps in &locations {
                if let Some(slot) = slot_mut(root, steps) {
                    if slot.is_null() {
                        *slot = Value::Array(Vec::new());
                    }
                    if let Value::Array(array) = slot {
                        array.extend(wrapped.iter().cloned());
                    }
                }
            }
        }
        None => {
            let mut value = Some(value);
            let count = locations.len();
            for (i, steps) in locations.iter().enumerate() {
                let Some(slot) = slot_mut(root, steps) else {
                    continue;
                };
                *slot = if i + 1 == count {
                    value.take().unwrap_or(Value::Null)
                } else {
                    value.clone().unwrap_or(Value::Null)
                };
            }
        }
    }
    Ok(())
}

fn resolve_for_write<'d>(
    segments: &[Segment],
    root: &'d Value,
    ctx: &Ctx<'d>,
) -> Result<Vec<Slot<'d>>, SyntaxError> {
    let mut slots = vec![Slot {
        steps: Vec::new(),
        existing: Some(root),
    }];
    for segment in segments {
        let mut next = Vec::new();
        for slot in &slots {
            if segment.descendant {
                if let Some(node) = slot.existing {
                    descend(
                        &segment.selector,
                        node,
                        ctx,
                        &mut Vec::new(),
                        0,
                        &mut |trail, v| {
                            next.push(Slot {
                                steps: extended(&slot.steps, trail.iter().map(|&s| s.into())),
                                existing: Some(v),
                            });
                        },
                    );
                }
                continue;
            }
            match &segment.selector {
                Selector::Key(key) => next.push(child_key(slot, key, segment.pos)?),
                Selector::Keys(keys) => {
                    for key in keys {
                        next.push(child_key(slot, key, segment.pos)?);
                    }
                }
                Selector::Index(index) => next.push(child_index(slot, *index, segment.pos)?),
                Selector::Indices(indices) => {
                    for index in indices {
                        next.push(child_index(slot, *index, segment.pos)?);
                    }
                }
                selector => {
                    if let Some(node) = slot.existing {
                        select(selector, node, ctx, &mut |step, v| {
                            next.push(Slot {
                                steps: extended(&slot.steps, step.map(Step::from)),
                                existing: Some(v),
                            });
                        });
                    }
                }
            }
        }
        slots = next;
    }
    Ok(slots)
}

fn child_key<'d>(slot: &Slot<'d>, key: &str, pos: usize) -> Result<Slot<'d>, SyntaxError> {
    let steps = extended(&slot.steps, [Step::Key(key.to_string())]);
    match slot.existing {
        None | Some(Value::Null) => Ok(Slot {
            steps,
            existing: None,
        }),
        Some(Value::Object(object)) => Ok(Slot {
            steps,
            existing: object.get(key),
        }),
        Some(other) => Err(SyntaxError::new(
            pos,
            format!("cannot write member '{key}' into {}", kind(other)),
        )),
    }
}

fn child_index<'d>(slot: &Slot<'d>, index: i64, pos: usize) -> Result<Slot<'d>, SyntaxError> {
    let (len, items) = match slot.existing {
        None | Some(Value::Null) => (0, None),
        Some(Value::Array(items)) => (items.len(), Some(items)),
        Some(other) => {
            return Err(SyntaxError::new(
                pos,
                format!("cannot write index [{index}] into {}", kind(other)),
            ));
        }
    };
    let i = if index >= 0 {
        usize::try_from(index)
            .ok()
            .filter(|&i| i <= len.saturating_add(MAX_PADDING))
            .ok_or_else(|| {
                SyntaxError::new(
                    pos,
                    format!(
                        "index [{index}] is too far beyond the end of the array ({len} elements); \
                         a write pads at most {MAX_PADDING} missing elements"
                    ),
                )
            })?
    } else {
        super::read::resolve_index(index, len).ok_or_else(|| {
            SyntaxError::new(
                pos,
                format!("index [{index}] is out of range for an array of {len} elements"),
            )
        })?
    };
    Ok(Slot {
        steps: extended(&slot.steps, [Step::Index(i)]),
        existing: items.and_then(|items| items.get(i)),
    })
}

/// The value at `steps`, creating objects, arrays and `null` padding on the way. `None` when an
/// earlier write of the same operation replaced a container with a scalar.
fn slot_mut<'v>(root: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    let mut node = root;
    for step in steps {
        node = match step {
            Step::Key(key) => {
                if node.is_null() {
                    *node = Value::Object(Map::new());
                }
                node.as_object_mut()?
                    .entry(key.clone())
                    .or_insert(Value::Null)
            }
            Step::Index(i) => {
                if node.is_null() {
                    *node = Value::Array(Vec::new());
                }
                let items = node.as_array_mut()?;
                if items.len() <= *i {
                    items.resize(i + 1, Value::Null);
                }
                &mut items[*i]
            }
        };
    }
    Some(node)
}

/// The existing value at `steps`.
fn get_mut<'v>(root: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    let mut node = root;
    for step in steps {
        node = match (step, node) {
            (Step::Key(key), Value::Object(object)) => object.get_mut(key)?,
            (Step::Index(i), Value::Array(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The locations of every existing value the path selects, deepest and last first (the order in
/// which removing them keeps the others valid), without duplicates.
fn existing_locations(path: &PathSyntax, root: &Value) -> Vec<Vec<Step>> {
    let ctx = Ctx::new(root, &());
    let mut slots: Vec<(Vec<Step>, &Value)> = vec![(Vec::new(), root)];
    for segment in &path.segments {
        let mut next = Vec::new();
        for (steps, node) in &slots {
            if segment.descendant {
                descend(
                    &segment.selector,
                    node,
                    &ctx,
                    &mut Vec::new(),
                    0,
                    &mut |trail, v| {
                        next.push((extended(steps, trail.iter().map(|&s| s.into())), v));
                    },
                );
            } else {
                select(&segment.selector, node, &ctx, &mut |step, v| {
                    next.push((extended(steps, step.map(Step::from)), v));
                });
            }
        }
        slots = next;
    }
    let mut locations: Vec<Vec<Step>> = slots.into_iter().map(|(steps, _)| steps).collect();
    locations.sort_unstable_by(|a, b| b.cmp(a));
    locations.dedup();
    locations
}

/// Removes every value the path selects (`type: remove`, §1.4; wildcards and filters allowed) and
/// returns how many were removed. Object members keep the order of the others. `$` empties the
/// document to `{}`. A path ending in a function removes nothing.
pub fn remove(root: &mut Value, path: &Path) -> usize {
    if path.syntax.function.is_some() {
        return 0;
    }
    let mut count = 0;
    for steps in existing_locations(&path.syntax, root) {
        let Some((last, parent)) = steps.split_last() else {
            *root = Value::Object(Map::new());
            count += 1;
            continue;
        };
        let removed = match (last, get_mut(root, parent)) {
            (Step::Key(key), Some(Value::Object(object))) => object.shift_remove(key).is_some(),
            (Step::Index(i), Some(Value::Array(items))) if *i < items.len() => {
                items.remove(*i);
                true
            }
            _ => false,
        };
        if removed {
            count += 1;
        }
    }
    count
}

/// Renames the member each match of the path is stored under to `new_key` (`type: rename`, §1.4:
/// `$.name.lastName` → `$.name.familyName`) and returns how many were renamed. The member keeps
/// its position; an existing member called `new_key` is replaced (**proposed**). Matches that are
/// array elements or the document itself are not renamed.
pub fn rename(root: &mut Value, path: &Path, new_key: &str) -> usize {
    if path.syntax.function.is_some() {
        return 0;
    }
    let mut count = 0;
    for steps in existing_locations(&path.syntax, root) {
        let Some((Step::Key(old), parent)) = steps.split_last() else {
            continue;
        };
        if let Some(Value::Object(object)) = get_mut(root, parent)
            && rename_member(object, old, new_key)
        {
            count += 1;
        }
    }
    count
}

fn rename_member(object: &mut Map<String, Value>, old: &str, new: &str) -> bool {
    if !object.contains_key(old) {
        return false;
    }
    if old == new {
        return true;
    }
    let entries = std::mem::take(object);
    for (key, value) in entries {
        if key == old {
            object.insert(new.to_string(), value);
        } else if key != new {
            object.insert(key, value);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn p(text: &str) -> Path {
        Path::parse(text).unwrap()
    }

    #[test]
    fn wrap_key_only_for_a_bare_member_test() {
        assert_eq!(wrap_key(&p("$.members[?(@.value)]").syntax), Some("value"));
        assert_eq!(
            wrap_key(&p("$.members[?(@['value'])]").syntax),
            Some("value")
        );
        assert_eq!(wrap_key(&p("$.members[?(@.value == 1)]").syntax), None);
        assert_eq!(wrap_key(&p("$.members[?(@.a.b)]").syntax), None);
        assert_eq!(wrap_key(&p("$.members[?($.value)]").syntax), None);
        assert_eq!(wrap_key(&p("$.members[?(@.value)].x").syntax), None);
    }

    #[test]
    fn rename_keeps_position() {
        let mut object = json!({"a": 1, "b": 2, "c": 3});
        let Value::Object(map) = &mut object else {
            unreachable!()
        };
        assert!(rename_member(map, "b", "a"));
        assert_eq!(serde_json::to_string(&object).unwrap(), r#"{"a":2,"c":3}"#);
    }

    #[test]
    fn padding_is_bounded() {
        let mut doc = json!({});
        assert!(write(&mut doc, &p("$.a[1000]"), json!(1)).is_ok());
        let err = write(&mut doc, &p("$.b[1001]"), json!(1)).unwrap_err();
        assert!(err.message.contains("at most 1000"), "{err}");
        assert_eq!(err.position, 3);
        assert!(doc.get("b").is_none());
    }
}
