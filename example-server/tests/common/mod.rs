//! The `rts-server` binary as a child process, for tests that restart or kill it.

#![allow(dead_code, reason = "each test crate uses a part")]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub const TOKEN: &str = "s3cret";
pub const PROJECT: &str = "95d02433133a4c0a87ba6967474a2ad3";

/// A fresh directory for one test's files, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("rts-server-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("creates the scratch directory");
        Scratch(dir)
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `rts-server`; killed (SIGKILL) when dropped.
pub struct Server {
    pub child: Child,
    pub addr: String,
    log: PathBuf,
}

/// How a server start ended: listening, or exited with its code and stderr.
pub enum Start {
    Listening(Server),
    Exited(Option<i32>, String),
}

/// Starts `rts-server` on an ephemeral port with the test token and `args`; its stderr goes to
/// `log`.
pub fn start(log: &Path, args: &[&str]) -> Start {
    let stderr = std::fs::File::create(log).expect("creates the log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rts-server"))
        .args(["--listen", "127.0.0.1:0", "--token", TOKEN])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("starts rts-server");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        // Only whole lines: the server may be halfway through writing this one.
        if let Some(addr) = text
            .split_inclusive('\n')
            .filter_map(|line| line.strip_suffix('\n'))
            .find_map(|line| line.strip_prefix("rts-server: listening on "))
        {
            return Start::Listening(Server {
                child,
                addr: addr.to_owned(),
                log: log.to_owned(),
            });
        }
        if let Some(status) = child.try_wait().expect("polls the child") {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            return Start::Exited(status.code(), text);
        }
        assert!(
            Instant::now() < deadline,
            "rts-server did not start: {text}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Starts `rts-server`, which must come up.
pub fn serve(log: &Path, args: &[&str]) -> Server {
    match start(log, args) {
        Start::Listening(server) => server,
        Start::Exited(code, stderr) => panic!("rts-server exited ({code:?}): {stderr}"),
    }
}

impl Server {
    /// `/v1/{PROJECT}{path}` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}/v1/{PROJECT}{path}", self.addr)
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Stops the server with SIGINT, as Ctrl-C would, and waits for it.
    pub fn interrupt(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-INT", &pid]).status();
        let _ = self.child.wait();
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}
