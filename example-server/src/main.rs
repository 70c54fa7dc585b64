//! `rts-server`: serves the RTS software configuration and deployment API from memory, or from
//! an SQLite file with `--data`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use rts_example_server::{Config, Rts};

/// An RTS (OpenStack Heat) software configuration and deployment server, checked against the
/// spec; in memory, or persistent with `--data`.
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
    /// Keep the state in this SQLite file (created if missing): every change is committed
    /// before it is answered, and a restart keeps everything. Without it, state is in memory.
    #[arg(long, value_name = "PATH")]
    data: Option<PathBuf>,
    /// Most software configurations and deployments kept, together; a create past it answers
    /// 400 (RequestLimitExceeded).
    #[arg(long, default_value_t = Config::default().max_objects)]
    max_objects: usize,
    /// Most bytes of software configurations and deployments kept (as JSON); a create or update
    /// past it answers 400 (RequestLimitExceeded).
    #[arg(long, default_value_t = Config::default().max_bytes)]
    max_bytes: usize,
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
        max_bytes: args.max_bytes,
        body_limit: args.body_limit,
        data: args.data,
    };
    // The data file first: a bad one stops the server before it listens.
    let rts = match Rts::open(config) {
        Ok(rts) => rts,
        Err(err) => {
            eprintln!("rts-server: {err}");
            return ExitCode::FAILURE;
        }
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
    match rts_example_server::serve(listener, rts, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("rts-server: {err}");
            ExitCode::FAILURE
        }
    }
}
