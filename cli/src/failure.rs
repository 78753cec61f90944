//! Why a command failed, and the exit code scripts can test: 1 the server refused (its message
//! on stderr), 2 the command line was wrong, 3 no configuration or no server to talk to, 4 what
//! was named does not exist (or you may not see it).

use std::fmt;

#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    pub fn refused(message: impl Into<String>) -> Self {
        Self { code: 1, message: message.into() }
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self { code: 2, message: message.into() }
    }
    pub fn setup(message: impl Into<String>) -> Self {
        Self { code: 3, message: message.into() }
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self { code: 4, message: message.into() }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
