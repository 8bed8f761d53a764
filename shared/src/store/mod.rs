//! Storage traits, one per operation, with local (embedded) and AWS adapters.
