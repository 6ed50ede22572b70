//! `sapland up`: the mock landscape in this process until Ctrl-C or SIGTERM.
//!
//! The landscape comes with the `mocks` cargo feature (on by default). A build without it
//! (`cargo build -p sapland --no-default-features`, the agent only) still knows the command, so
//! `sapland up --help` reads the same, and answers it with exit 2.

#[cfg(not(feature = "mocks"))]
pub(crate) use agent_only::run;
#[cfg(feature = "mocks")]
pub(crate) use landscape::run;

/// `sapland up` in a build with the mock landscape.
#[cfg(feature = "mocks")]
mod landscape {
    use std::io::Write;
    use std::time::Instant;

    use sapland_landscape::{Landscape, LandscapeConfig, LandscapeFile, Ports, ThrottleMode};

    use crate::args::{Format, Throttling, UpArgs};
    use crate::environment::Environment;
    use crate::exit::{ExitCode, UserError};

    /// Runs the command.
    pub(crate) fn run(
        args: &UpArgs,
        env: &Environment,
        stdout: &mut dyn Write,
        stderr: &mut dyn Write,
    ) -> Result<ExitCode, UserError> {
        let ports = match args.ports.as_str() {
            "auto" => Ports::Auto,
            text => Ports::From(text.parse().map_err(|_| {
                UserError::bad_input(format!(
                    "--ports: expected auto or a port number, got {text:?}"
                ))
            })?),
        };
        let mut config = LandscapeConfig::new(env.resolve(&args.state_dir));
        config.ports = ports;
        config.plain_http = args.plain_http;
        config.seed = args.seed;
        config.ias_throttling = match args.ias_throttling {
            Throttling::Sap => ThrottleMode::Sap,
            Throttling::Off => ThrottleMode::Off,
        };
        let runtime = crate::runtime::multi_thread()?;
        runtime.block_on(async {
            let started = Instant::now();
            let landscape = Landscape::start(config).await.map_err(|e| UserError {
                code: ExitCode::FAILED,
                message: format!("the landscape did not start: {e}"),
            })?;
            let elapsed = started.elapsed();
            let summary = match args.format {
                Format::Table => summary(
                    &landscape.description,
                    &landscape.file.display().to_string(),
                    elapsed.as_millis(),
                ),
                Format::Json => {
                    serde_json::to_string_pretty(&landscape.description).expect("serializes") + "\n"
                }
            };
            let _ = stdout.write_all(summary.as_bytes());
            let _ = stdout.flush();
            crate::runtime::interrupted().await;
            let _ = writeln!(stderr, "stopping the landscape");
            landscape.shutdown().await;
            Ok(ExitCode::SUCCESS)
        })
    }

    fn summary(file: &LandscapeFile, path: &str, millis: u128) -> String {
        let mut out = format!("sapland landscape is up ({millis} ms)\n\n");
        if let Some(ca) = &file.ca_cert {
            out.push_str(&format!("  CA certificate  {}\n", ca.display()));
        }
        out.push_str(&format!("  admin token     {}\n", file.admin_token));
        out.push_str(&format!(
            "  IAS admin       {}/_admin\n",
            file.ias.admin_url
        ));
        for tenant in &file.ias.tenants {
            out.push_str(&format!("\n  IAS tenant {}\n", tenant.name));
            out.push_str(&format!("    SCIM v2       {}/scim\n", tenant.url));
            out.push_str(&format!("    token URL     {}\n", tenant.token_url));
            out.push_str(&format!(
                "    client id     {}\n",
                tenant.technical_user.client_id
            ));
            out.push_str(&format!(
                "    client secret {}\n",
                tenant.technical_user.client_secret
            ));
            if let (Some(cert), Some(key)) = (
                &tenant.technical_user.certificate,
                &tenant.technical_user.key,
            ) {
                out.push_str(&format!(
                    "    certificate   {} (key {})\n",
                    cert.display(),
                    key.display()
                ));
            }
        }
        let calm = &file.calm;
        out.push_str("\n  Cloud ALM\n");
        out.push_str(&format!("    API           {}/api\n", calm.url));
        out.push_str(&format!("    admin         {}/_admin\n", calm.admin_url));
        out.push_str(&format!(
            "    service key   {}\n",
            calm.service_key.display()
        ));
        if let Some(x509) = &calm.service_key_x509 {
            out.push_str(&format!("    X.509 key     {}\n", x509.display()));
        }
        out.push_str(&format!(
            "\n  landscape.json  {path}\n\nPress Ctrl-C to stop.\n"
        ));
        out
    }
}

/// `sapland up` in an agent-only build.
#[cfg(not(feature = "mocks"))]
mod agent_only {
    use std::io::Write;

    use crate::args::UpArgs;
    use crate::environment::Environment;
    use crate::exit::{ExitCode, UserError};

    /// Refuses: there is no landscape in this build (exit 2).
    pub(crate) fn run(
        _args: &UpArgs,
        _env: &Environment,
        _stdout: &mut dyn Write,
        _stderr: &mut dyn Write,
    ) -> Result<ExitCode, UserError> {
        Err(UserError::bad_input(
            "this build of sapland has no mock landscape (it was built without the `mocks` feature); \
             run `sapland up` from a default build, or point the agent at a running landscape with --landscape",
        ))
    }
}
