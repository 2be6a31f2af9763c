//! What the register knows about a question on a registered patient: the
//! use case lives in `sceau-app` (`sceau_app::register`), so that the pages,
//! the API and the command line read the register alike; the web names it
//! here for its modules.

pub use sceau_app::register::{
    method_fr, register_facts, scope_label, value_label, Record, RefError, RegisterFact,
};
