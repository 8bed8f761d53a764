//! Rendering: `Symbol` + options -> `Scene` (millimetres) -> SVG, PNG, EPS, PDF.
