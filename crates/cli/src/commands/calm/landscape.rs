//! `sapland calm landscape`: landscape objects and their LMS IDs.

use std::io::Write;

use sapland_calm::{LandscapeObject, LandscapeQuery};
use serde_json::json;

use super::args::LandscapeArgs;
use super::connect::{connect, outside};
use super::text::{pretty, write};
use crate::args::Format;
use crate::environment::Environment;
use crate::exit::{ExitCode, UserError};
use crate::output::table;

/// `calm landscape`.
pub(super) async fn run(
    args: &LandscapeArgs,
    env: &Environment,
    stdout: &mut dyn Write,
) -> Result<ExitCode, UserError> {
    let client = connect(&args.connection, env).await?;
    let query = LandscapeQuery {
        object_type: args.object_type.clone(),
        name: args.name.clone(),
        source: args.source.clone(),
        service_type: args.service_type.clone(),
        lms_id: args.lms_id.clone(),
        ..LandscapeQuery::default()
    };
    let objects = client
        .all_landscape_objects(&query)
        .await
        .map_err(outside)?;
    let text = match args.connection.format {
        Format::Json => pretty(&json!({ "landscapeObjects": objects })),
        Format::Table if objects.is_empty() => "No landscape objects match.\n".to_string(),
        Format::Table => render_objects(&objects),
    };
    write(stdout, &text)?;
    Ok(ExitCode::SUCCESS)
}

fn render_objects(objects: &[LandscapeObject]) -> String {
    let cell = |value: &Option<String>| value.clone().unwrap_or_default();
    let rows: Vec<Vec<String>> = objects
        .iter()
        .map(|object| {
            vec![
                cell(&object.name),
                object.lms_id.clone(),
                cell(&object.object_type),
                cell(&object.service_type),
                cell(&object.source),
                cell(&object.system_number),
                cell(&object.role),
            ]
        })
        .collect();
    table::render(
        &[
            "NAME",
            "LMS ID",
            "TYPE",
            "SERVICE TYPE",
            "SOURCE",
            "SYSTEM NUMBER",
            "ROLE",
        ],
        &rows,
    )
}
