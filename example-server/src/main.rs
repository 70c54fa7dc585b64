//! `rts-server`: serves the RTS software configuration and deployment API from memory.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use rts_example_server::Config;

/// An in-memory RTS (OpenStack Heat) software configuration and deployment server, checked
/// against the spec.
#[derive(Parser)]
#[command(name = "rts-server", version)]
struct Args {
    /// Address to listen on (loopback by default).
    #[arg(long, default_value = "127.0.0.1:8004")]
    listen: SocketAddr,
    /// A token accepted in `X-Auth-Token`; repeat for more. Any other token gets 401.
    #[arg(long = "token", value_name = "TOKEN", required = true)]
    tokens: Vec<String>,
    /// Identity endpoint named in `WWW-Authenticate` of 401 answers.
    #[arg(long, default_value_t = Config::default().identity_uri)]
    identity_uri: String,
    /// Most software configurations and deployments kept in memory, together; the oldest are
    /// dropped first.
    #[arg(long, default_value_t = Config::default().max_objects)]
    max_objects: usize,
    /// Longest request body accepted, in bytes.
    #[arg(long, default_value_t = Config::default().body_limit)]
    body_limit: usize,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let config = Config {
        tokens: args.tokens.into_iter().collect(),
        identity_uri: args.identity_uri,
        max_objects: args.max_objects,
        body_limit: args.body_limit,
        ..Config::default()
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("rts-server: cannot listen on {}: {err}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let address = listener.local_addr().unwrap_or(args.listen);
    eprintln!("rts-server: listening on http://{address}");
    let shutdown = async {
        // Without a Ctrl-C handler the server still stops on SIGINT, just not gracefully.
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("rts-server: shutting down");
    };
    match rts_example_server::serve(listener, config, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("rts-server: {err}");
            ExitCode::FAILURE
        }
    }
}
