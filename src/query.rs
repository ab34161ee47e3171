//! Messages between the page and its worker engine (serde, so they can be tested natively).
