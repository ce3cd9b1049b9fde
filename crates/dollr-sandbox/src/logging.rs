//! The log of every server binary of the workspace: its level from `RUST_LOG`, its format from
//! `DOLLR_LOG_FORMAT`, and its lines written for where they go (a terminal, a pipe or file, or
//! systemd's journal).

use std::fmt;

use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::{self, FormatEvent, FormatFields, Writer};
use tracing_subscriber::fmt::FmtContext;
use tracing_subscriber::registry::LookupSpan;

/// Logs to standard output at the level `RUST_LOG` sets (`info` by default), as text, or as one
/// JSON object a line when `DOLLR_LOG_FORMAT` is `json` (for a log collector). Any other format
/// is an error that names the setting.
///
/// The text is coloured only on a terminal, and not when `NO_COLOR` is set: a log that goes to
/// a file, a pipe or a service manager's journal has no escape codes in it. Written to systemd's
/// journal, each line starts with its priority (`<3>` for an error, `<4>` a warning, `<6>`
/// information, `<7>` debugging, as sd-daemon(3) defines them) instead of a time, which the
/// journal keeps itself: `journalctl -p warning` then finds the warnings and errors.
pub fn init_logging() -> Result<(), String> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let colour = std::io::IsTerminal::is_terminal(&std::io::stdout())
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
    let logger = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour);
    match std::env::var("DOLLR_LOG_FORMAT").ok().as_deref() {
        // The journal is no terminal: no colour there already.
        None | Some("" | "text") if output_is_the_journal() => logger
            .event_format(Prioritised(
                format::format().without_time().with_level(false),
            ))
            .init(),
        None | Some("" | "text") => logger.init(),
        Some("json") => logger.json().init(),
        Some(other) => {
            return Err(format!(
                "DOLLR_LOG_FORMAT must be text or json, not {other:?}"
            ))
        }
    }
    Ok(())
}

/// Whether standard output is systemd's journal: systemd names the journal's stream in
/// `JOURNAL_STREAM` as its device and inode numbers (systemd.exec(5)), and the variable is only
/// believed when standard output is that very stream, as it is not in a process the service
/// started with its output elsewhere.
fn output_is_the_journal() -> bool {
    let Some(named) = std::env::var_os("JOURNAL_STREAM") else {
        return false;
    };
    stream_of_stdout().is_some_and(|ours| named.to_str() == Some(ours.as_str()))
}

/// Standard output's device and inode numbers, as `JOURNAL_STREAM` writes them.
#[cfg(unix)]
fn stream_of_stdout() -> Option<String> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let stdout = std::fs::File::from(std::io::stdout().as_fd().try_clone_to_owned().ok()?);
    let metadata = stdout.metadata().ok()?;
    Some(format!("{}:{}", metadata.dev(), metadata.ino()))
}

#[cfg(not(unix))]
fn stream_of_stdout() -> Option<String> {
    None
}

/// A line format that starts each line with the syslog priority of its level, then the level.
struct Prioritised<F>(F);

impl<S, N, F> FormatEvent<S, N> for Prioritised<F>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
    F: FormatEvent<S, N>,
{
    fn format_event(
        &self,
        context: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let level = event.metadata().level();
        write!(writer, "<{}>{level} ", priority(*level))?;
        self.0.format_event(context, writer, event)
    }
}

/// The syslog priority of a level: sd-daemon(3)'s `SD_ERR` to `SD_DEBUG`.
fn priority(level: Level) -> u8 {
    match level {
        Level::ERROR => 3,
        Level::WARN => 4,
        Level::INFO => 6,
        Level::DEBUG | Level::TRACE => 7,
    }
}
