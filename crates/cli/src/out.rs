//! Standard output that a closed pipe ends quietly. Rust ignores SIGPIPE, so
//! once the reader has gone (`sceau decide --text - | head -n 1`) every write
//! fails with EPIPE, and `println!` would panic. Commands print with
//! [`outln!`] and [`out!`] instead: a closed pipe ends the process with
//! status 0 (the reader had all it wanted), any other write error with a
//! French message and status 1.

use std::io::Write;

pub fn write_fmt(args: std::fmt::Arguments) {
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_fmt(args);
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("Erreur : impossible d’écrire sur la sortie standard ({e})");
        std::process::exit(1);
    }
}

/// A column as the terminal shows it: written without the key, it could
/// hold escape sequences or invisible characters that change the listing
/// on screen (`hidden_char`: controls, format characters…), so that the
/// host's administrator attests what he did not see.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if sceau_store::hidden_char(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// `println!` that survives a closed pipe.
macro_rules! outln {
    () => {
        $crate::out::write_fmt(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::out::write_fmt(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` that survives a closed pipe.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::out::write_fmt(format_args!($($arg)*))
    };
}
