//! GS1 Digital Link URIs (in progress).
