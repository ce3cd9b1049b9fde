//! What every server binary of the workspace (the sandbox's and the proxy's) shares: its command
//! line (`--help`, `--version`), a listener without Nagle's delay, and stopping on Ctrl-C or
//! SIGTERM, or at once on a second Ctrl-C. Their logging is [`crate::logging`]'s.

use std::ffi::OsString;
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use axum::serve::ListenerExt;

/// Answers a server binary's command line, `args` without the program's name: `--help` (or
/// `-h`) prints `help`, `--version` (or `-V`) prints `name` and `version`, and the binary then
/// stops with status 0; any other argument stops it with status 2 and a sentence saying that
/// its settings come from the environment. `None` when there are no arguments: the binary serves.
pub fn answer_command_line(
    name: &str,
    version: &str,
    help: &str,
    args: impl IntoIterator<Item = OsString>,
) -> Option<ExitCode> {
    let mut args = args.into_iter();
    let first = args.next()?;
    let text = match first.to_str() {
        Some("--help" | "-h") => help.to_owned(),
        Some("--version" | "-V") => format!("{name} {version}\n"),
        _ => return Some(wrong_argument(name, &first)),
    };
    if let Some(more) = args.next() {
        return Some(wrong_argument(name, &more));
    }
    // A closed standard output (`| head -1`) is no error of the person's.
    let _ = std::io::stdout().write_all(text.as_bytes());
    Some(ExitCode::SUCCESS)
}

/// Says that `name` does not take `argument`, on standard error: status 2.
fn wrong_argument(name: &str, argument: &OsString) -> ExitCode {
    let _ = writeln!(
        std::io::stderr(),
        "{name}: unknown argument {:?}: its settings come from the environment ({name} --help lists them)",
        argument.to_string_lossy()
    );
    ExitCode::from(2)
}

/// `listener` with Nagle's algorithm turned off on every connection it accepts, for `axum::serve`.
///
/// Without it a response written in two parts (headers, then a file's body) waits for the client's
/// delayed acknowledgement: about 40 ms on Linux loopback, on every third request or so of a
/// kept-alive connection. Every server in this workspace listens through this.
pub fn without_delay(
    listener: tokio::net::TcpListener,
) -> impl axum::serve::Listener<Io = tokio::net::TcpStream, Addr = SocketAddr> {
    listener.tap_io(|stream| {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "TCP_NODELAY refused; serving with Nagle's algorithm");
        }
    })
}

/// Resolves when the process is asked to stop (Ctrl-C, or SIGTERM on Unix), for
/// `axum::serve(..).with_graceful_shutdown`. Every server binary in this workspace stops on it.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// Once a server binary is stopping (after [`shutdown_signal`]), Ctrl-C pressed again ends the
/// process at once with status 130, as a shell reports a process that Ctrl-C ended, after
/// `leaving` has logged what is left unfinished: the person at the terminal has chosen not to
/// wait for it. A second SIGTERM does not do this, as a supervisor may pass one signal on twice;
/// its forced kill comes after its own grace period. Each server binary spawns it as its graceful
/// shutdown begins.
pub async fn exit_at_second_ctrl_c(leaving: impl FnOnce()) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    leaving();
    std::process::exit(130);
}
