//! What one evaluation needs besides the entity: the operation, the variables, the id relations,
//! the time and a seed — passed in, because the crate does no IO and reads no clock.

use jiff::Timestamp;

use super::variables::Variables;
use crate::document::{Operation, Scope};
use crate::functions::IdResolver;

/// The operation a transformation runs for (`reference/ips-ias.md` §1.5, §1.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Creating the entity in the target: mappings without a scope and `createEntity` ones.
    Create,
    /// Updating it (PUT, or PATCH with `ias.support.patch.operation`): mappings without a scope.
    Update,
    /// A SCIM PATCH sent to a proxy system: only `patchEntity` mappings (proxy write).
    Patch,
    /// The entity is gone from the source: only `deleteEntity` mappings, which turn the delete
    /// into an update; the entity-level condition is ignored.
    Delete,
}

impl Action {
    /// Every action, in documented order.
    pub const ALL: [Action; 4] = [
        Action::Create,
        Action::Update,
        Action::Patch,
        Action::Delete,
    ];

    /// The name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Patch => "patch",
            Action::Delete => "delete",
        }
    }

    /// The `skipOperations` entry that skips this action.
    pub fn operation(self) -> Operation {
        match self {
            Action::Create => Operation::Create,
            Action::Update | Action::Patch => Operation::Update,
            Action::Delete => Operation::Delete,
        }
    }

    /// Whether a mapping with `scope` runs for this action.
    pub fn runs(self, scope: Option<Scope>) -> bool {
        matches!(
            (self, scope),
            (Action::Create, None | Some(Scope::CreateEntity))
                | (Action::Update, None)
                | (Action::Patch, Some(Scope::PatchEntity))
                | (Action::Delete, Some(Scope::DeleteEntity))
        )
    }
}

/// Everything an evaluation reads besides the entity.
pub struct Context<'a> {
    /// The operation.
    pub action: Action,
    /// The variables known before the transformation runs: `entityIdTargetSystem` on update and
    /// delete, `entityIdSourceSystem` in write transformations, custom ones. `currentDate` is
    /// added from [`Context::now`] unless it is set here.
    pub variables: Variables,
    /// The relations `resolveEntityIds` reads.
    pub ids: &'a dyn IdResolver,
    /// Now, for `currentDate` (formatted in UTC).
    pub now: Timestamp,
    /// The seed of `randomPassword`.
    pub seed: u64,
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("action", &self.action)
            .field("variables", &self.variables)
            .field("now", &self.now)
            .field("seed", &self.seed)
            .finish_non_exhaustive()
    }
}

impl Context<'static> {
    /// A context for `action` with no variables, no id relations, the Unix epoch as now and seed 0.
    pub fn new(action: Action) -> Self {
        Context {
            action,
            variables: Variables::new(),
            ids: &(),
            now: Timestamp::UNIX_EPOCH,
            seed: 0,
        }
    }
}
