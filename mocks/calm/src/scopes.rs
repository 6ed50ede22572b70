//! Scopes: the authorities of a service instance become the scopes of its tokens (reference
//! §1.5). A token carries each scope in its full form (`calm!b2716.calm-api.metrics.read`) and
//! its short form (`calm-api.metrics.read`); the API checks the suffix.

/// Cloud ALM's master xsappname, which `$XSMASTERAPPNAME` resolves to (INFERRED from the
/// `…|calm!b<n>` suffix of client ids, reference §1.5).
pub const MASTER_APP: &str = "calm!b2716";

/// The placeholder SAP documents in instance parameters.
const PLACEHOLDER: &str = "$XSMASTERAPPNAME.";

/// The scope each API endpoint checks (the contract's table; **proposed** where no public
/// source names one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Registration, unregistration and heartbeat of managed systems (**proposed**).
    LandscapeWrite,
    /// `GET /calm-landscape/v1/landscapeObjects` ([DOC] LeanIX integration).
    LandscapeRead,
    /// Pushing metrics (SAMPLE Automation Pilot).
    MetricsWrite,
    /// Reading raw metrics (blog; 3P Redpeaks).
    MetricsRead,
    /// Pushing logs (**proposed**: the inbound logs scope is not public).
    LogsWrite,
    /// Reading raw logs (**proposed**).
    LogsRead,
    /// The analytics API (3P LeanIX docs copy).
    AnalyticsRead,
    /// Pushing Configuration & Security Analysis stores (**proposed**).
    CsaWrite,
}

impl Scope {
    /// Every scope the API checks.
    pub const ALL: [Scope; 8] = [
        Scope::LandscapeWrite,
        Scope::LandscapeRead,
        Scope::MetricsWrite,
        Scope::MetricsRead,
        Scope::LogsWrite,
        Scope::LogsRead,
        Scope::AnalyticsRead,
        Scope::CsaWrite,
    ];

    /// The short name, such as `calm-api.metrics.read`.
    pub fn name(self) -> &'static str {
        match self {
            Scope::LandscapeWrite => "calm-api.landscape.write",
            Scope::LandscapeRead => "calm-api.landscape.read",
            Scope::MetricsWrite => "calm-api.metrics.write",
            Scope::MetricsRead => "calm-api.metrics.read",
            Scope::LogsWrite => "calm-api.logs.write",
            Scope::LogsRead => "calm-api.logs.read",
            Scope::AnalyticsRead => "calm-api.analytics.read",
            Scope::CsaWrite => "calm-api.csa.write",
        }
    }
}

/// The authorities a service instance may request: every scope found in public material
/// (reference §1.5) plus the ones the mock proposes (`landscape.write`, `logs.*`, `csa.write`).
pub const KNOWN_AUTHORITIES: &[&str] = &[
    "imp-cdm-feature-display-ui",
    "imp-cdm-feature-manage-ui",
    "ops-im-display-ui",
    "ops-im-configure-ui",
    "calm-api.projects.read",
    "calm-api.projects.write",
    "calm-api.projects.private.read",
    "calm-api.projects.protected.read",
    "calm-api.tasks.read",
    "calm-api.tasks.write",
    "calm-api.processmanagement.read",
    "calm-api.processmanagement.write",
    "calm-api.processmanagement.delete",
    "calm-api.analytics.read",
    "calm-api.analytics.providers.read",
    "calm-api.landscape.read",
    "calm-api.landscape.write",
    "calm-api.subscriptions.read",
    "calm-api.metrics.read",
    "calm-api.metrics.write",
    "calm-api.hm.read",
    "calm-api.hm.write",
    "calm-api.jam.read",
    "calm-api.logs.read",
    "calm-api.logs.write",
    "calm-api.csa.write",
    "calm-api.features.read",
    "calm-api.features.write",
    "calm-api.documents.read",
    "calm-api.documents.write",
    "calm-api.documents.delete",
    "calm-api.testcases.read",
    "calm-api.testcases.write",
    "calm-api.testcases.delete",
    "calm-api.testcases.force-delete",
    "calm-api.testplans.read",
    "calm-api.processhierarchy.read",
    "calm-api.processauthoring.read",
    "calm-api.processauthoring.write",
    "calm-api.processauthoring.delete",
    "calm-api.bsm.read",
    "calm-api.lib.read",
    "calm-api.lib.write",
    "calm-api.defects.read",
];

/// The short form of an authority as written in instance parameters: `$XSMASTERAPPNAME.x`,
/// `calm!b2716.x` and `x` all give `x`. Unknown authorities are refused, as BTP refuses
/// authorities the service does not offer (INFERRED).
pub fn normalize(authority: &str) -> Result<String, String> {
    let short = authority
        .strip_prefix(PLACEHOLDER)
        .or_else(|| {
            authority
                .strip_prefix(MASTER_APP)
                .and_then(|rest| rest.strip_prefix('.'))
        })
        .unwrap_or(authority);
    if KNOWN_AUTHORITIES.contains(&short) {
        Ok(short.to_string())
    } else {
        Err(format!(
            "{authority:?} is not an authority of SAP Cloud ALM API; expected $XSMASTERAPPNAME.<scope> with a scope such as {}",
            Scope::MetricsWrite.name()
        ))
    }
}

/// The scopes a token carries for these (short) authorities: every full form, then every short
/// form (reference §1.5: "emit both the full and the short form").
pub fn token_scopes(authorities: &[String]) -> Vec<String> {
    authorities
        .iter()
        .map(|a| format!("{MASTER_APP}.{a}"))
        .chain(authorities.iter().cloned())
        .collect()
}

/// Whether a token with these scopes may call an endpoint that checks `required`: some scope
/// equals it or ends in `.<required>`.
pub fn grants(scopes: &[String], required: Scope) -> bool {
    let name = required.name();
    scopes.iter().any(|scope| {
        scope == name
            || scope
                .strip_suffix(name)
                .is_some_and(|prefix| prefix.ends_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorities_normalize_from_every_written_form() {
        for form in [
            "$XSMASTERAPPNAME.calm-api.metrics.read",
            "calm!b2716.calm-api.metrics.read",
            "calm-api.metrics.read",
        ] {
            assert_eq!(normalize(form).unwrap(), "calm-api.metrics.read");
        }
        assert!(normalize("calm-api.everything").is_err());
    }

    #[test]
    fn tokens_carry_both_forms_and_the_suffix_decides() {
        let scopes = token_scopes(&["calm-api.metrics.read".into()]);
        assert_eq!(
            scopes,
            ["calm!b2716.calm-api.metrics.read", "calm-api.metrics.read"]
        );
        assert!(grants(&scopes[..1], Scope::MetricsRead));
        assert!(grants(&scopes[1..], Scope::MetricsRead));
        assert!(!grants(&scopes, Scope::MetricsWrite));
        assert!(!grants(
            &["xcalm-api.metrics.read".into()],
            Scope::MetricsRead
        ));
    }
}
