//! `sapland calm csa`: Configuration & Security Analysis items read through the Analytics API.

use std::io::Write;

use serde_json::json;

use super::args::CsaArgs;
use super::connect::{connect, outside};
use super::text::{pretty, write};
use crate::args::Format;
use crate::environment::Environment;
use crate::exit::{ExitCode, UserError};
use crate::output::table;

/// `calm csa`.
pub(super) async fn run(
    args: &CsaArgs,
    env: &Environment,
    stdout: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let client = connect(&args.connection, env).await?;
    let items = client
        .csa_items(args.service_id.as_deref(), &args.period)
        .await
        .map_err(outside)?;
    let text = match args.connection.format {
        Format::Json => pretty(&json!({ "period": args.period, "items": items })),
        Format::Table if items.is_empty() => format!(
            "No Configuration & Security Analysis items in {}.\n",
            args.period
        ),
        Format::Table => {
            let mut previous = (None, None);
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|item| {
                    let system = item.service_name.clone().or(item.service_id.clone());
                    let group = (system, item.store_name.clone());
                    let shown_system = if group.0 == previous.0 {
                        String::new()
                    } else {
                        group.0.clone().unwrap_or_default()
                    };
                    let shown_store = if group == previous {
                        String::new()
                    } else {
                        group.1.clone().unwrap_or_default()
                    };
                    previous = group;
                    let cell = |value: &Option<String>| value.clone().unwrap_or_default();
                    vec![
                        shown_system,
                        shown_store,
                        cell(&item.item_key),
                        cell(&item.item_value),
                        cell(&item.element_status),
                        cell(&item.element_modification),
                        cell(&item.element_date),
                    ]
                })
                .collect();
            table::render(
                &[
                    "SYSTEM",
                    "STORE",
                    "KEY",
                    "VALUE",
                    "STATUS",
                    "MODIFICATION",
                    "DATE",
                ],
                &rows,
            )
        }
    };
    write(stdout, &text)?;
    Ok(ExitCode::SUCCESS)
}
