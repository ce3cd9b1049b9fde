//! A server binary of the workspace run as a person runs it, for the tests of what it logs and how
//! it stops: the sandbox's (`tests/binary.rs`) and the proxy's, whose `tests/binary.rs` includes
//! this file.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A loopback port free now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The running binary, killed when dropped, and every line it has logged so far.
pub struct Process {
    child: Child,
    /// Every line of its standard output and error so far.
    pub lines: Arc<Mutex<Vec<String>>>,
}

impl Process {
    /// Starts `command`, logging at `info` into pipes, as a service manager reads it, and collects
    /// what it logs.
    pub fn spawn(mut command: Command) -> Process {
        let mut child = command
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let lines = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    lines.lock().unwrap().push(line);
                }
            });
        }
        Process { child, lines }
    }

    /// The lines logged so far that contain `text`.
    pub fn logged(&self, text: &str) -> Vec<String> {
        let lines = self.lines.lock().unwrap();
        lines.iter().filter(|l| l.contains(text)).cloned().collect()
    }

    /// Waits until a line contains `text`, failing the test after `limit`.
    pub fn wait_for(&self, text: &str, limit: Duration) {
        let started = Instant::now();
        while self.logged(text).is_empty() {
            assert!(
                started.elapsed() < limit,
                "no {text:?} in the log: {:?}",
                self.lines.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Asks the binary to stop, as a deploy, `docker stop` or an orchestrator does (SIGTERM).
    pub fn terminate(&self) {
        self.signal("TERM");
    }

    /// Presses Ctrl-C in the binary's terminal (SIGINT).
    pub fn interrupt(&self) {
        self.signal("INT");
    }

    fn signal(&self, name: &str) {
        let sent = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// Presses Ctrl-C while the binary has work in flight, and checks that it waits, saying
    /// `waiting`; then presses it again, and checks that it stops at once (within 3 s) with status
    /// 130, saying `stopping` once. Returns that line.
    pub fn ctrl_c_twice(&mut self, waiting: &str, stopping: &str) -> String {
        self.interrupt();
        self.wait_for(waiting, Duration::from_secs(5));
        assert!(
            self.exit_within(Duration::from_millis(500)).is_none(),
            "the first Ctrl-C waits for the work in flight"
        );
        self.interrupt();
        let status = self
            .exit_within(Duration::from_secs(3))
            .expect("Ctrl-C again stops it at once");
        assert_eq!(status.code(), Some(130), "{status:?}");
        let said = self.logged(stopping);
        assert_eq!(said.len(), 1, "{:?}", self.lines.lock().unwrap());
        said[0].clone()
    }

    /// How the binary exited, once it has, within `limit`.
    pub fn exit_within(&mut self, limit: Duration) -> Option<ExitStatus> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
