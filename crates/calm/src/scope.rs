//! The scope each endpoint needs: the suffix after `$XSMASTERAPPNAME.` in the service
//! instance's `authorities` (`reference/cloud-alm.md` §1.5 and the wire contract). Where SAP
//! names none publicly the scope is **proposed**, marked so here.

/// `POST|DELETE /api/landscape-management/v1/Registration`, `POST …/Heartbeat`
/// (**proposed**).
pub const LANDSCAPE_WRITE: &str = "calm-api.landscape.write";
/// `GET /api/calm-landscape/v1/landscapeObjects` ([DOC] §2.4).
pub const LANDSCAPE_READ: &str = "calm-api.landscape.read";
/// `POST /api/calm-metrics/v1/metrics` ([SAMPLE] §2.7, `calm-api.metrics.write`).
pub const METRICS_WRITE: &str = "calm-api.metrics.write";
/// `GET /api/calm-metrics/v1/metrics` (blog, §2.7).
pub const METRICS_READ: &str = "calm-api.metrics.read";
/// `POST /api/calm-logs/v1/logs` (**proposed**: the inbound logs scope is not public).
pub const LOGS_WRITE: &str = "calm-api.logs.write";
/// `GET /api/calm-logs/v1/logs` (**proposed**).
pub const LOGS_READ: &str = "calm-api.logs.read";
/// `GET /api/calm-analytics/v1/odata/v4/analytics/…` (§1.5).
pub const ANALYTICS_READ: &str = "calm-api.analytics.read";
/// `POST /api/calm-csa/v1/stores` (**proposed**).
pub const CSA_WRITE: &str = "calm-api.csa.write";

/// Whether a token scope grants `wanted`: equal, or `wanted` after an xsappname prefix
/// (`calm!b2716.calm-api.landscape.read` grants `calm-api.landscape.read`, §1.5).
pub fn grants(granted: &str, wanted: &str) -> bool {
    granted == wanted
        || granted
            .strip_suffix(wanted)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_full_and_the_short_form_grant_a_scope() {
        assert!(grants("calm-api.landscape.read", LANDSCAPE_READ));
        assert!(grants("calm!b2716.calm-api.landscape.read", LANDSCAPE_READ));
        assert!(!grants(
            "calm!b2716.calm-api.landscape.readx",
            LANDSCAPE_READ
        ));
        assert!(!grants("xcalm-api.landscape.read", LANDSCAPE_READ));
        assert!(!grants("calm-api.landscape.write", LANDSCAPE_READ));
    }
}
