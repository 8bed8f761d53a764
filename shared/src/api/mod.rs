//! HTTP handlers shared by the Lambdas and the local server.
