//! A server binary of the workspace run as a person runs it, for the tests of what it logs and how
//! it stops: the sandbox's (`tests/binary.rs`) and the proxy's, whose `tests/binary.rs` includes
//! this file.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The binary `program` run with the command line `args` until it stops: its exit code, and what
/// it wrote to standard output and to standard error.
pub fn run_with(program: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Every setting (`DOLLR_…`, `STRIPE_…`, `RUST_LOG`) the README names in backquotes between
/// `from` and the first blank line after it: a list or a table of settings.
pub fn readme_settings(from: &str) -> Vec<String> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let start = readme
        .find(from)
        .unwrap_or_else(|| panic!("README: {from:?} is gone"));
    // Its first line, then the paragraph or table after it, up to a blank line.
    let mut lines = readme[start..].lines();
    let first = lines.next().unwrap();
    let rest: Vec<&str> = lines
        .skip_while(|line| line.is_empty())
        .take_while(|line| !line.is_empty())
        .collect();
    let text = format!("{first}\n{}", rest.join("\n"));
    let mut settings: Vec<String> = text
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|quoted| {
            ["DOLLR_", "STRIPE_", "RUST_LOG"]
                .iter()
                .any(|p| quoted.starts_with(p))
                && quoted.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        })
        .map(str::to_owned)
        .collect();
    settings.sort();
    settings.dedup();
    settings
}

/// Checks `program`'s command line as a person asks it: `help` (`--help` or `-h`) prints a text
/// naming every setting the README lists after `from` (at least `count` of them), `version`
/// (`--version` or `-V`) prints `name` and `CARGO_PKG_VERSION`, both with status 0. The help.
pub fn help_and_version(
    program: &str,
    name: &str,
    [help, version]: [&str; 2],
    from: &str,
    count: usize,
) -> String {
    let (code, text, _) = run_with(program, &[help]);
    assert_eq!(code, Some(0));
    let settings = readme_settings(from);
    assert!(settings.len() >= count, "{settings:?}");
    let missing: Vec<&String> = settings
        .iter()
        .filter(|s| !text.contains(s.as_str()))
        .collect();
    assert!(missing.is_empty(), "{help} leaves out {missing:?}:\n{text}");
    assert_eq!(
        run_with(program, &[version]),
        (
            Some(0),
            format!("{name} {}\n", env!("CARGO_PKG_VERSION")),
            String::new()
        )
    );
    text
}

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
    /// The threads reading its output into `lines`, until it ends.
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Process {
    /// Starts `command`, logging at `info` into pipes, as a service manager reads it, and collects
    /// what it logs.
    pub fn spawn(command: Command) -> Process {
        Process::spawn_logging(command, false)
    }

    /// The same with standard output the journal's stream as systemd gives it to a service: a
    /// stream whose device and inode numbers `JOURNAL_STREAM` names (systemd.exec(5)).
    pub fn spawn_into_the_journal(command: Command) -> Process {
        Process::spawn_logging(command, true)
    }

    fn spawn_logging(mut command: Command, journal: bool) -> Process {
        let (output, input) = std::io::pipe().unwrap();
        if journal {
            use std::os::unix::fs::MetadataExt;
            let stream =
                std::fs::File::from(std::os::fd::OwnedFd::from(input.try_clone().unwrap()))
                    .metadata()
                    .unwrap();
            command.env(
                "JOURNAL_STREAM",
                format!("{}:{}", stream.dev(), stream.ino()),
            );
        }
        let mut child = command
            .env("RUST_LOG", "info")
            .stdout(input)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let readers = [
            Box::new(output) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ]
        .into_iter()
        .map(|stream| {
            let lines = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    lines
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(line);
                }
            })
        })
        .collect();
        Process {
            child,
            lines,
            readers,
        }
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
                // Its last lines may still be in the pipes: read them to the end.
                for reader in self.readers.drain(..) {
                    let _ = reader.join();
                }
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
