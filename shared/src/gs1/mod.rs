//! GS1 rules: Application Identifiers, GTINs, element strings, Digital Link URIs.
//! Pure and synchronous.
