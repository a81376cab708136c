//! CPU colour science: the reference every shader is checked against.

pub mod aces2;
pub mod cdl;
pub mod eetf;
pub mod ocio;
pub mod space;
pub mod spaces;
pub mod tonemap;
pub mod transfer;
pub mod white_balance;
