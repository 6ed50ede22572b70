//! Every JSONPath and condition string of a transformation with its location, so that the path
//! and condition modules can check their syntax and report problems where they are.

use sapland_core::json::JsonPath;

use super::model::Transformation;

/// What an expression string is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExpressionKind {
    /// An entity type's `condition`.
    EntityCondition,
    /// A mapping's `condition`.
    MappingCondition,
    /// A function's `condition` (`@` is the current value).
    FunctionCondition,
    /// A mapping's `sourcePath`, or one of its `sourcePaths`.
    SourcePath,
    /// A mapping's `targetPath` (written, so IPS's writer rules apply).
    TargetPath,
    /// A mapping's `variablePath` (evaluated against the value of `sourceVariable`).
    VariablePath,
}

/// One JSONPath or condition string of a transformation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expression<'a> {
    /// What it is.
    pub kind: ExpressionKind,
    /// The text as written (`%property%` and `${variable}` placeholders not yet replaced).
    pub text: &'a str,
    /// Where it is, for [`super::Problem::at`].
    pub path: JsonPath,
}

impl Transformation {
    /// Every JSONPath and condition string, in document order.
    ///
    /// ```
    /// use sapland_transform::document::{ExpressionKind, Transformation};
    ///
    /// let parsed = Transformation::parse(
    ///     r#"{"user": {"condition": "$.emails EMPTY false",
    ///        "mappings": [{"sourcePath": "$.userName", "targetPath": "$.userName"}]}}"#,
    /// )?;
    /// let found = parsed.transformation.expressions();
    /// assert_eq!(found[0].kind, ExpressionKind::EntityCondition);
    /// assert_eq!(found[1].path.to_string(), "$.user.mappings[0].sourcePath");
    /// # Ok::<(), sapland_transform::document::TransformError>(())
    /// ```
    pub fn expressions(&self) -> Vec<Expression<'_>> {
        let mut out = Vec::new();
        for (name, spec) in &self.entities {
            let entity = JsonPath::root().key(name);
            if let Some(text) = &spec.condition {
                out.push(Expression {
                    kind: ExpressionKind::EntityCondition,
                    text,
                    path: entity.clone().key("condition"),
                });
            }
            for (i, mapping) in spec.mappings.iter().enumerate() {
                let at = entity.clone().key("mappings").index(i);
                let singles = [
                    (
                        ExpressionKind::MappingCondition,
                        "condition",
                        &mapping.condition,
                    ),
                    (
                        ExpressionKind::SourcePath,
                        "sourcePath",
                        &mapping.source_path,
                    ),
                    (
                        ExpressionKind::TargetPath,
                        "targetPath",
                        &mapping.target_path,
                    ),
                    (
                        ExpressionKind::VariablePath,
                        "variablePath",
                        &mapping.variable_path,
                    ),
                ];
                let mut found: Vec<(usize, Expression<'_>)> = Vec::new();
                for (kind, key, value) in singles {
                    if let Some(text) = value {
                        found.push((
                            position(&mapping.member_order, key),
                            Expression {
                                kind,
                                text,
                                path: at.clone().key(key),
                            },
                        ));
                    }
                }
                if let Some(paths) = &mapping.source_paths {
                    let base = position(&mapping.member_order, "sourcePaths");
                    for (j, text) in paths.iter().enumerate() {
                        found.push((
                            base,
                            Expression {
                                kind: ExpressionKind::SourcePath,
                                text,
                                path: at.clone().key("sourcePaths").index(j),
                            },
                        ));
                    }
                }
                let functions_at = position(&mapping.member_order, "functions");
                for (j, function) in mapping.functions.iter().enumerate() {
                    if let Some(text) = function.condition() {
                        found.push((
                            functions_at,
                            Expression {
                                kind: ExpressionKind::FunctionCondition,
                                text,
                                path: at.clone().key("functions").index(j).key("condition"),
                            },
                        ));
                    }
                }
                found.sort_by_key(|(order, _)| *order);
                out.extend(found.into_iter().map(|(_, expression)| expression));
            }
        }
        out
    }
}

/// Where `key` was written among the members (members set in code come last).
fn position(order: &[String], key: &str) -> usize {
    order.iter().position(|k| k == key).unwrap_or(usize::MAX)
}
