//! CPU colour science: the reference every shader is checked against.

pub mod cdl;
pub mod white_balance;
